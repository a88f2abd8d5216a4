/**
 * kis-bars in a real Node-RED runtime (node-red-node-test-helper), fed by a real kis-tick streaming
 * from the simulator on loopback: every bar matches the trades that went into it.
 */
import assert from 'node:assert/strict';
import type { BarPayload, InfluxPayload } from '../../lib/bars/bar';
import { startSimulator } from '../../lib/simulator';
import type { RunningSimulator } from '../../lib/simulator/types';
import configModule = require('../../nodes/kis-config');
import tickModule = require('../../nodes/kis-tick');
import barsModule = require('../../nodes/kis-bars');
import { catchNode, configNode, credsFor, dataNode, delay, helper, helperNode, lastStatus, SENTINEL, Sink, TAB, until, type FlowNode } from '../nodes/support';

helper.init(require.resolve('node-red'));
const MODULES = [configModule, tickModule, barsModule] as unknown as ((RED: never) => void)[];
const SETTINGS = { nodeCloseTimeout: 500, kisConfigAckTimeoutMs: 1500, kisConfigApprovalTimeoutMs: 1500, kisConfigIdleTimeoutMs: 10000, kisConfigJitter: 0, kisConfigMarketClock: false };

function barsNode(props: Record<string, unknown> = {}): FlowNode {
  return { id: 'b1', type: 'kis-bars', z: 'f1', name: '', interval: '1s', graceMs: 300, partialMs: 0, shape: 'object', wires: [['bars']], ...props };
}

describe('kis-bars in a Node-RED runtime, fed by kis-tick on the simulator', function () {
  this.timeout(30000);
  let sim: RunningSimulator;

  before(() => helper.startServer());
  after(() => helper.stopServer());
  beforeEach(async () => {
    sim = await startSimulator({ credentials: [SENTINEL], seed: 11, rate: 30, maxBatch: 6 });
    helper.settings(SETTINGS);
  });
  afterEach(async () => {
    await helper.unload();
    await sim.stop();
    helper.settings({});
  });

  async function load(extra: FlowNode[], tick: Record<string, unknown> = {}): Promise<void> {
    const flow = [
      TAB, configNode({ restUrl: sim.restUrl, wsUrl: sim.wsUrl }),
      dataNode('kis-tick', 't1', { codes: '005930 000660', ...tick }, ['b1', 'ticks']),
      helperNode('ticks'), helperNode('bars'), ...extra,
    ];
    await helper.load(MODULES, flow, credsFor());
  }

  it('sends one bar per code per second that equals the trades kis-tick delivered, closing on time', async () => {
    const loading = Date.now();
    await load([barsNode()]);
    const loaded = Date.now();
    const ticks = new Sink(helper.getNode('ticks'));
    const bars = new Sink(helper.getNode('bars'));
    await bars.wait('5 bars per code', () => true, 10, 15000);
    // Stop the trades: the last bars must still close, by the timer alone.
    helper.getNode('t1').receive({ payload: [] });
    const stoppedAt = Date.now();
    await delay(300);
    const tickCount = ticks.msgs.length;
    await delay(1000 + 300 + 700);
    assert.equal(ticks.msgs.length, tickCount, 'trades stopped');
    const sent = bars.msgs.map((m) => ({ ...(m.payload as BarPayload), topic: m.topic }));
    const byBar = new Map<string, { v: number; n: number; o: number; c: number; hi: number; lo: number; buy: number; sell: number }>();
    const sorted = ticks.msgs.map((m, i) => ({ p: m.payload as Record<string, number | string>, i }))
      .sort((a, b) => (a.p.epochMs as number) - (b.p.epochMs as number) || a.i - b.i);
    for (const { p } of sorted) {
      const key = `${p.MKSC_SHRN_ISCD}|${p.epochMs}`;
      const price = p.STCK_PRPR as number, qty = p.CNTG_VOL as number;
      const b = byBar.get(key) ?? { v: 0, n: 0, o: price, c: price, hi: price, lo: price, buy: 0, sell: 0 };
      b.v += qty; b.n++; b.c = price; b.hi = Math.max(b.hi, price); b.lo = Math.min(b.lo, price);
      if (p.CNTG_CLS_CODE === '1') b.buy += qty; else if (p.CNTG_CLS_CODE === '5') b.sell += qty;
      byBar.set(key, b);
    }
    assert.equal(sent.length, byBar.size, 'one bar per code per second with trades');
    const firsts = new Set<string>();
    for (const bar of sent) {
      assert.equal(bar.topic, bar.code);
      assert.equal(bar.final, true);
      assert.equal(bar.interval, '1s');
      const want = byBar.get(`${bar.code}|${bar.time}`);
      assert.ok(want !== undefined, `bar ${bar.code} ${bar.start} has no trades`);
      assert.deepEqual([bar.open, bar.high, bar.low, bar.close, bar.volume, bar.trades, bar.buyVolume, bar.sellVolume], [want.o, want.hi, want.lo, want.c, want.v, want.n, want.buy, want.sell], bar.start);
      assert.equal(bar.buyVolume + bar.sellVolume + bar.otherVolume, bar.volume);
      // Only a code's first bar can be partial: when it began before the node started.
      if (firsts.has(bar.code) || bar.time >= loaded) assert.equal(bar.partial, false, `${bar.code} ${bar.start} partial`);
      else if (bar.time < loading) assert.equal(bar.partial, true, `${bar.code} ${bar.start} not partial`);
      firsts.add(bar.code);
    }
    // Every second with trades has its bar, the last ones included: they closed by the timer alone.
    const last = Math.max(...sent.map((b) => b.time));
    assert.ok(last >= stoppedAt - 1500, `the last bar (${last - stoppedAt} ms from the stop) came after the trades stopped`);
    assert.equal(lastStatus(helper.getNode('b1'))?.fill, 'green');
  });

  it('sends the running bar at a bounded rate, then the final bar', async () => {
    await load([barsNode({ interval: '2s', partialMs: 250 })], { codes: '005930' });
    const bars = new Sink(helper.getNode('bars'));
    const started = Date.now();
    await bars.wait('a final bar', (m) => (m.payload as BarPayload).final, 2, 15000);
    const elapsed = Date.now() - started;
    const partials = bars.msgs.filter((m) => !(m.payload as BarPayload).final);
    assert.ok(partials.length >= 3, `${partials.length} running bars`);
    assert.ok(partials.length <= elapsed / 250 + 2, `${partials.length} running bars in ${elapsed} ms`);
    // A running bar grows until its final bar.
    const final = bars.msgs.find((m) => (m.payload as BarPayload).final)!.payload as BarPayload;
    const before = partials.map((m) => m.payload as BarPayload).filter((p) => p.time === final.time);
    assert.ok(before.length > 0 && before.every((p) => p.volume <= final.volume));
  });

  it('InfluxDB shape: [fields, tags] and msg.measurement', async () => {
    await load([barsNode({ shape: 'influx' })]);
    const bars = new Sink(helper.getNode('bars'));
    const [msg] = await bars.wait('a bar', () => true, 1, 10000);
    const [fields, tags] = msg!.payload as InfluxPayload;
    assert.equal(msg!.measurement, 'kis_bars');
    assert.equal(tags.interval, '1s');
    assert.ok(tags.code === '005930' || tags.code === '000660');
    assert.equal(typeof fields.time, 'number');
    assert.equal(typeof fields.close, 'number');
  });

  it('reports bad input to catch nodes and keeps building bars', async () => {
    await load([barsNode(), catchNode('k1', ['b1']), helperNode('caught')]);
    const caught = new Sink(helper.getNode('caught'));
    const bars = new Sink(helper.getNode('bars'));
    helper.getNode('b1').receive({ topic: '005930', payload: 'hello' });
    const [err] = await caught.wait('the error', () => true, 1);
    // The helper loads no catalogs, so texts are their keys here (test/packaging/i18n.spec.ts checks the texts).
    assert.match(String((err!.error as { message: string }).message), /kis-bars\.errors\.not-a-tick/);
    await bars.wait('bars after the bad msg', () => true, 2, 10000);
  });

  it('a bad interval is a clear error, not a crash', async () => {
    await load([barsNode({ interval: '3d' }), catchNode('k1', ['b1']), helperNode('caught')]);
    await until('red status', () => lastStatus(helper.getNode('b1'))?.fill === 'red');
    assert.match(String(lastStatus(helper.getNode('b1'))?.text), /kis-bars\.errors\.bad-interval: 3d/);
    helper.getNode('b1').receive({ payload: { STCK_PRPR: 1, CNTG_VOL: 1, epochMs: Date.now() }, topic: '005930' });
    const [err] = await new Sink(helper.getNode('caught')).wait('the error for a msg', () => true, 1);
    assert.match(String((err!.error as { message: string }).message), /bad-interval/);
  });
});
