/**
 * The session's failure policy against the scripted hostile KIS (test/support/hostile-kis.ts):
 * connect loops, lost and late acks, silent stalls, two sockets at once, wrong credentials and
 * rate limits, echoed secrets, bad frames. Every scenario ends with the secret scan.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { KNOWN_STOCKS } from '../../lib/protocol/stock-codes';
import { clearApprovalKeyCache } from '../../lib/session/approval';
import { resetConnectGates } from '../../lib/session/connect-gate';
import type { KisSessionOptions, SessionFrameError, SessionState } from '../../lib/session/types';
import { frameText, recordValues } from '../fixtures/frames';
import { Prng } from '../fixtures/prng';
import { startHostileKis, type HostileKis } from '../support/hostile-kis';
import { FAST, newSession, Sink, waitFor, waitState, type Recorded } from './support/harness';

const rng = new Prng(12);
const stock = (code: string) => KNOWN_STOCKS.find((s) => s.code === code)!;
const tick = (code: string): string => frameText('H0STCNT0', [recordValues(rng, 'H0STCNT0', { stock: stock(code) })]);
const EGW = (code: string, text: string): string => JSON.stringify({ error_code: code, error_description: text });

describe('session/against a hostile KIS', function () {
  this.timeout(20000);
  let kis: HostileKis;
  let sessions: Recorded[];
  const said: string[] = [];
  const secrets = new Set<string>();

  const make = (extra: Partial<KisSessionOptions> = {}): Recorded => {
    const rec = newSession({ appKey: kis.appKey, appSecret: kis.appSecret, restUrl: kis.restUrl, wsUrl: kis.wsUrl, ...FAST, ...extra });
    rec.session.on('state', (s) => said.push(JSON.stringify(s)));
    rec.session.on('frameError', (e) => said.push(JSON.stringify(e)));
    sessions.push(rec);
    return rec;
  };
  const states = (rec: Recorded, kind: SessionState['state']) => rec.states.filter((s) => s.state === kind);

  beforeEach(async () => {
    clearApprovalKeyCache();
    resetConnectGates();
    kis = await startHostileKis({ pingIntervalMs: 100 });
    sessions = [];
  });
  afterEach(async () => {
    await Promise.all(sessions.map((s) => s.session.stop()));
    for (const s of sessions) for (const l of s.logs) said.push(l.text);
    for (const s of sessions) for (const st of s.states) said.push(JSON.stringify(st));
    for (const s of [kis.appKey, kis.appSecret, ...kis.issued]) secrets.add(s);
    await kis.stop();
  });

  describe('connect loop (a server that closes after each ack)', () => {
    it('backs off across short-lived connections, the retry count grows, and the ceiling holds and shows', async () => {
      kis.plan = () => ({ thenClose: 1000 });
      const rec = make({ healthyAfterMs: 5000, ackTimeoutMs: 3000, approvalTimeoutMs: 3000, reconnect: { initialDelayMs: 40, maxDelayMs: 320, jitter: 0, inUseDelayMs: 400 }, connectCeiling: { perMinute: 7, perHour: 100 } });
      rec.session.subscribe('H0STCNT0', '005930', new Sink());
      rec.session.start();
      await waitFor('the ceiling', () => rec.states.some((s) => s.state === 'reconnecting' && s.code === 'CEILING'), 8000);
      const retries = states(rec, 'reconnecting').filter((s) => s.state === 'reconnecting' && s.code !== 'CEILING');
      const delays = retries.map((s) => (s.state === 'reconnecting' ? s.delayMs : 0));
      assert.deepEqual(delays.slice(0, 5), [40, 80, 160, 320, 320], 'backoff grows although every connection got its ack');
      assert.deepEqual(retries.map((s) => (s.state === 'reconnecting' ? s.retry : 0)).slice(0, 4), [1, 2, 3, 4], 'the retry count is not stuck at 1');
      const ceiling = rec.states.find((s) => s.state === 'reconnecting' && s.code === 'CEILING');
      assert.ok(ceiling?.state === 'reconnecting' && ceiling.waiting === 'ceiling' && ceiling.delayMs > 30_000, JSON.stringify(ceiling));
      assert.match(ceiling.reason, /connect ceiling reached \(7 connects per minute/);
      assert.ok(rec.logs.some((l) => l.level === 'warn' && /connect ceiling reached/.test(l.text)), 'logged');
      await sleep(300);
      assert.equal(kis.stats.connects.length, 7, 'never more connects in a minute than the ceiling');
    });

    it('shares the ceiling between session objects of one app key (redeploys, two configs)', async () => {
      const ceiling = { perMinute: 2, perHour: 10 };
      for (let i = 0; i < 2; i++) {
        const rec = make({ connectCeiling: ceiling });
        rec.session.start();
        await waitState(rec, 'connected');
        await rec.session.stop();
      }
      const third = make({ connectCeiling: ceiling });
      third.session.start();
      const st = await waitState(third, 'reconnecting');
      assert.ok(st.state === 'reconnecting' && st.code === 'CEILING', JSON.stringify(st));
      assert.equal(kis.stats.connects.length, 2);
    });

    it('keeps the ceiling across a process restart when given a ledger directory', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'kis-ledger-'));
      try {
        const ceiling = { perMinute: 2, perHour: 10 };
        for (let i = 0; i < 2; i++) {
          const rec = make({ connectCeiling: ceiling, connectLedgerDir: dir });
          rec.session.start();
          await waitState(rec, 'connected');
          await rec.session.stop();
        }
        resetConnectGates(); // what a restart of the process forgets
        const after = make({ connectCeiling: ceiling, connectLedgerDir: dir });
        after.session.start();
        const st = await waitState(after, 'reconnecting');
        assert.ok(st.state === 'reconnecting' && st.code === 'CEILING', JSON.stringify(st));
        const files = readdirSync(dir);
        assert.equal(files.length, 1);
        const text = readFileSync(join(dir, files[0]!), 'utf8');
        assert.ok(!text.includes(kis.appKey) && !files[0]!.includes(kis.appKey.slice(0, 8)), 'times only, no key');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('starts the streak over only after a connection stayed up healthyAfterMs', async () => {
      kis.approval = { kind: 'status', status: 500, body: EGW('EGW00002', '서버 에러') };
      const rec = make();
      rec.session.start();
      await waitFor('two failures', () => states(rec, 'reconnecting').length >= 2, 3000);
      kis.approval = { kind: 'ok' };
      await waitState(rec, 'connected', 3000);
      await sleep(FAST.healthyAfterMs + 150);
      const before = rec.states.length;
      kis.closeAll(1000);
      const st = await waitState(rec, 'reconnecting', 3000, before);
      assert.ok(st.state === 'reconnecting');
      assert.equal(st.retry, 1, 'the failure counter was reset by the healthy connection');
      assert.equal(st.delayMs, FAST.reconnect.initialDelayMs);
      assert.equal(st.lost, true);
    });
  });

  describe('acks late, missing, unrequested, without tr_key', () => {
    it('re-sends a subscribe whose ack never came, and restores it after a reconnect', async () => {
      let first = true;
      kis.plan = (req) => (req.trKey === '005930' && first ? ((first = false), { omit: true }) : {});
      const rec = make();
      const s = new Sink();
      rec.session.subscribe('H0STCNT0', '005930', s);
      rec.session.start();
      await waitFor('subscribed after the re-send', () => s.subscribed === 1, 4000);
      assert.equal(s.errors.length, 0, 'a missing ack is not a refusal');
      assert.equal(kis.stats.requests.filter((r) => r.trKey === '005930').length, 2);
      kis.sendText(tick('005930'));
      await waitFor('a record', () => s.records.length === 1);
      const before = rec.states.length;
      kis.closeAll(1011);
      await waitState(rec, 'connected', 3000, before);
      await waitFor('restored', () => kis.stats.requests.filter((r) => r.trKey === '005930').length === 3);
      assert.equal(rec.session.registrationCount(), 1);
    });

    it('accepts a late OPSP0000 (after the ack timeout) instead of dropping it', async () => {
      kis.plan = (req) => (req.trKey === '005930' && kis.stats.requests.length === 1 ? { delayMs: FAST.ackTimeoutMs + 150 } : {});
      const rec = make({ reconnect: { ...FAST.reconnect, initialDelayMs: 2000, maxDelayMs: 2000 } });
      const s = new Sink();
      rec.session.subscribe('H0STCNT0', '005930', s);
      rec.session.start();
      await waitFor('subscribed by the late ack', () => s.subscribed === 1, 3000);
      assert.equal(kis.stats.requests.length, 1, 'accepted before any re-send was due');
      assert.ok(rec.logs.some((l) => /late answer OPSP0000 accepted/.test(l.text)));
      assert.equal(s.errors.length, 0);
    });

    it('charges an error ack without tr_key to no registration (its real ack comes later)', async () => {
      kis.plan = (req) => {
        if (req.trKey !== '005930') return {};
        kis.sendText(JSON.stringify({ header: { tr_id: '', tr_key: '', encrypt: 'N' }, body: { rt_cd: '1', msg_cd: 'OPSP9999', msg1: 'JSON PARSING ERROR : invalid json format' } }));
        return { delayMs: 150 };
      };
      const rec = make();
      const errors: SessionFrameError[] = [];
      rec.session.on('frameError', (e) => errors.push(e));
      const s = new Sink();
      rec.session.subscribe('H0STCNT0', '005930', s);
      rec.session.start();
      await waitFor('subscribed', () => s.subscribed === 1, 3000);
      assert.equal(s.errors.length, 0, 'not refused with OPSP9999');
      assert.ok(errors.some((e) => e.code === 'unmatched-ack'), 'counted as a message matching no request');
    });

    it('treats OPSP0002 as success, re-sends after OPSP0007, refuses only on OPSP0008', async () => {
      kis.plan = (req) => {
        if (req.trKey === '005930') return { msgCd: 'OPSP0002' };
        if (req.trKey === '000660' && kis.stats.requests.filter((r) => r.trKey === '000660').length === 1) return { msgCd: 'OPSP0007' };
        if (req.trKey === '035720') return { msgCd: 'OPSP0008' };
        return {};
      };
      const rec = make();
      const a = new Sink(), b = new Sink(), c = new Sink();
      rec.session.subscribe('H0STCNT0', '005930', a);
      rec.session.subscribe('H0STCNT0', '000660', b);
      rec.session.subscribe('H0STCNT0', '035720', c);
      rec.session.start();
      await waitFor('answers', () => a.subscribed === 1 && b.subscribed === 1 && c.errors.length === 1, 3000);
      assert.equal(a.errors.length + b.errors.length, 0);
      assert.equal(c.errors[0]?.code, 'OPSP0008');
      assert.ok(!c.errors[0]!.message.includes('OPSP0008') && !c.errors[0]!.message.includes('035720'), `no doubled text: ${c.errors[0]!.message}`);
      kis.sendText(tick('005930'));
      await waitFor('OPSP0002 registration delivers', () => a.records.length === 1);
      assert.equal(rec.session.registrationCount(), 2);
    });

    it('waits inUseDelayMs after OPSP8996, with the code once', async () => {
      kis.plan = () => (kis.stats.requests.length === 1 ? { msgCd: 'OPSP8996' } : {});
      const rec = make();
      const s = new Sink();
      rec.session.subscribe('H0STCNT0', '005930', s);
      rec.session.start();
      const st = await waitState(rec, 'reconnecting');
      assert.ok(st.state === 'reconnecting' && st.code === 'OPSP8996' && st.waiting === 'in-use' && st.delayMs === FAST.reconnect.inUseDelayMs, JSON.stringify(st));
      assert.ok(!st.reason.includes('OPSP8996'), `reason repeats the code: ${st.reason}`);
      await waitFor('subscribed on the next connection', () => s.subscribed === 1, 3000);
      assert.equal(s.errors.length, 0);
    });
  });

  describe('silent stalls and PINGPONG', () => {
    it('learns the PINGPONG cadence and declares a silent connection dead after about 1.5 × it', async () => {
      kis.pingIntervalMs = 400;
      const rec = make({ idleTimeoutMs: 3000, minIdleTimeoutMs: 100 });
      rec.session.start();
      await waitState(rec, 'connected');
      assert.equal(rec.session.deadAfterMs(), 3000, 'the default before any PINGPONG');
      await waitFor('cadence learned', () => rec.session.deadAfterMs() < 3000, 3000);
      await sleep(500);
      const dead = rec.session.deadAfterMs();
      assert.ok(dead >= 590 && dead < 900, `dead after ${dead} ms for PINGPONG every 400 ms`);
      const t0 = Date.now();
      kis.silent = true;
      await waitState(rec, 'reconnecting', 3000);
      const took = Date.now() - t0;
      assert.ok(took < 1500, `declared dead after ${took} ms (not the 3000 ms default)`);
      const st = states(rec, 'reconnecting')[0]!;
      assert.ok(st.state === 'reconnecting' && /PINGPONG interval of \d+ ms/.test(st.reason), st.state === 'reconnecting' ? st.reason : '');
    });

    it('echoes every PINGPONG as a text frame and never sends a WebSocket ping or pong frame', async () => {
      const rec = make();
      rec.session.start();
      await waitState(rec, 'connected');
      await waitFor('three echoes', () => kis.stats.textEchoes >= 3, 3000);
      assert.equal(kis.stats.pingFrames, 0, 'no ws ping control frames');
      assert.equal(kis.stats.pongFrames, 0, 'no ws pong control frames');
      assert.deepEqual(rec.states.map((s) => s.state), ['connecting', 'connected']);
    });

    it('handles a binary PINGPONG (echoed as text) and counts binary frames', async () => {
      kis.binaryPing = true;
      const rec = make();
      const errors: SessionFrameError[] = [];
      rec.session.on('frameError', (e) => errors.push(e));
      rec.session.start();
      await waitState(rec, 'connected');
      await waitFor('echoes of binary PINGPONGs', () => kis.stats.textEchoes >= 2, 3000);
      assert.ok(errors.some((e) => e.code === 'binary' && e.count >= 2));
      assert.ok(rec.logs.some((l) => /binary frame/.test(l.text)), 'logged, not vanished');
    });
  });

  describe('break before make', () => {
    it('never opens a new socket while the old one is still open (server ignores close frames)', async () => {
      kis.ignoreClose = true;
      const rec = make();
      rec.session.start();
      await waitState(rec, 'connected');
      kis.silent = true; // the session drops the socket itself (dead connection)
      await waitState(rec, 'reconnecting', 3000);
      kis.silent = false;
      await waitFor('reconnected', () => kis.stats.connects.length === 2 && rec.session.state.state === 'connected', 4000);
      assert.ok(kis.stats.closeFramesReceived >= 1);
      assert.equal(kis.stats.maxOpen, 1, 'at most one socket at a time');
    });

    it('a second session for the same key waits until the first one\'s socket is closed (void a.stop(); b.start())', async () => {
      kis.ignoreClose = true;
      const a = make();
      a.session.start();
      await waitState(a, 'connected');
      void a.session.stop();
      const b = make();
      b.session.start();
      await waitState(b, 'connected', 4000);
      assert.equal(kis.stats.maxOpen, 1);
    });
  });

  describe('approval failures are sorted by what fixes them', () => {
    const cases: { name: string; mode: HostileKis['approval']; expect: (s: SessionState) => boolean; calls?: number }[] = [
      { name: '403 EGW00103 (wrong app key): stops, red', mode: { kind: 'status', status: 403, body: EGW('EGW00103', '유효하지 않은 AppKey입니다.') }, expect: (s) => s.state === 'failed' && s.code === 'EGW00103' && s.cause === 'config', calls: 1 },
      { name: '403 EGW00105 (wrong secret): stops', mode: { kind: 'status', status: 403, body: EGW('EGW00105', '유효하지 않은 AppSecret입니다.') }, expect: (s) => s.state === 'failed' && s.code === 'EGW00105', calls: 1 },
      { name: '403 EGW00133 (rate limit, not a credential error): waits ≥ 61 s', mode: { kind: 'status', status: 403, body: EGW('EGW00133', '접근토큰 발급 잠시 후 다시 시도하세요(1분당 1회)') }, expect: (s) => s.state === 'reconnecting' && s.waiting === 'rate-limit' && s.delayMs >= 61_000 },
      { name: '429 with Retry-After: waits as long as asked', mode: { kind: 'status', status: 429, body: '', headers: { 'retry-after': '7' } }, expect: (s) => s.state === 'reconnecting' && s.waiting === 'rate-limit' && s.delayMs === 7000 && !/check the app key/.test(s.reason) },
      { name: '429 without Retry-After: waits rateLimitDelayMs', mode: { kind: 'status', status: 429, body: '' }, expect: (s) => s.state === 'reconnecting' && s.waiting === 'rate-limit' && s.delayMs === 61_000 },
      { name: '500: backs off', mode: { kind: 'status', status: 500, body: EGW('EGW00002', '서버 에러가 발생했습니다') }, expect: (s) => s.state === 'reconnecting' && s.waiting === 'backoff' && s.delayMs === 50 },
      { name: 'HTML with 200: backs off, says so', mode: { kind: 'status', status: 200, body: '<html><body>maintenance</body></html>' }, expect: (s) => s.state === 'reconnecting' && s.code === 'BAD_RESPONSE' && /HTML/.test(s.reason) },
      { name: '200 without a key: backs off', mode: { kind: 'status', status: 200, body: '{}' }, expect: (s) => s.state === 'reconnecting' && s.code === 'BAD_RESPONSE' },
      { name: 'a hang: times out, backs off', mode: { kind: 'hang' }, expect: (s) => s.state === 'reconnecting' && s.code === 'TIMEOUT' && s.lost === false },
    ];
    for (const c of cases) {
      it(c.name, async () => {
        kis.approval = c.mode;
        const rec = make();
        rec.session.start();
        await waitFor(`the expected state (seen ${JSON.stringify(rec.states)})`, () => rec.states.some(c.expect), 3000);
        if (c.calls !== undefined) {
          await sleep(300);
          assert.equal(kis.stats.approvalCalls.length, c.calls, 'not retried');
        }
      });
    }

    it('a slow approval answer (longer than the timeout) still connects: the timeout grows', async () => {
      kis.approval = { kind: 'ok', delayMs: FAST.approvalTimeoutMs + 150 };
      const rec = make();
      rec.session.start();
      await waitState(rec, 'connected', 5000);
      assert.ok(rec.states.some((s) => s.state === 'reconnecting' && s.code === 'TIMEOUT'));
    });

    it('an invalid URL or one that does not serve the approval endpoint stops', async () => {
      const bad = make({ restUrl: 'not a url' });
      bad.session.start();
      const st = await waitState(bad, 'failed');
      assert.ok(st.state === 'failed' && st.code === 'BAD_URL' && st.cause === 'config');
      const wrongPath = make({ restUrl: `${kis.restUrl}/nope` });
      wrongPath.session.start();
      const st2 = await waitState(wrongPath, 'failed');
      assert.ok(st2.state === 'failed' && st2.code === 'HTTP 404', JSON.stringify(st2));
    });

    it('a WebSocket upgrade that never completes times out and backs off', async () => {
      kis.hangUpgrade = true;
      const rec = make();
      rec.session.start();
      await waitState(rec, 'reconnecting', 3000);
      kis.hangUpgrade = false;
      await waitState(rec, 'connected', 3000);
    });
  });

  describe('drops', () => {
    for (const code of [1000, 1006, 1011]) {
      it(`recovers from a ${code} drop and restores each registration once`, async () => {
        const rec = make();
        const s = new Sink();
        rec.session.subscribe('H0STCNT0', '005930', s);
        rec.session.start();
        await waitFor('subscribed', () => s.subscribed === 1);
        const before = rec.states.length;
        if (code === 1006) kis.destroyAll();
        else kis.closeAll(code, 'bye');
        await waitState(rec, 'connected', 3000, before);
        await waitFor('restored', () => kis.stats.requests.length === 2);
        await sleep(100);
        assert.deepEqual(kis.stats.requests.map((r) => `${r.conn} ${r.trKey}`), ['1 005930', '2 005930']);
      });
    }
  });

  describe('echoed secrets', () => {
    it('redacts every secret (also an old approval key) in close reasons, acks and codes, before shortening', async () => {
      const rec = make();
      const s = new Sink();
      rec.session.subscribe('H0STCNT0', '005930', s);
      rec.session.start();
      await waitFor('subscribed', () => s.subscribed === 1);
      const firstKey = kis.issued[0]!;
      secrets.add(firstKey);
      kis.issued.length = 0; // KIS forgets the key: OPSP0011 on its next use, then a new one
      let before = rec.states.length;
      kis.closeAll(1000);
      await waitFor('reconnected with a new key', () => kis.issued.length === 1 && s.subscribed === 2, 4000);
      assert.ok(rec.states.slice(before).some((x) => x.state === 'reconnecting' && x.code === 'OPSP0011'));
      before = rec.states.length;
      // Both keys in a reason longer than the shown length: cut first, redact second would leak a piece.
      kis.closeAll(4000, `${'.'.repeat(28)} ${kis.appKey} ${firstKey}`);
      const st = await waitState(rec, 'reconnecting', 3000, before);
      assert.ok(st.state === 'reconnecting' && st.reason.includes('***'), st.state === 'reconnecting' ? st.reason : '');
      // An ack whose msg_cd and msg1 echo secrets.
      const t = new Sink();
      kis.plan = (req) => (req.trKey === '000660' ? { msgCd: kis.appKey.slice(0, 16), msg1: `bad ${kis.issued.at(-1)} ${kis.appSecret}` } : {});
      await waitState(rec, 'connected', 3000, before);
      rec.session.subscribe('H0STCNT0', '000660', t);
      await waitFor('refused', () => t.errors.length === 1, 3000);
      assert.equal(t.errors[0]?.code, 'UNKNOWN', 'a code echoing a secret is not shown');
    });
  });

  describe('bad frames', () => {
    it('counts bad frames per kind and TR, reports each as an event, logs at a bounded rate, and keeps running', async () => {
      const rec = make({ frameErrorLogIntervalMs: 60_000 });
      const errors: SessionFrameError[] = [];
      rec.session.on('frameError', (e) => errors.push(e));
      const s = new Sink();
      rec.session.subscribe('H0STCNT0', '005930', s);
      rec.session.start();
      await waitFor('subscribed', () => s.subscribed === 1);
      const good = recordValues(rng, 'H0STCNT0', { stock: stock('005930') });
      const bad = [
        '0|H0STCNT0|000|', // COUNT 000
        `0|H0STCNT0|003|${good.join('^')}`, // COUNT larger than the records
        '0|H9ZZZZZ0|001|a^b', // unknown TR
        'garbage', '{"header":', '0|H0STCNT0|abc|x',
        `0|H0STCNT0|001|${good.slice(0, 10).join('^')}`, // missing fields
        `1|H0STCNI0|001|${'A'.repeat(64)}`, // encrypted notice before its key
        `0|H0STCNT0|001|${'9'.repeat(10_000_000)}`, // 10 MB
      ];
      for (const text of bad) kis.sendText(text);
      for (let i = 0; i < 3; i++) kis.sendText('garbage');
      // UTF-8 inside fields, extra fields, an unsubscribed code, a flood: none of these is fatal.
      kis.sendText(frameText('H0STCNT0', [[...good.slice(0, 1), '삼성전자|우', ...good.slice(2)]]));
      kis.sendText(frameText('H0STCNT0', [[...good, 'EXTRA']]));
      kis.sendText(tick('000660'));
      for (let i = 0; i < 500; i++) kis.sendText(tick('005930'));
      await waitFor('the flood delivered', () => s.records.length >= 500, 8000);
      const notFrame = errors.filter((e) => e.code === 'not-a-frame');
      assert.ok(notFrame.length >= 4 && notFrame.at(-1)!.count === notFrame.length, 'every one counted');
      assert.ok(errors.some((e) => e.code === 'no-key' && e.trId === 'H0STCNI0'), 'no-key frame errors are reported');
      assert.ok(errors.some((e) => e.code === 'unknown-tr'));
      const lines = rec.logs.filter((l) => l.text.startsWith('ignored a message'));
      const counts = rec.session.frameErrorCounts();
      const total = Object.values(counts).reduce((a, b) => a + b, 0);
      assert.equal(lines.length, Object.keys(counts).length, `one line per kind and TR within the interval: ${lines.length} lines for ${total} bad messages`);
      assert.ok(total > lines.length);
      assert.ok((rec.session.frameErrorCounts()['not-a-frame|'] ?? 0) >= 4);
      assert.equal(rec.session.state.state, 'connected');
    });
  });

  describe('defaults', () => {
    it('paces subscription requests ≥ 100 ms apart when pacingMs is not given', async () => {
      const { pacingMs: _omit, ...rest } = FAST;
      void _omit;
      const rec = newSession({ appKey: kis.appKey, appSecret: kis.appSecret, restUrl: kis.restUrl, wsUrl: kis.wsUrl, ...rest });
      sessions.push(rec);
      for (const c of ['005930', '000660', '035720', '105560']) rec.session.subscribe('H0STCNT0', c, new Sink());
      rec.session.start();
      await waitFor('4 requests', () => kis.stats.requests.length === 4, 3000);
      const at = kis.stats.requests.map((r) => r.at);
      assert.ok((at[3] as number) - (at[0] as number) >= 3 * 100 - 15, `4 requests in ${((at[3] as number) - (at[0] as number)).toFixed(0)} ms`);
    });
  });

  describe('the secret scan', () => {
    it('finds no secret, nor a 12-character piece of one, in anything the sessions above said', () => {
      assert.ok(said.length > 50 && secrets.size > 10, 'there is material');
      const text = said.join('\n');
      for (const s of secrets) {
        assert.ok(!text.includes(s), 'a secret appeared');
        for (let i = 0; i + 12 <= s.length; i += 3) assert.ok(!text.includes(s.slice(i, i + 12)), 'part of a secret appeared');
      }
    });
  });
});
