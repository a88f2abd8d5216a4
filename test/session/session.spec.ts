import { strict as assert } from 'node:assert';
import { setTimeout as sleep } from 'node:timers/promises';
import { clearApprovalKeyCache } from '../../lib/session/approval';
import { acquireSession, pooledSessionCount, releaseSession } from '../../lib/session/pool';
import type { KisSessionOptions } from '../../lib/session/types';
import { BACKENDS, type TestKis } from './support/backends';
import { approvalSpy, FAST, growth, installFetchSpy, newSession, Sink, transcript, waitFor, waitState, type Recorded } from './support/harness';

const credentials: string[] = [];
let restoreFetch: (() => void) | null = null;
before(() => {
  restoreFetch = installFetchSpy();
});
after(() => restoreFetch?.());

for (const backend of BACKENDS) describe(`session/KisSession against ${backend.name}`, function () {
  this.timeout(20000);
  let kis: TestKis;
  let sessions: Recorded[];

  const opts = (extra: Partial<KisSessionOptions> = {}): KisSessionOptions => ({ appKey: kis.appKey, appSecret: kis.appSecret, restUrl: kis.restUrl, wsUrl: kis.wsUrl, ...FAST, ...extra });
  const make = (extra: Partial<KisSessionOptions> = {}): Recorded => {
    const rec = newSession(opts(extra));
    sessions.push(rec);
    return rec;
  };
  /** Subscribe requests per connection: (sessionId, trId, trKey) must never repeat. */
  const assertNoDuplicateSubscribes = () => {
    const seen = new Set<string>();
    for (const r of kis.stats().requests) {
      if (r.trType !== '1') continue;
      const id = `${r.sessionId}|${r.trId}|${r.trKey}`;
      assert.ok(!seen.has(id), `duplicate subscribe on one connection: ${id}`);
      seen.add(id);
    }
  };

  beforeEach(async () => {
    clearApprovalKeyCache();
    kis = await backend.start();
    credentials.push(kis.appKey, kis.appSecret);
    sessions = [];
  });
  afterEach(async () => {
    await Promise.all(sessions.map((s) => s.session.stop()));
    // The server notices the close a moment after the client's 'close' event.
    await waitFor('the server to see every socket closed after stop()', () => kis.stats().openSockets === 0, 1000);
    await kis.stop();
  });

  it('connects, shares one registration between two sinks, and keeps it until the last unsubscribes', async () => {
    const rec = make();
    const { session } = rec;
    session.start();
    session.start(); // idempotent
    const a = new Sink(), b = new Sink(), q = new Sink();
    const ha = session.subscribe('H0STCNT0', '005930', a);
    const hb = session.subscribe('H0STCNT0', '005930', b);
    session.subscribe('H0STASP0', '000660', q);
    assert.equal(session.registrationCount(), 2);
    assert.equal(session.referenceCount(), 3);
    await waitState(rec, 'connected');
    await waitFor('records for both sinks', () => a.records.length > 3 && b.records.length > 3 && q.records.length > 3);
    assert.deepEqual(a.codes(), ['005930']);
    assert.deepEqual(q.codes(), ['000660']);
    assert.equal(a.subscribed, 1);
    assert.equal(kis.stats().openSockets, 1);
    const subs = kis.stats().requests.filter((r) => r.trType === '1');
    assert.deepEqual(subs.map((r) => `${r.trId} ${r.trKey} ${r.answered}`), ['H0STCNT0 005930 OPSP0000', 'H0STASP0 000660 OPSP0000'], 'one wire registration for two sinks');

    ha.unsubscribe();
    ha.unsubscribe(); // idempotent
    const bGrows = growth(b);
    await waitFor('b still flowing', () => bGrows() > 3);
    assert.equal(kis.stats().requests.filter((r) => r.trType === '2').length, 0, 'no unsubscribe while b holds it');
    hb.unsubscribe();
    await waitFor('unsubscribe on the wire', () => kis.stats().requests.some((r) => r.trType === '2'));
    assert.deepEqual(kis.stats().requests.filter((r) => r.trType === '2').map((r) => `${r.trId} ${r.trKey} ${r.answered}`), ['H0STCNT0 005930 OPSP0001']);
    assert.equal(session.registrationCount(), 1);

    // A late joiner of a live registration hears that it is subscribed.
    const late = new Sink();
    session.subscribe('H0STASP0', '000660', late);
    await waitFor('late joiner subscribed', () => late.subscribed === 1 && late.records.length > 0);

    await session.stop();
    assert.deepEqual(rec.states.map((s) => s.state), ['connecting', 'connected', 'closed']);
    await waitFor("socket closed on the server", () => kis.stats().openSockets === 0, 1000);
    await session.stop(); // idempotent
  });

  for (const clean of [true, false]) {
    it(`reconnects after the server drops the socket ${clean ? 'with' : 'without'} a close frame and restores every registration once`, async () => {
      const rec = make();
      const { session } = rec;
      const codes = ['005930', '000660', '035720', '105560'];
      const sinks = codes.map((c) => {
        const s = new Sink();
        session.subscribe('H0STCNT0', c, s);
        return s;
      });
      session.start();
      await waitFor('all flowing', () => sinks.every((s) => s.records.length > 0));
      const before = rec.states.length;
      kis.faults.dropAll({ clean });
      const reconnecting = await waitState(rec, 'reconnecting', 3000, before);
      assert.ok(reconnecting.state === 'reconnecting');
      assert.equal(reconnecting.retry, 1);
      assert.equal(reconnecting.delayMs, 50);
      assert.match(reconnecting.reason, clean ? /closed by the server \(1000/ : /without a close frame/);
      await waitState(rec, 'connected', 3000, before);
      const grows = sinks.map(growth);
      await waitFor('all flowing again', () => grows.every((g) => g() > 2));
      const subs = kis.stats().requests.filter((r) => r.trType === '1');
      assert.equal(subs.length, 8, 'each registration subscribed once per connection');
      assert.deepEqual(subs.slice(4).map((r) => r.trKey), codes, 'restored in the original order');
      assertNoDuplicateSubscribes();
      assert.equal(kis.stats().approvalsIssued, 1, 'approval key reused across the reconnect');
      assert.equal(kis.stats().openSockets, 1);
    });
  }

  it('detects a half-open connection (no data, no PINGPONG) and reconnects', async () => {
    const rec = make();
    const { session } = rec;
    const s = new Sink();
    session.subscribe('H0STCNT0', '005930', s);
    session.start();
    await waitFor('flowing', () => s.records.length > 0);
    const before = rec.states.length;
    const silentAt = Date.now();
    kis.faults.goSilent(true);
    const st = await waitState(rec, 'reconnecting', 3000, before);
    const took = Date.now() - silentAt;
    assert.ok(took >= FAST.idleTimeoutMs - 20 && took < FAST.idleTimeoutMs + 400, `declared dead after ${took} ms`);
    assert.ok(st.state === 'reconnecting' && /nothing \(data or PINGPONG\) received/.test(st.reason));
    kis.faults.goSilent(false);
    await waitState(rec, 'connected', 3000, before);
    const g = growth(s);
    await waitFor('flowing again', () => g() > 2);
    assertNoDuplicateSubscribes();
  });

  it('answers PINGPONG by echoing it, so a quiet but live connection stays up', async () => {
    const rec = make({ idleTimeoutMs: 300 });
    rec.session.start();
    await waitState(rec, 'connected');
    await sleep(800); // no registrations, only PINGPONG every 100 ms
    assert.deepEqual(rec.states.map((s) => s.state), ['connecting', 'connected']);
  });

  it('enforces the 41-registration limit before the server sees the 42nd, without disturbing the others', async () => {
    const rec = make({ pacingMs: 5 });
    const { session } = rec;
    session.start();
    await waitState(rec, 'connected');
    const sinks: Sink[] = [];
    const codes = ['005930', '000660', '373220', '207940', '005380', '000270', '068270', '035420', '035720', '105560', '055550', '005490', '051910', '006400', '012330', '028260', '017670', '034730', '003550', '066570', '096770'];
    for (const c of codes) for (const tr of ['H0STCNT0', 'H0STASP0'] as const) {
      const s = new Sink();
      sinks.push(s);
      session.subscribe(tr, c, s);
    }
    assert.equal(sinks.length, 42);
    assert.equal(session.registrationCount(), 41);
    const last = sinks[41] as Sink;
    await waitFor('LIMIT error', () => last.errors.length === 1);
    assert.equal(last.errors[0]?.code, 'LIMIT');
    assert.match(last.errors[0]?.message ?? '', /41/);
    // A second sink for an existing pair is not a new registration.
    const shared = new Sink();
    session.subscribe('H0STCNT0', '005930', shared);
    await waitFor('41 acks', () => kis.stats().requests.length === 41, 5000);
    await waitFor('first and 41st flowing', () => (sinks[0] as Sink).records.length > 0 && (sinks[40] as Sink).records.length > 0 && shared.records.length > 0);
    assert.ok(kis.stats().requests.every((r) => r.answered === 'OPSP0000'), 'the server never saw a 42nd registration');
    assert.equal(sinks.slice(0, 41).reduce((n, s) => n + s.errors.length, 0), 0);
  });

  it('spaces subscription requests on the wire by at least pacingMs', async () => {
    const rec = make({ pacingMs: 50 });
    const codes = ['005930', '000660', '373220', '207940', '005380', '000270', '068270', '035420'];
    for (const c of codes) rec.session.subscribe('H0STCNT0', c, new Sink());
    rec.session.start();
    await waitFor('8 requests', () => kis.stats().requests.length === 8);
    const at = kis.stats().requests.map((r) => r.at);
    const gaps = at.slice(1).map((t, i) => t - (at[i] as number));
    // The server stamps a request when it has processed it, so a message it handles late lengthens
    // the gap before it and shortens the one after by as much. So: every two neighbouring gaps hold
    // two full intervals, no gap is under half of one, and the span holds 7 full intervals.
    const shown = gaps.map((x) => x.toFixed(1)).join(', ');
    for (const g of gaps) assert.ok(g >= 25, `gap ${g.toFixed(2)} ms, far below 50 ms: ${shown}`);
    for (let i = 1; i < gaps.length; i++) assert.ok((gaps[i - 1] as number) + (gaps[i] as number) >= 2 * 50 - 3, `gaps ${i} and ${i + 1} under two intervals: ${shown}`);
    assert.ok((at[7] as number) - (at[0] as number) >= 7 * 50 - 3, `8 requests in ${((at[7] as number) - (at[0] as number)).toFixed(1)} ms: ${shown}`);
  });

  it('delivers refusals to the sink that caused them only, and frees their slots', async () => {
    const rec = make({ server: 'paper', ackTimeoutMs: 250, idleTimeoutMs: 3000 });
    const { session } = rec;
    session.start();
    await waitState(rec, 'connected');
    const ok = new Sink(), badCode = new Sink(), notOnPaper = new Sink(), refused = new Sink(), noAck = new Sink();
    kis.faults.refuseNext('OPSP8992', { trKey: '000660' });
    session.subscribe('H0STCNT0', '005930', ok);
    session.subscribe('H0STCNT0', '5930', badCode);
    session.subscribe('H0NXCNT0', '005930', notOnPaper);
    session.subscribe('H0STCNT0', '000660', refused);
    await waitFor('three refusals', () => badCode.errors.length + notOnPaper.errors.length + refused.errors.length === 3, 3000);
    await waitFor('005930 live', () => ok.subscribed === 1);
    // A server that stops answering: the ack never comes. The registration is kept and re-sent.
    kis.faults.goSilent(true);
    session.subscribe('H0STCNT0', '035720', noAck);
    await waitFor('the subscribe sent', () => kis.stats().requests.some((r) => r.trKey === '035720'), 3000);
    await sleep(400);
    kis.faults.goSilent(false);
    assert.equal(badCode.errors[0]?.code, 'BAD_CODE');
    assert.equal(notOnPaper.errors[0]?.code, 'NOT_ON_SERVER');
    assert.equal(refused.errors[0]?.code, 'OPSP8992');
    assert.equal(refused.errors[0]?.message, 'Invalid stock code', 'the meaning, without repeating the code');
    assert.equal(noAck.errors.length, 0, 'an unanswered subscribe is not a refusal');
    assert.equal(session.registrationCount(), 2, 'refused registrations freed their slots; the unanswered one is kept');
    const g = growth(ok);
    await waitFor('the good one flows', () => g() > 3);
    assert.equal(ok.errors.length, 0);
    // The server never saw the client-side refusals.
    assert.deepEqual([...new Set(kis.stats().requests.filter((r) => r.trType === '1').map((r) => r.trKey))], ['005930', '000660', '035720']);
  });

  it('a second session object for the same key waits for the first one\'s socket (break before make)', async () => {
    const first = make();
    first.session.subscribe('H0STCNT0', '005930', new Sink());
    first.session.start();
    await waitState(first, 'connected');
    const second = make();
    const s2 = new Sink();
    second.session.subscribe('H0STCNT0', '000660', s2);
    second.session.start();
    await sleep(300);
    assert.equal(kis.stats().openSockets, 1, 'the second session did not dial');
    assert.deepEqual(second.states.map((x) => x.state), ['connecting']);
    await first.session.stop();
    await waitFor('second flowing', () => s2.records.length > 0, 3000);
    assert.ok(kis.stats().requests.every((r) => r.answered !== 'OPSP8996'), 'never two sessions at KIS');
    assert.equal(s2.errors.length, 0);
  });

  it('re-issues the approval key once on OPSP0011 and restores the registrations', async () => {
    const rec = make();
    const s = new Sink();
    rec.session.subscribe('H0STCNT0', '005930', s);
    rec.session.start();
    await waitFor('flowing', () => s.records.length > 0);
    kis.faults.expireApprovals();
    const before = rec.states.length;
    kis.faults.dropAll({ clean: true });
    await waitFor('OPSP0011 seen', () => kis.stats().requests.some((r) => r.answered === 'OPSP0011'));
    const g = growth(s);
    await waitFor('flowing with a new key', () => g() > 2, 3000);
    assert.equal(kis.stats().approvalsIssued, 2);
    assert.ok(rec.states.slice(before).some((x) => x.state === 'reconnecting' && x.code === 'OPSP0011'));
    assert.equal(s.errors.length, 0);
  });

  describe('approval failures', () => {
    it('retries with backoff after HTTP 500 and a timeout, then connects', async () => {
      kis.faults.approval('500');
      const rec = make();
      rec.session.start();
      const st = await waitState(rec, 'reconnecting');
      assert.ok(st.state === 'reconnecting' && st.code !== undefined && /HTTP 500/.test(st.reason), JSON.stringify(st));
      kis.faults.approval('timeout');
      await waitFor('a timeout', () => rec.states.some((x) => x.state === 'reconnecting' && x.code === 'TIMEOUT'), 3000);
      kis.faults.approval('ok');
      await waitState(rec, 'connected', 3000);
      const retries = rec.states.filter((x) => x.state === 'reconnecting').map((x) => (x.state === 'reconnecting' ? x.delayMs : 0));
      assert.deepEqual(retries, retries.map((_, i) => Math.min(200, 50 * 2 ** i)), 'exponential backoff, capped');
    });

    it('stops at once after HTTP 403 EGW00103 (a configuration error) with a clear reason, and starts over on start()', async () => {
      kis.faults.approval('403');
      const callsBefore = approvalSpy.calls.length;
      const rec = make();
      rec.session.start();
      const failed = await waitState(rec, 'failed', 3000);
      assert.ok(failed.state === 'failed');
      assert.equal(failed.code, 'EGW00103');
      assert.equal(failed.cause, 'config');
      assert.match(failed.reason, /app key or secret is not valid.*HTTP 403.*not retried: a configuration error/);
      assert.ok(!failed.reason.startsWith('EGW00103'), 'the code is not repeated in the reason');
      await sleep(300);
      assert.equal(approvalSpy.calls.length - callsBefore, 1, 'one call, no retry');
      kis.faults.approval('ok');
      rec.session.start(); // the next deploy
      await waitState(rec, 'connected', 3000);
    });
  });

  describe('across redeploys (new session for the same app key)', () => {
    it('connects promptly after a clean stop, never with two sockets', async () => {
      const a = make({ reconnect: { ...FAST.reconnect, initialDelayMs: 300 } });
      a.session.subscribe('H0STCNT0', '005930', new Sink());
      a.session.start();
      await waitState(a, 'connected');
      await sleep(350);
      const stopping = a.session.stop();
      const b = make({ reconnect: { ...FAST.reconnect, initialDelayMs: 300 } });
      const s = new Sink();
      b.session.subscribe('H0STCNT0', '005930', s);
      const t0 = Date.now();
      b.session.start();
      await stopping;
      await waitFor('b flowing', () => s.records.length > 0);
      assert.ok(Date.now() - t0 < 1000, `took ${Date.now() - t0} ms`);
      assert.ok(kis.stats().requests.every((r) => r.answered === 'OPSP0000'), 'no OPSP8996: a waited for the old socket to close');
    });

    it('waits out the previous session\'s backoff instead of starting a tight loop', async () => {
      kis.faults.approval('500');
      const callsBefore = approvalSpy.calls.length;
      const a = make({ reconnect: { initialDelayMs: 150, maxDelayMs: 1000, jitter: 0 } });
      a.session.start();
      await waitFor('third attempt scheduled', () => a.states.filter((x) => x.state === 'reconnecting').length === 2, 3000);
      await a.session.stop();
      const lastCall = approvalSpy.calls.at(-1) ?? 0;
      assert.equal(approvalSpy.calls.length - callsBefore, 2);
      const b = make({ reconnect: { initialDelayMs: 150, maxDelayMs: 1000, jitter: 0 } });
      b.session.start();
      await waitFor('b attempted', () => approvalSpy.calls.length - callsBefore === 3, 3000);
      const gap = (approvalSpy.calls.at(-1) ?? 0) - lastCall;
      assert.ok(gap >= 295, `b attempted ${gap.toFixed(0)} ms after a's last attempt (a was backing off 300 ms)`);
    });
  });

  describe('session pool', () => {
    afterEach(async () => {
      await releaseSession('n1');
      await releaseSession('n2');
      await releaseSession('n3');
      assert.equal(pooledSessionCount(), 0);
    });

    it('shares one session per app key and stops it with the last release', async () => {
      const s1 = acquireSession(opts(), 'n1');
      const s2 = acquireSession(opts(), 'n2');
      assert.equal(s1, s2);
      assert.throws(() => acquireSession(opts({ appSecret: `${kis.appSecret}-other` }), 'n3'), (err: Error) => {
        assert.match(err.message, /already used by another kis-config with a different server or app secret/);
        assert.ok(!err.message.includes(kis.appKey) && !err.message.includes(kis.appSecret));
        return true;
      });
      s1.start();
      await waitFor('connected', () => s1.state.state === 'connected');
      await releaseSession('n1');
      assert.equal(s1.state.state, 'connected', 'n2 still holds it');
      await releaseSession('n2');
      assert.equal(s1.state.state, 'closed');
      await waitFor("socket closed on the server", () => kis.stats().openSockets === 0, 1000);
    });
  });

  it('never shows the HTS ID of a 체결통보 registration: not in a refusal, its log line or the no-ack warning', async () => {
    const htsId = `hts${Math.random().toString(36).slice(2, 9)}`;
    credentials.push(htsId);
    const rec = make({ ackTimeoutMs: 200 });
    rec.session.start();
    await waitState(rec, 'connected');
    kis.faults.refuseNext('OPSP9999', { trId: 'H0STCNI0' });
    const refused = new Sink();
    rec.session.subscribe('H0STCNI0', htsId, refused);
    await waitFor('the refusal', () => refused.errors.length === 1);
    kis.faults.goSilent(true);
    rec.session.subscribe('H0STCNI0', htsId, new Sink());
    await waitFor('the no-ack warning', () => rec.logs.some((l) => l.level === 'warn' && /H0STCNI0/.test(l.text) && /no ack/.test(l.text)), 5000);
    kis.faults.goSilent(false);
    const seen = [...rec.logs.map((l) => l.text), ...refused.errors.map((e) => JSON.stringify(e))].join('\n');
    assert.ok(seen.includes('H0STCNI0'), 'the material names the TR');
    assert.ok(!seen.includes(htsId), `the HTS ID appeared:\n${seen}`);
  });

  it('refuses new subscriptions on a stopped session', async () => {
    const rec = make();
    await rec.session.stop();
    const s = new Sink();
    rec.session.subscribe('H0STCNT0', '005930', s);
    await waitFor('refusal', () => s.errors.length === 1);
    assert.equal(s.errors[0]?.code, 'SESSION_CLOSED');
  });
});

describe('session/the secret scan', () => {
  it('finds no app key, app secret or approval key in any log line, state or subscription error of the tests above', () => {
    assert.ok(transcript.length > 100, 'the scan has material');
    assert.ok(approvalSpy.keys.length > 10, 'approval keys were captured');
    assert.ok(transcript.some((t) => t.includes('OPSP8996')) && transcript.some((t) => t.includes('HTTP 403')), 'failure paths are in the material');
    const text = transcript.join('\n');
    const secrets = [...new Set([...approvalSpy.keys, ...credentials])];
    for (const secret of secrets) assert.ok(!text.includes(secret), 'a secret appeared in a log, state or error');
    // Partial leaks: no 12-character piece of an app key or secret either.
    for (const secret of new Set(credentials)) for (let i = 0; i + 12 <= secret.length; i += 4) {
      const piece = secret.slice(i, i + 12);
      assert.ok(!text.includes(piece), `part of a credential appeared: …${text.slice(Math.max(0, text.indexOf(piece) - 100), text.indexOf(piece) + 20)}`);
    }
  });
});
