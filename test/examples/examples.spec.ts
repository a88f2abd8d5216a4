/**
 * Every flow in examples/ deploys into a real Node-RED (this package, core nodes, the dashboard) without
 * errors, against the simulator exactly as shipped, and the ones that should produce msgs do, seen the
 * way a user sees them: debug-sidebar msgs, a CSV file, MQTT round trips.
 */
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePort, repoRoot, startNodeRed, type FlowNode, type NodeRedProcess } from '../helpers/node-red-process';
import { listenComms, type CommsListener, type StatusEntry } from './comms';

const examplesDir = path.join(repoRoot, 'examples');
const MOSQUITTO = '/usr/sbin/mosquitto';
/** Examples carry no tab (Import › Examples drops them into the current one); the tests add this one. */
const TAB: FlowNode = { id: 'kis-example', type: 'tab', label: 'example' };

function loadExample(file: string): FlowNode[] {
  const flow = JSON.parse(fs.readFileSync(path.join(examplesDir, file), 'utf8')) as unknown;
  assert.ok(Array.isArray(flow), `${file} must be a flow array`);
  return flow as FlowNode[];
}

function nodeOf(flow: FlowNode[], id: string): FlowNode {
  const node = flow.find((n) => n.id === id);
  assert.ok(node, `node ${id} is missing`);
  return node;
}

/** Replace one node's properties (returns a new flow; the loaded file stays as shipped). */
function patch(flow: FlowNode[], id: string, props: Record<string, unknown>): FlowNode[] {
  nodeOf(flow, id);
  return flow.map((n) => (n.id === id ? { ...n, ...props } : n));
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('examples/', function () {
  this.timeout(120000);
  let red: NodeRedProcess;
  let comms: CommsListener;
  let csvDir: string;
  let logMark = 0;

  before(async () => {
    csvDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kis-csv-'));
    red = await startNodeRed({ env: { KIS_CSV_DIR: csvDir }, settings: { logging: { console: { level: 'info', metrics: false, audit: false } } } });
    comms = await listenComms(red.url);
  });

  after(async () => {
    await comms?.close();
    await red?.stop();
    if (csvDir) fs.rmSync(csvDir, { recursive: true, force: true });
  });

  /** Full deploy of an example on its tab; remembers where the log stood so errors can be attributed. */
  async function deploy(flow: FlowNode[]): Promise<void> {
    const started = (): number => red.output().split('Started flows').length;
    const before = started();
    logMark = red.output().length;
    await red.deploy([TAB, ...flow]);
    const deadline = Date.now() + 10000;
    while (started() === before) {
      assert.ok(Date.now() < deadline, `flows did not start:\n${red.output().slice(logMark)}`);
      await sleep(50);
    }
  }

  /** Log lines at [error] level, and "missing types", since the last deploy. */
  function errorsSinceDeploy(): string[] {
    return red
      .output()
      .slice(logMark)
      .split('\n')
      .filter((line) => /\[error\]|Waiting for missing types/.test(line));
  }

  async function waitForStatus(id: string, ok: (s: StatusEntry) => boolean, timeoutMs = 15000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!comms.status.some((s) => s.id === id && ok(s))) {
      assert.ok(Date.now() < deadline, `${id}: expected status not seen: ${JSON.stringify(comms.status.filter((s) => s.id === id))}`);
      await sleep(100);
    }
  }

  it('every file is a flow array that opens with an en + ko comment, uses the simulator, and only core, kis and dashboard nodes', () => {
    const files = fs.readdirSync(examplesDir).filter((f) => f.endsWith('.json'));
    assert.ok(files.length >= 6, `expected the six examples, found ${files.join(', ')}`);
    const coreOrOurs = /^(kis-config|kis-tick|kis-quote|kis-realtime|kis-bars|kis-notice|comment|inject|debug|function|change|switch|delay|file|mqtt in|mqtt out|mqtt-broker|status|catch|ui-.*)$/;
    for (const file of files) {
      const flow = loadExample(file);
      assert.equal(flow[0]?.type, 'comment', `${file}: the first node must be the explaining comment`);
      const info = String(flow[0]?.['info'] ?? '');
      assert.match(info, /[가-힣]/, `${file}: comment needs Korean text`);
      assert.match(info, /[A-Za-z]{4,} [A-Za-z]{4,}/, `${file}: comment needs English text`);
      for (const node of flow) {
        assert.match(node.type, coreOrOurs, `${file}: unexpected node type ${node.type}`);
        if (node.type.startsWith('ui-')) assert.equal(file, '02-live-dashboard.json', `${file}: only the dashboard example may use dashboard nodes`);
        if (node.type === 'tab') assert.fail(`${file}: examples carry no tab node`);
      }
      const sim = flow.find((n) => n.type === 'kis-config' && n['server'] === 'simulator');
      assert.ok(sim, `${file}: needs a kis-config with server "simulator"`);
      const isData = (n: FlowNode): boolean => n.type === 'kis-tick' || n.type === 'kis-quote' || n.type === 'kis-realtime' || n.type === 'kis-notice'; // kis-bars has no kis-config: it takes kis-tick msgs
      assert.ok(flow.some(isData), `${file}: uses no kis node`);
      for (const n of flow.filter(isData)) {
        const config = flow.find((c) => c.id === n['server']);
        assert.ok(config, `${file}: ${n.id} points at a missing kis-config`);
        if (config['server'] !== 'simulator') assert.equal(n['d'], true, `${file}: ${n.id} uses a real account and must ship disabled`);
      }
    }
  });

  it('01 ticks to debug: ticks reach the debug sidebar, and an input msg adds a code without a redeploy', async () => {
    const flow = loadExample('01-ticks-to-debug.json');
    await deploy(flow);
    const ticks = await comms.waitForDebug('kt-debug', 2);
    const first = JSON.parse(ticks[0]!.msg) as { topic: string; payload: Record<string, unknown>; kis: { kind: string } };
    assert.ok(['005930', '000660'].includes(first.topic), `unexpected topic ${first.topic}`);
    assert.equal(typeof first.payload['STCK_PRPR'], 'number');
    assert.equal(first.kis.kind, 'tick');
    // The "add NAVER" inject: the tick node resubscribes through its input.
    const res = await red.request('/inject/kt-add', { method: 'POST' });
    assert.equal(res.status, 200);
    await comms.waitForDebug('kt-debug', 1, 15000, (e) => e.msg.includes('"topic":"035420"'));
    assert.deepEqual(errorsSinceDeploy(), []);
  });

  it('02 live dashboard: deploys without errors, the page is served and the selector resubscribes', async () => {
    const flow = loadExample('02-live-dashboard.json');
    await deploy(flow);
    const page = await red.request('/dashboard/kis');
    assert.equal(page.status, 200);
    // The kis-quote node reports a healthy connection; the start-up inject selects 005930.
    await waitForStatus('kd-quote', (s) => s.fill === 'green');
    await waitForStatus('kd-select', (s) => /005930/.test(s.text ?? ''));
    await sleep(1500);
    assert.deepEqual(errorsSinceDeploy(), []);
  });

  it('02 live dashboard: the chart gets KST clock labels (category axis), not epoch ms a browser would show in its own zone', async () => {
    const shipped = loadExample('02-live-dashboard.json');
    const chart = nodeOf(shipped, 'kd-chart');
    assert.equal(chart['xAxisType'], 'category', 'a time axis renders in the browser\'s time zone');
    // Tap the chart's input: a debug node wired to every output that feeds the chart.
    const feeding = shipped.filter((n) => Array.isArray(n['wires']) && (n['wires'] as string[][]).some((port) => port.includes('kd-chart')));
    assert.ok(feeding.length > 0, 'nothing feeds the chart');
    let flow = shipped;
    for (const feeder of feeding) {
      const wires = (feeder['wires'] as string[][]).map((port) => (port.includes('kd-chart') ? [...port, 'kd-test-chart-tap'] : port));
      flow = patch(flow, feeder.id, { wires });
    }
    const tap: FlowNode = { id: 'kd-test-chart-tap', type: 'debug', z: TAB.id, active: true, tosidebar: true, console: false, complete: 'payload', targetType: 'msg', x: 100, y: 900, wires: [] };
    await deploy([...flow, tap]);
    const isPoint = (e: { msg: string }): boolean => /"x"\s*:/.test(e.msg); // not the selector's "clear the chart" []
    const points = await comms.waitForDebug('kd-test-chart-tap', 2, 20000, isPoint);
    const kstNow = new Date(Date.now() + 9 * 3600_000).toISOString().slice(11, 19);
    const seconds = (t: string): number => t.split(':').reduce((acc, part) => acc * 60 + Number(part), 0);
    for (const point of points) {
      const x = (JSON.parse(point.msg) as { x: unknown }).x;
      assert.match(String(x), /^\d\d:\d\d:\d\d$/, `chart x is not a KST clock label: ${String(x)}`);
      const drift = Math.abs(seconds(String(x)) - seconds(kstNow));
      assert.ok(Math.min(drift, 86400 - drift) < 120, `chart x ${String(x)} is not KST (now ${kstNow} KST)`);
    }
    assert.deepEqual(errorsSinceDeploy(), []);
  });

  it('03 price alert: a rule fires once, then the rate limit holds while ticks keep coming', async () => {
    const shipped = loadExample('03-price-alert.json');
    // As shipped the levels are realistic (they may take minutes); a level every price is above fires at once.
    const flow = patch(shipped, 'ka-rules', { payload: JSON.stringify([{ code: '005930', above: 1, cooldownSec: 60 }]) });
    await deploy(flow);
    const alerts = await comms.waitForDebug('ka-debug', 1, 15000);
    const alert = JSON.parse(alerts[0]!.msg) as { code: string; text: string; price: number };
    assert.equal(alert.code, '005930');
    assert.ok(alert.price >= 1);
    await sleep(4000); // several more ticks above the level: the cooldown keeps it at one alert
    assert.equal(comms.debug.filter((e) => e.id === 'ka-debug').length, 1, 'the rate limit let a second alert through');
    assert.deepEqual(errorsSinceDeploy(), []);
  });

  it('04 record ticks to CSV: one file per day with one header and a line per tick', async () => {
    const flow = loadExample('04-record-ticks-csv.json');
    await deploy(flow);
    const deadline = Date.now() + 15000;
    let lines: string[] = [];
    let file = '';
    while (lines.length < 4) {
      assert.ok(Date.now() < deadline, `no CSV lines in ${csvDir}: ${fs.readdirSync(csvDir).join(', ')}`);
      await sleep(250);
      const files = fs.readdirSync(csvDir).filter((f) => /^ticks-\d{8}\.csv$/.test(f));
      if (files.length === 0) continue;
      file = path.join(csvDir, files[0]!);
      lines = fs.readFileSync(file, 'utf8').split('\n').filter((l) => l !== '');
    }
    assert.equal(lines[0], 'timestamp,code,STCK_PRPR,PRDY_VRSS,PRDY_CTRT,CNTG_VOL,ACML_VOL,ASKP1,BIDP1');
    assert.equal(lines.filter((l) => l.startsWith('timestamp,')).length, 1, 'header written more than once');
    const cells = lines[1]!.split(',');
    assert.equal(cells.length, 9);
    assert.match(cells[0]!, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/);
    assert.ok(['005930', '000660'].includes(cells[1]!));
    assert.ok(Number(cells[2]) > 0, `price ${cells[2]}`);
    assert.equal(path.basename(file), `ticks-${cells[0]!.slice(0, 10).replace(/-/g, '')}.csv`);
    assert.deepEqual(errorsSinceDeploy(), []);
  });

  it('07 minute bars to CSV: closed bars (here every second) become lines with a header', async () => {
    const flow = patch(loadExample('07-minute-bars-csv.json'), 'kb-bars', { interval: '1s', graceMs: 200 });
    await deploy(flow);
    const deadline = Date.now() + 20000;
    let lines: string[] = [];
    while (lines.length < 4) {
      assert.ok(Date.now() < deadline, `no bar lines in ${csvDir}: ${fs.readdirSync(csvDir).join(', ')}`);
      await sleep(250);
      const files = fs.readdirSync(csvDir).filter((f) => /^bars-\d{8}\.csv$/.test(f));
      if (files.length > 0) lines = fs.readFileSync(path.join(csvDir, files[0]!), 'utf8').split('\n').filter((l) => l !== '');
    }
    assert.equal(lines[0], 'start,code,open,high,low,close,volume,value,vwap,trades,buyVolume,sellVolume,partial');
    const cells = lines[2]!.split(',');
    assert.match(cells[0]!, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+09:00$/);
    const [open, high, low, close, volume] = cells.slice(2, 7).map(Number) as [number, number, number, number, number];
    assert.ok(low <= Math.min(open, close) && high >= Math.max(open, close) && volume > 0, lines[2]);
    assert.deepEqual(errorsSinceDeploy(), []);
  });

  it('05 publish to MQTT: ticks go out as kis/tick/<code> JSON and come back through the broker', async () => {
    if (!fs.existsSync(MOSQUITTO)) {
      assert.fail(`${MOSQUITTO} not found: the MQTT example test needs Debian's mosquitto (scripts/ci-setup.sh as root, or apt-get install -y mosquitto)`);
    }
    const port = await freePort();
    const confDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kis-mqtt-'));
    const conf = path.join(confDir, 'mosquitto.conf');
    fs.writeFileSync(conf, `listener ${port} 127.0.0.1\nallow_anonymous true\npersistence false\n`);
    const broker: ChildProcess = spawn(MOSQUITTO, ['-c', conf], { stdio: 'ignore' });
    const brokerExited = new Promise<void>((resolve) => broker.once('exit', () => resolve()));
    try {
      const flow = patch(loadExample('05-publish-mqtt.json'), 'km-broker', { port: String(port) });
      await deploy(flow);
      const got = await comms.waitForDebug('km-debug', 2, 20000);
      const msg = JSON.parse(got[0]!.msg) as { topic: string; payload: Record<string, unknown> };
      assert.match(msg.topic, /^kis\/tick\/(005930|000660)$/);
      assert.equal(typeof msg.payload['STCK_PRPR'], 'number', 'the payload must arrive as parsed JSON');
      assert.equal(msg.payload['kis'], undefined);
      assert.deepEqual(errorsSinceDeploy(), []);
      await red.deploy([TAB]); // disconnect from the broker before it goes away
    } finally {
      broker.kill('SIGTERM');
      await brokerExited;
      fs.rmSync(confDir, { recursive: true, force: true });
    }
  });

  it('06 switch to a real account: deploys without credentials; the simulator half runs, the real half is disabled', async () => {
    const flow = loadExample('06-switch-to-real-account.json');
    assert.equal(nodeOf(flow, 'kr-real-config')['server'], 'real');
    await deploy(flow);
    await comms.waitForDebug('kr-debug-sim', 1);
    await sleep(1000);
    assert.equal(comms.debug.filter((e) => e.id === 'kr-debug-real').length, 0);
    assert.deepEqual(errorsSinceDeploy(), []);
  });
});
