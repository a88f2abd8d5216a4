/**
 * 업종지수 (H0UPCNT0 체결 / H0UPANC0 예상체결 / H0UPPGM0 프로그램매매), keyed by a 4-digit index
 * code (docs/protocol/realtime-trs.md, 업종지수). The value is computed from the members' prices in
 * the shared market (indices.ts) and every record follows a trade of one member on KRX, so the
 * index moves with its members and with every stock stream of them. Volumes are in thousand
 * shares and values in million KRW, as the portal's example implies; PCAS_* are the increments
 * since this stream's previous record.
 */
import type { TrTable } from '../../protocol/tr-tables';
import type { MarketClock } from '../clock';
import { PROGRAM_KEYS, type ProgramKey } from '../flows';
import { indexDef, indexLevel, lastPriceOf as lastPrice, type IndexDef } from '../indices';
import type { MarketModel } from '../market';
import { hashSeed, Prng } from '../prng';
import { newTradeSnapshot, type CodeMarket } from '../price-process';
import { builderFor, compileKindBuilders, fix2, signCode, type FieldSource } from '../record-builder';
import type { Feed, TrFamily } from './family';

/** Day figures of one index, shared by every stream of it in one market. */
interface IndexDay {
  open: number;
  high: number;
  low: number;
}

export interface IndexContext {
  code: string;
  time: string;
  base: number;
  value: number;
  day: IndexDay;
  /** Member sums in shares and KRW. */
  vol: number;
  value_krw: number;
  pcasVol: number;
  pcasValue: number;
  upper: number;
  up: number;
  flat: number;
  down: number;
  lower: number;
  tick: number;
  program: Record<ProgramKey, { qty: number; value: number }>;
}

const r2 = (x: number): number => Math.round(x * 100) / 100;
const thousand = (x: number): number => Math.round(x / 1000);
const million = (x: number): number => Math.round(x / 1e6);

export const INDEX_TICK_SOURCES: Readonly<Record<string, FieldSource<IndexContext>>> = {
  BSTP_CLS_CODE: (c) => c.code,
  BSOP_HOUR: (c) => c.time,
  PRPR_NMIX: (c) => fix2(c.value),
  PRDY_VRSS_SIGN: (c) => signCode(r2(c.value - c.base)),
  BSTP_NMIX_PRDY_VRSS: (c) => fix2(c.value - c.base),
  ACML_VOL: (c) => thousand(c.vol),
  ACML_TR_PBMN: (c) => million(c.value_krw),
  PCAS_VOL: (c) => thousand(c.pcasVol),
  PCAS_TR_PBMN: (c) => million(c.pcasValue),
  PRDY_CTRT: (c) => fix2(((c.value - c.base) / c.base) * 100),
  OPRC_NMIX: (c) => fix2(c.day.open),
  NMIX_HGPR: (c) => fix2(c.day.high),
  NMIX_LWPR: (c) => fix2(c.day.low),
  // Open/high/low minus the previous close, as the portal's example shows (not value − open).
  OPRC_VRSS_NMIX_PRPR: (c) => fix2(c.day.open - c.base),
  OPRC_VRSS_NMIX_SIGN: (c) => signCode(r2(c.day.open - c.base)),
  HGPR_VRSS_NMIX_PRPR: (c) => fix2(c.day.high - c.base),
  HGPR_VRSS_NMIX_SIGN: (c) => signCode(r2(c.day.high - c.base)),
  LWPR_VRSS_NMIX_PRPR: (c) => fix2(c.day.low - c.base),
  LWPR_VRSS_NMIX_SIGN: (c) => signCode(r2(c.day.low - c.base)),
  PRDY_CLPR_VRSS_OPRC_RATE: (c) => fix2(((c.day.open - c.base) / c.base) * 100),
  PRDY_CLPR_VRSS_HGPR_RATE: (c) => fix2(((c.day.high - c.base) / c.base) * 100),
  PRDY_CLPR_VRSS_LWPR_RATE: (c) => fix2(((c.day.low - c.base) / c.base) * 100),
  UPLM_ISSU_CNT: (c) => c.upper,
  ASCN_ISSU_CNT: (c) => c.up,
  STNR_ISSU_CNT: (c) => c.flat,
  DOWN_ISSU_CNT: (c) => c.down,
  LSLM_ISSU_CNT: (c) => c.lower,
  QTQT_ASCN_ISSU_CNT: () => 0,
  QTQT_DOWN_ISSU_CNT: () => 0,
  TICK_VRSS: (c) => c.tick,
};

type Arb = 'ARBT' | 'NABT' | null;
type Who = 'ENTM' | 'ONSL' | null;
type Side = 'SELN' | 'SHNU' | 'NTBY';

function programSum(c: IndexContext, arb: Arb, who: Who, side: Side, metric: 'qty' | 'value'): number {
  let s = 0;
  for (const k of PROGRAM_KEYS) {
    const [a, w, sd] = k.split('_') as [string, string, string];
    if ((arb !== null && a !== arb) || (who !== null && w !== who)) continue;
    const v = c.program[k][metric];
    if (side === 'NTBY') s += sd === 'SHNU' ? v : -v;
    else if (sd === side) s += v;
  }
  return metric === 'qty' ? thousand(s) : million(s);
}

/** The program part of the members' volume (qty) or value, as a % of the members' total. */
function programShare(c: IndexContext, arb: Arb, who: Who, side: Side, metric: 'qty' | 'value'): string {
  const total = metric === 'qty' ? thousand(c.vol) : million(c.value_krw);
  return total > 0 ? fix2((programSum(c, arb, who, side, metric) / total) * 100) : '0.00';
}

/** H0UPPGM0's 88 names, each read as (arbitrage?, customer/proprietary?, side, quantity/value, share?). */
function programSources(): Record<string, FieldSource<IndexContext>> {
  const out: Record<string, FieldSource<IndexContext>> = {
    BSTP_CLS_CODE: (c) => c.code,
    BSOP_HOUR: (c) => c.time,
    ACML_VOL: (c) => thousand(c.vol),
    ACML_TR_PBMN: (c) => million(c.value_krw),
  };
  const put = (name: string, arb: Arb, who: Who, side: Side, metric: 'qty' | 'value', share = false): void => {
    out[name] = share ? (c) => programShare(c, arb, who, side, metric) : (c) => programSum(c, arb, who, side, metric);
  };
  for (const arb of ['ARBT', 'NABT'] as const) {
    for (const side of ['SELN', 'SHNU'] as const) {
      for (const who of ['ENTM', 'ONSL'] as const) {
        put(`${arb}_${side}_${who}_CNQN`, arb, who, side, 'qty');
        put(`${arb}_${side}_${who}_CNTG_AMT`, arb, who, side, 'value');
      }
      put(`${arb}_SMTN_${side}_VOL`, arb, null, side, 'qty');
      put(`${arb}_SMTM_${side}_VOL_RATE`, arb, null, side, 'qty', true);
      put(`${arb}_SMTN_${side}_TR_PBMN`, arb, null, side, 'value');
      put(`${arb}_SMTM_${side}_TR_PBMN_RATE`, arb, null, side, 'value', true);
    }
    put(`${arb}_SMTN_NTBY_QTY`, arb, null, 'NTBY', 'qty');
    put(`${arb}_SMTM_NTBY_QTY_RATE`, arb, null, 'NTBY', 'qty', true);
    put(`${arb}_SMTN_NTBY_TR_PBMN`, arb, null, 'NTBY', 'value');
    put(`${arb}_SMTM_NTBY_TR_PBMN_RATE`, arb, null, 'NTBY', 'value', true);
    for (const who of ['ENTM', 'ONSL'] as const) {
      put(`${arb}_${who}_NTBY_QTY`, arb, who, 'NTBY', 'qty');
      put(`${arb}_${who}_NTBY_TR_PBMN`, arb, who, 'NTBY', 'value');
    }
  }
  for (const who of ['ENTM', 'ONSL'] as const) {
    put(`WHOL_${who}_SELN_VOL`, null, who, 'SELN', 'qty');
    put(`${who}_SELN_VOL_RATE`, null, who, 'SELN', 'qty', true);
    put(`WHOL_${who}_SELN_TR_PBMN`, null, who, 'SELN', 'value');
    put(`${who}_SELN_TR_PBMN_RATE`, null, who, 'SELN', 'value', true);
    put(`WHOL_${who}_SHNU_VOL`, null, who, 'SHNU', 'qty');
    put(`${who}_SHNU_VOL_RATE`, null, who, 'SHNU', 'qty', true);
    put(`WHOL_${who}_SHNU_TR_PBMN`, null, who, 'SHNU', 'value');
    put(`${who}_SHNU_TR_PBMN_RATE`, null, who, 'SHNU', 'value', true);
    put(`WHOL_${who}_NTBY_TR_PBMN`, null, who, 'NTBY', 'value');
    put(`${who}_NTBY_TR_PBMN_RATE`, null, who, 'NTBY', 'value', true);
  }
  // KIS's own spellings of the net quantity fields.
  put('WHOL_ENTM_NTBY_QT', null, 'ENTM', 'NTBY', 'qty');
  put('ENTM_NTBY_QTY_RAT', null, 'ENTM', 'NTBY', 'qty', true);
  put('WHOL_ONSL_NTBY_QTY', null, 'ONSL', 'NTBY', 'qty');
  put('ONSL_NTBY_QTY_RATE', null, 'ONSL', 'NTBY', 'qty', true);
  put('TOTAL_SELN_QTY', null, null, 'SELN', 'qty');
  put('WHOL_SELN_VOL_RATE', null, null, 'SELN', 'qty', true);
  put('TOTAL_SELN_TR_PBMN', null, null, 'SELN', 'value');
  put('WHOL_SELN_TR_PBMN_RATE', null, null, 'SELN', 'value', true);
  put('SHNU_CNTG_SMTN', null, null, 'SHNU', 'qty');
  put('WHOL_SHUN_VOL_RATE', null, null, 'SHNU', 'qty', true);
  put('TOTAL_SHNU_TR_PBMN', null, null, 'SHNU', 'value');
  put('WHOL_SHUN_TR_PBMN_RATE', null, null, 'SHNU', 'value', true);
  put('WHOL_NTBY_QTY', null, null, 'NTBY', 'qty');
  put('WHOL_SMTM_NTBY_QTY_RATE', null, null, 'NTBY', 'qty', true);
  put('WHOL_NTBY_TR_PBMN', null, null, 'NTBY', 'value');
  put('WHOL_NTBY_TR_PBMN_RATE', null, null, 'NTBY', 'value', true);
  return out;
}

export const INDEX_PROGRAM_SOURCES: Readonly<Record<string, FieldSource<IndexContext>>> = programSources();

const TICK_BUILDERS = compileKindBuilders<IndexContext>('index-tick', INDEX_TICK_SOURCES);
const EXPECTED_BUILDERS = compileKindBuilders<IndexContext>('index-expected', INDEX_TICK_SOURCES);
const PROGRAM_BUILDERS = compileKindBuilders<IndexContext>('index-program', INDEX_PROGRAM_SOURCES);

const DAYS = new WeakMap<MarketModel, Map<string, IndexDay>>();

function dayOf(model: MarketModel, code: string): IndexDay {
  let byCode = DAYS.get(model);
  if (byCode === undefined) DAYS.set(model, (byCode = new Map()));
  let d = byCode.get(code);
  if (d === undefined) byCode.set(code, (d = { open: 0, high: 0, low: 0 }));
  return d;
}

/** One index stream's view: its members' markets and what it showed last. */
class IndexView {
  readonly def: IndexDef;
  readonly members: CodeMarket[];
  readonly c: IndexContext;
  private readonly prevPrice: number[];
  private prevVol = -1;
  private prevValue = 0;
  private readonly prng: Prng;
  private readonly scratch = newTradeSnapshot();

  constructor(model: MarketModel, code: string) {
    this.def = indexDef(code, model.seed);
    this.members = this.def.members.map((m) => model.market(m));
    this.prevPrice = this.members.map((m) => m.profile.prevClose);
    this.prng = new Prng(hashSeed(code, model.seed ^ 0x1d));
    const program = {} as Record<ProgramKey, { qty: number; value: number }>;
    for (const k of PROGRAM_KEYS) program[k] = { qty: 0, value: 0 };
    this.c = {
      code, time: '', base: this.def.base, value: this.def.base, day: dayOf(model, code), vol: 0, value_krw: 0, pcasVol: 0, pcasValue: 0,
      upper: 0, up: 0, flat: 0, down: 0, lower: 0, tick: 0, program,
    };
  }

  /** One member trades on KRX (the index moves as its members do); false when KRX is not trading. */
  step(clock: MarketClock): boolean {
    if (!clock.open.KRX || this.members.length === 0) return false;
    const m = this.members[this.prng.int(0, this.members.length - 1)]!;
    m.trade('KRX', clock, this.scratch);
    return true;
  }

  /** Fill the context from the members, each at `priceOf` (last trade, or expected match). */
  compute(clock: MarketClock, priceOf: (m: CodeMarket) => number, trackDay: boolean): void {
    const c = this.c;
    let vol = 0, value = 0, tick = 0;
    c.upper = c.up = c.flat = c.down = c.lower = 0;
    for (const k of PROGRAM_KEYS) c.program[k].qty = c.program[k].value = 0;
    for (let i = 0; i < this.members.length; i++) {
      const m = this.members[i]!;
      const p = priceOf(m);
      const pc = m.profile.prevClose;
      vol += m.stats.KRX.acmlVol;
      value += m.stats.KRX.acmlValue;
      if (p >= m.upper) c.upper++;
      else if (p <= m.lower) c.lower++;
      else if (p > pc) c.up++;
      else if (p < pc) c.down++;
      else c.flat++;
      const prev = this.prevPrice[i]!;
      if (p > prev) tick++;
      else if (p < prev) tick--;
      this.prevPrice[i] = p;
      const f = m.flows.KRX.program;
      for (const k of PROGRAM_KEYS) {
        c.program[k].qty += f[k].qty;
        c.program[k].value += f[k].value;
      }
    }
    c.time = clock.time;
    c.value = indexLevel(this.def, this.members, priceOf);
    c.vol = vol;
    c.value_krw = value;
    c.pcasVol = this.prevVol < 0 ? 0 : vol - this.prevVol;
    c.pcasValue = this.prevVol < 0 ? 0 : value - this.prevValue;
    this.prevVol = vol;
    this.prevValue = value;
    c.tick = tick;
    const d = c.day;
    if (trackDay) {
      const v = r2(c.value);
      if (d.open === 0) d.open = d.high = d.low = v;
      else if (v > d.high) d.high = v;
      else if (v < d.low) d.low = v;
    }
  }
}

/** An index feed that moves with its members' trades (체결 and 프로그램매매 share everything but the builders). */
function tradedIndexFamily(builders: typeof TICK_BUILDERS): TrFamily {
  return {
    open(model: MarketModel, table: TrTable, key: string): Feed {
      const build = builderFor(builders, table, model.layout);
      const view = new IndexView(model, key);
      return {
        pace: 'rate',
        next(clock) {
          if (!view.step(clock)) return null;
          view.compute(clock, lastPrice, true);
          return build(view.c);
        },
      };
    },
  };
}

export const indexTickFamily: TrFamily = tradedIndexFamily(TICK_BUILDERS);

/** During the KRX opening and closing calls: the index at its members' expected matches. */
export const indexExpectedFamily: TrFamily = {
  open(model: MarketModel, table: TrTable, key: string): Feed {
    const build = builderFor(EXPECTED_BUILDERS, table, model.layout);
    const view = new IndexView(model, key);
    return {
      pace: 'rate',
      next(clock) {
        const s = clock.sessions;
        const calling = (s.krx === 'opening-auction' && clock.epochMs >= s.expectedFrom) || s.krx === 'closing-auction';
        if (!calling) return null;
        for (const m of view.members) m.advance(clock);
        view.compute(clock, (m) => m.expected(clock.epochMs)?.price ?? lastPrice(m), false);
        return build(view.c);
      },
    };
  },
};

export const indexProgramFamily: TrFamily = tradedIndexFamily(PROGRAM_BUILDERS);
