/**
 * kis-notice in a real Node-RED runtime (node-red-node-test-helper) against the simulator on
 * loopback: orders placed on the simulator come out as typed, decrypted msgs with the account
 * masked; the wrong-HTS-ID trap, notices lost before the key after a reconnect, the paper TR,
 * and the secret scan (HTS ID, account, app key).
 */
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { startSimulator } from '../../lib/simulator';
import type { RunningSimulator, SimulatorOptions } from '../../lib/simulator/types';
import configModule = require('../../nodes/kis-config');
import noticeModule = require('../../nodes/kis-notice');
import tickModule = require('../../nodes/kis-tick');
import {
  callsOf, catchNode, configNode, dataNode, helper, helperNode, lastStatus, SENTINEL, Sink, spiedCalls, statusTexts, TAB, until, type FlowNode,
} from './support';

helper.init(require.resolve('node-red'));
const MODULES = [configModule, tickModule, noticeModule] as unknown as ((RED: never) => void)[];
const SETTINGS = { nodeCloseTimeout: 500, kisConfigAckTimeoutMs: 1500, kisConfigApprovalTimeoutMs: 1500, kisConfigIdleTimeoutMs: 10000, kisConfigJitter: 0, kisConfigInUseDelayMs: 100, kisConfigMarketClock: false };
const HTS_ID = 'SENTINELHTS7';
const ACCOUNT = '7364019205';
const captured: string[] = [];

function noticeNode(id: string, props: Record<string, unknown> = {}, wires: string[] = ['out']): FlowNode {
  return { id, type: 'kis-notice', z: 'f1', name: '', server: 'c1', showAccount: false, wires: [wires], ...props };
}

type Payload = Record<string, unknown> & { fields: Record<string, unknown> };
const payloadOf = (m: Record<string, unknown>): Payload => m.payload as Payload;

describe('kis-notice in a Node-RED runtime (simulator on loopback)', function () {
  this.timeout(40000);
  let sim: RunningSimulator;

  before(() => helper.startServer());
  after(() => helper.stopServer());
  afterEach(async () => {
    captured.push(inspect(spiedCalls(), { depth: 8 }), inspect(helper.log().getCalls().map((c) => c.args), { depth: 8 }), JSON.stringify(helper._redNodes.getFlows().flows));
    await helper.unload();
    await sim.stop();
    helper.settings({});
  });

  async function load(extra: FlowNode[], simOptions: SimulatorOptions = {}, creds: Record<string, string> = { htsId: HTS_ID }, config: Record<string, unknown> = {}): Promise<void> {
    sim = await startSimulator({ credentials: [SENTINEL], seed: 5, rate: 20, htsId: HTS_ID, account: ACCOUNT, autoOrderIntervalMs: 0, pingIntervalMs: 1000, pingTimeoutMs: 5000, ...simOptions });
    helper.settings(SETTINGS);
    await helper.load(MODULES, [TAB, { ...configNode({ restUrl: sim.restUrl, wsUrl: sim.wsUrl }), ...config }, ...extra], { c1: { appKey: SENTINEL.appKey, appSecret: SENTINEL.appSecret, ...creds } });
  }

  it('accepted and fill notices of orders placed on the simulator: decrypted, typed, account masked, HTS ID hidden', async () => {
    await load([noticeNode('n1'), helperNode('out')]);
    const n1 = helper.getNode('n1');
    await until('listening', () => lastStatus(n1)?.text === 'kis-notice.status.listening');
    const out = new Sink(helper.getNode('out'));
    const placed = sim.orders.place({ code: '005930', side: 'buy', qty: 150 });
    assert.equal(placed.accepted, true);
    const msgs = await out.wait('last fill', (m) => payloadOf(m).complete === true, 1, 15000);
    const mine = out.msgs.filter((m) => payloadOf(m).orderNo === placed.orderNo);
    const first = payloadOf(mine[0]!);
    assert.equal(first.kind, 'accepted', JSON.stringify(out.msgs.map((m) => [payloadOf(m).kind, payloadOf(m).orderNo, payloadOf(m).time])));
    assert.equal(first.kind, 'accepted');
    assert.equal(mine[0]!.topic, '005930');
    assert.deepEqual([first.code, first.name, first.side, first.quantity, first.price, first.filledQty], ['005930', '삼성전자', 'buy', 150, 0, 0]);
    assert.equal(first.account, '73******05');
    assert.equal(first.fields.ACNT_NO, '73******05');
    assert.equal(first.fields.CUST_ID, '***');
    assert.match(String(first.time), /^\d\d:\d\d:\d\d$/);
    assert.match(String(first.timestamp), /\+09:00$/);
    const fills = mine.slice(1).map(payloadOf);
    assert.ok(fills.length >= 1 && fills.every((p) => p.kind === 'filled' && typeof p.fillPrice === 'number' && (p.filledQty as number) > 0));
    assert.equal(fills.reduce((s, p) => s + (p.filledQty as number), 0), 150);
    const last = payloadOf(msgs[msgs.length - 1]!);
    assert.deepEqual([last.cumulativeQty, last.remainingQty, last.complete], [150, 0, true]);
    // every raw field, typed: numbers are numbers
    assert.equal(typeof last.fields.CNTG_QTY, 'number');
    assert.equal(typeof last.fields.ODER_QTY, 'number');
    assert.equal(Object.keys(last.fields).filter((k) => k !== 'timestamp' && k !== 'epochMs').length, 26);
    assert.equal((mine[0]!.kis as { trId: string }).trId, 'H0STCNI0');
    // a rejection reaches the flow too
    sim.orders.place({ code: '005930', side: 'buy', qty: 1, price: 99_999_999 });
    await out.wait('rejected', (m) => payloadOf(m).kind === 'rejected');
    assert.equal(callsOf(n1, 'error').length, 0);
  });

  it('shows the whole account number only when asked', async () => {
    await load([noticeNode('n1', { showAccount: true }), helperNode('out')], { account: '11112222-01' });
    await until('listening', () => lastStatus(helper.getNode('n1'))?.text === 'kis-notice.status.listening');
    const out = new Sink(helper.getNode('out'));
    sim.orders.place({ code: '000660', side: 'sell', qty: 1 });
    const [m] = await out.wait('notice');
    assert.equal(payloadOf(m!).account, '1111222201');
    assert.equal(payloadOf(m!).fields.CUST_ID, '***');
  });

  it('a wrong HTS ID: KIS-like drops after the ack become "HTS ID 확인" (badge, log, catch) instead of a silent loop; ticks keep streaming', async () => {
    await load([dataNode('kis-tick', 't1', {}, ['ticks']), helperNode('ticks'), noticeNode('n1'), helperNode('out'), catchNode('k1', ['n1']), helperNode('caught')], {}, { htsId: 'WRONGID99' });
    const n1 = helper.getNode('n1');
    const caught = new Sink(helper.getNode('caught'));
    await until('HTS ID badge', () => lastStatus(n1)?.text === 'kis-notice.status.hts-id', 20000, 50);
    assert.deepEqual({ ...lastStatus(n1) }, { fill: 'red', shape: 'ring', text: 'kis-notice.status.hts-id' });
    assert.ok(callsOf(n1, 'warn').some((a) => String(a[0]).includes('kis-notice.errors.hts-id')), 'a warn line says it');
    await caught.wait('catch node sees it', (m) => (m.payload as { code?: string }).code === 'HTS_ID');
    const drops = sim.stats().requests.filter((r) => r.trId === 'H0STCNI0').length;
    assert.ok(drops >= 2 && drops <= 3, `stopped after the pattern (${drops} notice subscriptions)`);
    // The session calms down: the tick node streams on one socket, no more notice subscriptions.
    const ticks = new Sink(helper.getNode('ticks'));
    await ticks.wait('ticks after the diagnosis', undefined, 5, 10000);
    assert.equal(sim.stats().requests.filter((r) => r.trId === 'H0STCNI0').length, drops);
    // The badge of the healthy tick node is not red.
    assert.notEqual(lastStatus(helper.getNode('t1'))?.fill, 'red');
  });

  it('notices that arrive before the new ack after a reconnect are counted and said (badge and log), not lost silently', async () => {
    // Requests 1 s apart: after a reconnect the tick registration is restored first, the notice one a second later.
    await load([dataNode('kis-tick', 't1', {}, ['ticks']), helperNode('ticks'), noticeNode('n1'), helperNode('out')], {}, { htsId: HTS_ID }, { pacingMs: 1000 });
    const n1 = helper.getNode('n1');
    await until('listening', () => lastStatus(n1)?.text === 'kis-notice.status.listening', 10000);
    const before = sim.stats().requests.length;
    sim.faults.dropAll();
    await until('tick restored on the new socket', () => sim.stats().requests.slice(before).some((r) => r.trId === 'H0UNCNT0'), 10000, 5).catch((err: Error) => {
      throw new Error(`${err.message}: ${JSON.stringify(sim.stats().requests.slice(before))} ${JSON.stringify(statusTexts(n1))}`);
    });
    assert.ok(!sim.stats().requests.slice(before).some((r) => r.trId === 'H0STCNI0'), 'the notice ack has not happened yet');
    // KIS sends an encrypted notice before the ack that carries its key.
    sim.faults.sendRaw('1|H0STCNI0|001|AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    sim.faults.sendRaw('1|H0STCNI0|001|BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB');
    await until('warned once at the first', () => callsOf(n1, 'warn').some((a) => String(a[0]).includes('kis-notice.log.lost-first')), 3000);
    await until('summary after the ack', () => callsOf(n1, 'warn').some((a) => String(a[0]).includes('kis-notice.log.lost')  && !String(a[0]).includes('lost-first')), 10000);
    await until('badge shows the loss', () => statusTexts(n1).some((s) => s.fill === 'yellow' && String(s.text).includes('kis-notice.status.lost')), 10000);
    // and the node works on with the new key
    const out = new Sink(helper.getNode('out'));
    sim.orders.place({ code: '005930', side: 'buy', qty: 1 });
    await out.wait('notices after the reconnect', undefined, 1, 10000);
  });

  it('subscribes H0STCNI9 where H0STCNI0 is not served (a paper-mode simulator on a custom URL)', async () => {
    await load([noticeNode('n1'), helperNode('out')], { mode: 'paper' });
    const out = new Sink(helper.getNode('out'));
    await until('listening', () => lastStatus(helper.getNode('n1'))?.text === 'kis-notice.status.listening', 10000);
    sim.orders.place({ code: '005930', side: 'buy', qty: 1 });
    const [m] = await out.wait('paper notice');
    assert.equal((m!.kis as { trId: string }).trId, 'H0STCNI9');
    assert.deepEqual(sim.stats().requests.filter((r) => r.trType === '1').map((r) => [r.trId, r.answered]), [['H0STCNI0', 'OPSP8991'], ['H0STCNI9', 'OPSP0000']]);
  });

  it('without an HTS ID: a red badge and one clear error, nothing subscribed', async () => {
    await load([noticeNode('n1'), helperNode('out')], {}, {});
    const n1 = helper.getNode('n1');
    await until('red badge', () => lastStatus(n1)?.text === 'kis-notice.errors.no-hts-id', 10000);
    assert.equal(lastStatus(n1)?.fill, 'red');
    assert.equal(callsOf(n1, 'error').length, 1);
    assert.equal(sim.stats().requests.filter((r) => r.trId.startsWith('H0STCNI')).length, 0);
  });

  it('secret scan: the HTS ID, the account number and the app key never appear in logs, status, errors, msgs or exported flows', async () => {
    await load([noticeNode('n1'), helperNode('out')]);
    const out = new Sink(helper.getNode('out'));
    await until('listening', () => lastStatus(helper.getNode('n1'))?.text === 'kis-notice.status.listening');
    sim.orders.place({ code: '005930', side: 'buy', qty: 2 });
    await out.wait('notice');
    captured.push(inspect(out.msgs, { depth: 8 }));
    const exported = JSON.stringify(helper._redNodes.getFlows().flows);
    assert.ok(!exported.includes('credentials') && !exported.includes(HTS_ID));
    captured.push(inspect(spiedCalls(), { depth: 8 }), inspect(helper.log().getCalls().map((c) => c.args), { depth: 8 }), exported);
    const all = captured.join('\n');
    assert.ok(all.includes('kis-notice.status.listening') && all.includes('73******05'), 'the scan sees statuses and msgs');
    for (const secret of [HTS_ID, 'WRONGID99', ACCOUNT, SENTINEL.appKey, SENTINEL.appSecret]) assert.ok(!all.includes(secret), `a secret appeared: ${secret.slice(0, 3)}…`);
  });
});
