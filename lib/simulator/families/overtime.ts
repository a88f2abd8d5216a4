/**
 * KRX 시간외 단일가 (H0STOUP0 체결 / H0STOAC0 예상체결 / H0STOAA0 호가): ten-minute single-price
 * calls 16:00–18:00, on a book of their own (docs/protocol/realtime-trs.md, 시간외 단일가). The
 * session ended on 2026-09-11 (KRX's after-market replaced it); the TRs are still acknowledged and
 * stream only while the calendar has the session, i.e. never after that date. Each call's
 * expected price converges on its match (auction.ts); each match prints once on H0STOUP0.
 */
import type { TrTable } from '../../protocol/tr-tables';
import type { MarketModel } from '../market';
import { BOOK_LEVELS, DayStats, newTradeSnapshot, stockProfile } from '../price-process';
import { builderFor, compileKindBuilders } from '../record-builder';
import { tickDown, tickUp } from '../tick-size';
import { EXPECTED_SOURCES, fillExpected, type ExpectedContext } from './expected';
import type { Feed, TrFamily } from './family';
import { QUOTE_SOURCES, type QuoteContext } from './quote';
import { fillTick, TICK_SOURCES, type TickContext } from './tick';

/** NEW_MKOP_CLS_CODE observed on 시간외 단일가 frames: 40 on trades, 49 on expected prices. */
const MKOP_TRADE = '40', MKOP_EXPECTED = '49';

const TICK_BUILDERS = compileKindBuilders<TickContext>('overtime-tick', TICK_SOURCES);
const EXPECTED_BUILDERS = compileKindBuilders<ExpectedContext>('overtime-expected', EXPECTED_SOURCES);
const QUOTE_BUILDERS = compileKindBuilders<QuoteContext>('overtime-quote', QUOTE_SOURCES);

const tctx: ExpectedContext = {
  code: '', time: '', date: '', trade: newTradeSnapshot(), st: new DayStats(), profile: stockProfile('000000', 1),
  upper: 0, lower: 0, mkop: MKOP_TRADE, marketCls: '2', hourCls: 'D', staticRef: 0, prdySmnsVol: 1, expQty: 0,
};

const qctx: QuoteContext = {
  code: '', time: '', askP: new Array<number>(BOOK_LEVELS).fill(0), bidP: new Array<number>(BOOK_LEVELS).fill(0),
  askQ: new Array<number>(BOOK_LEVELS).fill(0), bidQ: new Array<number>(BOOK_LEVELS).fill(0),
  totalAsk: 0, totalBid: 0, dAsk: 0, dBid: 0, acmlVol: 0, prevClose: 0, hourCls: 'D', antcPrice: 0, antcQty: 0, marketCls: '2',
};


export const overtimeTickFamily: TrFamily = {
  open(model: MarketModel, table: TrTable, key: string): Feed {
    const build = builderFor(TICK_BUILDERS, table, model.layout);
    const m = model.market(key);
    let seen = m.lastOvertimePrint?.seq ?? 0;
    return {
      pace: 'rate',
      next(clock) {
        m.advance(clock);
        const p = m.lastOvertimePrint;
        if (p === null || p.seq <= seen) return null;
        seen = p.seq;
        Object.assign(tctx.trade, p.trade);
        fillTick(tctx, m, 'KRX', clock, p.time, 'D');
        tctx.st = m.overtimeStats;
        tctx.mkop = MKOP_TRADE;
        return build(tctx);
      },
    };
  },
};

export const overtimeExpectedFamily: TrFamily = {
  open(model: MarketModel, table: TrTable, key: string): Feed {
    const build = builderFor(EXPECTED_BUILDERS, table, model.layout);
    const m = model.market(key);
    let lastQty = 0, lastStart = -1;
    return {
      pace: 'rate',
      next(clock) {
        m.advance(clock);
        const e = m.expected(clock.epochMs);
        if (e === null || e.auction.cause !== 'overtime') return null;
        if (e.auction.startedAt !== lastStart) {
          lastStart = e.auction.startedAt;
          lastQty = 0;
        }
        fillExpected(tctx, m, 'KRX', clock, e.price, e.qty, lastQty, 'D');
        tctx.st = m.overtimeStats;
        tctx.mkop = MKOP_EXPECTED;
        lastQty = e.qty;
        return build(tctx);
      },
    };
  },
};

export const overtimeQuoteFamily: TrFamily = {
  open(model: MarketModel, table: TrTable, key: string): Feed {
    const build = builderFor(QUOTE_BUILDERS, table, model.layout);
    const m = model.market(key);
    let lastAsk = -1, lastBid = -1;
    return {
      pace: 'rate',
      next(clock) {
        m.advance(clock);
        const e = m.expected(clock.epochMs);
        if (e === null || e.auction.cause !== 'overtime') return null;
        // The 시간외 book: around the expected price, a tenth of the regular depth.
        const d = m.depthOf('KRX', clock);
        const askP = qctx.askP as number[], bidP = qctx.bidP as number[];
        let a = e.price, b = tickDown(e.price);
        qctx.totalAsk = qctx.totalBid = 0;
        for (let i = 0; i < BOOK_LEVELS; i++) {
          askP[i] = a;
          bidP[i] = b;
          a = tickUp(a);
          b = tickDown(b);
          qctx.askQ[i] = Math.max(1, Math.round(d.ask[i]! / 10));
          qctx.bidQ[i] = Math.max(1, Math.round(d.bid[i]! / 10));
          qctx.totalAsk += qctx.askQ[i]!;
          qctx.totalBid += qctx.bidQ[i]!;
        }
        qctx.code = key;
        qctx.time = clock.time;
        qctx.dAsk = lastAsk < 0 ? 0 : qctx.totalAsk - lastAsk;
        qctx.dBid = lastBid < 0 ? 0 : qctx.totalBid - lastBid;
        lastAsk = qctx.totalAsk;
        lastBid = qctx.totalBid;
        qctx.acmlVol = m.overtimeStats.acmlVol;
        qctx.prevClose = m.profile.prevClose;
        qctx.antcPrice = e.price;
        qctx.antcQty = e.qty;
        return build(qctx);
      },
    };
  },
};
