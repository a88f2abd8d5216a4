/**
 * A deploy must not reset the built-in simulator's market: Node-RED stops every kis-config and starts
 * the new ones, and the embedded simulator (reference-counted) outlives its last user for a grace
 * period, so the new kis-config finds the same running market (same port, accumulated volume kept).
 */
import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import { acquireEmbeddedSimulator, releaseEmbeddedSimulator } from '../../lib/simulator';
import { listenComms } from '../examples/comms';
import { startNodeRed, type FlowNode } from '../helpers/node-red-process';

function portOpen(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect(Number(port), hostname);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('embedded simulator across a deploy', function () {
  this.timeout(90000);

  it('a release followed by an acquire (what a deploy does) keeps the running simulator; an idle one stops', async () => {
    const first = await acquireEmbeddedSimulator();
    await releaseEmbeddedSimulator(first);
    const second = await acquireEmbeddedSimulator();
    assert.equal(second.wsUrl, first.wsUrl, 'a re-acquire within the grace period gets the same simulator');
    assert.ok(await portOpen(second.wsUrl));
    await releaseEmbeddedSimulator(second, 0);
    assert.equal(await portOpen(second.wsUrl), false, 'released with no grace period, it stops');
  });

  it('in Node-RED, a full redeploy continues the trading day: accumulated volume does not fall back', async () => {
    const flows: FlowNode[] = [
      { id: 'tab', type: 'tab', label: 'redeploy' },
      { id: 'cfg', type: 'kis-config', name: 'KIS simulator', server: 'simulator' },
      { id: 'tick', type: 'kis-tick', z: 'tab', server: 'cfg', codes: '005930', exchange: 'UN', output: 'each', conflateMs: 500, payload: 'full', x: 150, y: 60, wires: [['dbg']] },
      { id: 'dbg', type: 'debug', z: 'tab', active: true, tosidebar: true, console: false, complete: 'payload', targetType: 'msg', x: 400, y: 60, wires: [] },
    ];
    const red = await startNodeRed({ flows, settings: { lang: 'en-US' } });
    const comms = await listenComms(red.url);
    try {
      const volumes = (): number[] => comms.debug.filter((e) => e.id === 'dbg').map((e) => Number((JSON.parse(e.msg) as { ACML_VOL: number }).ACML_VOL));
      await comms.waitForDebug('dbg', 8, 30000);
      const before = Math.max(...volumes());
      const seen = comms.debug.length;
      // A full deploy restarts every node, kis-config included (Deploy › Full, Node-RED's default).
      await red.deploy(flows);
      await comms.waitForDebug('dbg', 1, 30000, (e) => comms.debug.indexOf(e) >= seen);
      const after = volumes().slice(volumes().length - comms.debug.slice(seen).filter((e) => e.id === 'dbg').length);
      assert.ok(after.length > 0);
      assert.ok(Math.min(...after) >= before, `volume fell from ${before} to ${Math.min(...after)}: the deploy restarted the market`);
    } finally {
      await comms.close();
      await red.stop();
    }
  });
});
