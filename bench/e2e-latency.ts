/**
 * End-to-end latency: from the simulator handing a frame to its socket to the msg reaching the
 * counting node, in a real Node-RED runtime, at a steady 1,000 and 5,000 records/s (41
 * registrations: 21 체결 + 20 호가).
 *
 * Method: the simulator runs in the same process as Node-RED so both ends read the same clock
 * (`performance.now()`): its `onFrameSent` hook logs, per (TR, code), the cumulative record count
 * and the send time of every frame; the counting node numbers the records of each (TR, code) as
 * they arrive, and the n-th record belongs to the frame whose cumulative count first reaches n.
 * That holds because a (TR, code) stream is in order on one socket and nothing is lost (checked:
 * received == sent at the end). The simulator's 10 ms scheduler shares the event loop, so its work
 * is part of what a record waits for, as a busy co-located process would be.
 */
import type { Benchmark, BenchReport } from './run';
import { benchFlow, MAX_REGISTRATIONS, ms, quantile, sleep, startHost, waitFor } from './e2e-common';
import type { ClientCounts, LatencyFigures } from './e2e-client-host';
import type { SimCounters, SimInfo } from './e2e-sim-host';

const RATES = [1000, 5000];
const WINDOW_MS = 10_000;

export interface LatencyResult {
  readonly perSec: number;
  readonly samples: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  readonly lost: number;
  readonly misaligned: number;
}

export async function measureLatency(rates: readonly number[] = RATES, windowMs = WINDOW_MS): Promise<LatencyResult[]> {
  const client = await startHost('e2e-client-host.js', { track: 'latency' });
  try {
    const info = await client.call<SimInfo>('startSim', { rate: 0, seed: 1, hours: 'always' });
    await client.call('startRed', { flows: benchFlow('mix', info, { pacingMs: 20 }).flows }, 120_000);
    if (!(await waitFor(async () => (await client.call<SimCounters>('simStats')).requests >= MAX_REGISTRATIONS, 30_000, 100))) {
      throw new Error(`subscriptions did not reach the simulator:\n${client.stderr()}`);
    }
    const results: LatencyResult[] = [];
    await client.call('simSetRate', { rate: 1000 / MAX_REGISTRATIONS });
    await sleep(2000); // warm-up
    for (const perSec of rates) {
      await client.call('simSetRate', { rate: perSec / MAX_REGISTRATIONS });
      await sleep(1000);
      await client.call('latencyRecord', { on: true });
      await sleep(windowMs);
      await client.call('latencyRecord', { on: false });
      const lat = await client.call<LatencyFigures>('latency');
      const s = lat.sortedMs;
      results.push({ perSec, samples: lat.samples, p50: quantile(s, 0.5), p99: quantile(s, 0.99), max: s[s.length - 1] ?? NaN, lost: 0, misaligned: lat.misaligned });
    }
    await client.call('simSetRate', { rate: 0 });
    await sleep(500);
    const sent = (await client.call<SimCounters>('simStats')).totalRecordsSent;
    const received = (await client.call<ClientCounts>('counts')).total;
    return results.map((r) => ({ ...r, lost: sent - received }));
  } finally {
    await client.close();
  }
}

export const benchmark: Benchmark = {
  name: 'e2e-latency',
  description: 'latency from the simulator sending a frame to the msg reaching the counting node (Node-RED), p50 / p99 / max',
  async run(): Promise<BenchReport> {
    const results = await measureLatency();
    return {
      title: 'End-to-end latency, 41 registrations (21 체결 + 20 호가)',
      columns: ['records/s', 'samples', 'p50', 'p99', 'max', 'lost (whole run)'],
      rows: results.map((r) => [String(r.perSec), String(r.samples), ms(r.p50), ms(r.p99), ms(r.max), String(r.lost)]),
      notes: [
        `${WINDOW_MS / 1000} s window per rate after 1 s at that rate (and a 2 s warm-up at 1,000/s); every record of the window is a sample.`,
        'Clock: performance.now() in one process; the simulator (10 ms scheduler, in-process) and Node-RED share that process; records are matched to frames by their order within each (TR, code).',
        `Records the order matching could not place: ${results.reduce((a, r) => a + r.misaligned, 0)} (must be 0).`,
      ],
    };
  },
};
