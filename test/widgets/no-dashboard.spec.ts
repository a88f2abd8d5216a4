/**
 * Without Dashboard 2.0 the widget node set does not load, says why, and everything else runs.
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

  it('only the widget set fails to load, with a clear message; kis-bars and kis-tick load and deploy', async () => {
    const sets = await red.nodeSets();
    const widgets = sets.find((s) => s.id.endsWith('/kis-dashboard'));
    assert.ok(widgets !== undefined);
    assert.equal(widgets.enabled && widgets.err === undefined, false, JSON.stringify(widgets));
    assert.match(String(widgets.err), /Dashboard 2\.0/);
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
  });
});
