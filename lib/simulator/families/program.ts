/**
 * 프로그램매매 (H0STPGM0 / H0NXPGM0 / H0UNPGM0): the program-trading part of the subscribed venue's
 * volume so far today (cumulative sell and buy quantity and value, their net) and the program
 * orders resting in the book (docs/protocol/realtime-trs.md, 프로그램매매). Booked trade by trade
 * (flows.ts), so the sums only grow and never exceed the venue's volume. Each record follows a
 * trade of the code on that venue.
 */
import type { TrTable } from '../../protocol/tr-tables';
import type { ProgramBucket } from '../flows';
import type { MarketModel } from '../market';
import { newTradeSnapshot, type TradeSnapshot } from '../price-process';
import { builderFor, compileKindBuilders, type FieldSource } from '../record-builder';
import type { Feed, TrFamily } from './family';

export interface ProgramContext {
  code: string;
  time: string;
  sell: ProgramBucket;
  buy: ProgramBucket;
  trade: TradeSnapshot;
}

/** Share of the resting book that is program orders (our choice). */
const RESTING_SHARE = 0.08;
const sellRest = (c: ProgramContext): number => Math.round(c.trade.totalAsk * RESTING_SHARE);
const buyRest = (c: ProgramContext): number => Math.round(c.trade.totalBid * RESTING_SHARE);

export const PROGRAM_SOURCES: Readonly<Record<string, FieldSource<ProgramContext>>> = {
  MKSC_SHRN_ISCD: (c) => c.code,
  STCK_CNTG_HOUR: (c) => c.time,
  SELN_CNQN: (c) => c.sell.qty,
  SELN_TR_PBMN: (c) => c.sell.value,
  SHNU_CNQN: (c) => c.buy.qty,
  SHNU_TR_PBMN: (c) => c.buy.value,
  NTBY_CNQN: (c) => c.buy.qty - c.sell.qty,
  NTBY_TR_PBMN: (c) => c.buy.value - c.sell.value,
  SELN_RSQN: sellRest,
  SHNU_RSQN: buyRest,
  WHOL_NTBY_QTY: (c) => buyRest(c) - sellRest(c),
};

const BUILDERS = compileKindBuilders<ProgramContext>('program', PROGRAM_SOURCES);

export const programFamily: TrFamily = {
  open(model: MarketModel, table: TrTable, key: string): Feed {
    const build = builderFor(BUILDERS, table, model.layout);
    const venue = table.venue;
    if (venue === null) throw new Error(`simulator: ${table.trId} is not a 프로그램매매 TR`);
    const m = model.market(key);
    const c: ProgramContext = { code: key, time: '', sell: { qty: 0, value: 0 }, buy: { qty: 0, value: 0 }, trade: newTradeSnapshot() };
    return {
      pace: 'rate',
      next(clock) {
        if (!m.servesVenue(venue)) return null;
        if (!m.trade(venue, clock, c.trade)) return null;
        c.time = clock.time;
        c.sell = m.flows[venue].programSell();
        c.buy = m.flows[venue].programBuy();
        return build(c);
      },
    };
  },
};
