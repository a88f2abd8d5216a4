/**
 * kis-config / kis-tick / kis-quote in a real Node-RED runtime (node-red-node-test-helper) against
 * the simulator on loopback, with sentinel secrets and a custom server. Everything the runtime
 * captured (log, status, error, send, exported flows) is scanned for the sentinels at the end.
 */
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { isNumericType } from '../../lib/protocol/field-def';
import { trIdFor, venueOf, EXCHANGES, type Exchange, type MarketKind } from '../../lib/protocol/exchange';
import { TR_TABLES } from '../../lib/protocol/tr-tables';
import { startSimulator } from '../../lib/simulator';
import type { RunningSimulator } from '../../lib/simulator/types';
import { compactFieldNames } from '../../nodes/payload';
import configModule = require('../../nodes/kis-config');
import tickModule = require('../../nodes/kis-tick');
import quoteModule = require('../../nodes/kis-quote');
import {
  callsOf, catchNode, configNode, credsFor, dataNode, delay, helper, helperNode, lastStatus, SENTINEL, Sink, spiedCalls, statusTexts, TAB, until,
  TimerTracker, type FlowNode, type TestNode,
} from './support';

helper.init(require.resolve('node-red'));
const MODULES = [configModule, tickModule, quoteModule] as unknown as ((RED: never) => void)[];

/** Runtime settings of every test: fast timeouts; no market clock (the test simulator's market is always open). */
const SETTINGS = { nodeCloseTimeout: 500, kisConfigAckTimeoutMs: 1500, kisConfigApprovalTimeoutMs: 1500, kisConfigIdleTimeoutMs: 10000, kisConfigJitter: 0, kisConfigInUseDelayMs: 100, kisConfigMarketClock: false };

/** Everything captured by the runtime during the suite, for the secret scan. */
const captured: string[] = [];

function capture(): void {
  captured.push(inspect(spiedCalls(), { depth: 8, showHidden: false }));
  captured.push(inspect(helper.log().getCalls().map((c) => c.args), { depth: 8 }));
  captured.push(JSON.stringify(helper._redNodes.getFlows().flows));
}

function kisOf(msg: Record<string, unknown>): { trId: string; exchange: string; venue: string; kind: string; receivedAt: number } {
  return msg.kis as never;
}

describe('kis nodes in a Node-RED runtime (simulator on loopback)', function () {
  this.timeout(30000);
  let sim: RunningSimulator;
  let flowBase: (extra: FlowNode[], configOverrides?: Partial<Parameters<typeof configNode>[0]>) => FlowNode[];

  before(() => helper.startServer());
  after(() => helper.stopServer());

  beforeEach(async () => {
    sim = await startSimulator({ credentials: [SENTINEL], seed: 7, rate: 20, pingIntervalMs: 1000, pingTimeoutMs: 5000 });
    helper.settings(SETTINGS);
    flowBase = (extra, o = {}) => [TAB, configNode({ restUrl: sim.restUrl, wsUrl: sim.wsUrl, ...o }), ...extra];
  });

  afterEach(async () => {
    capture();
    await helper.unload();
    await sim.stop();
    helper.settings({});
  });

  async function load(flow: FlowNode[]): Promise<void> {
    await helper.load(MODULES, flow, credsFor());
  }

  describe('records', () => {
    const cases: { kind: MarketKind; x: Exchange }[] = [];
    for (const kind of ['tick', 'quote'] as const) for (const x of EXCHANGES) cases.push({ kind, x });

    it('every TR and exchange delivers typed msgs with the fields of its TR', async () => {
      const nodes: FlowNode[] = [];
      cases.forEach((c, i) => nodes.push(dataNode(c.kind === 'tick' ? 'kis-tick' : 'kis-quote', `n${i}`, { exchange: c.x }, [`o${i}`]), helperNode(`o${i}`)));
      await load(flowBase(nodes));
      const sinks = cases.map((_, i) => new Sink(helper.getNode(`o${i}`)));
      await Promise.all(sinks.map((s, i) => s.wait(`records of ${cases[i]!.kind} ${cases[i]!.x}`, () => true, 2)));
      cases.forEach((c, i) => {
        const table = TR_TABLES[trIdFor(c.kind, c.x)];
        for (const msg of sinks[i]!.msgs.slice(0, 2)) {
          assert.equal(msg.topic, '005930');
          const kis = kisOf(msg);
          assert.deepEqual({ ...kis, receivedAt: 0, name: undefined }, { trId: table.trId, exchange: c.x, venue: venueOf(c.x), kind: c.kind, receivedAt: 0, routedTo: null, routeReason: null, name: undefined });
          // The name arrives once the simulator's stock master is loaded (test/nodes/master.spec.ts).
          assert.ok((kis as { name?: string }).name === undefined || (kis as { name?: string }).name === '삼성전자');
          assert.ok(Math.abs(kis.receivedAt - Date.now()) < 10000);
          const payload = msg.payload as Record<string, unknown>;
          assert.deepEqual(Object.keys(payload), [...table.fields.map((f) => f.name), 'timestamp', 'epochMs']);
          for (const f of table.fields) {
            const v = payload[f.name];
            if (isNumericType(f.type)) assert.ok(typeof v === 'number' || v === null, `${table.trId} ${f.name} is ${typeof v}`);
            else assert.equal(typeof v, 'string', `${table.trId} ${f.name}`);
          }
          assert.equal(payload.MKSC_SHRN_ISCD, '005930');
          assert.equal(typeof payload.epochMs, 'number');
          assert.match(String(payload.timestamp), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+09:00$/);
        }
      });
      // KIS differs only where it differs: field 21 of 체결, the 6 mid-price fields of NXT/통합 호가.
      const tickKrx = sinks[cases.findIndex((c) => c.kind === 'tick' && c.x === 'KRX')]!.msgs[0]!.payload as Record<string, unknown>;
      const tickUn = sinks[cases.findIndex((c) => c.kind === 'tick' && c.x === 'UN')]!.msgs[0]!.payload as Record<string, unknown>;
      assert.ok('CCLD_DVSN' in tickKrx && !('CNTG_CLS_CODE' in tickKrx));
      assert.ok('CNTG_CLS_CODE' in tickUn && !('CCLD_DVSN' in tickUn));
    });

    it('compact payloads carry exactly the compact fields', async () => {
      await load(flowBase([
        dataNode('kis-tick', 't1', { payload: 'compact', exchange: 'KRX' }, ['o1']), helperNode('o1'),
        dataNode('kis-quote', 'q1', { payload: 'compact', exchange: 'NXT' }, ['o2']), helperNode('o2'),
      ]));
      const [ticks, quotes] = [new Sink(helper.getNode('o1')), new Sink(helper.getNode('o2'))];
      await ticks.wait('compact ticks', undefined, 2);
      await quotes.wait('compact quotes', undefined, 2);
      assert.deepEqual(Object.keys(ticks.msgs[0]!.payload as object), compactFieldNames('tick'));
      assert.deepEqual(Object.keys(quotes.msgs[0]!.payload as object), compactFieldNames('quote'));
      assert.equal(typeof (ticks.msgs[0]!.payload as Record<string, unknown>).STCK_PRPR, 'number');
      assert.equal(kisOf(quotes.msgs[0]!).trId, 'H0NXASP0');
    });

    it('conflation sends at most one msg per code every N ms, the latest record', async () => {
      sim.setRate(60);
      await load(flowBase([
        dataNode('kis-tick', 't1', { codes: '005930 000660', output: 'conflate', conflateMs: 250 }, ['o1']), helperNode('o1'),
        dataNode('kis-tick', 't2', { codes: '005930 000660' }, ['o2']), helperNode('o2'),
      ]));
      const conflated = new Sink(helper.getNode('o1'));
      const each = new Sink(helper.getNode('o2'));
      await conflated.wait('conflated msgs of both codes', (m) => m.topic === '000660', 1);
      conflated.clear();
      each.clear();
      await delay(1300);
      for (const code of ['005930', '000660']) {
        const mine = conflated.msgs.filter((m) => m.topic === code);
        const raw = each.msgs.filter((m) => m.topic === code);
        assert.ok(mine.length >= 3 && mine.length <= 7, `${code}: ${mine.length} conflated msgs in 1.3 s`);
        assert.ok(raw.length > mine.length * 3, `${code}: raw ${raw.length} vs conflated ${mine.length}`);
        for (let i = 1; i < mine.length; i++) {
          const gap = kisOf(mine[i]!).receivedAt - kisOf(mine[i - 1]!).receivedAt;
          assert.ok(gap >= 0, 'conflated msgs are in order');
        }
      }
    });

    it('several nodes on one code each get every record while KIS sees one registration', async () => {
      await load(flowBase([
        dataNode('kis-tick', 't1', {}, ['o1']), helperNode('o1'),
        dataNode('kis-tick', 't2', {}, ['o2']), helperNode('o2'),
        dataNode('kis-tick', 't3', { exchange: 'SOR' }, ['o3']), helperNode('o3'),
      ]));
      const sinks = ['o1', 'o2', 'o3'].map((id) => new Sink(helper.getNode(id)));
      await Promise.all(sinks.map((s) => s.wait('records', undefined, 5)));
      await delay(200);
      const subs = sim.stats().requests.filter((r) => r.trType === '1' && r.trId === 'H0UNCNT0' && r.trKey === '005930');
      assert.equal(subs.length, 1);
      // Same records, distinct payload objects (no flow can corrupt another's msgs).
      const stamp = (m: Record<string, unknown>) => JSON.stringify(m.payload);
      const first = new Set(sinks[0]!.msgs.map(stamp));
      assert.ok(sinks[1]!.msgs.some((m) => first.has(stamp(m))));
      const objects = new Set(sinks[0]!.msgs.map((m) => m.payload));
      assert.ok(!sinks[1]!.msgs.some((m) => objects.has(m.payload)));
    });
  });

  describe('subscriptions from input msgs', () => {
    it('subscribes, unsubscribes and replaces (with another exchange) without a redeploy', async () => {
      await load(flowBase([dataNode('kis-tick', 't1', {}, ['o1']), helperNode('o1'), catchNode(), helperNode('caught')]));
      const t1 = helper.getNode('t1');
      const out = new Sink(helper.getNode('o1'));
      const caught = new Sink(helper.getNode('caught'));
      await out.wait('005930');
      t1.receive({ payload: { action: 'subscribe', codes: '000660' } });
      await out.wait('000660 after subscribe', (m) => m.topic === '000660');
      t1.receive({ payload: { action: 'unsubscribe', codes: ['005930'] } });
      await delay(300);
      out.clear();
      await delay(500);
      assert.equal(out.count((m) => m.topic === '005930'), 0, 'no 005930 after unsubscribe');
      assert.ok(out.count((m) => m.topic === '000660') > 0);
      t1.receive({ payload: { action: 'replace', codes: '035720', exchange: 'KRX' } });
      await out.wait('035720 on KRX', (m) => m.topic === '035720' && kisOf(m).trId === 'H0STCNT0');
      await delay(300);
      out.clear();
      await delay(500);
      assert.equal(out.count((m) => m.topic !== '035720'), 0);
      assert.ok(out.msgs.every((m) => kisOf(m).exchange === 'KRX'));
      t1.receive({ payload: '005930, 000660' });
      await out.wait('shorthand replace', (m) => m.topic === '000660');
      assert.equal(caught.msgs.length, 0);
      assert.equal(lastStatus(t1)?.fill, 'green');
      const unsubs = sim.stats().requests.filter((r) => r.trType === '2');
      assert.ok(unsubs.some((r) => r.trId === 'H0UNCNT0' && r.trKey === '005930'));
    });

    it('a bad code in a msg reaches a catch node with that msg; the valid ones still subscribe', async () => {
      await load(flowBase([dataNode('kis-tick', 't1', {}, ['o1']), helperNode('o1'), catchNode(), helperNode('caught')]));
      const t1 = helper.getNode('t1');
      const out = new Sink(helper.getNode('o1'));
      const caught = new Sink(helper.getNode('caught'));
      await out.wait('005930');
      t1.receive({ payload: { action: 'subscribe', codes: 'ABC, 00593, 000660' }, tag: 'mine' });
      const [err] = await caught.wait('caught bad code');
      assert.equal(err!.tag, 'mine');
      const e = err!.error as { message: string; source: { id: string } };
      assert.match(e.message, /kis-config\.errors\.bad-codes: ABC, 00593$/);
      assert.equal(e.source.id, 't1');
      await out.wait('000660 still subscribed', (m) => m.topic === '000660');
      assert.equal(lastStatus(t1)?.fill, 'red');
      t1.receive({ payload: { action: 'bogus' } });
      await caught.wait('bad action', (m) => /bad-action/.test((m.error as { message: string }).message));
    });

    it('bad codes in the config: red status and one error at start; valid codes still stream', async () => {
      await load(flowBase([dataNode('kis-tick', 't1', { codes: '005930, 59X, hello' }, ['o1']), helperNode('o1')]));
      const t1 = helper.getNode('t1');
      const out = new Sink(helper.getNode('o1'));
      await out.wait('005930 streams');
      const errors = callsOf(t1, 'error');
      assert.equal(errors.length, 1);
      assert.match(String(errors[0]![0]), /kis-config\.errors\.bad-codes: 59X, HELLO/);
      assert.deepEqual({ fill: lastStatus(t1)?.fill, shape: lastStatus(t1)?.shape }, { fill: 'red', shape: 'ring' });
    });

    it('a refused registration reaches a catch node while other nodes keep streaming', async () => {
      sim.faults.refuseNext('OPSP0008', { trKey: '000660' });
      await load(flowBase([
        dataNode('kis-tick', 't1', {}, ['o1']), helperNode('o1'),
        dataNode('kis-tick', 't2', { codes: '000660' }, ['o2']), helperNode('o2'),
        catchNode(), helperNode('caught'),
      ]));
      const out1 = new Sink(helper.getNode('o1'));
      const caught = new Sink(helper.getNode('caught'));
      const [err] = await caught.wait('refusal');
      const e = err!.error as { message: string; source: { id: string } };
      assert.equal(e.source.id, 't2');
      assert.match(e.message, /OPSP0008/);
      const t2 = helper.getNode('t2');
      await until('red status of t2', () => lastStatus(t2)?.fill === 'red');
      assert.match(String(lastStatus(t2)?.text), /^OPSP0008 /);
      out1.clear();
      await out1.wait('t1 keeps streaming', undefined, 3);
      assert.equal(lastStatus(helper.getNode('t1'))?.fill, 'green');
    });
  });

  describe('status', () => {
    it('shows connecting, connected, reconnecting r/max and connected again after a drop', async () => {
      await load(flowBase([dataNode('kis-tick', 't1', {}, ['o1']), helperNode('o1')], { maxRetries: 5 }));
      const t1 = helper.getNode('t1');
      await until('connected', () => lastStatus(t1)?.text === 'kis-config.status.connected-one');
      const texts = statusTexts(t1).map((s) => s.text);
      assert.ok(texts.includes('node-red:common.status.connecting'));
      assert.deepEqual({ ...lastStatus(t1) }, { fill: 'green', shape: 'dot', text: 'kis-config.status.connected-one' });
      sim.faults.dropAll({ clean: false });
      await until('reconnecting', () => statusTexts(t1).some((s) => s.text === 'kis-config.status.reconnecting' && s.fill === 'yellow' && s.shape === 'ring'));
      await until('connected again', () => lastStatus(t1)?.text === 'kis-config.status.connected-one');
      const out = new Sink(helper.getNode('o1'));
      await out.wait('records after the reconnect');
    });

    it('reports a failed connection to every node (status and catch) after the retries', async () => {
      await load(flowBase([
        dataNode('kis-tick', 't1', {}, ['o1']), helperNode('o1'),
        dataNode('kis-quote', 'q1', {}, ['o2']), helperNode('o2'),
        catchNode(), helperNode('caught'),
      ], { maxRetries: 2, reconnectInitialMs: 20, reconnectMaxMs: 40 }));
      const t1 = helper.getNode('t1');
      await until('connected', () => lastStatus(t1)?.text === 'kis-config.status.connected-one');
      const caught = new Sink(helper.getNode('caught'));
      await sim.stop(); // every reconnect attempt now fails

      for (const id of ['t1', 'q1']) await until(`failed status of ${id}`, () => lastStatus(helper.getNode(id))?.fill === 'red', 10000);
      const got = await caught.wait('connection failures', undefined, 2);
      assert.deepEqual(new Set(got.map((m) => (m.error as { source: { id: string } }).source.id)), new Set(['t1', 'q1']));
      assert.ok(got.every((m) => /kis-config\.errors\.connection-failed: /.test((m.error as { message: string }).message)));
      assert.ok(got.every((m) => (m.payload as { state: string }).state === 'failed'));
    });

    it('outside market hours reads "market closed · opens" (blue ring), not broken', async () => {
      // Saturday 2026-07-25 12:00 KST.
      helper.settings({ ...SETTINGS, kisConfigMarketClock: true, kisConfigClock: () => Date.UTC(2026, 6, 25, 3, 0, 0) });
      await load(flowBase([dataNode('kis-tick', 't1', { exchange: 'KRX' }, ['o1']), helperNode('o1')]));
      const t1 = helper.getNode('t1');
      await until('market closed', () => lastStatus(t1)?.text === 'kis-config.status.closed-opens');
      assert.deepEqual({ fill: lastStatus(t1)?.fill, shape: lastStatus(t1)?.shape }, { fill: 'blue', shape: 'ring' });
    });

    it('a node without a kis-config says so and does not crash', async () => {
      await helper.load(MODULES, [TAB, { ...dataNode('kis-tick', 't1', {}, ['o1']), server: 'nope' }, helperNode('o1')]);
      const t1 = helper.getNode('t1');
      await until('red status', () => lastStatus(t1)?.fill === 'red');
      assert.match(String(callsOf(t1, 'error')[0]?.[0]), /missing-config/);
    });
  });

  describe('sessions', () => {
    it('two config nodes with the same app key share one socket and never get OPSP8996', async () => {
      const c2 = { ...configNode({ id: 'c2', restUrl: sim.restUrl, wsUrl: sim.wsUrl }) };
      await helper.load(MODULES, [...flowBase([
        dataNode('kis-tick', 't1', {}, ['o1']), helperNode('o1'),
        { ...dataNode('kis-quote', 'q2', { codes: '000660' }, ['o2']), server: 'c2' }, helperNode('o2'),
      ]), c2], { ...credsFor('c1'), ...credsFor('c2') });
      await new Sink(helper.getNode('o1')).wait('c1 streams');
      await new Sink(helper.getNode('o2')).wait('c2 streams');
      assert.equal(sim.stats().openSocketsByAppKey[SENTINEL.appKey], 1);
      assert.equal(sim.stats().requests.filter((r) => r.answered === 'OPSP8996').length, 0);
    });

    it('a second config node with the same app key but another secret fails with a clear message', async () => {
      const c2 = { ...configNode({ id: 'c2', restUrl: sim.restUrl, wsUrl: sim.wsUrl }) };
      await helper.load(MODULES, [...flowBase([
        dataNode('kis-tick', 't1', {}, ['o1']), helperNode('o1'),
        { ...dataNode('kis-tick', 't2', { codes: '000660' }, ['o2']), server: 'c2' }, helperNode('o2'),
      ]), c2], { ...credsFor('c1'), c2: { appKey: SENTINEL.appKey, appSecret: 'another-secret-entirely' } });
      await new Sink(helper.getNode('o1')).wait('c1 streams');
      const t2 = helper.getNode('t2');
      await until('t2 failed', () => lastStatus(t2)?.fill === 'red');
      assert.match(String(callsOf(t2, 'error')[0]?.[0]), /connection-failed: .*one session per app key/);
      assert.equal(sim.stats().openSockets, 1);
    });

    it("server 'simulator' (the default) streams from the embedded simulator without credentials", async () => {
      await helper.load(MODULES, [TAB, { id: 'c1', type: 'kis-config', name: '', server: 'simulator', custType: 'P' }, dataNode('kis-quote', 'q1', {}, ['o1']), helperNode('o1')]);
      const [msg] = await new Sink(helper.getNode('o1')).wait('embedded simulator records', undefined, 1, 10000);
      assert.equal(kisOf(msg!).trId, 'H0UNASP0');
      await until('connected', () => lastStatus(helper.getNode('q1'))?.text === 'kis-config.status.connected-one');
    });

    it('closes the socket when the last user is removed', async () => {
      const flow = flowBase([dataNode('kis-tick', 't1', {}, ['o1']), helperNode('o1')]);
      await load(flow);
      await new Sink(helper.getNode('o1')).wait('streaming');
      await helper.setFlows(flowBase([helperNode('o1')]), 'nodes', credsFor());
      await until('socket closed', () => sim.stats().openSockets === 0);
    });

    it('50 redeploys in a row while streaming leave one socket and no leaked timers or sockets', async function () {
      this.timeout(90000);
      const resources = () => process.getActiveResourcesInfo().filter((r) => r !== 'TTYWrap' && r !== 'FSReqCallback').sort();
      const before = resources();
      const timers = new TimerTracker().start();
      const flowOf = (i: number) => flowBase([dataNode('kis-tick', 't1', { name: `n${i}`, codes: i % 2 === 0 ? '005930' : '005930 000660' }, ['o1']), helperNode('o1')]);
      await load(flowOf(0));
      await new Sink(helper.getNode('o1')).wait('streaming');
      const types = ['nodes', 'flows', 'full'] as const;
      let maxSockets = 0;
      for (let i = 1; i <= 50; i++) {
        await helper.setFlows(flowOf(i), types[i % 3]!, credsFor());
        maxSockets = Math.max(maxSockets, sim.stats().openSockets);
        await delay(10);
        maxSockets = Math.max(maxSockets, sim.stats().openSockets);
      }
      const sink = new Sink(helper.getNode('o1'));
      await sink.wait('streaming after 50 redeploys', (m) => m.topic === '000660' || m.topic === '005930', 3, 10000);
      assert.ok(maxSockets <= 1, `at most one socket during redeploys (saw ${maxSockets})`);
      assert.equal(sim.stats().openSockets, 1);
      assert.equal(sim.stats().requests.filter((r) => r.answered === 'OPSP8996').length, 0);
      capture();
      await helper.unload();
      await until('no socket after unload', () => sim.stats().openSockets === 0);
      // Short-lived timers (a close handshake, an approval request's abort timer) may still be running; a leak never goes.
      const count = (list: string[], type: string) => list.filter((r) => r === type).length;
      await until('no pending timers', () => timers.pending().length === 0, 4000, 50).catch(() => undefined);
      timers.stop();
      assert.deepEqual(timers.pending(), [], 'timers left behind');
      // fetch (the approval request) keeps an idle keep-alive socket for a few seconds: wait it out.
      const socketsBack = () => ['TCPSocketWrap', 'TCPWrap'].every((type) => count(resources(), type) <= count(before, type));
      await until('sockets back to the count before the test', socketsBack, 8000, 100).catch(() => undefined);
      const after = resources();
      for (const type of ['TCPSocketWrap', 'TCPWrap']) {
        assert.ok(count(after, type) <= count(before, type), `${type}: ${count(before, type)} before, ${count(after, type)} after`);
      }
    });
  });

  describe('secrets', () => {
  it('never shows the app key or app secret: logs, status, errors, msgs and exported flows (secret scan)', async () => {
    // The last suite: `captured` holds what every test before it recorded.
    await load(flowBase([dataNode('kis-tick', 't1', {}, ['o1']), helperNode('o1')]));
    await new Sink(helper.getNode('o1')).wait('streaming');
    const exported = JSON.stringify(helper._redNodes.getFlows().flows);
    assert.ok(!exported.includes('credentials'), 'no credentials in the exported flows');
    capture();
    assert.ok(captured.length > 40, `captured ${captured.length} chunks`);
    const all = captured.join('\n');
    assert.ok(all.includes('kis-config.status.connected'), 'the scan sees the status texts');
    for (const secret of Object.values(SENTINEL)) {
      assert.ok(!all.includes(secret), `a sentinel secret appeared in captured output`);
      assert.ok(!all.includes(secret.slice(0, 16)), 'a part of a sentinel secret appeared in captured output');
    }
  });
  });
});
