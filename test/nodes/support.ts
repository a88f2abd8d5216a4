/**
 * Shared pieces of the node runtime specs: a typed face for node-red-node-test-helper (it ships no
 * types), flow builders, and waiting helpers that never leave timers behind.
 */
import { createHook } from 'node:async_hooks';
import type { NodeMessage } from 'node-red';

export interface SinonCall {
  readonly thisValue: unknown;
  readonly args: unknown[];
}
export interface SinonSpy {
  getCalls(): SinonCall[];
  resetHistory(): void;
}
export interface TestNode {
  readonly id: string;
  on(event: string, listener: (...args: never[]) => void): this;
  once(event: string, listener: (...args: never[]) => void): this;
  off(event: string, listener: (...args: never[]) => void): this;
  receive(msg: Record<string, unknown>): void;
  credentials?: Record<string, unknown>;
}
export type FlowNode = Record<string, unknown> & { id: string; type: string };
export type Creds = Record<string, Record<string, string>>;
type NodeModule = (RED: never) => void;

export interface TestHelper {
  init(nodeRedPath: string, settings?: Record<string, unknown>): void;
  settings(settings: Record<string, unknown>): Record<string, unknown>;
  startServer(): Promise<void>;
  stopServer(): Promise<void>;
  load(modules: NodeModule[], flow: FlowNode[], creds?: Creds): Promise<void>;
  setFlows(flow: FlowNode[], type: 'full' | 'flows' | 'nodes', creds?: Creds): Promise<void>;
  unload(): Promise<void>;
  getNode(id: string): TestNode;
  log(): SinonSpy & { getCalls(): SinonCall[] };
  _NodePrototype: Record<string, SinonSpy>;
  _redNodes: { getFlows(): { flows: unknown[] } };
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
export const helper = require('node-red-node-test-helper') as TestHelper;

/** Node-RED methods the helper spies on (shared by every node). */
export const SPIED = ['log', 'warn', 'error', 'debug', 'trace', 'status', 'send'] as const;

export interface CallRecord {
  readonly method: string;
  readonly id: string;
  readonly args: unknown[];
}

/** Every call of the spied Node methods so far, with the id of the node that made it. */
export function spiedCalls(): CallRecord[] {
  const out: CallRecord[] = [];
  for (const method of SPIED) {
    const spy = helper._NodePrototype[method];
    if (spy === undefined || typeof spy.getCalls !== 'function') continue;
    for (const call of spy.getCalls()) out.push({ method, id: (call.thisValue as { id?: string }).id ?? '?', args: call.args });
  }
  return out;
}

export function callsOf(node: { id: string }, method: (typeof SPIED)[number]): unknown[][] {
  return spiedCalls().filter((c) => c.method === method && c.id === node.id).map((c) => c.args);
}

export function statusTexts(node: { id: string }): { fill?: string; shape?: string; text?: string }[] {
  return callsOf(node, 'status').map((args) => args[0] as { fill?: string; shape?: string; text?: string });
}

export function lastStatus(node: { id: string }): { fill?: string; shape?: string; text?: string } | undefined {
  const all = statusTexts(node);
  return all[all.length - 1];
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Poll `check` until it returns a truthy value or the time is up (then throw with `what`). */
export async function until<T>(what: string, check: () => T | undefined | null | false, timeoutMs = 5000, everyMs = 20): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = check();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await delay(everyMs);
  }
}

/** Collects the msgs a helper node receives. */
export class Sink {
  readonly msgs: (NodeMessage & Record<string, unknown>)[] = [];
  private readonly listener = (msg: NodeMessage & Record<string, unknown>) => this.msgs.push(msg);
  constructor(readonly node: TestNode) {
    node.on('input', this.listener as never);
  }
  clear(): void {
    this.msgs.length = 0;
  }
  count(pred: (m: NodeMessage & Record<string, unknown>) => boolean = () => true): number {
    return this.msgs.filter(pred).length;
  }
  wait(what: string, pred: (m: NodeMessage & Record<string, unknown>) => boolean = () => true, n = 1, timeoutMs = 5000): Promise<(NodeMessage & Record<string, unknown>)[]> {
    return until(what, () => {
      const got = this.msgs.filter(pred);
      return got.length >= n ? got : null;
    }, timeoutMs);
  }
}

/** Sentinel credentials: the secret scan looks for these everywhere. */
export const SENTINEL = {
  appKey: 'SENTINEL-APPKEY-7f3a9c1e5b2d4a6f8e0c',
  appSecret: 'SENTINEL-APPSECRET-b4d2f6a8c0e1937562840abcdef',
} as const;

export interface ConfigOptions {
  readonly id?: string;
  readonly restUrl: string;
  readonly wsUrl: string;
  readonly maxRetries?: number;
  readonly reconnectInitialMs?: number;
  readonly reconnectMaxMs?: number;
  readonly pacingMs?: number;
}

export function configNode(o: ConfigOptions): FlowNode {
  return {
    id: o.id ?? 'c1',
    type: 'kis-config',
    name: 'kis',
    server: 'custom',
    restUrl: o.restUrl,
    wsUrl: o.wsUrl,
    custType: 'P',
    reconnectInitialMs: o.reconnectInitialMs ?? 30,
    reconnectMaxMs: o.reconnectMaxMs ?? 200,
    maxRetries: o.maxRetries ?? 0,
    pacingMs: o.pacingMs ?? 5,
  };
}

export function dataNode(type: 'kis-tick' | 'kis-quote', id: string, props: Record<string, unknown>, wires: string[] = ['out']): FlowNode {
  return { id, type, z: 'f1', name: '', server: 'c1', codes: '005930', exchange: 'UN', output: 'each', conflateMs: 500, payload: 'full', wires: [wires], ...props };
}

export const TAB: FlowNode = { id: 'f1', type: 'tab', label: 'test' };

export function helperNode(id = 'out'): FlowNode {
  return { id, type: 'helper', z: 'f1' };
}

export function catchNode(id = 'k1', scope: string[] | null = null, wire = 'caught'): FlowNode {
  return { id, type: 'catch', z: 'f1', scope, uncaught: false, wires: [[wire]] };
}

export function credsFor(id = 'c1'): Creds {
  return { [id]: { appKey: SENTINEL.appKey, appSecret: SENTINEL.appSecret } };
}

/**
 * Timers created while it is enabled that are still pending: referenced ones (they would keep the
 * process alive) and intervals (they never end). Mocha's own timers are ignored.
 */
export class TimerTracker {
  private readonly timers: { timer: NodeJS.Timeout; stack: string }[] = [];
  private readonly hook = createHook({
    init: (_id, type, _trigger, resource) => {
      if (type !== 'Timeout') return;
      const stack = new Error().stack ?? '';
      if (!stack.includes('/mocha/')) this.timers.push({ timer: resource as NodeJS.Timeout, stack });
    },
  });
  start(): this {
    this.hook.enable();
    return this;
  }
  stop(): void {
    this.hook.disable();
  }
  /** Stacks of the timers that are still pending and referenced, or repeating. */
  pending(): string[] {
    return this.timers
      .filter(({ timer }) => !(timer as unknown as { _destroyed: boolean })._destroyed && (timer.hasRef() || (timer as unknown as { _repeat: unknown })._repeat !== null))
      .map(({ stack }) => stack.split('\n').slice(2, 8).join('\n'));
  }
}
