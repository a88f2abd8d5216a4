/**
 * Per (REST server, app key), shared by every session object in the process, and by every copy of
 * this module loaded in it (the registry hangs off a global symbol): the failure streak, the
 * earliest next attempt, the connects of the last hour (the ceiling), and the sockets still open
 * or closing. A redeploy, a node restart or a second session object with the same key therefore
 * neither escapes the backoff nor exceeds the ceiling, nor opens a second socket while the first
 * one is still closing (break before make).
 */
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
}

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

export function gateFor(restUrl: string, appKey: string): ConnectGate {
  const id = `${restUrl.replace(/\/+$/, '')}\u0000${appKey}`;
  const r = registry();
  let gate = r.get(id);
  if (gate === undefined) {
    gate = { streak: 0, notBefore: 0, lastAttemptAt: -Infinity, connects: [], sockets: new Set() };
    r.set(id, gate);
  }
  return gate;
}

/** Note a connect now; forgets those older than an hour. */
export function recordConnect(gate: ConnectGate, now: number): void {
  gate.connects.push(now);
  while (gate.connects.length > 0 && (gate.connects[0] as number) <= now - 3_600_000) gate.connects.shift();
}

/** Connects of this gate within the last `windowMs` (diagnostics and tests). */
export function connectsWithin(gate: ConnectGate, windowMs: number, now = Date.now()): number {
  return gate.connects.filter((t) => t > now - windowMs).length;
}

/** Forget every gate (tests only: in production the point is that nothing resets them). */
export function resetConnectGates(): void {
  registry().clear();
}
