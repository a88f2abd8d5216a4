/**
 * End to end: examples/mqtt-fan-out through a real mosquitto. A publishing Node-RED runtime (the
 * publisher example: kis-tick + kis-quote on the embedded simulator → mqtt out, QoS 1, retained) and a
 * subscribing runtime (the subscriber example) run as two separate processes; the test adds a tap
 * after the publisher's topic function and one after the subscriber's reshaping function, and reads
 * both taps over HTTP.
 *
 * Node-RED's mqtt out drops messages while its broker is not connected, so the test makes the start
 * exact instead of tolerating loss: the publisher first runs with its kis nodes disabled, and they are
 * enabled (a "nodes" deploy, which leaves the MQTT connection alone) only once mosquitto has logged the
 * publisher's connection and the subscriber's subscription. It stops them the same way, waits for the
 * broker to drain, and then every topic must have arrived exactly as published: no record lost,
 * duplicated or reordered.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startSimulator } from '../../lib/simulator';
import type { RunningSimulator } from '../../lib/simulator/types';
import { UNIVERSE } from '../../lib/simulator/universe';
import { repoRoot, startNodeRed, type FlowNode, type NodeRedProcess } from '../helpers/node-red-process';
import { startMosquitto, type Mosquitto } from './mosquitto';

const EXAMPLES = path.join(repoRoot, 'examples', 'mqtt-fan-out');
const PUBLISHER_ID = 'kis-test-publisher';
const SUBSCRIBER_ID = 'kis-test-subscriber';
const LATE_ID = 'kis-test-late';
/** How long the kis nodes stream before they are stopped. */
const STREAM_MS = 5000;
/** The load run: records per second per (TR, code) from a simulator the test starts itself. */
const LOAD_RATE = 25;

/** What a tap stored for one topic: the payload JSON of each msg, in arrival order, and its retain flag. */
interface TapEntry {
  readonly json: string;
  readonly retained: boolean;
}
type TapLog = Record<string, TapEntry[]>;

function loadExample(file: string): FlowNode[] {
  return JSON.parse(fs.readFileSync(path.join(EXAMPLES, file), 'utf8')) as FlowNode[];
}

function only(flow: readonly FlowNode[], type: string): FlowNode {
  const found = flow.filter((n) => n.type === type);
  assert.equal(found.length, 1, `expected exactly one ${type} node in the example, found ${found.length}`);
  return found[0] as FlowNode;
}

/** The example on tab `tab`, its broker on `port` with a fixed client id (to find it in the broker log). */
function placed(flow: readonly FlowNode[], tab: string, port: number, clientid: string): FlowNode[] {
  return flow.map((n) => {
    if (n.type === 'mqtt-broker') return { ...n, port: String(port), clientid };
    return typeof n.z === 'string' ? { ...n, z: tab } : { ...n };
  });
}

/**
 * A function node appending each msg to global context `store` under the key `keyExpr` (JS
 * expression), GET /kis-test/<store> answering that log and DELETE /kis-test/<store> emptying it.
 */
function tap(id: string, tab: string, store: string, keyExpr: string): FlowNode[] {
  const func = [
    `const log = global.get('${store}') || {};`,
    `const key = ${keyExpr};`,
    `(log[key] = log[key] || []).push({ json: typeof msg.payload === 'string' ? msg.payload : JSON.stringify(msg.payload), retained: msg.retain === true || (msg.kis !== undefined && msg.kis.retained === true) });`,
    `global.set('${store}', log);`,
    'return null;',
  ].join('\n');
  return [
    { id, type: 'function', z: tab, name: `tap ${store}`, func, outputs: 1, timeout: 0, noerr: 0, initialize: '', finalize: '', libs: [], x: 900, y: 300, wires: [[]] },
    { id: `${id}-http`, type: 'http in', z: tab, name: '', url: `/kis-test/${store}`, method: 'get', upload: false, swaggerDoc: '', x: 140, y: 400, wires: [[`${id}-read`]] },
    { id: `${id}-read`, type: 'function', z: tab, name: '', func: `msg.payload = global.get('${store}') || {};\nreturn msg;`, outputs: 1, timeout: 0, noerr: 0, initialize: '', finalize: '', libs: [], x: 340, y: 400, wires: [[`${id}-res`]] },
    { id: `${id}-res`, type: 'http response', z: tab, name: '', statusCode: '', headers: {}, x: 540, y: 400, wires: [] },
    { id: `${id}-clear`, type: 'http in', z: tab, name: '', url: `/kis-test/${store}`, method: 'delete', upload: false, swaggerDoc: '', x: 140, y: 440, wires: [[`${id}-empty`]] },
    { id: `${id}-empty`, type: 'function', z: tab, name: '', func: `global.set('${store}', {});\nmsg.payload = {};\nreturn msg;`, outputs: 1, timeout: 0, noerr: 0, initialize: '', finalize: '', libs: [], x: 340, y: 440, wires: [[`${id}-res`]] },
  ];
}

/** `node`'s first output also goes to `target`. */
function alsoWire(node: FlowNode, target: string): FlowNode {
  const wires = (node.wires as string[][] | undefined) ?? [[]];
  return { ...node, wires: [[...(wires[0] ?? []), target], ...wires.slice(1)] };
}

async function readTap(red: NodeRedProcess, store: string, method: 'GET' | 'DELETE' = 'GET'): Promise<TapLog> {
  const res = await red.request(`/kis-test/${store}`, { method });
  assert.equal(res.status, 200, `${method} /kis-test/${store}`);
  return (await res.json()) as TapLog;
}

/** A deploy that restarts only the nodes that changed: the MQTT connections stay up. */
async function deployChangedNodes(red: NodeRedProcess, flows: readonly FlowNode[]): Promise<void> {
  const res = await red.request('/flows', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Node-RED-API-Version': 'v2', 'Node-RED-Deployment-Type': 'nodes' },
    body: JSON.stringify({ flows }),
  });
  if (!res.ok) throw new Error(`deploy (nodes) failed: HTTP ${res.status} ${await res.text()}`);
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function codesOf(node: FlowNode): string[] {
  return String(node.codes).split(/[\s,]+/).filter((c) => c !== '');
}

function total(log: TapLog): number {
  return Object.values(log).reduce((n, list) => n + list.length, 0);
}

/** Why `received` is not `published` for one topic, in words a failing test can print. */
function mismatch(topic: string, published: readonly string[], received: readonly string[]): string | null {
  const n = Math.min(published.length, received.length);
  let i = 0;
  while (i < n && published[i] === received[i]) i++;
  if (i === published.length && i === received.length) return null;
  const at = received[i];
  const where = at === undefined ? -1 : published.indexOf(at);
  const what =
    i === received.length
      ? `the last ${published.length - i} records never arrived`
      : i === published.length
        ? `${received.length - i} extra records arrived`
        : where < 0
          ? 'a record that was never published arrived'
          : where < i
            ? `record #${where} arrived again (duplicate or reordered)`
            : `records #${i}..#${where - 1} were lost or reordered`;
  return `${topic}: published ${published.length}, received ${received.length}; first difference at #${i}: ${what}`;
}

describe('MQTT fan-out example: publisher and subscriber runtimes through a real mosquitto', function () {
  this.timeout(120000);
  const pubTab = 'kis-test-pub-tab';
  const subTab = 'kis-test-sub-tab';
  const kisTypes = new Set(['kis-tick', 'kis-quote']);
  let broker: Mosquitto | undefined;
  let publisher: NodeRedProcess | undefined;
  let subscriber: NodeRedProcess | undefined;
  let simulator: RunningSimulator | undefined;
  /** Per topic, the payload JSON in publish order; filled by the first test. */
  let published: Record<string, string[]> = {};
  let subscriberFlows: FlowNode[] = [];

  const publisherExample = loadExample('publisher.json');
  const subscriberExample = loadExample('subscriber.json');
  const topicsOf = (flow: readonly FlowNode[]): string[] =>
    flow
      .filter((n) => kisTypes.has(n.type))
      .flatMap((n) => codesOf(n).map((code) => `kis/${n.type === 'kis-tick' ? 'tick' : 'quote'}/${String(n.exchange)}/${code}`))
      .sort();

  /** The publisher example (plus a tap on what goes into mqtt out), streaming or with its kis nodes disabled. */
  function publisherFlows(port: number, edit: (n: FlowNode) => FlowNode = (n) => n): { streaming: FlowNode[]; stopped: FlowNode[] } {
    const pubTopic = only(publisherExample, 'function');
    const streaming = [
      { id: pubTab, type: 'tab', label: 'publisher' },
      ...placed(publisherExample, pubTab, port, PUBLISHER_ID).map((n) => edit(n.id === pubTopic.id ? alsoWire(n, 'pub-tap') : n)),
      ...tap('pub-tap', pubTab, 'published', 'msg.topic'),
    ];
    return { streaming, stopped: streaming.map((n) => (kisTypes.has(n.type) ? { ...n, d: true } : n)) };
  }

  /**
   * Enables the publisher's kis nodes for STREAM_MS (a "nodes" deploy: the MQTT connection stays up,
   * so nothing is dropped for want of a broker), disables them, waits for the broker to drain, and
   * checks that the subscriber got every topic exactly as published. Returns the publisher's log.
   */
  async function streamAndCompare(pubRed: NodeRedProcess, subRed: NodeRedProcess, flows: { streaming: FlowNode[]; stopped: FlowNode[] }, minPerTopic: number): Promise<TapLog> {
    const expectedTopics = topicsOf(flows.streaming);
    await deployChangedNodes(pubRed, flows.streaming);
    const started = Date.now();
    await sleep(STREAM_MS);
    // On a loaded machine the in-process simulator falls behind its rate: stream on (up to 4×) until
    // every topic has enough records to compare, rather than judge order on a handful.
    const streamDeadline = started + 4 * STREAM_MS;
    while (Date.now() < streamDeadline) {
      const published = await readTap(pubRed, 'published');
      if (expectedTopics.every((t) => (published[t]?.length ?? 0) >= minPerTopic)) break;
      await sleep(500);
    }
    const streamedMs = Date.now() - started;
    await deployChangedNodes(pubRed, flows.stopped);

    // Drain: the publisher's log stops growing and the subscriber catches up (or the deadline passes).
    let pub: TapLog = {};
    let sub: TapLog = {};
    const deadline = Date.now() + 20000;
    for (let stable = 0; stable < 3 && Date.now() < deadline; ) {
      await sleep(300);
      const before = total(pub);
      [pub, sub] = await Promise.all([readTap(pubRed, 'published'), readTap(subRed, 'received')]);
      stable = total(pub) === before && total(sub) >= total(pub) ? stable + 1 : 0;
    }

    assert.deepEqual(Object.keys(pub).sort(), expectedTopics, 'the publisher published every code of both kis nodes');
    const problems: string[] = [];
    for (const topic of expectedTopics) {
      const sent = (pub[topic] ?? []).map((e) => e.json);
      const got = (sub[topic] ?? []).map((e) => e.json);
      if (sent.length < minPerTopic) problems.push(`${topic}: only ${sent.length} records published in ${streamedMs} ms (expected ≥ ${minPerTopic})`);
      const why = mismatch(topic, sent, got);
      if (why !== null) problems.push(why);
      if ((sub[topic] ?? []).some((e) => e.retained)) problems.push(`${topic}: a live record arrived flagged retained`);
    }
    assert.deepEqual(Object.keys(sub).sort(), expectedTopics, 'the subscriber received exactly the published topics');
    assert.deepEqual(problems, [], `publisher → mosquitto → subscriber:\n${problems.join('\n')}`);

    // The source order itself: ticks of one code come in trade order (time, then accumulated volume).
    for (const topic of expectedTopics.filter((t) => t.startsWith('kis/tick/'))) {
      const ticks = (pub[topic] ?? []).map((e) => JSON.parse(e.json) as Record<string, unknown>);
      for (let i = 1; i < ticks.length; i++) {
        const a = ticks[i - 1] as Record<string, unknown>;
        const b = ticks[i] as Record<string, unknown>;
        const forward = String(b.STCK_CNTG_HOUR) > String(a.STCK_CNTG_HOUR) || (b.STCK_CNTG_HOUR === a.STCK_CNTG_HOUR && Number(b.ACML_VOL) > Number(a.ACML_VOL));
        assert.ok(forward, `${topic}: tick #${i} (${String(b.STCK_CNTG_HOUR)}, ${String(b.ACML_VOL)}) is not after #${i - 1} (${String(a.STCK_CNTG_HOUR)}, ${String(a.ACML_VOL)})`);
      }
    }
    return pub;
  }

  before(async () => {
    broker = await startMosquitto();
    [publisher, subscriber] = await Promise.all([
      startNodeRed({ flows: [{ id: pubTab, type: 'tab', label: 'publisher' }] }),
      startNodeRed({ flows: [{ id: subTab, type: 'tab', label: 'subscriber' }] }),
    ]);
    const kisSets = (await publisher.nodeSets()).filter((s) => s.module === '@kis-nodes/node-red-kis');
    assert.ok(
      kisSets.some((s) => s.types.includes('kis-tick') && s.enabled && s.err === undefined),
      `@kis-nodes/node-red-kis did not load in the publisher runtime: ${JSON.stringify(kisSets)}\n${publisher.output().slice(-2000)}`,
    );
  });

  after(async () => {
    await Promise.allSettled([publisher?.stop(), subscriber?.stop()]);
    await Promise.allSettled([broker?.stop(), simulator?.stop()]);
  });

  it('delivers every record of every code to the subscriber runtime, none lost, duplicated or reordered (examples as shipped)', async () => {
    if (broker === undefined || publisher === undefined || subscriber === undefined) throw new Error('set-up failed');

    // Subscriber: the example plus a tap after its reshaping function, keyed like the MQTT topic again.
    const subShape = only(subscriberExample, 'function');
    subscriberFlows = [
      { id: subTab, type: 'tab', label: 'subscriber' },
      ...placed(subscriberExample, subTab, broker.port, SUBSCRIBER_ID).map((n) => (n.id === subShape.id ? alsoWire(n, 'sub-tap') : n)),
      ...tap('sub-tap', subTab, 'received', "'kis/' + msg.kis.kind + '/' + msg.kis.exchange + '/' + msg.topic"),
    ];
    await subscriber.deploy(subscriberFlows);
    await broker.waitForLog(new RegExp(`${SUBSCRIBER_ID} 1 kis/\\+/\\+/\\+`), 15000);

    // Publisher: connected to the broker first, with its kis nodes disabled.
    const flows = publisherFlows(broker.port);
    await publisher.deploy(flows.stopped);
    await broker.waitForLog(new RegExp(`New client connected from \\S+ as ${PUBLISHER_ID}`), 15000);
    assert.deepEqual(await readTap(publisher, 'published'), {}, 'nothing is published while the kis nodes are disabled');

    // The embedded simulator sends 2 records a second per (TR, code).
    const pub = await streamAndCompare(publisher, subscriber, flows, 3);
    published = Object.fromEntries(Object.entries(pub).map(([topic, list]) => [topic, list.map((e) => e.json)]));
  });

  it('gives a subscriber that connects later the retained last record of every code at once', async () => {
    if (broker === undefined || subscriber === undefined) throw new Error('set-up failed');
    const expectedTopics = topicsOf(publisherExample);
    assert.deepEqual(Object.keys(published).sort(), expectedTopics, 'needs the records of the previous test');
    // A second subscriber (own broker connection and client id) joins after the data stopped flowing.
    const lateTab = 'kis-test-late-tab';
    const late = placed(subscriberExample, lateTab, broker.port, LATE_ID).map((n): FlowNode => ({ ...n, id: `late-${n.id}` }));
    const relinked = late.map((n): FlowNode => ({
      ...n,
      // `broker` names the config node on mqtt in, but is the host name on mqtt-broker itself.
      ...(typeof n.broker === 'string' && n.type !== 'mqtt-broker' ? { broker: `late-${n.broker}` } : {}),
      ...(Array.isArray(n.wires) ? { wires: (n.wires as string[][]).map((out) => out.map((id) => `late-${id}`)) } : {}),
    }));
    const lateShape = relinked.find((n) => n.type === 'function') as FlowNode;
    // Its kis/status input is tapped too, for the last test.
    const lateStatus = relinked.find((n) => n.type === 'mqtt in' && n.topic === 'kis/status') as FlowNode;
    const flows = [
      ...subscriberFlows,
      { id: lateTab, type: 'tab', label: 'late subscriber' },
      ...relinked.map((n) => (n.id === lateShape.id ? alsoWire(n, 'late-tap') : n.id === lateStatus.id ? alsoWire(n, 'status-tap') : n)),
      ...tap('late-tap', lateTab, 'late', "'kis/' + msg.kis.kind + '/' + msg.kis.exchange + '/' + msg.topic"),
      ...tap('status-tap', lateTab, 'status', 'msg.topic'),
    ];
    subscriberFlows = flows;
    const started = Date.now();
    await deployChangedNodes(subscriber, flows);
    let got: TapLog = {};
    while (Object.keys(got).length < expectedTopics.length && Date.now() - started < 10000) {
      await sleep(100);
      got = await readTap(subscriber, 'late');
    }
    const elapsed = Date.now() - started;
    await sleep(500); // anything more than one record per topic would show up by now
    got = await readTap(subscriber, 'late');

    assert.deepEqual(Object.keys(got).sort(), expectedTopics, `the late subscriber got every topic; broker log:\n${broker.output().slice(-1500)}`);
    for (const topic of expectedTopics) {
      const entries = got[topic] ?? [];
      const last = (published[topic] ?? []).at(-1);
      assert.equal(entries.length, 1, `${topic}: one retained record, got ${entries.length}`);
      assert.equal(entries[0]?.retained, true, `${topic}: the record is flagged retained (msg.kis.retained)`);
      assert.equal(entries[0]?.json, last, `${topic}: the retained record is the last one published`);
    }
    assert.ok(elapsed < 5000, `the retained records took ${elapsed} ms to arrive`);
  });

  it(`keeps every code in order under load: 41 registrations at ${LOAD_RATE} records/s each`, async () => {
    if (broker === undefined || publisher === undefined || subscriber === undefined) throw new Error('set-up failed');
    // A simulator of our own, faster than the embedded demo one; the publisher's kis-config points at
    // it as a 'custom' server. Codes: the example's plus more of the universe up to one full session (41).
    simulator = await startSimulator({ rate: LOAD_RATE, seed: 9, hours: 'always' });
    const sim = simulator;
    const tick = only(publisherExample, 'kis-tick');
    const quote = only(publisherExample, 'kis-quote');
    const quoteCodes = [...codesOf(tick)].slice(0, 8);
    // Further listed codes of the simulator's universe (a code outside it gets no data, as on KIS).
    const extra = UNIVERSE.map((l) => l.code).filter((c) => !codesOf(tick).includes(c)).slice(0, 41 - quoteCodes.length - codesOf(tick).length);
    const tickCodes = [...codesOf(tick), ...extra];
    const flows = publisherFlows(broker.port, (n) => {
      if (n.type === 'kis-config') {
        // pacingMs 10: all 41 subscriptions go out in well under a second (the default 100 ms spaces them over 4 s).
        return { ...n, server: 'custom', restUrl: sim.restUrl, wsUrl: sim.wsUrl, pacingMs: 10, credentials: { appKey: sim.appKey, appSecret: sim.appSecret } };
      }
      if (n.id === tick.id) return { ...n, codes: tickCodes.join(', ') };
      if (n.id === quote.id) return { ...n, codes: quoteCodes.join(', ') };
      return n;
    });
    assert.equal(topicsOf(flows.streaming).length, 41);
    await deployChangedNodes(publisher, flows.stopped);
    await Promise.all([readTap(publisher, 'published', 'DELETE'), readTap(subscriber, 'received', 'DELETE')]);
    const pub = await streamAndCompare(publisher, subscriber, flows, Math.floor((LOAD_RATE * STREAM_MS) / 1000 / 4));
    const count = total(pub);
    assert.ok(count >= 41 * LOAD_RATE * (STREAM_MS / 1000) * 0.5, `only ${count} records in ${STREAM_MS} ms`);
  });

  it('marks the publisher offline on kis/status when its runtime stops', async () => {
    if (broker === undefined || publisher === undefined || subscriber === undefined) throw new Error('set-up failed');
    const online = (await readTap(subscriber, 'status'))['kis/status']?.map((e) => e.json) ?? [];
    assert.deepEqual(online.map((j) => JSON.parse(j) as unknown), [{ online: true }], 'kis/status while the publisher runs (its retained birth message)');
    await publisher.stop();
    const deadline = Date.now() + 10000;
    let last: string | undefined;
    while (Date.now() < deadline) {
      last = (await readTap(subscriber, 'status'))['kis/status']?.at(-1)?.json;
      if (last !== undefined && (JSON.parse(last) as { online?: unknown }).online === false) break;
      await sleep(100);
    }
    assert.deepEqual(JSON.parse(last ?? 'null'), { online: false }, 'kis/status after the publisher stopped');
  });
});
