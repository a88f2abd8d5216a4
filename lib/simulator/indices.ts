/**
 * The simulated 업종지수 (index) values: each index is a capitalisation-weighted average of its
 * members' prices in the shared market, so it moves exactly as its members do:
 *
 *   value = base × Σ shares_i × price_i / Σ shares_i × prevClose_i
 *
 * with price_i the member's last KRX-or-NXT trade (its previous close before any). Members: the
 * universe's KOSPI listings for 0001 and any other 0xxx code, KOSDAQ listings for 1001 and 1xxx,
 * KOSPI200 constituents for 2001 (2007/2008: the largest of them), KOSPI and KOSDAQ's largest for
 * 4001 KRX100. Index codes follow docs/protocol/realtime-trs.md (index codes).
 */
import { stockProfile, type CodeMarket } from './price-process';
import { isKospi200, SHARES } from './universe';

export interface IndexDef {
  readonly code: string;
  /** Previous close of the index. */
  readonly base: number;
  readonly members: readonly string[];
}

/** Previous closes of the common indices (plausible levels; other codes: 1000). */
const BASES: Readonly<Record<string, number>> = { '0001': 2650, '0002': 2580, '1001': 870, '2001': 355, '2007': 350, '2008': 340, '4001': 5800, '0503': 18 };

function byCap(codes: readonly string[], seed: number): string[] {
  const cap = (c: string): number => {
    const p = stockProfile(c, seed);
    return p.listedShares * p.prevClose;
  };
  return [...codes].sort((a, b) => cap(b) - cap(a));
}

/** The members of an index code (any 4-digit code has some). */
export function indexDef(code: string, seed: number): IndexDef {
  const kospi = SHARES.filter((l) => l.market === 'KOSPI').map((l) => l.code);
  const kosdaq = SHARES.filter((l) => l.market === 'KOSDAQ').map((l) => l.code);
  const k200 = kospi.filter(isKospi200);
  let members: readonly string[];
  if (code === '2001') members = k200;
  else if (code === '2007') members = byCap(k200, seed).slice(0, 20);
  else if (code === '2008') members = byCap(k200, seed).slice(0, 12);
  else if (code === '0002') members = byCap(kospi, seed).slice(0, 25);
  else if (code === '4001') members = byCap([...kospi, ...kosdaq], seed).slice(0, 30);
  else if (code.startsWith('1')) members = kosdaq;
  else members = kospi;
  return { code, base: BASES[code] ?? 1000, members };
}

/** The index value of `def` with each member market at `priceOf` (the cap-weighted formula above). */
export function indexLevel(def: IndexDef, members: readonly CodeMarket[], priceOf: (m: CodeMarket) => number): number {
  let num = 0, den = 0;
  for (const m of members) {
    num += m.profile.listedShares * priceOf(m);
    den += m.profile.listedShares * m.profile.prevClose;
  }
  return den > 0 ? (def.base * num) / den : def.base;
}

/** A member's last trade price, its previous close before any. */
export const lastPriceOf = (m: CodeMarket): number => (m.lastPrice > 0 ? m.lastPrice : m.profile.prevClose);
