/**
 * Starts a REAL Node-RED (the CLI, `red.js`) in a child process with a throwaway user dir, for tests
 * that need the whole runtime: the editor in a browser, the admin HTTP API, dashboards.
 *
 * The settings follow node-red-conventions.md §5.2: loopback only, a free port, plain-text credentials
 * (so tests can seed flows_cred.json), no tours, projects or telemetry prompt, and `nodesDir` = the
 * repository root, so this package loads as a proper module (namespaces, icons, examples). Node-RED
 * also scans the node_modules above its own install, so dev dependencies that are node-red modules
 * (e.g. @flowfuse/node-red-dashboard) load too.
 *
 * Everything the process prints is captured, so tests can assert that secrets never reach the log.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

/** One node of a flow as Node-RED stores it (id, type, wires and any node-specific properties). */
export interface FlowNode {
  readonly id: string;
  readonly type: string;
  readonly [property: string]: unknown;
}

/** Credentials keyed by node id, as in flows_cred.json with `credentialSecret: false`. */
export type FlowCredentials = Readonly<Record<string, Readonly<Record<string, string>>>>;

/** A JSON value: what can be written into settings.js. */
export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };

export interface NodeRedStartOptions {
  /** Seeded into flows.json before start. Default: no flows. */
  readonly flows?: readonly FlowNode[];
  /** Seeded into flows_cred.json before start (plain text: credentialSecret is false). */
  readonly credentials?: FlowCredentials;
  /** Extra or overriding settings.js entries (JSON only: functions cannot be passed). */
  readonly settings?: Readonly<Record<string, JsonValue>>;
  /** How long to wait for GET /settings to answer 200. Default 30 s. */
  readonly startTimeoutMs?: number;
  /** Extra environment variables for the child process. */
  readonly env?: Readonly<Record<string, string>>;
  /** Environment variables to remove for the child process (e.g. LC_ALL, which outranks LANG). */
  readonly unsetEnv?: readonly string[];
  /** Another Node-RED install's red.js (e.g. a plain one in a temp dir). Default: this repo's node-red. */
  readonly redJs?: string;
  /** An existing user dir to run in (settings.js and flows.json are written into it; it is not removed). */
  readonly userDir?: string;
  /** false: no nodesDir, so only what the user dir's node_modules holds loads (a user's own install). */
  readonly loadRepo?: boolean;
  /** Extra command-line arguments for red.js (e.g. a runtime language option). */
  readonly args?: readonly string[];
}

/** One node set as GET /nodes reports it (the fields tests use). */
export interface NodeSetInfo {
  readonly id: string;
  readonly name: string;
  readonly module: string;
  readonly types: readonly string[];
  readonly enabled: boolean;
  readonly loaded: boolean;
  readonly err?: string;
}

export interface NodeRedProcess {
  /** Base URL of the editor and admin API, e.g. http://127.0.0.1:41234 (no trailing slash). */
  readonly url: string;
  readonly port: number;
  /** The user dir (flows.json, settings.js); removed by stop() when startNodeRed created it. */
  readonly userDir: string;
  /** Everything the process printed so far (stdout and stderr interleaved). */
  output(): string;
  /** Resolves when the captured output matches `pattern`; rejects after `timeoutMs` with the output tail. */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** fetch() against the admin API with a path such as "/flows". */
  request(pathname: string, init?: RequestInit): Promise<Response>;
  /** Full deploy of `flows` (credentials may sit on the nodes as `credentials`); returns the new revision. */
  deploy(flows: readonly FlowNode[]): Promise<string>;
  /** GET /flows (v2): the deployed flows and their revision. */
  getFlows(): Promise<{ readonly rev: string; readonly flows: readonly FlowNode[] }>;
  /** GET /nodes: the node sets the runtime knows, with load errors. */
  nodeSets(): Promise<readonly NodeSetInfo[]>;
  /** Stops the process (SIGTERM, then SIGKILL after 5 s) and removes the user dir. Safe to call twice. */
  stop(): Promise<void>;
}

/** The repository root: compiled helpers live in dist/test/helpers, sources in test/helpers. */
export const repoRoot: string = findRepoRoot(__dirname);

function findRepoRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg) && (JSON.parse(fs.readFileSync(pkg, 'utf8')) as { name?: string }).name === '@kis-nodes/node-red-kis') {
      return dir;
    }
    if (path.dirname(dir) === dir) throw new Error(`no @kis-nodes/node-red-kis package.json above ${from}`);
  }
}

/** A port that was free a moment ago on 127.0.0.1 (the OS picks it; the tiny race is acceptable in tests). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('could not get a free port'))));
    });
  });
}

function baseSettings(port: number, loadRepo: boolean): Record<string, JsonValue> {
  const nodesDir: Record<string, JsonValue> = loadRepo ? { nodesDir: [process.env['KIS_TEST_NODES_DIR'] ?? repoRoot] } : {};
  return {
    uiHost: '127.0.0.1',
    uiPort: port,
    flowFile: 'flows.json',
    credentialSecret: false,
    logging: { console: { level: 'warn', metrics: false, audit: false } },
    editorTheme: { tours: false, projects: { enabled: false } },
    telemetry: { enabled: false, updateNotification: false },
    // KIS_TEST_NODES_DIR points the runtime at another copy of the package (e.g. an unpacked npm pack).
    ...nodesDir,
    // Close handlers that forget done() should fail a test quickly, not hang it for 15 s.
    nodeCloseTimeout: 3000,
  };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function tail(text: string, chars = 4000): string {
  return text.length > chars ? `…${text.slice(-chars)}` : text;
}

export async function startNodeRed(options: NodeRedStartOptions = {}): Promise<NodeRedProcess> {
  const redJs = options.redJs ?? require.resolve('node-red/red.js', { paths: [repoRoot] });
  const port = await freePort();
  const ownUserDir = options.userDir === undefined;
  const userDir = options.userDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'kis-node-red-'));
  const settings = { ...baseSettings(port, options.loadRepo ?? true), ...(options.settings ?? {}) };
  const settingsPath = path.join(userDir, 'settings.js');
  fs.writeFileSync(settingsPath, `module.exports = ${JSON.stringify(settings, null, 2)};\n`);
  fs.writeFileSync(path.join(userDir, 'flows.json'), JSON.stringify(options.flows ?? [], null, 2));
  if (options.credentials !== undefined) {
    fs.writeFileSync(path.join(userDir, 'flows_cred.json'), JSON.stringify(options.credentials, null, 2));
  }

  let output = '';
  const env: Record<string, string | undefined> = { ...process.env, NODE_OPTIONS: '' };
  for (const name of options.unsetEnv ?? []) delete env[name];
  Object.assign(env, options.env ?? {});
  const child: ChildProcess = spawn(process.execPath, [redJs, '-u', userDir, '-s', settingsPath, ...(options.args ?? [])], {
    cwd: userDir,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const collect = (chunk: Buffer): void => {
    output += chunk.toString('utf8');
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let hasExited = false;
  void exited.then(() => {
    hasExited = true;
  });

  const url = `http://127.0.0.1:${port}`;
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    if (!hasExited) {
      child.kill('SIGTERM');
      const killTimer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(killTimer);
    }
    if (ownUserDir) fs.rmSync(userDir, { recursive: true, force: true });
  };

  const request = (pathname: string, init: RequestInit = {}): Promise<Response> => fetch(`${url}${pathname}`, init);

  const waitForOutput = async (pattern: RegExp, timeoutMs = 10000): Promise<void> => {
    const deadline = Date.now() + timeoutMs;
    while (!pattern.test(output)) {
      if (hasExited) throw new Error(`Node-RED exited before printing ${pattern}:\n${tail(output)}`);
      if (Date.now() > deadline) throw new Error(`Node-RED did not print ${pattern} within ${timeoutMs} ms:\n${tail(output)}`);
      await sleep(50);
    }
  };

  const deploy = async (flows: readonly FlowNode[]): Promise<string> => {
    const res = await request('/flows', {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'Node-RED-API-Version': 'v2',
        'Node-RED-Deployment-Type': 'full',
      },
      body: JSON.stringify({ flows }),
    });
    const body = await res.text();
    if (!res.ok) throw new Error(`deploy failed: HTTP ${res.status} ${body}`);
    return (JSON.parse(body) as { rev: string }).rev;
  };

  const getFlows = async (): Promise<{ rev: string; flows: FlowNode[] }> => {
    const res = await request('/flows', { headers: { 'Node-RED-API-Version': 'v2' } });
    if (!res.ok) throw new Error(`GET /flows failed: HTTP ${res.status}`);
    return (await res.json()) as { rev: string; flows: FlowNode[] };
  };

  const nodeSets = async (): Promise<NodeSetInfo[]> => {
    const res = await request('/nodes', { headers: { Accept: 'application/json' } });
    if (!res.ok) throw new Error(`GET /nodes failed: HTTP ${res.status}`);
    return (await res.json()) as NodeSetInfo[];
  };

  // Wait until the admin API answers: the editor and the flows are ready by then.
  const deadline = Date.now() + (options.startTimeoutMs ?? 30000);
  for (;;) {
    if (hasExited) {
      await stop();
      throw new Error(`Node-RED exited during start-up:\n${tail(output)}`);
    }
    try {
      const res = await request('/settings');
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`Node-RED did not answer GET /settings within ${options.startTimeoutMs ?? 30000} ms:\n${tail(output)}`);
    }
    await sleep(100);
  }

  return {
    url,
    port,
    userDir,
    output: () => output,
    waitForOutput,
    request,
    deploy,
    getFlows,
    nodeSets,
    stop,
  };
}
