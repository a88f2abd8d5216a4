/**
 * Child process: the KIS simulator alone (see e2e-common.ts). argv[2] is the JSON of the
 * SimulatorOptions (no functions); the parent drives it over IPC.
 */
import { startSimulator, type RunningSimulator, type SimulatorOptions } from '../lib/simulator';
import { serveRpc } from './e2e-common';

/** What `stats` answers: the simulator's counters without the (growing) request log. */
export interface SimCounters {
  readonly totalRecordsSent: number;
  readonly recordsSent: Readonly<Record<string, number>>;
  readonly framesSent: number;
  readonly recordsSkipped: number;
  readonly openSockets: number;
  readonly requests: number;
}

export interface SimInfo {
  readonly restUrl: string;
  readonly wsUrl: string;
  readonly appKey: string;
  readonly appSecret: string;
}

async function main(): Promise<void> {
  const options = JSON.parse(process.argv[2] ?? '{}') as SimulatorOptions;
  let sim: RunningSimulator | null = null;
  serveRpc({
    ping: () => 'pong',
    start: async (): Promise<SimInfo> => {
      sim ??= await startSimulator(options);
      return { restUrl: sim.restUrl, wsUrl: sim.wsUrl, appKey: sim.appKey, appSecret: sim.appSecret };
    },
    stats: (): SimCounters => {
      if (sim === null) throw new Error('not started');
      const s = sim.stats();
      return {
        totalRecordsSent: s.totalRecordsSent,
        recordsSent: s.recordsSent,
        framesSent: s.framesSent,
        recordsSkipped: s.recordsSkipped,
        openSockets: s.openSockets,
        requests: s.requests.length,
      };
    },
    setRate: (p: { rate: number }) => sim?.setRate(p.rate),
    dropAll: (p: { clean: boolean }) => sim?.faults.dropAll({ clean: p.clean }),
    stop: async () => {
      if (sim !== null) await sim.stop();
      sim = null;
      setImmediate(() => process.disconnect());
    },
  });
}

void main();
