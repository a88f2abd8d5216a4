/**
 * Memory soak: a compressed trading day through a real Node-RED runtime (41 registrations: 21
 * 체결 + 20 호가), averaging 5,000 records/s with a busy open and close, while the heap and RSS of
 * the Node-RED process are sampled after a forced GC. After warm-up the heap must not grow
 * (target: under 2 MB over the run).
 *
 * Short by default (2.5 minutes, a sample every 15 s) so `npm run bench` stays short. The full soak:
 *   KIS_SOAK_MINUTES=20 node dist/bench/run.js e2e-soak     (a sample every minute)
 * The simulator runs in its own process, so only Node-RED's memory is measured.
 */
import type { Benchmark, BenchReport } from './run';
import { benchFlow, kilo, mib, MAX_REGISTRATIONS, sleep, startHost, waitFor } from './e2e-common';
import type { ClientCounts, MemorySample } from './e2e-client-host';
import type { SimCounters, SimInfo } from './e2e-sim-host';

const MEAN_PER_SEC = 5000;
/** The shape of the day: (share of the run, relative rate). */
const DAY: readonly { readonly phase: string; readonly share: number; readonly level: number }[] = [
  { phase: 'open (동시호가 → 09:00 rush)', share: 0.1, level: 2.5 },
  { phase: 'morning', share: 0.35, level: 1 },
  { phase: 'lunch lull', share: 0.1, level: 0.4 },
  { phase: 'afternoon', share: 0.33, level: 1 },
  { phase: 'close (15:20 auction)', share: 0.12, level: 2 },
];
const MEAN_LEVEL = DAY.reduce((a, p) => a + p.share * p.level, 0);

/** Run length in minutes: KIS_SOAK_MINUTES, or `--minutes N` on the command line, else 2.5. */
export function soakMinutes(): number {
  const arg = process.argv.indexOf('--minutes');
  const raw = arg >= 0 ? process.argv[arg + 1] : process.env.KIS_SOAK_MINUTES;
  const n = Number(raw);
  return Number.isFinite(n) && n > 0 ? n : 2.5;
}

function phaseAt(fraction: number): { phase: string; perSec: number } {
  let acc = 0;
  for (const p of DAY) {
    acc += p.share;
    if (fraction < acc) return { phase: p.phase, perSec: (MEAN_PER_SEC * p.level) / MEAN_LEVEL };
  }
  const last = DAY[DAY.length - 1]!;
  return { phase: last.phase, perSec: (MEAN_PER_SEC * last.level) / MEAN_LEVEL };
}

export interface SoakSample extends MemorySample {
  readonly atMin: number;
  readonly phase: string;
  readonly perSec: number;
}

export interface SoakResult {
  readonly minutes: number;
  readonly samples: readonly SoakSample[];
  /** Index of the sample taken as the post-warm-up baseline. */
  readonly baseline: number;
  readonly sent: number;
  readonly received: number;
  readonly skipped: number;
}

export async function runSoak(minutes = soakMinutes()): Promise<SoakResult> {
  const totalMs = minutes * 60_000;
  const sampleMs = minutes >= 10 ? 60_000 : 15_000;
  const sim = await startHost('e2e-sim-host.js', { rate: 0, seed: 7, hours: 'always' });
  const client = await startHost('e2e-client-host.js', { track: 'total' }, ['--expose-gc']);
  try {
    const info = await sim.call<SimInfo>('start');
    await client.call('startRed', { flows: benchFlow('mix', info, { pacingMs: 100 }).flows }, 120_000);
    if (!(await waitFor(async () => (await sim.call<SimCounters>('stats')).requests >= MAX_REGISTRATIONS, 30_000, 100))) {
      throw new Error(`subscriptions did not reach the simulator:\n${client.stderr()}`);
    }
    await sleep(500);
    const samples: SoakSample[] = [];
    const t0 = Date.now();
    let nextSample = 0;
    for (;;) {
      const elapsed = Date.now() - t0;
      if (elapsed >= totalMs) break;
      const { phase, perSec } = phaseAt(elapsed / totalMs);
      await sim.call('setRate', { rate: perSec / MAX_REGISTRATIONS });
      if (elapsed >= nextSample) {
        const m = await client.call<MemorySample>('memory');
        samples.push({ ...m, atMin: elapsed / 60_000, phase, perSec });
        nextSample += sampleMs;
      }
      await sleep(Math.min(1000, Math.max(10, nextSample - (Date.now() - t0))));
    }
    await sim.call('setRate', { rate: 0 });
    await sleep(1000);
    const m = await client.call<MemorySample>('memory');
    samples.push({ ...m, atMin: (Date.now() - t0) / 60_000, phase: 'end (idle)', perSec: 0 });
    const stats = await sim.call<SimCounters>('stats');
    const received = (await client.call<ClientCounts>('counts')).total;
    // Warm-up: the first fifth of the run (JIT, Node-RED's lazy structures, socket buffers).
    const baseline = samples.findIndex((s) => s.atMin >= minutes / 5);
    return { minutes, samples, baseline: baseline < 0 ? 0 : baseline, sent: stats.totalRecordsSent, received, skipped: stats.recordsSkipped };
  } finally {
    await client.close();
    await sim.close();
  }
}

export function soakReport(r: SoakResult): BenchReport {
  const base = r.samples[r.baseline]!;
  const after = r.samples.slice(r.baseline);
  const last = r.samples[r.samples.length - 1]!;
  const maxHeap = Math.max(...after.map((s) => s.heapUsed));
  const growth = last.heapUsed - base.heapUsed;
  return {
    title: `Memory over a compressed trading day (${r.minutes} min, mean ${kilo(MEAN_PER_SEC)} records/s, 41 registrations)`,
    columns: ['min', 'phase', 'records/s', 'heap used', 'RSS'],
    rows: r.samples.map((s, i) => [`${s.atMin.toFixed(1)}${i === r.baseline ? ' (baseline)' : ''}`, s.phase, kilo(s.perSec), mib(s.heapUsed), mib(s.rss)]),
    notes: [
      `Heap growth after warm-up (baseline → end): ${(growth / 1e6).toFixed(2)} MB (target < 2 MB); highest heap after the baseline: ${mib(maxHeap)} (+${((maxHeap - base.heapUsed) / 1e6).toFixed(2)} MB).`,
      `Records: ${r.sent} sent, ${r.received} received, ${r.sent - r.received} lost, ${r.skipped} skipped for backpressure.`,
      'Heap and RSS of the Node-RED process after two forced GCs (--expose-gc); the simulator runs in another process.',
      'Full-length run: KIS_SOAK_MINUTES=20 node dist/bench/run.js e2e-soak',
    ],
  };
}

export const benchmark: Benchmark = {
  name: 'e2e-soak',
  description: 'heap and RSS of Node-RED over a compressed trading day (busy open and close), growth after warm-up',
  async run(): Promise<BenchReport> {
    return soakReport(await runSoak());
  },
};
