/**
 * 호가 (H0STASP0 / H0NXASP0 / H0UNASP0): the ten-level book of the price process for the
 * subscribed venue (UN: KRX and NXT depth merged) (docs/protocol/realtime-trs.md, 호가).
 */
import type { TrTable } from '../../protocol/tr-tables';
import type { MarketModel } from '../market';
import { BOOK_LEVELS, sum } from '../price-process';
import { builderFor, compileKindBuilders, signCode, type FieldSource } from '../record-builder';
import { CALL_HOUR_CLS, pct } from './tick';
import type { Feed, TrFamily } from './family';

/** What a quote (호가) record is built from. */
export interface QuoteContext {
  code: string;
  time: string;
  askP: readonly number[];
  bidP: readonly number[];
  askQ: number[];
  bidQ: number[];
  totalAsk: number;
  totalBid: number;
  dAsk: number;
  dBid: number;
  acmlVol: number;
  prevClose: number;
  /** HOUR_CLS_CODE: 0 장중, B/A/C during the opening, closing or VI call. */
  hourCls: string;
  marketCls: string;
  /** The expected match during a call (0 / 0 in continuous trading). */
  antcPrice: number;
  antcQty: number;
}

function levelSources(): Record<string, FieldSource<QuoteContext>> {
  const out: Record<string, FieldSource<QuoteContext>> = {};
  for (let i = 0; i < BOOK_LEVELS; i++) {
    out[`ASKP${i + 1}`] = (c) => c.askP[i]!;
    out[`BIDP${i + 1}`] = (c) => c.bidP[i]!;
    out[`ASKP_RSQN${i + 1}`] = (c) => c.askQ[i]!;
    out[`BIDP_RSQN${i + 1}`] = (c) => c.bidQ[i]!;
  }
  return out;
}

export const QUOTE_SOURCES: Readonly<Record<string, FieldSource<QuoteContext>>> = {
  MKSC_SHRN_ISCD: (c) => c.code,
  BSOP_HOUR: (c) => c.time,
  HOUR_CLS_CODE: (c) => c.hourCls,
  ...levelSources(),
  TOTAL_ASKP_RSQN: (c) => c.totalAsk,
  TOTAL_BIDP_RSQN: (c) => c.totalBid,
  OVTM_TOTAL_ASKP_RSQN: () => 0,
  OVTM_TOTAL_BIDP_RSQN: () => 0,
  // During a call the expected match; in continuous trading the values observed on real frames
  // (price 0, so the change reads −previous close and −100.00 %).
  ANTC_CNPR: (c) => c.antcPrice,
  ANTC_CNQN: (c) => c.antcQty,
  ANTC_VOL: (c) => (c.antcPrice > 0 ? c.antcQty : c.acmlVol),
  ANTC_CNTG_VRSS: (c) => c.antcPrice - c.prevClose,
  ANTC_CNTG_VRSS_SIGN: (c) => signCode(c.antcPrice - c.prevClose),
  ANTC_CNTG_PRDY_CTRT: (c) => pct(c.antcPrice - c.prevClose, c.prevClose),
  // 2026-09 layouts: MID_PRC/MIDP_* (KRX 중간가), ANTC_EXCH_CLS_CODE (통합: which venue's expected price), MARKET_CLS_CODE.
  MID_PRC: () => 0,
  MIDP_TOTAL_RSQN: () => 0,
  MIDP_CLS_CODE: () => '0',
  ANTC_EXCH_CLS_CODE: (c) => (c.antcPrice > 0 ? '1' : ''),
  MARKET_CLS_CODE: (c) => c.marketCls,
  ACML_VOL: (c) => c.acmlVol,
  TOTAL_ASKP_RSQN_ICDC: (c) => c.dAsk,
  TOTAL_BIDP_RSQN_ICDC: (c) => c.dBid,
  OVTM_TOTAL_ASKP_ICDC: () => 0,
  OVTM_TOTAL_BIDP_ICDC: () => 0,
  STCK_DEAL_CLS_CODE: () => '0',
  // NXT/통합 중간가 (mid-price order) fields: no mid-price orders rest in the simulated book (our choice).
  KMID_PRC: () => 0,
  KMID_TOTAL_RSQN: () => 0,
  KMID_CLS_CODE: () => '0',
  NMID_PRC: () => 0,
  NMID_TOTAL_RSQN: () => 0,
  NMID_CLS_CODE: () => '0',
};

const BUILDERS = compileKindBuilders<QuoteContext>('quote', QUOTE_SOURCES);

const ctx: QuoteContext = {
  code: '', time: '', askP: [], bidP: [], askQ: new Array<number>(BOOK_LEVELS).fill(0), bidQ: new Array<number>(BOOK_LEVELS).fill(0),
  totalAsk: 0, totalBid: 0, dAsk: 0, dBid: 0, acmlVol: 0, prevClose: 0, hourCls: '0', antcPrice: 0, antcQty: 0, marketCls: '2',
};

export const quoteFamily: TrFamily = {
  open(model: MarketModel, table: TrTable, key: string): Feed {
    const build = builderFor(BUILDERS, table, model.layout);
    const venue = table.venue;
    if (venue === null) throw new Error(`simulator: ${table.trId} is not a 호가 TR`);
    const m = model.market(key);
    return {
      pace: 'rate',
      next(clock) {
        if (!m.servesVenue(venue)) return null;
        if (!m.quotes(venue, clock)) return null;
        m.churnBook(venue);
        const q = m.depthOf(venue, clock);
        const st = m.stats[venue];
        for (let i = 0; i < BOOK_LEVELS; i++) {
          ctx.askQ[i] = q.ask[i]!;
          ctx.bidQ[i] = q.bid[i]!;
        }
        ctx.code = m.profile.code;
        ctx.time = clock.time;
        ctx.askP = m.askPrices;
        ctx.bidP = m.bidPrices;
        ctx.totalAsk = sum(ctx.askQ);
        ctx.totalBid = sum(ctx.bidQ);
        ctx.dAsk = st.lastTotalAsk < 0 ? 0 : ctx.totalAsk - st.lastTotalAsk;
        ctx.dBid = st.lastTotalBid < 0 ? 0 : ctx.totalBid - st.lastTotalBid;
        st.lastTotalAsk = ctx.totalAsk;
        st.lastTotalBid = ctx.totalBid;
        ctx.acmlVol = st.acmlVol;
        ctx.prevClose = m.profile.prevClose;
        ctx.marketCls = clock.marketCls[venue];
        const e = venue === 'NXT' ? null : m.expected(clock.epochMs);
        const call = e !== null && e.auction.cause !== 'overtime' ? e : null;
        ctx.hourCls = call === null ? '0' : CALL_HOUR_CLS[call.auction.cause];
        ctx.antcPrice = call === null ? 0 : call.price;
        ctx.antcQty = call === null ? 0 : call.qty;
        return build(ctx);
      },
    };
  },
};
