/**
 * ELW 체결 / 호가 / 예상체결 (H0EWCNT0 / H0EWASP0 / H0EWANC0), keyed by an ELW code of the
 * universe: records of the ELW's market (elw-market.ts), whose book follows its underlying's price
 * process. Fields 0–39 of 체결 and 예상체결 and 0–44 of 호가 are the stock TRs' fields and come from
 * the same sources (tick.ts, expected.ts, quote.ts); the rest are the ELW analytics
 * (elw-pricing.ts), the LP's book and holdings (docs/protocol/realtime-trs.md, ELW).
 */
import type { TrTable } from '../../protocol/tr-tables';
import type { MarketClock } from '../clock';
import { elwMarket, type ElwMarket } from '../elw-market';
import { elwAnalytics, type ElwAnalytics } from '../elw-pricing';
import type { MarketModel } from '../market';
import { BOOK_LEVELS, DayStats, newTradeSnapshot, stockProfile, sum } from '../price-process';
import { ELW_LISTINGS } from '../universe';
import { builderFor, compileKindBuilders, fix2, type FieldSource } from '../record-builder';
import { EXPECTED_SOURCES, type ExpectedContext } from './expected';
import type { Feed, TrFamily } from './family';
import { QUOTE_SOURCES, type QuoteContext } from './quote';
import { CALL_HOUR_CLS, fillTick, pct, TICK_SOURCES, type TickContext } from './tick';

/** What the ELW analytics and LP fields of 체결 and 예상체결 read. */
interface ElwFields {
  a: ElwAnalytics;
  lpHolding: number;
  lpNetSold: number;
}

const dp4 = (x: number): string => (Math.round(x * 1e4) / 1e4).toFixed(4);

function analyticsSources<C extends TickContext & ElwFields>(): Record<string, FieldSource<C>> {
  return {
    TMVL_VAL: (c) => fix2(c.a.timeValue),
    PRIT: (c) => fix2(c.a.parity),
    PRMM_VAL: (c) => fix2(c.a.premium),
    GEAR: (c) => fix2(c.a.gearing),
    PRLS_QRYR_RATE: (c) => fix2(c.a.breakEvenRate),
    INVL_VAL: (c) => fix2(c.a.intrinsic),
    PRMM_RATE: (c) => fix2(c.a.premiumRate),
    CFP: (c) => fix2(c.a.capitalFixedPoint),
    LVRG_VAL: (c) => fix2(c.a.leverage),
    DELTA: (c) => dp4(c.a.delta),
    GAMA: (c) => dp4(c.a.gamma),
    VEGA: (c) => dp4(c.a.vega),
    THETA: (c) => dp4(c.a.theta),
    RHO: (c) => dp4(c.a.rho),
    HTS_INTS_VLTL: (c) => fix2(c.a.impliedVol),
    HTS_THPR: (c) => fix2(c.a.theoretical),
    LP_HVOL: (c) => c.lpHolding,
    LP_HLDN_RATE: (c) => pct(c.lpHolding, c.profile.listedShares),
    // 접근도 concerns knock-out (조기종료) ELWs, which the simulator does not list: 0.00 (our reading).
    APPRCH_RATE: () => '0.00',
    LP_NTBY_QTY: (c) => c.lpNetSold,
  };
}

type ElwTickContext = TickContext & ElwFields;
type ElwExpectedContext = ExpectedContext & ElwFields;

const TICK_BUILDERS = compileKindBuilders<ElwTickContext>('elw-tick', { ...TICK_SOURCES, ...analyticsSources<ElwTickContext>() });
const EXPECTED_BUILDERS = compileKindBuilders<ElwExpectedContext>('elw-expected', { ...EXPECTED_SOURCES, ...analyticsSources<ElwExpectedContext>() });

interface ElwQuoteContext extends QuoteContext {
  lpAsk: readonly number[];
  lpBid: readonly number[];
}

function lpSources(): Record<string, FieldSource<ElwQuoteContext>> {
  const out: Record<string, FieldSource<ElwQuoteContext>> = {
    LP_TOTAL_ASKP_RSQN: (c) => sum(c.lpAsk),
    LP_TOTAL_BIDP_RSQN: (c) => sum(c.lpBid),
  };
  for (let i = 0; i < BOOK_LEVELS; i++) {
    out[`LP_ASKP_RSQN${i + 1}`] = (c) => c.lpAsk[i]!;
    out[`LP_BIDP_RSQN${i + 1}`] = (c) => c.lpBid[i]!;
  }
  return out;
}

const QUOTE_BUILDERS = compileKindBuilders<ElwQuoteContext>('elw-quote', { ...QUOTE_SOURCES, ...lpSources() });

/** A fresh tick-shaped context (the ELW feeds fill every field before each record). */
function tickContext(): TickContext & ElwFields & { expQty: number } {
  return {
    code: '', time: '', date: '', trade: newTradeSnapshot(), st: new DayStats(), profile: stockProfile('000000', 1),
    upper: 0, lower: 0, mkop: '20', marketCls: '2', hourCls: '0', staticRef: 0, prdySmnsVol: 1, expQty: 0,
    a: elwAnalytics(ELW_LISTINGS[0]!, ELW_LISTINGS[0]!.strike, ELW_LISTINGS[0]!.strike * ELW_LISTINGS[0]!.ratio), lpHolding: 0, lpNetSold: 0,
  };
}

const tickCtx = tickContext();
const expCtx = tickContext();

function fillElw(c: TickContext & ElwFields, e: ElwMarket, clock: MarketClock, time: string, hourCls: string): void {
  fillTick(c, e, 'KRX', clock, time, hourCls);
  c.a = e.analytics(c.trade.price);
  c.lpHolding = e.lpHolding;
  c.lpNetSold = e.lpNetSold;
}

function marketOf(model: MarketModel, table: TrTable, key: string): ElwMarket {
  const e = elwMarket(model, key);
  if (e === null) throw new Error(`simulator: ${key} is not an ELW of the universe (${table.trId})`);
  return e;
}

export const elwTickFamily: TrFamily = {
  open(model: MarketModel, table: TrTable, key: string): Feed {
    const build = builderFor(TICK_BUILDERS, table, model.layout);
    const e = marketOf(model, table, key);
    let seen = e.lastPrint?.seq ?? 0;
    return {
      pace: 'rate',
      next(clock) {
        e.advance(clock);
        const p = e.lastPrint;
        if (p !== null && p.seq > seen) {
          seen = p.seq;
          Object.assign(tickCtx.trade, p.trade);
          fillElw(tickCtx, e, clock, p.time, '0');
          return build(tickCtx);
        }
        if (!e.trade(clock, tickCtx.trade)) return null;
        fillElw(tickCtx, e, clock, clock.time, '0');
        return build(tickCtx);
      },
    };
  },
};

/** Only during the underlying's opening (from 08:50) and closing calls; the last expected price is the match the 체결 stream prints. */
export const elwExpectedFamily: TrFamily = {
  open(model: MarketModel, table: TrTable, key: string): Feed {
    const build = builderFor(EXPECTED_BUILDERS, table, model.layout);
    const e = marketOf(model, table, key);
    let lastQty = 0;
    let lastCause = '';
    return {
      pace: 'rate',
      next(clock) {
        const x = e.expected(clock);
        if (x === null) return null;
        if (x.cause !== lastCause) {
          lastCause = x.cause;
          lastQty = 0;
        }
        e.layFor(clock, x.price);
        e.describe(expCtx.trade, x.price, Math.max(0, x.qty - lastQty), true);
        expCtx.expQty = x.qty;
        fillElw(expCtx, e, clock, clock.time, CALL_HOUR_CLS[x.cause]);
        // The opening call's records carry NEW_MKOP_CLS_CODE 00, as the stock 예상체결 does.
        if (x.cause === 'open') expCtx.mkop = '00';
        lastQty = x.qty;
        return build(expCtx);
      },
    };
  },
};

/** The ten-level book with the LP's quotes; during a call the expected match in ANTC_*. */
export const elwQuoteFamily: TrFamily = {
  open(model: MarketModel, table: TrTable, key: string): Feed {
    const build = builderFor(QUOTE_BUILDERS, table, model.layout);
    const e = marketOf(model, table, key);
    const c: ElwQuoteContext = {
      code: key, time: '', askP: e.askP, bidP: e.bidP, askQ: e.askQ, bidQ: e.bidQ, totalAsk: 0, totalBid: 0, dAsk: 0, dBid: 0,
      acmlVol: 0, prevClose: e.profile.prevClose, hourCls: '0', marketCls: '2', antcPrice: 0, antcQty: 0, lpAsk: e.lpAsk, lpBid: e.lpBid,
    };
    return {
      pace: 'rate',
      next(clock) {
        const x = e.expected(clock);
        if (x === null && clock.sessions.krx !== 'continuous') return null;
        if (e.underlying.halted) return null;
        e.layFor(clock, x === null ? null : x.price);
        e.churn();
        c.time = clock.time;
        c.totalAsk = sum(e.askQ);
        c.totalBid = sum(e.bidQ);
        c.acmlVol = e.stats.KRX.acmlVol;
        c.marketCls = clock.marketCls.KRX;
        c.hourCls = x === null ? '0' : CALL_HOUR_CLS[x.cause];
        c.antcPrice = x === null ? 0 : x.price;
        c.antcQty = x === null ? 0 : x.qty;
        return build(c);
      },
    };
  },
};
