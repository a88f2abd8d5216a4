/**
 * 예상체결 (H0STANC0 / H0NXANC0 / H0UNANC0): the expected match of a single-price call, published
 * only while one runs (the opening call from 08:50, the closing call, a VI call), converging on the
 * price the 체결 stream prints when the call ends (docs/protocol/realtime-trs.md, 예상체결).
 * STCK_PRPR is the expected price, ACML_VOL the expected matched quantity, ACML_TR_PBMN their
 * product, CNTG_VOL its change since this stream's previous record; day figures (open, high, low,
 * counts) are the venue's, 0 before the open.
 */
import type { TrTable, Venue } from '../../protocol/tr-tables';
import type { Auction } from '../auction';
import type { MarketClock } from '../clock';
import type { MarketModel } from '../market';
import { DayStats, newTradeSnapshot, stockProfile, type CodeMarket } from '../price-process';
import { builderFor, compileKindBuilders, fix2, signCode, type FieldSource } from '../record-builder';
import { tickDown } from '../tick-size';
import type { Feed, TrFamily } from './family';
import { CALL_HOUR_CLS, fillTick, pct, TICK_SOURCES, type TickContext } from './tick';

export interface ExpectedContext extends TickContext {
  expQty: number;
}

const zeroBeforeOpen = (v: (c: ExpectedContext) => string | number): FieldSource<ExpectedContext> => (c) => (c.st.acmlVol > 0 ? v(c) : 0);
const signBeforeOpen = (v: (c: ExpectedContext) => string): FieldSource<ExpectedContext> => (c) => (c.st.acmlVol > 0 ? v(c) : '3');
const timeBeforeOpen = (v: (c: ExpectedContext) => string): FieldSource<ExpectedContext> => (c) => (c.st.acmlVol > 0 ? v(c) : '000000');

export const EXPECTED_SOURCES: Readonly<Record<string, FieldSource<ExpectedContext>>> = {
  ...TICK_SOURCES,
  CNTG_VOL: (c) => c.trade.qty,
  ACML_VOL: (c) => c.expQty,
  ACML_TR_PBMN: (c) => c.expQty * c.trade.price,
  WGHN_AVRG_STCK_PRC: (c) => (c.st.acmlVol > 0 ? fix2(c.st.acmlValue / c.st.acmlVol) : '0.00'),
  // Observed 1 on a pre-open record.
  CNTG_CLS_CODE: () => '1',
  OPRC_HOUR: timeBeforeOpen((c) => c.st.openTime),
  OPRC_VRSS_PRPR_SIGN: signBeforeOpen((c) => signCode(c.trade.price - c.st.open)),
  OPRC_VRSS_PRPR: zeroBeforeOpen((c) => c.trade.price - c.st.open),
  HGPR_HOUR: timeBeforeOpen((c) => c.st.highTime),
  HGPR_VRSS_PRPR_SIGN: signBeforeOpen((c) => signCode(c.trade.price - c.st.high)),
  HGPR_VRSS_PRPR: zeroBeforeOpen((c) => c.trade.price - c.st.high),
  LWPR_HOUR: timeBeforeOpen((c) => c.st.lowTime),
  LWPR_VRSS_PRPR_SIGN: signBeforeOpen((c) => signCode(c.trade.price - c.st.low)),
  LWPR_VRSS_PRPR: zeroBeforeOpen((c) => c.trade.price - c.st.low),
  PRDY_SMNS_HOUR_ACML_VOL_RATE: (c) => pct(c.st.acmlVol, c.prdySmnsVol),
  // 2026-09 layout of NXT/통합: an unnamed trailing value the portal workbook calls a dummy; sent empty.
  FIELD_46: () => '',
};

const BUILDERS = compileKindBuilders<ExpectedContext>('expected', EXPECTED_SOURCES);

const ctx: ExpectedContext = {
  code: '', time: '', date: '', trade: newTradeSnapshot(), st: new DayStats(), profile: stockProfile('000000', 1),
  upper: 0, lower: 0, mkop: '20', marketCls: '2', hourCls: 'B', staticRef: 0, prdySmnsVol: 1, expQty: 0,
};

/** Which calls a venue's 예상체결 shows: KRX and 통합 every KRX call; NXT only a VI of a code NXT trades. */
export function showsCall(venue: Venue, m: CodeMarket, a: Auction): boolean {
  if (a.cause === 'overtime') return false;
  if (venue === 'NXT') return a.cause === 'vi' && m.profile.nxt;
  return true;
}

/** Fill `c` with the expected match of `m` at `clock`; `lastQty` is this stream's previous quantity. */
export function fillExpected(c: ExpectedContext, m: CodeMarket, venue: Venue, clock: MarketClock, price: number, qty: number, lastQty: number, hourCls: string): void {
  fillTick(c, m, venue, clock, clock.time, hourCls);
  c.expQty = qty;
  const t = c.trade;
  t.price = price;
  t.qty = Math.max(0, qty - lastQty);
  t.buy = true;
  t.askP1 = price;
  t.bidP1 = tickDown(price);
  const d = m.depthOf(venue === 'NXT' ? 'NXT' : 'KRX', clock);
  t.askQ1 = d.ask[0]!;
  t.bidQ1 = d.bid[0]!;
  let ta = 0, tb = 0;
  for (let i = 0; i < d.ask.length; i++) {
    ta += d.ask[i]!;
    tb += d.bid[i]!;
  }
  t.totalAsk = ta;
  t.totalBid = tb;
}

export const expectedFamily: TrFamily = {
  open(model: MarketModel, table: TrTable, key: string): Feed {
    const build = builderFor(BUILDERS, table, model.layout);
    const venue = table.venue;
    if (venue === null) throw new Error(`simulator: ${table.trId} is not a 예상체결 TR`);
    const m = model.market(key);
    let lastQty = 0;
    let lastCall: Auction | null = null;
    return {
      pace: 'rate',
      next(clock) {
        if (!m.servesVenue(venue)) return null;
        m.advance(clock);
        const e = m.expected(clock.epochMs);
        if (e === null || !showsCall(venue, m, e.auction)) return null;
        if (e.auction !== lastCall) {
          lastCall = e.auction;
          lastQty = 0;
        }
        // The opening call's records carry NEW_MKOP_CLS_CODE 00, as observed.
        fillExpected(ctx, m, venue, clock, e.price, e.qty, lastQty, CALL_HOUR_CLS[e.auction.cause]);
        if (e.auction.cause === 'open') ctx.mkop = '00';
        lastQty = e.qty;
        return build(ctx);
      },
    };
  },
};
