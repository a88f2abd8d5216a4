/**
 * Without Dashboard 2.0 the widget node set registers no types, says why, and everything else runs.
 */
import { strict as assert } from 'node:assert';
import { startNodeRed, type NodeRedProcess } from '../helpers/node-red-process';

describe('widgets: a Node-RED without Dashboard 2.0', function () {
  this.timeout(60000);
  let red: NodeRedProcess;
  before(async () => {
    red = await startNodeRed({ settings: { kisDashboardModule: 'no-such-dashboard-module' } });
  });
  after(() => red?.stop());

  it('the widget types are not registered, the set loads without error, and kis-bars and kis-tick load and deploy', async () => {
    const sets = await red.nodeSets();
    const widgets = sets.find((s) => s.id.endsWith('/kis-dashboard'));
    assert.ok(widgets !== undefined && widgets.err === undefined, JSON.stringify(widgets));
    // (The reason is logged at info level; this runtime logs warnings only.)
    for (const name of ['kis-bars', 'kis-tick', 'kis-config', 'kis-quote']) {
      const set = sets.find((s) => s.id.endsWith(`/${name}`));
      assert.ok(set?.enabled && set.err === undefined, `${name}: ${JSON.stringify(set)}`);
    }
    await red.deploy([
      { id: 't', type: 'tab', label: 't' },
      { id: 'b', type: 'kis-bars', z: 't', interval: '1m', graceMs: 2000, partialMs: 0, shape: 'object', wires: [[]] },
    ]);
    await new Promise((r) => setTimeout(r, 500));
    assert.doesNotMatch(red.output(), /TypeError|Waiting for missing types: kis-bars/);
    // A widget in a flow is a missing type (it would be anyway without ui-group), not a crash.
    await red.deploy([
      { id: 't', type: 'tab', label: 't' },
      { id: 'w', type: 'ui-kis-orderbook', z: 't', group: '', code: '005930', conflateMs: 200, wires: [] },
    ]);
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal((await red.request('/settings')).status, 200, 'Node-RED still answers');
    // The runtime has no such type, so no widget node was created (one would complain about its group).
    assert.doesNotMatch(red.output(), /TypeError|\[error\]|ui-kis-orderbook:w/);
  });
});
