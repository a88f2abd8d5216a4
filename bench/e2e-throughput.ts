/**
 * End-to-end throughput: simulator → WebSocket → kis-config → kis-tick / kis-quote → counting node
 * in a real Node-RED runtime, against a raw `ws` client doing a bare split of the same stream.
 *
 * The simulator runs in its own process (e2e-sim-host), the receiver in another (e2e-client-host),
 * so on a 2-core machine each side has a core. The rate is stepped up; a step passes when every
 * record the simulator sent reached the counting node (received == sent after the step drains),
 * the simulator never had to skip a record for backpressure (its send buffer stayed under 4 MiB)
 * and it actually sent at ≥ 90 % of the asked rate. The figure is the highest passing step.
 */
import type { Benchmark, BenchReport } from './run';
import {
  benchFlow,
  kilo,
  MAX_REGISTRATIONS,
  sleep,
  startHost,
  waitFor,
  workloadRegistrations,
  type Host,
  type Workload,
} from './e2e-common';
import type { ClientCounts } from './e2e-client-host';
import type { SimCounters, SimInfo } from './e2e-sim-host';

/** Total records/s asked of the simulator, step by step. */
const STEPS = [10_000, 20_000, 40_000, 60_000, 80_000, 100_000, 130_000, 160_000, 200_000, 250_000, 300_000, 400_000];
const STEP_MS = 2000;
/** A step's backlog must drain within this long after the simulator paused. */
const DRAIN_MS = 4000;
/** Subscription pacing for the setup only (not measured). */
const SETUP_PACING_MS = 20;

type Receiver = 'node-red' | 'raw';

export interface StepResult {
  readonly askedPerSec: number;
  readonly sentPerSec: number;
  readonly sent: number;
  readonly received: number;
  readonly skipped: number;
  readonly framesPerSec: number;
  readonly pass: boolean;
}

export interface ThroughputResult {
  readonly workload: Workload;
  readonly receiver: Receiver;
  readonly steps: readonly StepResult[];
  /** Sent rate of the highest passing step (0 if none passed). */
  readonly best: number;
}

async function withHosts<T>(receiver: Receiver, fn: (sim: Host, client: Host, info: SimInfo) => Promise<T>): Promise<T> {
  const sim = await startHost('e2e-sim-host.js', { rate: 0, seed: 1, hours: 'always' });
  let client: Host | null = null;
  try {
    const info = await sim.call<SimInfo>('start');
    client = await startHost('e2e-client-host.js', { track: 'total' });
    return await fn(sim, client, info);
  } finally {
    await client?.close();
    await sim.close();
  }
}

async function connect(receiver: Receiver, workload: Workload, sim: Host, client: Host, info: SimInfo): Promise<void> {
  const regs = workloadRegistrations(workload);
  if (receiver === 'node-red') {
    await client.call('startRed', { flows: benchFlow(workload, info, { pacingMs: SETUP_PACING_MS }).flows }, 120_000);
  } else {
    await client.call('startRaw', { sim: info, registrations: regs, pacingMs: SETUP_PACING_MS });
  }
  const subscribed = await waitFor(async () => (await sim.call<SimCounters>('stats')).requests >= regs.length, 30_000, 100);
  if (!subscribed) throw new Error(`${receiver}: the ${regs.length} subscriptions did not all reach the simulator; receiver output:\n${client.stderr()}`);
}

/** One step: ask `perSec` records/s in total for STEP_MS, pause, let it drain, compare. */
async function step(sim: Host, client: Host, perSec: number, regs: number, stepMs: number): Promise<StepResult> {
  const before = await sim.call<SimCounters>('stats');
  const received0 = (await client.call<ClientCounts>('counts')).total;
  const t0 = Date.now();
  await sim.call('setRate', { rate: perSec / regs });
  await sleep(stepMs);
  await sim.call('setRate', { rate: 0 });
  const elapsed = (Date.now() - t0) / 1000;
  await sleep(30);
  const after = await sim.call<SimCounters>('stats');
  const sent = after.totalRecordsSent - before.totalRecordsSent;
  const skipped = after.recordsSkipped - before.recordsSkipped;
  let received = 0;
  await waitFor(async () => {
    received = (await client.call<ClientCounts>('counts')).total - received0;
    return received >= sent;
  }, DRAIN_MS, 50);
  const sentPerSec = sent / elapsed;
  return {
    askedPerSec: perSec,
    sentPerSec,
    sent,
    received,
    skipped,
    framesPerSec: (after.framesSent - before.framesSent) / elapsed,
    pass: received === sent && skipped === 0 && sentPerSec >= 0.9 * perSec,
  };
}

export async function measureThroughput(workload: Workload, receiver: Receiver, steps: readonly number[] = STEPS, stepMs = STEP_MS): Promise<ThroughputResult> {
  return withHosts(receiver, async (sim, client, info) => {
    await connect(receiver, workload, sim, client, info);
    // Warm-up (JIT, buffers) at a low rate; also proves all 41 registrations deliver.
    const warm = await step(sim, client, 2000, MAX_REGISTRATIONS, 2000);
    const keys = Object.keys((await sim.call<SimCounters>('stats')).recordsSent).length;
    if (!warm.pass || keys !== MAX_REGISTRATIONS) throw new Error(`${receiver} ${workload}: warm-up failed (${warm.received}/${warm.sent} records, ${keys} registrations sending)`);
    const results: StepResult[] = [];
    for (const perSec of steps) {
      let r = await step(sim, client, perSec, MAX_REGISTRATIONS, stepMs);
      // One retry, after a pause: on a shared machine another process can steal the core for a moment.
      if (!r.pass) {
        await sleep(1000);
        r = await step(sim, client, perSec, MAX_REGISTRATIONS, stepMs);
      }
      results.push(r);
      if (!r.pass) break;
    }
    const passed = results.filter((r) => r.pass);
    return { workload, receiver, steps: results, best: passed.length > 0 ? Math.max(...passed.map((r) => r.sentPerSec)) : 0 };
  });
}

function failureOf(r: ThroughputResult): string {
  const f = r.steps.find((s) => !s.pass);
  if (f === undefined) return `none up to ${kilo(r.steps.at(-1)?.askedPerSec ?? 0)}/s (top step)`;
  const why: string[] = [];
  if (f.received !== f.sent) why.push(`lost ${f.sent - f.received}`);
  if (f.skipped > 0) why.push(`${f.skipped} skipped (backpressure)`);
  if (f.sentPerSec < 0.9 * f.askedPerSec) why.push(`sim sent only ${kilo(f.sentPerSec)}/s`);
  return `${kilo(f.askedPerSec)}/s: ${why.join(', ')}`;
}

export const benchmark: Benchmark = {
  name: 'e2e-throughput',
  description: 'highest lossless records/s, simulator → ws → kis-config → kis-tick/kis-quote → counting node (Node-RED), vs a raw ws client doing a bare split',
  async run(): Promise<BenchReport> {
    const rows: string[][] = [];
    const notes: string[] = [];
    for (const workload of ['ticks', 'quotes', 'mix'] as const) {
      const e2e = await measureThroughput(workload, 'node-red');
      const raw = await measureThroughput(workload, 'raw');
      const framesOf = (r: ThroughputResult): string => {
        const s = [...r.steps].reverse().find((x) => x.pass);
        return s === undefined ? '–' : (s.sentPerSec / s.framesPerSec).toFixed(2);
      };
      rows.push([
        workload === 'mix' ? 'mix (21 tick + 20 quote)' : `${workload} (41 codes)`,
        kilo(e2e.best),
        kilo(raw.best),
        raw.best > 0 ? `${((100 * e2e.best) / raw.best).toFixed(0)} %` : '–',
        framesOf(e2e),
        failureOf(e2e),
        failureOf(raw),
      ]);
    }
    notes.push(
      `Steps (total records/s over 41 registrations): ${STEPS.map(kilo).join(', ')}; ${STEP_MS / 1000} s each after a 2 s warm-up at 2 k/s; a step passes when received == sent after draining, no record was skipped for backpressure, and the simulator really sent ≥ 90 % of the asked rate; a failing step is tried once more after 1 s (the machine is shared).`,
      'Simulator and receiver run in separate processes (one core each on a 2-core machine); the simulator packs up to 8 records of one code per frame when several are due in one 10 ms tick.',
      'When the raw ceiling stops at "sim sent only …", the ceiling is the simulator, not the client: the real ratio is then higher than shown.',
    );
    return {
      title: 'End-to-end throughput, zero loss (records/s)',
      columns: ['workload', 'Node-RED e2e', 'raw ws split', 'e2e ÷ raw', 'records/frame', 'e2e first failing step', 'raw first failing step'],
      rows,
      notes,
    };
  },
};
