/**
 * Shared by the end-to-end benchmarks (bench/e2e-*.ts): the stock codes of the 41-registration
 * workloads, a small request/response protocol over the child-process IPC channel, and helpers to
 * start the two kinds of child process:
 *
 * - the simulator host (bench/e2e-sim-host.ts): the KIS simulator alone in its own process, so in
 *   the throughput and soak runs it does not compete with Node-RED for the same event loop;
 * - the client host (bench/e2e-client-host.ts): a real Node-RED runtime (node-red's `RED.init` /
 *   `RED.start`, this package loaded from the repository like any node module) with a counting
 *   node at the end of the flow, or, as the ceiling, a raw `ws` client doing a bare split.
 *
 * Every run gets fresh processes: Node-RED cannot be started twice in one process.
 */
import { fork, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { routeTr } from '../lib/protocol/route';
import { UNIVERSE } from '../lib/simulator/universe';

/** Registration limit of one KIS session (doc §6.1). */
export const MAX_REGISTRATIONS = 41;

/**
 * 41 distinct codes of the simulator's universe (its stock master): the well-known ones first. A
 * code outside it gets an ack and then no data, as on KIS, so it could not carry a workload.
 */
export const CODES_41: readonly string[] = UNIVERSE.slice(0, MAX_REGISTRATIONS).map((s) => s.code);
const NXT_TRADABLE: ReadonlyMap<string, boolean> = new Map(UNIVERSE.map((s) => [s.code, s.nxtTradable]));

/** Which data nodes a workload deploys: every code once, as 체결 ticks, 호가 quotes, or a mix. */
export type Workload = 'ticks' | 'quotes' | 'mix';

/** The (kind, codes) of the data nodes of a workload: always 41 registrations in total. */
export function workloadNodes(workload: Workload): { kind: 'tick' | 'quote'; codes: string[] }[] {
  if (workload === 'ticks') return [{ kind: 'tick', codes: [...CODES_41] }];
  if (workload === 'quotes') return [{ kind: 'quote', codes: [...CODES_41] }];
  // 21 tick + 20 quote registrations over 41 codes, split over two nodes of each kind.
  const ticks = CODES_41.slice(0, 21);
  const quotes = CODES_41.slice(21);
  return [
    { kind: 'tick', codes: ticks.slice(0, 11) },
    { kind: 'tick', codes: ticks.slice(11) },
    { kind: 'quote', codes: quotes.slice(0, 10) },
    { kind: 'quote', codes: quotes.slice(10) },
  ];
}

/**
 * The (TR id, code) pairs a workload registers with the default exchange (UN, 통합): what the
 * nodes register, i.e. the KRX TR for a code NXT does not trade (lib/protocol/route.ts).
 */
export function workloadRegistrations(workload: Workload): { trId: string; code: string }[] {
  return workloadNodes(workload).flatMap((n) => n.codes.map((code) => ({ trId: routeTr(n.kind, 'UN', code, NXT_TRADABLE.get(code)).trId, code })));
}

// ---------------------------------------------------------------------------------------------
// IPC: {id, method, params} → {id, result} | {id, error}

interface RpcRequest {
  readonly rpc: number;
  readonly method: string;
  readonly params: unknown;
}

interface RpcReply {
  readonly rpc: number;
  readonly result?: unknown;
  readonly error?: string;
}

export type RpcHandlers = Record<string, (params: never) => unknown>;

/** In a child: answer the parent's requests with `handlers` (sync or async). */
export function serveRpc(handlers: RpcHandlers): void {
  process.on('message', (raw: unknown) => {
    const req = raw as RpcRequest;
    if (typeof req !== 'object' || req === null || typeof req.rpc !== 'number') return;
    const handler = handlers[req.method] as ((params: unknown) => unknown) | undefined;
    const reply = (r: RpcReply): void => {
      if (process.connected) process.send?.(r);
    };
    if (handler === undefined) return reply({ rpc: req.rpc, error: `no method ${req.method}` });
    Promise.resolve()
      .then(() => handler(req.params))
      .then(
        (result) => reply({ rpc: req.rpc, result }),
        (err: unknown) => reply({ rpc: req.rpc, error: err instanceof Error ? (err.stack ?? err.message) : String(err) }),
      );
  });
}

/** A child process answering requests. */
export interface Host {
  readonly child: ChildProcess;
  call<T>(method: string, params?: unknown, timeoutMs?: number): Promise<T>;
  /** Ask the child to stop, then wait for it to exit (kill after 10 s). */
  close(): Promise<void>;
  /** What the child printed (stdout and stderr, the last 20 000 characters), for error reports. */
  stderr(): string;
}

/**
 * Fork `script` (a compiled bench/e2e-*-host.js) with `args`; resolves once it is ready (it
 * answers `ping`). `execArgv` e.g. ['--expose-gc'].
 */
export async function startHost(script: string, args: unknown, execArgv: readonly string[] = []): Promise<Host> {
  const child = fork(path.join(__dirname, script), [JSON.stringify(args)], {
    execArgv: [...execArgv],
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let errText = '';
  for (const stream of [child.stdout, child.stderr]) {
    stream?.setEncoding('utf8');
    stream?.on('data', (s: string) => {
      errText = (errText + s).slice(-20_000);
    });
  }
  let next = 1;
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }>();
  child.on('message', (raw: unknown) => {
    const reply = raw as RpcReply;
    const w = waiting.get(reply.rpc);
    if (w === undefined) return;
    waiting.delete(reply.rpc);
    clearTimeout(w.timer);
    if (reply.error !== undefined) w.reject(new Error(`${script}: ${reply.error}`));
    else w.resolve(reply.result);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exited.then(() => {
    for (const w of waiting.values()) {
      clearTimeout(w.timer);
      w.reject(new Error(`${script} exited: ${errText.slice(-2000)}`));
    }
    waiting.clear();
  });
  const call = <T>(method: string, params?: unknown, timeoutMs = 60_000): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      if (!child.connected) return reject(new Error(`${script} is not running: ${errText.slice(-2000)}`));
      const rpc = next++;
      const timer = setTimeout(() => {
        waiting.delete(rpc);
        reject(new Error(`${script}: ${method} timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      waiting.set(rpc, { resolve: resolve as (v: unknown) => void, reject, timer });
      child.send({ rpc, method, params });
    });
  const close = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      await call('stop', undefined, 15_000).catch(() => undefined);
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(killer);
    }
  };
  await call('ping', undefined, 60_000);
  return { child, call, close, stderr: () => errText };
}

// ---------------------------------------------------------------------------------------------
// Figures

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Value at quantile q (0..1) of ascending `sorted` (nearest rank). */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i] ?? NaN;
}

/** 52_340 → "52.3 k", 812 → "812". */
export function kilo(n: number): string {
  return n >= 10_000 ? `${(n / 1000).toFixed(1)} k` : String(Math.round(n));
}

export function ms(n: number, digits = 2): string {
  return Number.isFinite(n) ? `${n.toFixed(digits)} ms` : '–';
}

export function mib(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}

// ---------------------------------------------------------------------------------------------
// Flows

export interface SimEndpoints {
  readonly restUrl: string;
  readonly wsUrl: string;
  readonly appKey: string;
  readonly appSecret: string;
}

export interface BenchFlow {
  readonly flows: Record<string, unknown>[];
  readonly configId: string;
}

/**
 * One tab: a kis-config pointing at the simulator (server 'custom'), the data nodes of the
 * workload, every one wired to a single `bench-count` node.
 */
export function benchFlow(workload: Workload, sim: SimEndpoints, config: { pacingMs: number; reconnectInitialMs?: number }): BenchFlow {
  const configId = 'bench-config';
  const flows: Record<string, unknown>[] = [
    { id: 'bench-tab', type: 'tab', label: 'bench' },
    {
      id: configId,
      type: 'kis-config',
      name: 'bench',
      server: 'custom',
      restUrl: sim.restUrl,
      wsUrl: sim.wsUrl,
      custType: 'P',
      reconnectInitialMs: config.reconnectInitialMs ?? 1000,
      reconnectMaxMs: 60_000,
      maxRetries: 0,
      pacingMs: config.pacingMs,
      // On the node, as the editor sends them: the runtime moves them to its credential store.
      credentials: { appKey: sim.appKey, appSecret: sim.appSecret },
    },
    { id: 'bench-counter', type: 'bench-count', z: 'bench-tab', wires: [] },
  ];
  workloadNodes(workload).forEach((n, i) => {
    flows.push({
      id: `bench-${n.kind}-${i}`,
      type: n.kind === 'tick' ? 'kis-tick' : 'kis-quote',
      z: 'bench-tab',
      server: configId,
      codes: n.codes.join(', '),
      exchange: 'UN',
      output: 'each',
      conflateMs: 500,
      payload: 'full',
      wires: [['bench-counter']],
    });
  });
  return { flows, configId };
}

/** Wait until `check` is true (polled every `everyMs`); false on timeout. */
export async function waitFor(check: () => Promise<boolean> | boolean, timeoutMs: number, everyMs = 50): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() >= end) return false;
    await sleep(everyMs);
  }
}
