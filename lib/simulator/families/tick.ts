/**
 * 체결 (H0STCNT0 / H0NXCNT0 / H0UNCNT0): one record per trade of the price process, with the day
 * statistics of the subscribed venue (docs/protocol/realtime-trs.md, 체결).
 */
import type { TrTable, Venue } from '../../protocol/tr-tables';
import type { AuctionCause } from '../auction';
import type { MarketClock } from '../clock';
import type { MarketModel } from '../market';
import { DayStats, newTradeSnapshot, stockProfile, type CodeMarket, type StockProfile, type TradeSnapshot } from '../price-process';
import { builderFor, compileKindBuilders, fix2, signCode, type FieldSource } from '../record-builder';
import type { Feed, TrFamily } from './family';

/** What a tick (체결) record is built from; one mutable instance per feed family, reused. */
export interface TickContext {
  code: string;
  time: string;
  date: string;
  trade: TradeSnapshot;
  st: DayStats;
  profile: StockProfile;
  upper: number;
  lower: number;
  mkop: string;
  marketCls: string;
  /** HOUR_CLS_CODE: 0 장중; the match of a call keeps its call's code. */
  hourCls: string;
  staticRef: number;
  prdySmnsVol: number;
}

export const pct = (num: number, den: number): string => (den > 0 ? fix2((num / den) * 100) : '0.00');
const side = (c: TickContext): string => (c.trade.buy ? '1' : '5');

export const TICK_SOURCES: Readonly<Record<string, FieldSource<TickContext>>> = {
  MKSC_SHRN_ISCD: (c) => c.code,
  STCK_CNTG_HOUR: (c) => c.time,
  STCK_PRPR: (c) => c.trade.price,
  PRDY_VRSS_SIGN: (c) => signCode(c.trade.price - c.profile.prevClose, c.trade.price >= c.upper, c.trade.price <= c.lower),
  PRDY_VRSS: (c) => c.trade.price - c.profile.prevClose,
  PRDY_CTRT: (c) => pct(c.trade.price - c.profile.prevClose, c.profile.prevClose),
  WGHN_AVRG_STCK_PRC: (c) => fix2(c.st.acmlValue / c.st.acmlVol),
  STCK_OPRC: (c) => c.st.open,
  STCK_HGPR: (c) => c.st.high,
  STCK_LWPR: (c) => c.st.low,
  ASKP1: (c) => c.trade.askP1,
  BIDP1: (c) => c.trade.bidP1,
  CNTG_VOL: (c) => c.trade.qty,
  ACML_VOL: (c) => c.st.acmlVol,
  ACML_TR_PBMN: (c) => c.st.acmlValue,
  SELN_CNTG_CSNU: (c) => c.st.sellCount,
  SHNU_CNTG_CSNU: (c) => c.st.buyCount,
  NTBY_CNTG_CSNU: (c) => c.st.buyCount - c.st.sellCount,
  // 체결강도 = 매수 체결량 / 매도 체결량 × 100; 0.00 until the first sell-initiated trade (our choice).
  CTTR: (c) => pct(c.st.buyQty, c.st.sellQty),
  SELN_CNTG_SMTN: (c) => c.st.sellQty,
  SHNU_CNTG_SMTN: (c) => c.st.buyQty,
  CCLD_DVSN: side,
  CNTG_CLS_CODE: side,
  // 매수비율: KIS's exact formula is unverified; we use buy qty / (buy + sell qty) × 100.
  SHNU_RATE: (c) => pct(c.st.buyQty, c.st.buyQty + c.st.sellQty),
  PRDY_VOL_VRSS_ACML_VOL_RATE: (c) => pct(c.st.acmlVol, c.profile.prevDayVolume),
  OPRC_HOUR: (c) => c.st.openTime,
  OPRC_VRSS_PRPR_SIGN: (c) => signCode(c.trade.price - c.st.open),
  OPRC_VRSS_PRPR: (c) => c.trade.price - c.st.open,
  HGPR_HOUR: (c) => c.st.highTime,
  HGPR_VRSS_PRPR_SIGN: (c) => signCode(c.trade.price - c.st.high),
  HGPR_VRSS_PRPR: (c) => c.trade.price - c.st.high,
  LWPR_HOUR: (c) => c.st.lowTime,
  LWPR_VRSS_PRPR_SIGN: (c) => signCode(c.trade.price - c.st.low),
  LWPR_VRSS_PRPR: (c) => c.trade.price - c.st.low,
  BSOP_DATE: (c) => c.date,
  NEW_MKOP_CLS_CODE: (c) => c.mkop,
  TRHT_YN: () => 'N',
  ASKP_RSQN1: (c) => c.trade.askQ1,
  BIDP_RSQN1: (c) => c.trade.bidQ1,
  TOTAL_ASKP_RSQN: (c) => c.trade.totalAsk,
  TOTAL_BIDP_RSQN: (c) => c.trade.totalBid,
  VOL_TNRT: (c) => pct(c.st.acmlVol, c.profile.listedShares),
  PRDY_SMNS_HOUR_ACML_VOL: (c) => c.prdySmnsVol,
  PRDY_SMNS_HOUR_ACML_VOL_RATE: (c) => pct(c.st.acmlVol, c.prdySmnsVol),
  HOUR_CLS_CODE: (c) => c.hourCls,
  MRKT_TRTM_CLS_CODE: () => '',
  // 정적VI발동기준가: 기준가, then the price of the latest single-price match (docs/protocol/market-calendar.md).
  VI_STND_PRC: (c) => c.staticRef,
  MARKET_CLS_CODE: (c) => c.marketCls,
};

const BUILDERS = compileKindBuilders<TickContext>('tick', TICK_SOURCES);

const ctx: TickContext = {
  code: '', time: '', date: '', trade: newTradeSnapshot(), st: new DayStats(), profile: stockProfile('000000', 1),
  upper: 0, lower: 0, mkop: '20', marketCls: '2', hourCls: '0', staticRef: 0, prdySmnsVol: 1,
};

/** HOUR_CLS_CODE of records published during a call: A 장후 (closing), B 장전 (opening), C VI, D 시간외 단일가 (docs/protocol/realtime-trs.md). */
export const CALL_HOUR_CLS: Readonly<Record<AuctionCause, string>> = { open: 'B', close: 'A', vi: 'C', overtime: 'D' };

/** What a 체결 record describes: a stock's market, or an ELW's (elw-market.ts). */
export type TickSubject = Pick<CodeMarket, 'profile' | 'stats' | 'upper' | 'lower' | 'staticRef'>;

/** Fill the shared context around `ctx.trade` for a record of `m` on `venue` at `time`. */
export function fillTick(c: TickContext, m: TickSubject, venue: Venue, clock: MarketClock, time: string, hourCls: string): void {
  c.code = m.profile.code;
  c.time = time;
  c.date = clock.date;
  c.st = m.stats[venue];
  c.profile = m.profile;
  c.upper = m.upper;
  c.lower = m.lower;
  c.mkop = clock.mkop[venue];
  c.marketCls = clock.marketCls[venue];
  c.hourCls = hourCls;
  c.staticRef = m.staticRef;
  c.prdySmnsVol = Math.max(1, Math.round(m.profile.prevDayVolume * clock.dayFraction));
}

/** Generate one trade of `m` on `venue` into the shared context; false when the venue does not trade it now. */
function tradeInto(m: CodeMarket, venue: Venue, clock: MarketClock): boolean {
  if (!m.trade(venue, clock, ctx.trade)) return false;
  fillTick(ctx, m, venue, clock, clock.time, '0');
  return true;
}


export const tickFamily: TrFamily = {
  open(model: MarketModel, table: TrTable, key: string): Feed {
    const build = builderFor(BUILDERS, table, model.layout);
    const venue = table.venue;
    if (venue === null) throw new Error(`simulator: ${table.trId} is not a 체결 TR`);
    const m = model.market(key);
    // The match of a call (open, close, VI) is shown once by every KRX and 통합 stream.
    let seen = m.lastPrint?.seq ?? 0;
    return {
      pace: 'rate',
      next(clock) {
        if (!m.servesVenue(venue)) return null;
        m.advance(clock);
        const p = m.lastPrint;
        if (p !== null && p.seq > seen && venue !== 'NXT') {
          seen = p.seq;
          Object.assign(ctx.trade, p.trade);
          fillTick(ctx, m, venue, clock, p.time, '0');
          return build(ctx);
        }
        return tradeInto(m, venue, clock) ? build(ctx) : null;
      },
    };
  },
};
