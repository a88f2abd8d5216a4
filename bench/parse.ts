/**
 * Typed parse throughput: FrameParser.parse (classify, split, type every field, stamp each record)
 * against a bare untyped `split('|')` + `split('^')` over the same frames, in the same process.
 *
 * Method: a pool of distinct realistic frames per case (seeded PRNG, so every run parses the same
 * text), flattened the way `ws` delivers them; both variants warm up, then ROUNDS rounds alternate
 * typed/baseline (the order flips every round), each round passing over the whole pool enough
 * times to take ~TARGET_MS. Reported: median records/s of each variant and the median of the
 * per-round ratios typed ÷ baseline (≥ 1.0 means the typed parse is at least as fast).
 */
import { FrameParser } from '../lib/protocol/parse-frame';
import { layoutFor, TR_TABLES, type LayoutEdition, type TrId } from '../lib/protocol/tr-tables';
import { flat, generateFrame } from '../test/fixtures/frames';
import { Prng } from '../test/fixtures/prng';
import type { Benchmark, BenchReport } from './run';

interface Case {
  readonly label: string;
  readonly trId: TrId;
  readonly records: number;
  /** Which server layout the frames have (default: the documented one). */
  readonly edition?: LayoutEdition;
}

const CASES: readonly Case[] = [
  { label: '체결 tick, 1 record/frame', trId: 'H0STCNT0', records: 1 },
  { label: '체결 tick, 8 records/frame', trId: 'H0STCNT0', records: 8 },
  { label: '호가 quote, 1 record/frame', trId: 'H0STASP0', records: 1 },
  { label: '호가 quote, 4 records/frame', trId: 'H0STASP0', records: 4 },
  { label: '호가 quote NXT (65 fields), 1 record/frame', trId: 'H0NXASP0', records: 1 },
  { label: '체결 tick, 2026-09 layout (47 fields), 1 record/frame', trId: 'H0STCNT0', records: 1, edition: '2026-09' },
  { label: '호가 quote, 2026-09 layout (63 fields), 1 record/frame', trId: 'H0STASP0', records: 1, edition: '2026-09' },
  { label: '예상체결 H0UNANC0, 1 record/frame', trId: 'H0UNANC0', records: 1 },
  { label: '장운영정보 H0UNMKO0, 1 record/frame', trId: 'H0UNMKO0', records: 1 },
  { label: '회원사 H0STMBC0 (78 fields), 1 record/frame', trId: 'H0STMBC0', records: 1 },
  { label: '프로그램매매 H0STPGM0, 1 record/frame', trId: 'H0STPGM0', records: 1 },
  { label: '시간외 체결 H0STOUP0, 1 record/frame', trId: 'H0STOUP0', records: 1 },
  { label: '시간외 호가 H0STOAA0, 1 record/frame', trId: 'H0STOAA0', records: 1 },
  { label: '시간외 예상 H0STOAC0, 1 record/frame', trId: 'H0STOAC0', records: 1 },
  { label: '지수 체결 H0UPCNT0, 1 record/frame', trId: 'H0UPCNT0', records: 1 },
  { label: '지수 예상 H0UPANC0, 1 record/frame', trId: 'H0UPANC0', records: 1 },
  { label: '지수 프로그램 H0UPPGM0 (88 fields), 1 record/frame', trId: 'H0UPPGM0', records: 1 },
  { label: 'ELW 체결 H0EWCNT0, 1 record/frame', trId: 'H0EWCNT0', records: 1 },
  { label: 'ELW 호가 H0EWASP0, 1 record/frame', trId: 'H0EWASP0', records: 1 },
  { label: 'ELW 예상 H0EWANC0, 1 record/frame', trId: 'H0EWANC0', records: 1 },
  { label: 'ETF NAV H0STNAV0, 1 record/frame', trId: 'H0STNAV0', records: 1 },
];
const POOL = 2000;
const ROUNDS = 15;
const TARGET_MS = 80;
/** Alternate both variants this long before measuring, so both run optimised code. */
const WARM_MS = 600;
const SEED = 424242;
/** 2026-07-24 12:00 KST: the arrival time handed to the parser (호가 records take its date). */
const NOW = Date.UTC(2026, 6, 24, 3, 0, 0);

/** Sink so the optimiser cannot drop the work. */
let sink = 0;

function typedPass(parser: FrameParser, pool: readonly string[]): number {
  let n = 0;
  for (let i = 0; i < pool.length; i++) {
    const frame = parser.parse(pool[i] as string, NOW);
    if (frame.type === 'data') {
      n += frame.records.length;
      sink += frame.records[0]?.epochMs ?? 0;
    }
  }
  return n;
}

function baselinePass(pool: readonly string[]): number {
  let n = 0;
  for (let i = 0; i < pool.length; i++) {
    const parts = (pool[i] as string).split('|');
    const fields = (parts[3] as string).split('^');
    n += Number(parts[2]);
    sink += fields.length;
  }
  return n;
}

/** Records per second over `passes` passes of the pool. */
function timed(passes: number, pass: () => number): number {
  const t0 = process.hrtime.bigint();
  let records = 0;
  for (let p = 0; p < passes; p++) records += pass();
  const ns = Number(process.hrtime.bigint() - t0);
  return (records / ns) * 1e9;
}

function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

function fmt(perSecond: number): string {
  return perSecond >= 1e6 ? `${(perSecond / 1e6).toFixed(2)} M` : `${(perSecond / 1e3).toFixed(0)} k`;
}

function runCase(c: Case): string[] {
  const rng = new Prng(SEED ^ c.records ^ c.trId.charCodeAt(2));
  const fields = layoutFor(TR_TABLES[c.trId], c.edition ?? 'doc').fields;
  const pool = Array.from({ length: POOL }, () => flat(generateFrame(rng, c.trId, c.records, { fields })));
  const parser = new FrameParser();
  const typed = (): number => typedPass(parser, pool);
  const baseline = (): number => baselinePass(pool);
  // Sanity: the typed parser accepts every frame of the pool.
  if (typed() !== POOL * c.records) throw new Error(`${c.label}: the typed parser rejected frames of the pool`);
  // Warm up both, then size a round so the baseline takes ~TARGET_MS.
  const warmUntil = Date.now() + WARM_MS;
  while (Date.now() < warmUntil) { timed(1, typed); timed(1, baseline); }
  const passes = Math.max(1, Math.round((TARGET_MS / 1000) * timed(3, baseline) / (POOL * c.records)));
  const typedRates: number[] = [], baseRates: number[] = [], ratios: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    let t: number, b: number;
    if (r % 2 === 0) { t = timed(passes, typed); b = timed(passes, baseline); } else { b = timed(passes, baseline); t = timed(passes, typed); }
    typedRates.push(t);
    baseRates.push(b);
    ratios.push(t / b);
  }
  return [c.label, fmt(median(typedRates)), fmt(median(baseRates)), median(ratios).toFixed(2), `${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}`];
}

export const benchmark: Benchmark = {
  name: 'parse',
  description: 'typed frame parse (FrameParser.parse) vs a bare split("|") + split("^") baseline, records/s',
  async run(): Promise<BenchReport> {
    const rows: string[][] = [];
    for (const c of CASES) {
      rows.push(runCase(c));
      await new Promise((resolve) => setImmediate(resolve)); // let the runner breathe between cases
    }
    return {
      title: 'Typed parse vs bare split (same frames, same process)',
      columns: ['case', 'typed records/s', 'split records/s', 'ratio (median)', 'ratio range'],
      rows,
      notes: [
        `${POOL} distinct frames per case, ${ROUNDS} alternating rounds of ~${TARGET_MS} ms after warm-up; ratio = typed ÷ split per round (≥ 1.00: typed is at least as fast).`,
        `(checksum ${sink > 0 ? 'ok' : 'zero'})`,
      ],
    };
  },
};
