/**
 * Per (REST server, app key), shared by every session object in the process, and by every copy of
 * this module loaded in it (the registry hangs off a global symbol): the failure streak, the
 * earliest next attempt, the connects of the last hour (the ceiling), and the sockets still open
 * or closing. A redeploy, a node restart or a second session object with the same key therefore
 * neither escapes the backoff nor exceeds the ceiling, nor opens a second socket while the first
 * one is still closing (break before make).
 *
 * With a ledger directory the connect times of the last hour are also kept in a small file there
 * (`.kis-connects-<hash>.json`, times only; the name is a hash of server and key, never the key),
 * so a restart of the whole process (a crash loop) does not start the ceiling's count over.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ConnectGate {
  /** Failures since the last healthy connection. */
  streak: number;
  /** Earliest time of the next attempt (the backoff of whichever session failed last). */
  notBefore: number;
  lastAttemptAt: number;
  /** Times of the connects of the last hour, oldest first. */
  readonly connects: number[];
  /** One promise per socket of this key not yet closed; each resolves on its 'close'. */
  readonly sockets: Set<Promise<void>>;
  /** Where the connect times are kept across restarts, or null. */
  ledgerFile: string | null;
}

const HOUR_MS = 3_600_000;

const REGISTRY = Symbol.for('@kis-nodes/node-red-kis/connect-gates');
type Registry = Map<string, ConnectGate>;

function registry(): Registry {
  const g = globalThis as unknown as Record<symbol, Registry | undefined>;
  let r = g[REGISTRY];
  if (r === undefined) {
    r = new Map();
    g[REGISTRY] = r;
  }
  return r;
}

export function gateFor(restUrl: string, appKey: string, ledgerDir?: string): ConnectGate {
  const id = `${restUrl.replace(/\/+$/, '')}\u0000${appKey}`;
  const r = registry();
  let gate = r.get(id);
  if (gate === undefined) {
    gate = { streak: 0, notBefore: 0, lastAttemptAt: -Infinity, connects: [], sockets: new Set(), ledgerFile: null };
    r.set(id, gate);
  }
  if (ledgerDir !== undefined && ledgerDir !== '' && gate.ledgerFile === null) {
    gate.ledgerFile = join(ledgerDir, `.kis-connects-${createHash('sha256').update(id).digest('hex').slice(0, 16)}.json`);
    load(gate, gate.ledgerFile);
  }
  return gate;
}

function load(gate: ConnectGate, file: string): void {
  let times: unknown;
  try {
    times = (JSON.parse(readFileSync(file, 'utf8')) as { connects?: unknown }).connects;
  } catch {
    return; // no ledger yet, or unreadable: start counting now
  }
  if (!Array.isArray(times)) return;
  const now = Date.now();
  const merged = new Set([...gate.connects, ...times.filter((t): t is number => typeof t === 'number' && t > now - HOUR_MS && t <= now)]);
  gate.connects.splice(0, gate.connects.length, ...[...merged].sort((a, b) => a - b));
}

/** Note a connect now; forgets those older than an hour; writes the ledger file when there is one. */
export function recordConnect(gate: ConnectGate, now: number): void {
  gate.connects.push(now);
  while (gate.connects.length > 0 && (gate.connects[0] as number) <= now - HOUR_MS) gate.connects.shift();
  if (gate.ledgerFile === null) return;
  try {
    writeFileSync(gate.ledgerFile, JSON.stringify({ connects: gate.connects }));
  } catch {
    // a read-only directory: the in-process count still holds
  }
}

/** Connects of this gate within the last `windowMs` (diagnostics and tests). */
export function connectsWithin(gate: ConnectGate, windowMs: number, now = Date.now()): number {
  return gate.connects.filter((t) => t > now - windowMs).length;
}

/** Forget every gate (tests only: in production the point is that nothing resets them). */
export function resetConnectGates(): void {
  registry().clear();
}
