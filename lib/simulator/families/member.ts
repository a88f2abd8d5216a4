/**
 * 회원사 (H0STMBC0 / H0NXMBC0 / H0UNMBC0): the top-5 member brokers on each side of the subscribed
 * venue's volume so far today, their shares, the change since this stream's previous record, and
 * the foreign (외국계) brokers' totals (docs/protocol/realtime-trs.md, 회원사). Every trade of the
 * price process is booked to one seller and one buyer (flows.ts), so the figures only grow and
 * the members' quantities add up to the venue's volume. Each record follows a trade of the code
 * on that venue (the feed keeps the code trading).
 */
import type { TrTable } from '../../protocol/tr-tables';
import { MEMBERS, type VenueFlows } from '../flows';
import type { MarketModel } from '../market';
import { newTradeSnapshot } from '../price-process';
import { builderFor, compileKindBuilders, type FieldSource } from '../record-builder';
import type { Feed, TrFamily } from './family';
import { pct } from './tick';

export interface MemberContext {
  code: string;
  f: VenueFlows;
  /** Member indices of the top five sellers / buyers. */
  topSell: number[];
  topBuy: number[];
  /** This stream's previous quantities per member (for the *_ICDC fields). */
  prevSell: number[];
  prevBuy: number[];
  globSell: number;
  globBuy: number;
  prevGlobSell: number;
  prevGlobBuy: number;
}

const yn = (b: boolean): string => (b ? 'Y' : 'N');

function rankSources(): Record<string, FieldSource<MemberContext>> {
  const out: Record<string, FieldSource<MemberContext>> = {};
  for (let k = 0; k < 5; k++) {
    const n = k + 1;
    const s = (c: MemberContext): number => c.topSell[k]!;
    const b = (c: MemberContext): number => c.topBuy[k]!;
    out[`SELN2_MBCR_NAME${n}`] = (c) => MEMBERS[s(c)]!.name;
    out[`BYOV_MBCR_NAME${n}`] = (c) => MEMBERS[b(c)]!.name;
    out[`TOTAL_SELN_QTY${n}`] = (c) => c.f.sellQty[s(c)]!;
    out[`TOTAL_SHNU_QTY${n}`] = (c) => c.f.buyQty[b(c)]!;
    out[`SELN_MBCR_GLOB_YN_${n}`] = (c) => yn(MEMBERS[s(c)]!.foreign);
    out[`SHNU_MBCR_GLOB_YN_${n}`] = (c) => yn(MEMBERS[b(c)]!.foreign);
    out[`SELN_MBCR_NO${n}`] = (c) => MEMBERS[s(c)]!.no;
    out[`SHNU_MBCR_NO${n}`] = (c) => MEMBERS[b(c)]!.no;
    out[`SELN_MBCR_RLIM${n}`] = (c) => pct(c.f.sellQty[s(c)]!, c.f.volume);
    out[`SHNU_MBCR_RLIM${n}`] = (c) => pct(c.f.buyQty[b(c)]!, c.f.volume);
    out[`SELN_QTY_ICDC${n}`] = (c) => c.f.sellQty[s(c)]! - c.prevSell[s(c)]!;
    out[`SHNU_QTY_ICDC${n}`] = (c) => c.f.buyQty[b(c)]! - c.prevBuy[b(c)]!;
    // Empty on the portal's example frame.
    out[`SELN2_MBCR_ENG_NAME${n}`] = () => '';
    out[`BYOV_MBCR_ENG_NAME${n}`] = () => '';
  }
  return out;
}

export const MEMBER_SOURCES: Readonly<Record<string, FieldSource<MemberContext>>> = {
  MKSC_SHRN_ISCD: (c) => c.code,
  ...rankSources(),
  GLOB_TOTAL_SELN_QTY: (c) => c.globSell,
  GLOB_TOTAL_SHNU_QTY: (c) => c.globBuy,
  GLOB_TOTAL_SELN_QTY_ICDC: (c) => c.globSell - c.prevGlobSell,
  GLOB_TOTAL_SHNU_QTY_ICDC: (c) => c.globBuy - c.prevGlobBuy,
  GLOB_NTBY_QTY: (c) => c.globBuy - c.globSell,
  GLOB_SELN_RLIM: (c) => pct(c.globSell, c.f.volume),
  GLOB_SHNU_RLIM: (c) => pct(c.globBuy, c.f.volume),
};

const BUILDERS = compileKindBuilders<MemberContext>('member', MEMBER_SOURCES);

/** The five members with the largest quantities (ties: the list order), into `out`. */
export function topFive(qty: readonly number[], out: number[]): void {
  const order = qty.map((_q, i) => i).sort((a, b) => qty[b]! - qty[a]! || a - b);
  for (let k = 0; k < 5; k++) out[k] = order[k]!;
}

function foreignTotal(qty: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < MEMBERS.length; i++) if (MEMBERS[i]!.foreign) s += qty[i]!;
  return s;
}

export const memberFamily: TrFamily = {
  open(model: MarketModel, table: TrTable, key: string): Feed {
    const build = builderFor(BUILDERS, table, model.layout);
    const venue = table.venue;
    if (venue === null) throw new Error(`simulator: ${table.trId} is not a 회원사 TR`);
    const m = model.market(key);
    const scratch = newTradeSnapshot();
    const c: MemberContext = {
      code: key, f: m.flows[venue], topSell: [0, 0, 0, 0, 0], topBuy: [0, 0, 0, 0, 0],
      prevSell: new Array<number>(MEMBERS.length).fill(0), prevBuy: new Array<number>(MEMBERS.length).fill(0),
      globSell: 0, globBuy: 0, prevGlobSell: 0, prevGlobBuy: 0,
    };
    return {
      pace: 'rate',
      next(clock) {
        if (!m.servesVenue(venue)) return null;
        if (!m.trade(venue, clock, scratch)) return null;
        topFive(c.f.sellQty, c.topSell);
        topFive(c.f.buyQty, c.topBuy);
        c.globSell = foreignTotal(c.f.sellQty);
        c.globBuy = foreignTotal(c.f.buyQty);
        const rec = build(c);
        for (let i = 0; i < MEMBERS.length; i++) {
          c.prevSell[i] = c.f.sellQty[i]!;
          c.prevBuy[i] = c.f.buyQty[i]!;
        }
        c.prevGlobSell = c.globSell;
        c.prevGlobBuy = c.globBuy;
        return rec;
      },
    };
  },
};
