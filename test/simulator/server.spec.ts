import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { buildApprovalRequestBody } from '../../lib/protocol/messages';
import { decryptPayload } from '../../lib/protocol/crypto';
import { parseFrame, type ControlFrame, type DataFrame, type ParsedFrame } from '../../lib/protocol/parse-frame';
import { TR_TABLES, type TrId } from '../../lib/protocol/tr-tables';
import { acquireEmbeddedSimulator, releaseEmbeddedSimulator } from '../../lib/simulator/embedded';
import { DEMO_APP_KEY, startSimulator } from '../../lib/simulator/server';
import type { RunningSimulator, SimulatorOptions } from '../../lib/simulator/types';
import { approvalKey, approve, sleep, TestClient } from './support';

function control(f: ParsedFrame): ControlFrame {
  assert.equal(f.type, 'control', JSON.stringify(f));
  return f as ControlFrame;
}

describe('simulator on the wire (conformance)', function () {
  let sim: RunningSimulator;
  const clients: TestClient[] = [];

  async function start(o: SimulatorOptions = {}): Promise<RunningSimulator> {
    sim = await startSimulator({ rate: 20, ...o });
    return sim;
  }
  async function client(): Promise<TestClient> {
    const c = await TestClient.open(sim.wsUrl);
    clients.push(c);
    return c;
  }

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await sim?.stop();
  });

  describe('REST /oauth2/Approval', () => {
    beforeEach(() => start());

    it('issues a UUID approval key for the demo credentials', async () => {
      const r = await approve(sim);
      assert.equal(r.status, 200);
      assert.match(String(r.body['approval_key']), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      assert.equal(sim.stats().approvalsIssued, 1);
      assert.equal(sim.appKey, DEMO_APP_KEY);
      assert.equal(sim.appKey.length, 36);
    });

    it('answers a wrong key, secret or grant_type with the KIS error body and 403', async () => {
      const cases: [string, string][] = [
        [buildApprovalRequestBody('PSnotAKnownKey', sim.appSecret), 'EGW00103'],
        [buildApprovalRequestBody(sim.appKey, 'wrong'), 'EGW00105'],
        [JSON.stringify({ grant_type: 'client_credentials', appkey: sim.appKey, appsecret: sim.appSecret }), 'EGW00104'],
        [JSON.stringify({ grant_type: 'password', appkey: sim.appKey, secretkey: sim.appSecret }), 'EGW00116'],
        [JSON.stringify({ appkey: sim.appKey, secretkey: sim.appSecret }), 'EGW00115'],
        ['not json', 'EGW00115'],
      ];
      for (const [body, code] of cases) {
        const r = await approve(sim, body);
        assert.equal(r.status, 403, code);
        assert.equal(r.body['error_code'], code);
        assert.equal(typeof r.body['error_description'], 'string');
        assert.ok(!JSON.stringify(r.body).includes(sim.appSecret), 'no secret in the error');
      }
      assert.equal(sim.stats().approvalsIssued, 0);
    });

    it('fails on demand with 500, 403 or no answer, and recovers', async () => {
      sim.faults.approval('500');
      assert.equal((await approve(sim)).status, 500);
      sim.faults.approval('403');
      assert.equal((await approve(sim)).status, 403);
      sim.faults.approval('timeout');
      const hung = approve(sim).then(() => 'answered', () => 'failed');
      assert.equal(await Promise.race([hung, sleep(300).then(() => 'pending')]), 'pending');
      sim.faults.approval('ok');
      assert.equal((await approve(sim)).status, 200);
      await sim.stop();
      assert.equal(await hung, 'failed', 'stop() drops the hanging request');
    });
  });

  describe('subscribe / unsubscribe acks (doc §3.3, §10.3)', () => {
    let approval: string;
    beforeEach(async () => {
      await start();
      approval = await approvalKey(sim);
    });

    it('answers OPSP0000 with iv/key, then 0002, 0001 and 0003', async () => {
      const c = await client();
      const ok = control(await c.request(approval, 'H0STCNT0', '005930'));
      assert.deepEqual([ok.rtCd, ok.msgCd, ok.msg1, ok.encrypt], ['0', 'OPSP0000', 'SUBSCRIBE SUCCESS', false]);
      assert.ok(ok.aes !== null && ok.aes.iv.length === 16 && /^[a-z]{32}$/.test(ok.aes.key));
      const again = control(await c.request(approval, 'H0STCNT0', '005930'));
      assert.deepEqual([again.rtCd, again.msgCd], ['1', 'OPSP0002']);
      const un = control(await c.request(approval, 'H0STCNT0', '005930', '2'));
      assert.deepEqual([un.rtCd, un.msgCd, un.msg1], ['0', 'OPSP0001', 'UNSUBSCRIBE SUCCESS']);
      const gone = control(await c.request(approval, 'H0STCNT0', '005930', '2'));
      assert.equal(gone.msgCd, 'OPSP0003');
      assert.deepEqual(sim.stats().requests.map((r) => r.answered), ['OPSP0000', 'OPSP0002', 'OPSP0001', 'OPSP0003']);
    });

    it('refuses the 42nd registration with OPSP0008, and frees a slot on unsubscribe', async () => {
      const c = await client();
      for (let i = 0; i < 41; i++) {
        const code = String(100000 + i * 10);
        assert.equal(control(await c.request(approval, i % 2 ? 'H0STASP0' : 'H0STCNT0', code)).msgCd, 'OPSP0000', `registration ${i + 1}`);
      }
      const over = control(await c.request(approval, 'H0UNCNT0', '005930'));
      assert.deepEqual([over.rtCd, over.msgCd, over.msg1], ['1', 'OPSP0008', 'MAX SUBSCRIBE OVER']);
      assert.equal(control(await c.request(approval, 'H0STCNT0', '100000', '2')).msgCd, 'OPSP0001');
      assert.equal(control(await c.request(approval, 'H0UNCNT0', '005930')).msgCd, 'OPSP0000');
    });

    it('answers every documented error path with its code', async () => {
      const c = await client();
      const hdr = { approval_key: approval, custtype: 'P', tr_type: '1', 'content-type': 'utf-8' };
      const input = { tr_id: 'H0STCNT0', tr_key: '005930' };
      const cases: [string, string][] = [
        ['{not json', 'OPSP9999'],
        [JSON.stringify({ body: { input } }), 'OPSP9998'],
        [JSON.stringify({ header: hdr }), 'OPSP9992'],
        [JSON.stringify({ header: hdr, body: {} }), 'OPSP9991'],
        [JSON.stringify({ header: { ...hdr, tr_type: '0' }, body: { input } }), 'OPSP8997'],
        [JSON.stringify({ header: { ...hdr, custtype: undefined }, body: { input } }), 'OPSP9997'],
        [JSON.stringify({ header: { ...hdr, custtype: 'X' }, body: { input } }), 'OPSP8998'],
        [JSON.stringify({ header: { ...hdr, approval_key: '00000000-0000-4000-8000-000000000000' }, body: { input } }), 'OPSP0011'],
        [JSON.stringify({ header: hdr, body: { input: { tr_id: 'H0XXCNT0', tr_key: '005930' } } }), 'OPSP8991'],
        [JSON.stringify({ header: hdr, body: { input: { tr_id: 'H0STCNT0', tr_key: '5930' } } }), 'OPSP8992'],
        [JSON.stringify({ header: hdr, body: { input: { tr_id: 'H0STCNT0' } } }), 'OPSP9990'],
      ];
      for (const [text, code] of cases) {
        const f = control(await c.raw(text));
        assert.deepEqual([f.msgCd, f.rtCd], [code, '1'], text);
        assert.equal(f.msg1, f.info.msg1);
      }
      assert.equal(c.ws.readyState, c.ws.OPEN, 'errors do not close the socket');
    });

    it('answers a subscription with any chosen code on demand', async () => {
      const c = await client();
      sim.faults.refuseNext('OPSP0007', { trKey: '000660' });
      assert.equal(control(await c.request(approval, 'H0STCNT0', '005930')).msgCd, 'OPSP0000');
      assert.equal(control(await c.request(approval, 'H0STCNT0', '000660')).msgCd, 'OPSP0007');
      assert.equal(control(await c.request(approval, 'H0STCNT0', '000660')).msgCd, 'OPSP0000', 'only once');
    });

    it('gives a second live session on the same app key OPSP8996, and frees it on a clean close', async () => {
      const first = await client();
      assert.equal(control(await first.request(approval, 'H0STCNT0', '005930')).msgCd, 'OPSP0000');
      const second = await client();
      const other = await approvalKey(sim); // a new approval key does not help (doc §6.2)
      const refused = control(await second.request(other, 'H0STCNT0', '005930'));
      assert.deepEqual([refused.msgCd, refused.msg1], ['OPSP8996', 'ALREADY IN USE appkey']);
      assert.equal(sim.stats().openSocketsByAppKey[sim.appKey], 1);
      await first.close();
      assert.equal(control(await second.request(other, 'H0STCNT0', '005930')).msgCd, 'OPSP0000');
    });

    it('serves only the paper TRs in paper mode', async () => {
      await sim.stop();
      await start({ mode: 'paper' });
      approval = await approvalKey(sim);
      const c = await client();
      for (const trId of Object.keys(TR_TABLES) as TrId[]) {
        const key = TR_TABLES[trId].kind === 'notice' ? 'myhts' : '005930';
        const expected = TR_TABLES[trId].paper ? 'OPSP0000' : 'OPSP8991';
        assert.equal(control(await c.request(approval, trId, key)).msgCd, expected, trId);
      }
    });
  });

  describe('data frames', () => {
    it('streams every market TR with the exact field counts, in multi-record frames during bursts', async () => {
      await start({ rate: 400, maxBatch: 8 });
      const approval = await approvalKey(sim);
      const c = await client();
      const trs: TrId[] = ['H0STCNT0', 'H0NXCNT0', 'H0UNCNT0', 'H0STASP0', 'H0NXASP0', 'H0UNASP0'];
      for (const trId of trs) assert.equal(control(await c.request(approval, trId, '005930')).msgCd, 'OPSP0000');
      await sleep(400);
      const frames = c.texts.filter((t) => t.startsWith('0|'));
      const seen = new Set<string>();
      let multi = 0, records = 0;
      for (const text of frames) {
        const [, trId, count, payload] = text.split('|') as [string, TrId, string, string];
        assert.match(count, /^\d{3}$/);
        assert.equal(payload.split('^').length, Number(count) * TR_TABLES[trId].fields.length, `${trId} field count`);
        const f = parseFrame(text) as DataFrame;
        assert.equal(f.type, 'data');
        assert.equal(f.records.length, Number(count));
        if (f.records.length > 1) multi++;
        records += f.records.length;
        seen.add(trId);
      }
      assert.deepEqual([...seen].sort(), [...trs].sort());
      assert.ok(multi > 0, 'some frames carry more than one record');
      const sent = sim.stats().recordsSent;
      assert.ok((sent['H0STCNT0|005930'] ?? 0) >= 100, JSON.stringify(sent));
      assert.ok(records <= sim.stats().totalRecordsSent);
    });

    it('sends encrypted 체결통보 that decrypt with the ack key/iv', async () => {
      await start({ noticeIntervalMs: 0 });
      const approval = await approvalKey(sim);
      const c = await client();
      const ack = control(await c.request(approval, 'H0STCNI0', 'myhts'));
      assert.equal(ack.encrypt, true);
      // emitNotice places an order that fills at once: its accepted notice, then its fill(s).
      const frame = c.next((t, f) => t.startsWith('1|H0STCNI0|001|') && f.type === 'data' && f.records[0]!['CNTG_YN'] === '2');
      assert.equal(sim.emitNotice('someone-else'), 0);
      assert.equal(sim.emitNotice('myhts'), 1);
      const f = await frame;
      assert.equal(f.type, 'data');
      const r = (f as DataFrame).records[0]!;
      assert.equal(r['CUST_ID'], 'myhts');
      assert.equal(r['CNTG_YN'], '2');
      const raw = c.texts.find((t) => t.startsWith('1|'))!;
      const plain = decryptPayload(raw.split('|')[3]!, ack.aes!);
      assert.equal(plain.split('^').length, 26);
      assert.throws(() => decryptPayload(raw.split('|')[3]!, { key: 'x'.repeat(32), iv: ack.aes!.iv }));
    });

    it('follows KST hours when asked: nothing on a Saturday, data on a weekday morning', async () => {
      let now = Date.UTC(2026, 6, 25, 3, 0, 0); // Saturday 12:00 KST
      await start({ rate: 200, hours: 'kst', now: () => now });
      const approval = await approvalKey(sim);
      const c = await client();
      await c.request(approval, 'H0STCNT0', '005930');
      await sleep(150);
      assert.equal(sim.stats().totalRecordsSent, 0);
      now = Date.UTC(2026, 6, 24, 1, 0, 0); // Friday 10:00 KST
      const f = (await c.next((t) => t.startsWith('0|'))) as DataFrame;
      assert.equal(f.records[0]!['BSOP_DATE'], '20260724');
    });

    it('acks 통합 for a stock NXT does not trade but never sends it, while KRX streams it', async () => {
      await start({ rate: 300 });
      const approval = await approvalKey(sim);
      const c = await client();
      for (const trId of ['H0UNCNT0', 'H0UNASP0', 'H0NXCNT0', 'H0STCNT0'] as const) {
        assert.equal(control(await c.request(approval, trId, '263750')).msgCd, 'OPSP0000', trId);
      }
      await c.next((t) => t.startsWith('0|H0STCNT0|'));
      await sleep(300);
      const sent = sim.stats().recordsSent;
      assert.ok((sent['H0STCNT0|263750'] ?? 0) > 20, JSON.stringify(sent));
      for (const k of ['H0UNCNT0|263750', 'H0UNASP0|263750', 'H0NXCNT0|263750']) assert.equal(sent[k] ?? 0, 0, k);
      assert.ok(!c.texts.some((t) => /^0\|H0(UN|NX)/.test(t)));
    });

    it('changes the rate while running', async () => {
      await start({ rate: 0 });
      const approval = await approvalKey(sim);
      const c = await client();
      await c.request(approval, 'H0STCNT0', '005930');
      await sleep(100);
      assert.equal(sim.stats().totalRecordsSent, 0);
      sim.setRate(500, '005930');
      await c.next((t) => t.startsWith('0|H0STCNT0'));
    });
  });

  describe('PINGPONG and liveness', () => {
    it('sends PINGPONG at the interval and keeps a session that echoes it', async () => {
      await start({ pingIntervalMs: 50, pingTimeoutMs: 120 });
      const c = await client();
      const ping = await c.next((_t, f) => f.type === 'pingpong');
      assert.match((ping as { raw: string }).raw, /^\{"header":\{"tr_id":"PINGPONG","datetime":"\d{14}"\}\}$/);
      await sleep(400);
      assert.equal(c.ws.readyState, c.ws.OPEN);
      assert.ok(c.texts.filter((t) => t.includes('PINGPONG')).length >= 4);
    });

    it('closes a session that does not echo, and holds its app-key slot (OPSP8996) after that unclean close', async () => {
      await start({ pingIntervalMs: 50, pingTimeoutMs: 150, slotHoldMs: 400 });
      const approval = await approvalKey(sim);
      const mute = await client();
      mute.echoPing = false;
      await mute.request(approval, 'H0STCNT0', '005930');
      assert.equal(await mute.closed, 1006, 'closed without a close frame');
      const next = await client();
      assert.equal(control(await next.request(approval, 'H0STCNT0', '005930')).msgCd, 'OPSP8996');
      await sleep(450);
      assert.equal(control(await next.request(approval, 'H0STCNT0', '005930')).msgCd, 'OPSP0000');
    });
  });

  describe('faults on demand', () => {
    let approval: string;
    beforeEach(async () => {
      await start({ rate: 100 });
      approval = await approvalKey(sim);
    });

    it('drops sockets with a close frame (slot freed) or without one (slot held by holdSlot)', async () => {
      const a = await client();
      await a.request(approval, 'H0STCNT0', '005930');
      sim.faults.dropAll({ clean: true });
      assert.equal(await a.closed, 1000);
      const b = await client();
      assert.equal(control(await b.request(approval, 'H0STCNT0', '005930')).msgCd, 'OPSP0000');
      sim.faults.holdSlot(300);
      sim.faults.dropAll({ clean: false });
      assert.equal(await b.closed, 1006);
      const c = await client();
      assert.equal(control(await c.request(approval, 'H0STCNT0', '005930')).msgCd, 'OPSP8996');
      await sleep(350);
      assert.equal(control(await c.request(approval, 'H0STCNT0', '005930')).msgCd, 'OPSP0000');
    });

    it('goes silent without closing (half-open) and resumes', async () => {
      const c = await client();
      await c.request(approval, 'H0STCNT0', '005930');
      await c.next((t) => t.startsWith('0|'));
      sim.faults.goSilent(true);
      await sleep(30);
      const before = c.texts.length;
      await sleep(200);
      assert.equal(c.texts.length, before, 'nothing arrives');
      assert.equal(c.ws.readyState, c.ws.OPEN, 'and nothing closes');
      sim.faults.goSilent(false);
      await c.next((t) => t.startsWith('0|'));
    });

    it('sends raw malformed, oversized and unknown-TR frames', async () => {
      const c = await client();
      const texts = ['0|H0STCNT0|001|005930^1', '0|H0ZZZZZ0|001|a^b', 'x'.repeat(1 << 20)];
      const got = Promise.all(texts.map((t) => c.next((x) => x === t)));
      for (const t of texts) sim.faults.sendRaw(t);
      const frames = await got;
      assert.deepEqual(frames.map((f) => (f.type === 'error' ? f.code : f.type)), ['field-count', 'unknown-tr', 'not-a-frame']);
    });
  });

  it('stops cleanly: sockets closed with a close frame, port freed', async () => {
    await start();
    const c = await client();
    await sim.stop();
    assert.equal(await c.closed, 1001);
    await assert.rejects(fetch(`${sim.restUrl}/oauth2/Approval`, { method: 'POST', body: '{}' }));
  });
});

describe('embedded simulator (reference counted)', () => {
  it('starts once for concurrent users and stops when the last one leaves', async () => {
    const [a, b] = await Promise.all([acquireEmbeddedSimulator(), acquireEmbeddedSimulator()]);
    assert.equal(a, b);
    assert.equal((await approve(a)).status, 200);
    await releaseEmbeddedSimulator(a);
    assert.equal((await approve(a)).status, 200, 'still running for the second user');
    // No linger (a deploy keeps the market for EMBEDDED_SIMULATOR_LINGER_MS; test/demo/redeploy.spec covers that).
    await releaseEmbeddedSimulator(b, 0);
    await assert.rejects(approve(a));
    const c = await acquireEmbeddedSimulator();
    assert.notEqual(c, a, 'a new instance after a full stop');
    await releaseEmbeddedSimulator(c);
  });
});

describe('kis-simulator command', () => {
  it('prints one JSON line with --json, serves it, and exits 0 on SIGTERM', async function () {
    this.timeout(15000);
    const cli = path.join(__dirname, '..', '..', 'lib', 'simulator', 'cli.js');
    const child = spawn(process.execPath, [cli, '--json', '--port', '0', '--rate', '5', '--seed', '3', '--hours', 'always'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const line = await new Promise<string>((resolve) => createInterface({ input: child.stdout! }).once('line', resolve));
    const info = JSON.parse(line) as Record<string, string>;
    assert.deepEqual(Object.keys(info).sort(), ['appKey', 'appSecret', 'restUrl', 'wsUrl']);
    assert.match(info['wsUrl']!, /^ws:\/\/127\.0\.0\.1:\d+\/tryitout$/);
    const r = await fetch(`${info['restUrl']}/oauth2/Approval`, { method: 'POST', body: buildApprovalRequestBody(info['appKey']!, info['appSecret']!) });
    assert.equal(r.status, 200);
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
  });

  it('reads --ping-interval, --ping-timeout (seconds) and --accept-control-pong', () => {
    const { parseArgs } = require(path.join(__dirname, '..', '..', 'lib', 'simulator', 'cli.js')) as typeof import('../../lib/simulator/cli');
    assert.deepEqual(parseArgs(['--ping-interval', '30', '--ping-timeout=2.5', '--accept-control-pong']).options, { pingIntervalMs: 30_000, pingTimeoutMs: 2_500, acceptControlPong: true });
    assert.deepEqual(parseArgs([]).options, {}, 'defaults stay the library defaults (100 s, text echo only)');
    assert.throws(() => parseArgs(['--ping-interval', '0']), /positive/);
    assert.throws(() => parseArgs(['--ping-timeout']), /number/);
  });

  it('sends PINGPONG at --ping-interval and closes a mute client after --ping-timeout', async function () {
    this.timeout(15000);
    const cli = path.join(__dirname, '..', '..', 'lib', 'simulator', 'cli.js');
    const child = spawn(process.execPath, [cli, '--json', '--ping-interval', '0.1', '--ping-timeout', '0.4'], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const line = await new Promise<string>((resolve) => createInterface({ input: child.stdout! }).once('line', resolve));
      const info = JSON.parse(line) as Record<string, string>;
      const c = await TestClient.open(info['wsUrl']!);
      c.echoPing = false;
      const t0 = Date.now();
      await c.next((_t, f) => f.type === 'pingpong', 3000);
      assert.equal(await c.closed, 1006);
      const elapsed = Date.now() - t0;
      assert.ok(elapsed >= 300, `closed after ${elapsed} ms, not before the timeout`);
    } finally {
      child.kill('SIGTERM');
    }
  });

  it('refuses unknown options with exit code 2', async () => {
    const cli = path.join(__dirname, '..', '..', 'lib', 'simulator', 'cli.js');
    const child = spawn(process.execPath, [cli, '--bogus'], { stdio: 'ignore' });
    assert.equal(await new Promise((resolve) => child.once('exit', resolve)), 2);
  });
});
