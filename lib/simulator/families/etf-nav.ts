/**
 * ETF NAV (H0STNAV0), keyed by an ETF code of the universe (universe.ts): the NAV per unit follows
 * the simulated index the ETF tracks (indices.ts), from its members' prices in the shared market,
 *
 *   NAV = previous NAV × index / index's previous close,
 *
 * and the ETF's own price process is pulled to this NAV (price-process.ts `fairValue`), so the
 * ETF's 체결 stays within a small premium or discount of it. The previous NAV is the ETF's previous
 * close ± 0.15 % (seeded). Every record follows a trade of one member on KRX, as the index feeds do.
 * Records only in KRX continuous trading: when KIS publishes NAV outside it (calls, after-market)
 * is not documented (docs/protocol/realtime-trs.md, ETF NAV).
 */
import type { TrTable } from '../../protocol/tr-tables';
import type { MarketClock } from '../clock';
import { indexDef, indexLevel, lastPriceOf, type IndexDef } from '../indices';
import type { MarketModel } from '../market';
import { hashSeed, Prng } from '../prng';
import { newTradeSnapshot, type CodeMarket } from '../price-process';
import { builderFor, compileKindBuilders, fix2, signCode, type FieldSource } from '../record-builder';
import { namedListing } from '../universe';
import type { Feed, TrFamily } from './family';

const r2 = (x: number): number => Math.round(x * 100) / 100;

/** The NAV of one ETF in one market, shared by its price process and every H0STNAV0 stream. */
export class EtfNav {
  readonly def: IndexDef;
  readonly members: readonly CodeMarket[];
  /** 전일 NAV (2 dp). */
  readonly prevNav: number;
  open = 0;
  high = 0;
  low = 0;
  private readonly prng: Prng;
  private readonly scratch = newTradeSnapshot();

  constructor(model: MarketModel, readonly code: string, index: string) {
    this.def = indexDef(index, model.seed);
    this.members = this.def.members.map((c) => model.market(c));
    const h = new Prng(hashSeed(code, model.seed ^ 0xe7f));
    this.prng = new Prng(hashSeed(code, model.seed ^ 0xe7e));
    this.prevNav = r2(model.market(code).profile.prevClose * (1 + (h.next() - 0.5) * 0.003));
  }

  /** The NAV now (unrounded). */
  value(): number {
    return (this.prevNav * indexLevel(this.def, this.members, lastPriceOf)) / this.def.base;
  }

  /** One member trades on KRX, then the NAV is read and the day's open/high/low follow it. */
  step(clock: MarketClock): number {
    const m = this.members[this.prng.int(0, this.members.length - 1)];
    if (m !== undefined) m.trade('KRX', clock, this.scratch);
    const v = r2(this.value());
    if (this.open === 0) this.open = this.high = this.low = v;
    else if (v > this.high) this.high = v;
    else if (v < this.low) this.low = v;
    return v;
  }
}

const NAVS = new WeakMap<MarketModel, Map<string, EtfNav>>();

/** The NAV of an ETF of the universe in `model` (null for any other code). */
export function etfNav(model: MarketModel, code: string): EtfNav | null {
  const index = namedListing(code)?.etfIndex;
  if (index === undefined) return null;
  let byCode = NAVS.get(model);
  if (byCode === undefined) NAVS.set(model, (byCode = new Map()));
  let n = byCode.get(code);
  if (n === undefined) byCode.set(code, (n = new EtfNav(model, code, index)));
  return n;
}

interface NavContext {
  code: string;
  nav: number;
  n: EtfNav;
}

export const ETF_NAV_SOURCES: Readonly<Record<string, FieldSource<NavContext>>> = {
  MKSC_SHRN_ISCD: (c) => c.code,
  NAV: (c) => fix2(c.nav),
  // Sign and change from the rounded values, so 부호, 대비 and 대비율 always agree.
  NAV_PRDY_VRSS_SIGN: (c) => signCode(r2(c.nav - c.n.prevNav)),
  NAV_PRDY_VRSS: (c) => fix2(c.nav - c.n.prevNav),
  NAV_PRDY_CTRT: (c) => fix2(((c.nav - c.n.prevNav) / c.n.prevNav) * 100),
  OPRC_NAV: (c) => fix2(c.n.open),
  HPRC_NAV: (c) => fix2(c.n.high),
  LPRC_NAV: (c) => fix2(c.n.low),
};

const BUILDERS = compileKindBuilders<NavContext>('etf-nav', ETF_NAV_SOURCES);

export const etfNavFamily: TrFamily = {
  open(model: MarketModel, table: TrTable, key: string): Feed {
    const build = builderFor(BUILDERS, table, model.layout);
    const n = etfNav(model, key);
    if (n === null) throw new Error(`simulator: ${key} is not an ETF of the universe`);
    const c: NavContext = { code: key, nav: n.prevNav, n };
    return {
      pace: 'rate',
      next(clock) {
        if (clock.sessions.krx !== 'continuous') return null;
        c.nav = n.step(clock);
        return build(c);
      },
    };
  },
};
