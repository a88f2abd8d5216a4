/**
 * examples/more-than-41-codes.json as shipped, in a real Node-RED: two kis-config nodes (one per app
 * key) whose data nodes together carry 41 registrations. With the built-in simulator both configs share
 * its single demo app key, hence one session, which the example fills exactly: it must deploy without
 * errors and stream every code, and one registration more must be refused (the limit is real).
 * (Not an MQTT test; it lives here because this folder holds the multi-consumer / multi-key work.)
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { listenComms, type CommsListener } from '../examples/comms';
import { repoRoot, startNodeRed, type FlowNode, type NodeRedProcess } from '../helpers/node-red-process';

const FILE = path.join(repoRoot, 'examples', 'more-than-41-codes.json');
const TAB: FlowNode = { id: 'kis-example', type: 'tab', label: 'more than 41 codes' };
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function codesOf(node: FlowNode): string[] {
  return String(node.codes).split(/[\s,]+/).filter((c) => c !== '');
}

describe('examples/more-than-41-codes.json: two kis-config nodes, 41 registrations', function () {
  this.timeout(60000);
  let red: NodeRedProcess | undefined;
  let comms: CommsListener | undefined;
  const shipped = JSON.parse(fs.readFileSync(FILE, 'utf8')) as FlowNode[];
  const dataNodes = shipped.filter((n) => n.type === 'kis-tick' || n.type === 'kis-quote');
  const configs = shipped.filter((n) => n.type === 'kis-config');

  before(async () => {
    red = await startNodeRed({ settings: { logging: { console: { level: 'info', metrics: false, audit: false } } } });
    comms = await listenComms(red.url);
  });

  after(async () => {
    await comms?.close();
    await red?.stop();
  });

  it('spreads its codes over two kis-config nodes, at most 41 registrations each, and leaves room for the demo\'s own', () => {
    assert.equal(configs.length, 2, 'one kis-config per app key');
    assert.ok(configs.every((c) => c.server === 'simulator'), 'ships on the simulator (deployable without an account)');
    let all = 0;
    for (const config of configs) {
      const pairs = new Set(dataNodes.filter((n) => n.server === config.id).flatMap((n) => codesOf(n).map((c) => `${n.type}|${String(n.exchange)}|${c}`)));
      assert.ok(pairs.size > 0 && pairs.size <= 41, `${String(config.name)}: ${pairs.size} registrations`);
      all += pairs.size;
    }
    // The simulator's one demo key makes both configs share one session, and the `npm start` demo's own
    // registrations (its dashboard: 체결 + 호가 of 005930 and three index codes) are on it too: together they fill
    // exactly 41 when the example is imported into the running demo.
    const demo = JSON.parse(fs.readFileSync(path.join(repoRoot, 'examples', '02-live-dashboard.json'), 'utf8')) as FlowNode[];
    const demoPairs = new Set(demo.filter((n) => /^kis-(tick|quote|realtime)$/.test(n.type) && typeof n['server'] === 'string')
      .flatMap((n) => codesOf(n).map((c) => `${n.type}|${String(n['data'] ?? '')}|${String(n['exchange'])}|${c}`)));
    assert.equal(all + demoPairs.size, 41, `${all} registrations here + ${demoPairs.size} of the demo`);
  });

  it('deploys without errors and streams every code of both configs', async () => {
    if (red === undefined || comms === undefined) throw new Error('set-up failed');
    // The debug nodes ship inactive (41 streams are a lot for the sidebar); switch them on to count.
    const flow = [TAB, ...shipped.map((n) => (n.type === 'debug' ? { ...n, active: true } : n))];
    const mark = red.output().length;
    await red.deploy(flow);
    const ticks = shipped.find((n) => n.type === 'debug' && dataNodes.some((d) => d.type === 'kis-tick' && (d.wires as string[][])[0]?.includes(n.id)));
    const quotes = shipped.find((n) => n.type === 'debug' && dataNodes.some((d) => d.type === 'kis-quote' && (d.wires as string[][])[0]?.includes(n.id)));
    assert.ok(ticks !== undefined && quotes !== undefined, 'a debug node after the ticks and one after the quotes');
    const tickCodes = new Set(dataNodes.filter((n) => n.type === 'kis-tick').flatMap(codesOf));
    const quoteCodes = new Set(dataNodes.filter((n) => n.type === 'kis-quote').flatMap(codesOf));
    const seen = (id: string): Set<string> => new Set(comms!.debug.filter((e) => e.id === id).map((e) => String(e.topic)));
    const deadline = Date.now() + 20000;
    while ((seen(ticks.id).size < tickCodes.size || seen(quotes.id).size < quoteCodes.size) && Date.now() < deadline) await sleep(200);
    assert.deepEqual([...seen(ticks.id)].sort(), [...tickCodes].sort(), 'every tick code streams');
    assert.deepEqual([...seen(quotes.id)].sort(), [...quoteCodes].sort(), 'every quote code streams');
    for (const n of dataNodes) {
      const last = comms.status.filter((s) => s.id === n.id).at(-1);
      assert.equal(last?.fill, 'green', `${n.id} status: ${JSON.stringify(last)}`);
    }
    const errors = red.output().slice(mark).split('\n').filter((line) => /\[error\]|Waiting for missing types/.test(line));
    assert.deepEqual(errors, []);
    const caught = shipped.find((n) => n.type === 'debug' && n.complete === 'error');
    assert.equal(comms.debug.filter((e) => e.id === caught?.id).length, 0, 'no KIS error reached the catch node');
  });

  it('refuses a 42nd registration on the shared simulator session (the limit the example is about)', async () => {
    if (red === undefined || comms === undefined) throw new Error('set-up failed');
    const first = dataNodes.find((n) => n.type === 'kis-tick') as FlowNode;
    // Fires once, half a second after this deploy, into the first kis-tick: six more codes (37 … 42; the demo's
    // own 5 are not in this runtime).
    const inject: FlowNode = {
      id: 'k41-test-add', type: 'inject', z: TAB.id, name: '', props: [{ p: 'payload' }], repeat: '', crontab: '', once: true, onceDelay: 0.5,
      topic: '', payload: '{"action":"subscribe","codes":["028300","263750","041510","011200","003490","090430"]}', payloadType: 'json', x: 100, y: 400, wires: [[first.id]],
    };
    const flow = [TAB, ...shipped.map((n) => (n.type === 'debug' ? { ...n, active: true } : n)), inject];
    const mark = red.output().length;
    const res = await red.request('/flows', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Node-RED-API-Version': 'v2', 'Node-RED-Deployment-Type': 'nodes' },
      body: JSON.stringify({ flows: flow }),
    });
    assert.ok(res.ok, `deploy: HTTP ${res.status}`);
    const caught = shipped.find((n) => n.type === 'debug' && n.complete === 'error') as FlowNode;
    const hits = await comms.waitForDebug(caught.id, 1, 15000);
    assert.match(hits[0]?.msg ?? '', /OPSP0008|limit/i, `the refusal names the limit: ${hits[0]?.msg ?? ''}`);
    // The refusal reaches the catch node from the kis-tick that asked (above); no log line puts it under a kis-config:
    // both configs share this session, and its owner is not necessarily the config the node uses.
    const misattributed = red.output().slice(mark).split('\n').filter((l) => /\[kis-config:/.test(l) && /refused|limit/i.test(l));
    assert.deepEqual(misattributed, []);
  });
});
