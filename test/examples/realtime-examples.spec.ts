/**
 * The kis-realtime examples (VI alert, auction monitor, the index tile of the live dashboard) deploy
 * into a real Node-RED with this package, as shipped, against the embedded simulator: every kis node
 * turns green, no red badge, no [error] or [warn] line. Then the VI alert's own logic runs against a
 * scripted KIS server (the example's kis-config pointed at it): a VI and a halt each alert once.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { TrId } from '../../lib/protocol/tr-tables';
import { realtimeKinds } from '../../nodes/market-data-node';
import { repoRoot, startNodeRed, type FlowNode, type NodeRedProcess } from '../helpers/node-red-process';
import { startScriptedKis, type ScriptedKis } from '../nodes/scripted-kis';
import { SENTINEL } from '../nodes/support';
import { listenComms, type CommsListener } from './comms';

const TAB: FlowNode = { id: 'kis-example', type: 'tab', label: 'example' };
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function loadExample(file: string): FlowNode[] {
  return JSON.parse(fs.readFileSync(path.join(repoRoot, 'examples', file), 'utf8')) as FlowNode[];
}

describe('examples/ with kis-realtime', function () {
  this.timeout(120000);
  let red: NodeRedProcess;
  let comms: CommsListener;
  let logMark = 0;

  before(async () => {
    red = await startNodeRed({ settings: { logging: { console: { level: 'info', metrics: false, audit: false } } } });
    comms = await listenComms(red.url);
  });
  after(async () => {
    await comms?.close();
    await red?.stop();
  });

  async function deploy(flow: FlowNode[]): Promise<void> {
    const started = (): number => red.output().split('Started flows').length;
    const before = started();
    logMark = red.output().length;
    comms.status.length = 0;
    comms.debug.length = 0;
    await red.deploy([TAB, ...flow]);
    const deadline = Date.now() + 10000;
    while (started() === before) {
      assert.ok(Date.now() < deadline, `flows did not start:\n${red.output().slice(logMark)}`);
      await sleep(50);
    }
  }

  function badLines(): string[] {
    return red.output().slice(logMark).split('\n').filter((line) => /\[error\]|\[warn\]|Waiting for missing types/.test(line));
  }

  /** Every kis data node of the flow shows a green badge, none ever red. */
  async function allGreen(flow: FlowNode[]): Promise<void> {
    const ids = flow.filter((n) => n.type.startsWith('kis-') && n.type !== 'kis-config').map((n) => n.id);
    const deadline = Date.now() + 20000;
    for (;;) {
      const red = comms.status.filter((s) => ids.includes(s.id) && s.fill === 'red');
      assert.deepEqual(red, [], 'a red badge');
      if (ids.every((id) => comms.status.some((s) => s.id === id && s.fill === 'green'))) return;
      assert.ok(Date.now() < deadline, `not all green: ${JSON.stringify(comms.status.filter((s) => ids.includes(s.id)))}`);
      await sleep(100);
    }
  }

  it('the examples name data kinds the tables define', () => {
    for (const file of ['08-vi-alert.json', '09-auction-monitor.json', '02-live-dashboard.json']) {
      for (const n of loadExample(file).filter((x) => x.type === 'kis-realtime')) assert.ok(realtimeKinds().includes(n['data'] as never), `${file}: ${n.id} data ${String(n['data'])}`);
    }
  });

  for (const file of ['08-vi-alert.json', '09-auction-monitor.json', '02-live-dashboard.json']) {
    it(`${file} deploys as shipped: every kis node green, no red badge, no error or warn line`, async () => {
      const flow = loadExample(file);
      assert.ok(flow.some((n) => n.type === 'kis-realtime'), 'uses kis-realtime');
      await deploy(flow);
      await allGreen(flow);
      await sleep(1500);
      assert.deepEqual(comms.status.filter((s) => s.fill === 'red'), []);
      assert.deepEqual(badLines(), []);
    });
  }

  describe('08 VI alert logic against a scripted KIS server', () => {
    let kis: ScriptedKis;
    before(async () => {
      kis = await startScriptedKis();
    });
    after(async () => {
      await red.deploy([TAB]);
      await kis.stop();
    });

    it('a VI and a halt each alert once, repeats of the same state do not', async () => {
      const shipped = loadExample('08-vi-alert.json');
      const flow = shipped.map((n) => (n.type === 'kis-config'
        ? { ...n, server: 'custom', restUrl: kis.restUrl, wsUrl: kis.wsUrl, credentials: { appKey: SENTINEL.appKey, appSecret: SENTINEL.appSecret } }
        : n));
      await deploy(flow);
      const trId = await waitForRegistration(kis, '005930');
      kis.push(trId, '005930', [{ VI_CLS_CODE: 'Y' }]);
      kis.push(trId, '005930', [{ VI_CLS_CODE: 'Y' }]);
      kis.push(trId, '000660', [{ TRHT_YN: 'Y', TR_SUSP_REAS_CNTT: '(null)' }]);
      kis.push(trId, '005930', [{ VI_CLS_CODE: 'N' }]);
      const deadline = Date.now() + 10000;
      while (comms.debug.filter((e) => e.id === 'kv-debug').length < 3) {
        assert.ok(Date.now() < deadline, `alerts: ${JSON.stringify(comms.debug)}`);
        await sleep(100);
      }
      await sleep(500);
      const alerts = comms.debug.filter((e) => e.id === 'kv-debug').map((e) => JSON.parse(e.msg) as { code: string; event: string; vi: boolean; halted: boolean });
      assert.deepEqual(alerts.map((a) => [a.code, a.vi, a.halted]), [['005930', true, false], ['000660', false, true], ['005930', false, false]]);
      assert.match(alerts[0]!.event, /VI 발동/);
      assert.match(alerts[1]!.event, /거래정지/);
      assert.match(alerts[2]!.event, /VI 해제/);
      // The scripted server publishes no stock master: that one warning is expected here, nothing else.
      assert.deepEqual(badLines().filter((l) => !/stock master unavailable/.test(l)), []);
    });
  });
});

/** The TR the example's node registered for `code`, once all five codes are registered. */
async function waitForRegistration(kis: ScriptedKis, code: string): Promise<TrId> {
  const deadline = Date.now() + 15000;
  for (;;) {
    const reg = kis.registrations().find((r) => r.endsWith(`|${code}`));
    if (reg !== undefined && kis.registrations().length >= 5) return reg.split('|')[0] as TrId;
    assert.ok(Date.now() < deadline, `no registration of ${code}: ${kis.registrations().join(' ')}`);
    await sleep(100);
  }
}
