/**
 * Child process of the end-to-end benchmarks (see e2e-common.ts): the receiving side.
 *
 * - `startRed` starts a real Node-RED runtime in this process (`RED.init` + `RED.start`, no
 *   editor), with this package loaded from the repository as a node module and one extra node
 *   type, `bench-count`, which counts what reaches it. `deploy` deploys a flow.
 * - `startRaw` is the ceiling: a bare `ws` client on the same simulator stream that only does
 *   `text.split('|')` and `parts[3].split('^')` per frame (no typing, no Node-RED).
 * - `startSim` starts the simulator in this process instead of a separate one, when the
 *   measurement needs one clock for both ends (latency: the simulator's `onFrameSent` and the
 *   counting node both read `performance.now()`; recovery: the drop and the first record after it).
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import WebSocket from 'ws';
import { buildSubscribe } from '../lib/protocol/messages';
import { TR_TABLES, type TrId } from '../lib/protocol/tr-tables';
import { requestApprovalKey } from '../lib/session/approval';
import { startSimulator, type RunningSimulator, type SimulatorOptions } from '../lib/simulator';
import { serveRpc, sleep } from './e2e-common';
import type { SimCounters, SimInfo } from './e2e-sim-host';

/** The part of a msg the counting node reads. */
interface CountedMsg {
  readonly topic?: unknown;
  readonly kis?: { readonly trId?: unknown };
}

export interface ClientCounts {
  readonly total: number;
  readonly perKey: Readonly<Record<string, number>>;
}

export interface LatencyFigures {
  readonly samples: number;
  /** Sorted ascending, ms; at most 200 000 (evenly thinned). */
  readonly sortedMs: readonly number[];
  readonly misaligned: number;
}

export interface RecoveryFigures {
  /** ms from the drop until each registration's first record on the new connection, per key. */
  readonly firstRecordMs: Readonly<Record<string, number>>;
  /** ms from the drop until the session left 'connected' / was 'connected' again. */
  readonly downAtMs: number | null;
  readonly upAtMs: number | null;
}

export interface MemorySample {
  readonly heapUsed: number;
  readonly rss: number;
}

export interface ClientHostArgs {
  /** What the counting node keeps: a total only, counts per (TR, code), or latencies as well. */
  readonly track: 'total' | 'keys' | 'latency';
}

/** `global.gc` even without --expose-gc (flag set at run time, function taken from a fresh context). */
function gcFunction(): () => void {
  const existing = (globalThis as { gc?: () => void }).gc;
  if (typeof existing === 'function') return existing;
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
}

/** Frames the in-process simulator sent for one (TR, code): cumulative record counts and send times. */
interface FrameLog {
  readonly ends: number[];
  readonly at: number[];
  sent: number;
  received: number;
  ptr: number;
}

class Counter {
  total = 0;
  readonly perKey = new Map<string, number>();
  readonly frames = new Map<string, FrameLog>();
  latencies: number[] = [];
  misaligned = 0;
  recording = false;
  /** Recovery: performance.now() of the drop, and when the session was seen down. */
  dropAt: number | null = null;
  downAt: number | null = null;
  upAt: number | null = null;
  readonly firstAfterDown = new Map<string, number>();

  constructor(private readonly track: ClientHostArgs['track']) {}

  /** The counting node's input handler (hot path). */
  onMsg(msg: CountedMsg): void {
    this.total++;
    if (this.track === 'total') return;
    const key = `${String(msg.kis?.trId)}|${String(msg.topic)}`;
    this.perKey.set(key, (this.perKey.get(key) ?? 0) + 1);
    if (this.downAt !== null && !this.firstAfterDown.has(key)) this.firstAfterDown.set(key, performance.now() - (this.dropAt ?? 0));
    if (this.track === 'latency') this.latency(key, performance.now());
  }

  /** Called by the in-process simulator after each data frame. */
  onFrame(trId: string, code: string, count: number, atMs: number): void {
    const key = `${trId}|${code}`;
    let log = this.frames.get(key);
    if (log === undefined) {
      log = { ends: [], at: [], sent: 0, received: 0, ptr: 0 };
      this.frames.set(key, log);
    }
    log.sent += count;
    log.ends.push(log.sent);
    log.at.push(atMs);
  }

  /** The n-th record received for a key came in the frame whose cumulative count first reaches n. */
  private latency(key: string, now: number): void {
    const log = this.frames.get(key);
    if (log === undefined) {
      this.misaligned++;
      return;
    }
    const n = ++log.received;
    while (log.ptr < log.ends.length && (log.ends[log.ptr] ?? 0) < n) log.ptr++;
    const at = log.at[log.ptr];
    if (at === undefined) {
      this.misaligned++;
      return;
    }
    if (this.recording) this.latencies.push(now - at);
  }
}

/**
 * While package.json does not list the nodes yet (the "node-red".nodes map is filled in by the
 * nodes work), load them through one local node file instead, so the benchmark still runs.
 */
function writeFallbackLoader(repoRoot: string, dir: string): void {
  const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { 'node-red'?: { nodes?: Record<string, string> } };
  if (pkg['node-red']?.nodes?.['kis-config'] !== undefined) return;
  const files = ['kis-config', 'kis-tick', 'kis-quote'].map((n) => JSON.stringify(path.join(repoRoot, 'dist', 'nodes', `${n}.js`)));
  fs.writeFileSync(path.join(dir, 'kis-nodes.js'), `module.exports = function (RED) { for (const f of [${files.join(', ')}]) require(f)(RED); };\n`);
  fs.writeFileSync(path.join(dir, 'kis-nodes.html'), '\n');
}

async function main(): Promise<void> {
  const args = JSON.parse(process.argv[2] ?? '{}') as ClientHostArgs;
  const counter = new Counter(args.track);
  const gc = gcFunction();
  let sim: RunningSimulator | null = null;
  let red: typeof import('node-red') | null = null;
  let server: http.Server | null = null;
  let userDir: string | null = null;
  let raw: WebSocket | null = null;
  let downPoll: NodeJS.Timeout | null = null;

  const startSim = async (options: SimulatorOptions): Promise<SimInfo> => {
    sim ??= await startSimulator({ ...options, onFrameSent: (t, c, n, at) => counter.onFrame(t, c, n, at) });
    return { restUrl: sim.restUrl, wsUrl: sim.wsUrl, appKey: sim.appKey, appSecret: sim.appSecret };
  };

  /**
   * Start Node-RED with `flows` already in its flow file and their credentials in flows_cred.json
   * (plain text: credentialSecret false), as a user's Node-RED starts.
   */
  const startRed = async (p: { flows: Record<string, unknown>[]; settings?: Record<string, unknown> }): Promise<void> => {
    userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kis-bench-red-'));
    const dir = userDir;
    process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
    const creds: Record<string, unknown> = {};
    const flows = p.flows.map((n) => {
      const { credentials, ...rest } = n;
      if (credentials !== undefined) creds[String(n.id)] = credentials;
      return rest;
    });
    fs.writeFileSync(path.join(userDir, 'flows.json'), JSON.stringify(flows));
    fs.writeFileSync(path.join(userDir, 'flows_cred.json'), JSON.stringify(creds));
    const countDir = path.join(userDir, 'bench-nodes');
    fs.mkdirSync(countDir);
    // The counting node reaches this process's counter through a global: the runtime loads node
    // files itself, so there is no other handle to pass.
    (globalThis as { __kisBenchCount?: (msg: CountedMsg) => void }).__kisBenchCount = (msg) => counter.onMsg(msg);
    fs.writeFileSync(
      path.join(countDir, 'bench-count.js'),
      `module.exports = function (RED) {
  function BenchCount(def) {
    RED.nodes.createNode(this, def);
    const count = globalThis.__kisBenchCount;
    this.on('input', function (msg) { count(msg); });
  }
  RED.nodes.registerType('bench-count', BenchCount);
};\n`,
    );
    fs.writeFileSync(path.join(countDir, 'bench-count.html'), `<script type="text/javascript">RED.nodes.registerType('bench-count',{category:'function',defaults:{},inputs:1,outputs:0,label:'count'});</script>\n`);
    const repoRoot = path.resolve(__dirname, '..', '..');
    writeFallbackLoader(repoRoot, countDir);
    // Plain require: the module's exports are getters that an import-star copy would lose.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    red = require('node-red') as typeof import('node-red');
    server = http.createServer();
    const settings = {
      userDir,
      flowFile: 'flows.json',
      credentialSecret: false,
      uiHost: '127.0.0.1',
      httpAdminRoot: false,
      httpNodeRoot: false,
      disableEditor: true,
      nodesDir: [repoRoot, countDir],
      logging: { console: { level: process.env.KIS_BENCH_LOG_LEVEL ?? 'warn', metrics: false, audit: false } },
      editorTheme: { projects: { enabled: false } },
      telemetry: { enabled: false, updateNotification: false },
      ...p.settings,
    };
    red.init(server, settings as never);
    await red.start();
    const srv = server;
    await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', () => resolve()));
  };

  /** A full deploy, credentials on the nodes (as the editor sends them). */
  const deploy = async (p: { flows: unknown[] }): Promise<void> => {
    if (red === null) throw new Error('Node-RED not started');
    const nodes = red.nodes as unknown as { setFlows(f: unknown[], c: unknown, type: string): Promise<unknown> };
    await nodes.setFlows(p.flows, null, 'full');
  };

  /** The raw ceiling: approval, connect, subscribe every pair (paced like the session), count by splitting. */
  const startRaw = async (p: { sim: SimInfo; registrations: { trId: TrId; code: string }[]; pacingMs: number }): Promise<void> => {
    const fieldCount: Record<string, number> = {};
    for (const [id, t] of Object.entries(TR_TABLES)) fieldCount[id] = t.fields.length;
    const approvalKey = await requestApprovalKey({ restUrl: p.sim.restUrl, appKey: p.sim.appKey, appSecret: p.sim.appSecret, timeoutMs: 10_000 });
    const ws = new WebSocket(p.sim.wsUrl, { perMessageDeflate: false });
    raw = ws;
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    ws.on('message', (data: WebSocket.RawData) => {
      const text = data.toString();
      if (text.charCodeAt(0) === 123 /* { */) {
        if (text.includes('"PINGPONG"')) ws.send(text);
        return;
      }
      const parts = text.split('|');
      const fields = parts[3]?.split('^').length ?? 0;
      counter.total += fields / (fieldCount[parts[1] ?? ''] ?? 1);
    });
    for (const r of p.registrations) {
      ws.send(buildSubscribe({ approvalKey, custType: 'P', trId: r.trId, trKey: r.code }));
      await sleep(p.pacingMs);
    }
  };

  serveRpc({
    ping: () => 'pong',
    startSim,
    simStats: (): SimCounters => {
      if (sim === null) throw new Error('no simulator');
      const s = sim.stats();
      return { totalRecordsSent: s.totalRecordsSent, recordsSent: s.recordsSent, framesSent: s.framesSent, recordsSkipped: s.recordsSkipped, openSockets: s.openSockets, requests: s.requests.length };
    },
    simSetRate: (p: { rate: number }) => sim?.setRate(p.rate),
    startRed,
    deploy,
    startRaw,
    counts: (): ClientCounts => ({ total: counter.total, perKey: Object.fromEntries(counter.perKey) }),
    latencyRecord: (p: { on: boolean }) => {
      if (p.on) counter.latencies = [];
      counter.recording = p.on;
    },
    latency: (): LatencyFigures => {
      const all = counter.latencies.sort((a, b) => a - b);
      const step = Math.max(1, Math.ceil(all.length / 200_000));
      return { samples: all.length, sortedMs: step === 1 ? all : all.filter((_, i) => i % step === 0 || i === all.length - 1), misaligned: counter.misaligned };
    },
    /** Drop every socket of the in-process simulator and start timing the recovery. */
    dropAll: (p: { clean: boolean; configId: string }) => {
      if (sim === null || red === null) throw new Error('no simulator or Node-RED');
      const nodes = red.nodes as unknown as { getNode(id: string): { sessionState(): { state: string } } | null };
      const config = nodes.getNode(p.configId);
      if (config === null) throw new Error(`no node ${p.configId}`);
      counter.firstAfterDown.clear();
      counter.downAt = null;
      counter.upAt = null;
      counter.dropAt = performance.now();
      sim.faults.dropAll({ clean: p.clean });
      // Records after the session saw the drop can only come from the new connection.
      downPoll = setInterval(() => {
        const state = config.sessionState().state;
        const t = performance.now() - (counter.dropAt ?? 0);
        if (counter.downAt === null && state !== 'connected') counter.downAt = t;
        else if (counter.downAt !== null && counter.upAt === null && state === 'connected') counter.upAt = t;
        if (counter.upAt !== null && downPoll !== null) clearInterval(downPoll);
      }, 1);
    },
    sessionState: (p: { configId: string }): unknown => {
      const nodes = red?.nodes as unknown as { getNode(id: string): { sessionState(): unknown } | null } | undefined;
      return nodes?.getNode(p.configId)?.sessionState() ?? null;
    },
    recovery: (): RecoveryFigures => ({ firstRecordMs: Object.fromEntries(counter.firstAfterDown), downAtMs: counter.downAt, upAtMs: counter.upAt }),
    memory: (): MemorySample => {
      gc();
      gc();
      const m = process.memoryUsage();
      return { heapUsed: m.heapUsed, rss: m.rss };
    },
    stop: async () => {
      if (downPoll !== null) clearInterval(downPoll);
      raw?.terminate();
      if (red !== null) await red.stop().catch(() => undefined);
      if (sim !== null) await sim.stop();
      server?.close();
      if (userDir !== null) fs.rmSync(userDir, { recursive: true, force: true });
      // Node-RED leaves timers of its own behind; this process is done.
      setTimeout(() => process.exit(0), 50);
    },
  });
}

void main();
