/**
 * The KIS servers the session integration tests run against: the project's simulator
 * (lib/simulator) and a minimal independent fake (fake-kis.ts), behind one small interface.
 */
import { startSimulator } from '../../../lib/simulator';
import type { ReceivedRequest } from '../../../lib/simulator/types';
import { startFakeKis } from './fake-kis';

export interface TestKis {
  readonly restUrl: string;
  readonly wsUrl: string;
  readonly appKey: string;
  readonly appSecret: string;
  readonly faults: {
    dropAll(opts: { clean: boolean }): void;
    goSilent(on: boolean): void;
    approval(mode: 'ok' | '500' | '403' | 'timeout'): void;
    refuseNext(msgCd: string, match?: { trId?: string; trKey?: string }): void;
    /** Every approval key issued so far expires (OPSP0011 on its next use). */
    expireApprovals(): void;
  };
  stats(): { openSockets: number; approvalsIssued: number; requests: readonly ReceivedRequest[] };
  stop(): Promise<void>;
}

export interface Backend {
  readonly name: string;
  start(): Promise<TestKis>;
}

const DAY_MS = 24 * 60 * 60 * 1000;

export const BACKENDS: readonly Backend[] = [
  {
    name: 'the simulator',
    async start() {
      let offset = 0;
      const sim = await startSimulator({ pingIntervalMs: 100, rate: 60, seed: 5, now: () => Date.now() + offset });
      return {
        restUrl: sim.restUrl,
        wsUrl: sim.wsUrl,
        appKey: sim.appKey,
        appSecret: sim.appSecret,
        faults: {
          dropAll: (o) => sim.faults.dropAll(o),
          goSilent: (on) => sim.faults.goSilent(on),
          approval: (m) => sim.faults.approval(m),
          refuseNext: (c, m) => sim.faults.refuseNext(c, m),
          // The simulator's approval keys live 24 h on its clock: move the clock past that.
          expireApprovals: () => {
            offset += DAY_MS + 60_000;
          },
        },
        stats: () => sim.stats(),
        stop: () => sim.stop(),
      };
    },
  },
  {
    name: 'a minimal fake KIS',
    start: () => startFakeKis({ pingIntervalMs: 100, dataIntervalMs: 15 }),
  },
];
