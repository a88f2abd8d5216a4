/**
 * Session chaos against the hostile KIS (test/support/hostile-kis.ts): a seeded schedule of faults
 * the simulator cannot produce (close after each ack, late and missing acks, a server that ignores
 * close frames, echoed secrets, unrequested and key-less acks) mixed with drops, stalls, approval
 * failures, OPSP8996 / OPSP0011 and bad frames, while four sinks hold three registrations.
 *
 * After each fault: the session is connected, every registration delivers again, and one probe
 * record per code reaches each of its sinks exactly once (none lost, none doubled). Throughout:
 * never more than one socket, never more connects in any 60 s than the ceiling, no crash. At the
 * end: no secret (nor a 12-character piece of one) in anything the session said.
 *
 * Seed: KIS_CHAOS_SEED; faults: KIS_HOSTILE_CHAOS_ROUNDS (default 110).
 */
import { strict as assert } from 'node:assert';
import { setTimeout as sleep } from 'node:timers/promises';
import { KNOWN_STOCKS } from '../../lib/protocol/stock-codes';
import { clearApprovalKeyCache } from '../../lib/session/approval';
import { resetConnectGates } from '../../lib/session/connect-gate';
import { KisSession } from '../../lib/session/session';
import type { KisRecord } from '../../lib/protocol/record-parser';
import type { RecordSink, SubscriptionError } from '../../lib/session/types';
import { frameText, recordValues } from '../fixtures/frames';
import { Prng } from '../fixtures/prng';
import { startHostileKis, type HostileKis } from '../support/hostile-kis';

const SEED = Number(process.env.KIS_CHAOS_SEED ?? 0x6b15);
const ROUNDS = Math.max(100, Number(process.env.KIS_HOSTILE_CHAOS_ROUNDS ?? 110));
const CEILING = { perMinute: 400, perHour: 10_000 };

const FAULTS = [
  'close-after-ack', 'late-ack', 'missing-ack', 'ignore-close', 'echo-secret', 'unrequested-ack', 'keyless-ack',
  'drop-1000', 'drop-1006', 'drop-1011', 'half-open', 'approval-500', 'approval-429', 'opsp8996', 'opsp0011', 'bad-frames',
] as const;
type Fault = (typeof FAULTS)[number];

class CountingSink implements RecordSink {
  readonly seen = new Map<string, number>();
  errors: SubscriptionError[] = [];
  onRecord(record: KisRecord): void {
    const id = `${String(record.MKSC_SHRN_ISCD)}|${String(record.CNTG_VOL)}`;
    this.seen.set(id, (this.seen.get(id) ?? 0) + 1);
  }
  onSubscriptionError(error: SubscriptionError): void {
    this.errors.push(error);
  }
  count(id: string): number {
    return this.seen.get(id) ?? 0;
  }
}

describe('chaos: hostile KIS faults against one session', function () {
  this.timeout(120_000);
  let kis: HostileKis;
  let session: KisSession;
  const said: string[] = [];
  const violations: string[] = [];
  const onCrash = (err: unknown): void => {
    violations.push(`crash: ${String(err)}`);
  };

  before(() => {
    process.on('unhandledRejection', onCrash);
    process.on('uncaughtException', onCrash);
  });
  after(async () => {
    process.off('unhandledRejection', onCrash);
    process.off('uncaughtException', onCrash);
    await session?.stop();
    await kis?.stop();
  });

  it(`survives ${ROUNDS} seeded hostile faults (seed ${SEED}) with every invariant holding`, async () => {
    clearApprovalKeyCache();
    resetConnectGates();
    const prng = new Prng(SEED);
    kis = await startHostileKis({ pingIntervalMs: 100 });
    session = new KisSession({
      appKey: kis.appKey, appSecret: kis.appSecret, restUrl: kis.restUrl, wsUrl: kis.wsUrl,
      pacingMs: 10, ackTimeoutMs: 250, approvalTimeoutMs: 300, idleTimeoutMs: 400, minIdleTimeoutMs: 200,
      healthyAfterMs: 300, forceCloseMs: 250, connectCeiling: CEILING, rateLimitDelayMs: 150,
      reconnect: { initialDelayMs: 20, maxDelayMs: 120, jitter: 0.2, inUseDelayMs: 150 },
      log: (level, text) => said.push(`${level}: ${text}`),
    });
    session.on('state', (s) => said.push(JSON.stringify(s)));
    session.on('frameError', (e) => said.push(JSON.stringify(e)));
    const codes = ['005930', '000660', '035720'];
    const stocks = codes.map((c) => KNOWN_STOCKS.find((s) => s.code === c)!);
    const a = new CountingSink(), b = new CountingSink(), c = new CountingSink(), d = new CountingSink();
    const wants: [CountingSink, string][] = [[a, '005930'], [b, '005930'], [c, '000660'], [d, '035720']];
    for (const [sink, code] of wants) session.subscribe('H0STCNT0', code, sink);
    session.start();

    let probe = 0;
    /** One record per code with a unique time+volume, so a second delivery is visible. */
    const sendProbe = (): void => {
      probe++;
      for (const s of stocks) {
        const values = recordValues(new Prng(probe), 'H0STCNT0', { stock: s });
        values[12] = String(probe); // CNTG_VOL: unique per probe
        kis.sendText(frameText('H0STCNT0', [values]));
      }
    };
    const idOf = (code: string): string => `${code}|${probe}`;

    /** Until every sink gets records again (registrations restored); probes are sent meanwhile. */
    const recovered = async (what: string): Promise<void> => {
      const t0 = Date.now();
      for (;;) {
        if (session.state.state === 'connected') {
          sendProbe();
          await sleep(40);
          if (wants.every(([sink, code]) => sink.count(idOf(code)) >= 1)) return;
        } else await sleep(10);
        if (Date.now() - t0 > 8000) throw new Error(`${what}: not recovered in 8 s; state ${JSON.stringify(session.state)}`);
      }
    };

    const inject = async (fault: Fault): Promise<void> => {
      switch (fault) {
        case 'close-after-ack': {
          let once = true;
          kis.plan = () => (once ? ((once = false), { thenClose: 1000 }) : {});
          kis.closeAll(1000);
          return;
        }
        case 'late-ack':
        case 'missing-ack': {
          let once = true;
          kis.plan = (req) => (once && req.trType === '1' ? ((once = false), fault === 'late-ack' ? { delayMs: 400 } : { omit: true }) : {});
          kis.closeAll(1000);
          return;
        }
        case 'ignore-close':
          kis.ignoreClose = true;
          kis.silent = true;
          await waitUntil(() => session.state.state !== 'connected', 3000);
          kis.silent = false;
          return;
        case 'echo-secret':
          kis.closeAll(4000, `key ${kis.appKey} ${kis.issued.at(-1) ?? ''}`);
          return;
        case 'unrequested-ack':
          kis.sendText(JSON.stringify({ header: { tr_id: 'H0STCNT0', tr_key: '999999', encrypt: 'N' }, body: { rt_cd: '0', msg_cd: 'OPSP0000', msg1: 'SUBSCRIBE SUCCESS' } }));
          return;
        case 'keyless-ack':
          kis.sendText(JSON.stringify({ header: { tr_id: '', tr_key: '', encrypt: 'N' }, body: { rt_cd: '1', msg_cd: 'OPSP9999', msg1: `invalid json ${kis.appSecret}` } }));
          return;
        case 'drop-1000':
        case 'drop-1011':
          kis.closeAll(fault === 'drop-1000' ? 1000 : 1011, 'bye');
          return;
        case 'drop-1006':
          kis.destroyAll();
          return;
        case 'half-open':
          kis.silent = true;
          await waitUntil(() => session.state.state !== 'connected', 3000);
          kis.silent = false;
          return;
        case 'approval-500':
        case 'approval-429':
          clearApprovalKeyCache();
          kis.approval = fault === 'approval-500' ? { kind: 'status', status: 500, body: '{"error_code":"EGW00002","error_description":"서버 에러"}' } : { kind: 'status', status: 429, body: '' };
          kis.destroyAll();
          await sleep(120);
          kis.approval = { kind: 'ok' };
          return;
        case 'opsp8996': {
          let once = true;
          kis.plan = () => (once ? ((once = false), { msgCd: 'OPSP8996' }) : {});
          kis.closeAll(1000);
          return;
        }
        case 'opsp0011':
          kis.issued.length = 0;
          kis.closeAll(1000);
          return;
        case 'bad-frames':
          for (const t of ['garbage', '0|H0STCNT0|000|', '0|H9ZZZZZ0|001|a', '{"header":', `1|H0STCNI0|001|${'A'.repeat(64)}`]) kis.sendText(t);
          kis.sendBinary('{"header":{"tr_id":"PINGPONG","datetime":"20261201093000"}}');
          return;
      }
    };

    const counts: Partial<Record<Fault, number>> = {};
    const schedule: Fault[] = [...FAULTS];
    while (schedule.length < ROUNDS) schedule.push(prng.pick(FAULTS));
    const t0 = Date.now();
    await recovered('start');
    for (let round = 1; round <= ROUNDS; round++) {
      const fault = schedule[round - 1]!;
      counts[fault] = (counts[fault] ?? 0) + 1;
      const what = `round ${round} (${fault})`;
      await inject(fault);
      await recovered(what);
      kis.plan = () => ({});
      kis.ignoreClose = false;
      // Connected and quiet: one probe reaches each sink exactly once.
      await sleep(30);
      if (session.state.state === 'connected') {
        sendProbe();
        await sleep(60);
        if (session.state.state === 'connected') {
          for (const [sink, code] of wants) {
            const n = sink.count(idOf(code));
            if (n !== 1) violations.push(`${what}: the probe of ${code} reached a sink ${n} times`);
          }
        }
      }
      if (session.registrationCount() !== 3) violations.push(`${what}: ${session.registrationCount()} registrations`);
      for (const [sink] of wants) if (sink.errors.length > 0) violations.push(`${what}: a sink was refused: ${JSON.stringify(sink.errors)}`);
    }
    const took = Date.now() - t0;

    if (kis.stats.maxOpen > 1) violations.push(`${kis.stats.maxOpen} sockets open at once`);
    const connects = kis.stats.connects;
    let worstMinute = 0;
    for (let i = 0; i < connects.length; i++) worstMinute = Math.max(worstMinute, connects.filter((t) => t >= connects[i]! && t < connects[i]! + 60_000).length);
    if (worstMinute > CEILING.perMinute) violations.push(`${worstMinute} connects in one minute (ceiling ${CEILING.perMinute})`);
    const text = said.join('\n');
    for (const s of [kis.appKey, kis.appSecret, ...kis.issued]) {
      for (let i = 0; i + 12 <= s.length; i += 3) if (text.includes(s.slice(i, i + 12))) violations.push('a secret (or a piece of one) was said');
    }
    console.log([
      `      hostile chaos figures (seed ${SEED}): ${ROUNDS} faults in ${(took / 1000).toFixed(1)} s`,
      `        ${Object.entries(counts).map(([f, n]) => `${f} ×${n}`).join(', ')}`,
      `        connects: ${connects.length} (worst minute ${worstMinute}, ceiling ${CEILING.perMinute}); most sockets open at once: ${kis.stats.maxOpen}`,
      `        crashes: ${violations.filter((v) => v.startsWith('crash')).length}; registrations lost: ${violations.filter((v) => /registrations|refused/.test(v)).length}; duplicates: ${violations.filter((v) => / [2-9] times| \d{2,} times/.test(v)).length}; violations: ${violations.length}`,
    ].join('\n'));
    assert.deepEqual([...new Set(violations)], [], `invariants violated:\n${violations.join('\n')}`);
  });
});

async function waitUntil(predicate: () => boolean, timeoutMs: number): Promise<void> {
  const t0 = Date.now();
  while (!predicate() && Date.now() - t0 < timeoutMs) await sleep(5);
}
