import { RECONNECT_DEFAULTS, type ReconnectOptions } from './types';

export type ResolvedReconnect = Readonly<Required<ReconnectOptions>>;

/** Fill in the defaults and clamp nonsense (negative delays, jitter outside [0, 0.5]). */
export function resolveReconnect(options: ReconnectOptions | undefined): ResolvedReconnect {
  const o = { ...RECONNECT_DEFAULTS, ...stripUndefined(options ?? {}) };
  const initialDelayMs = Math.max(1, o.initialDelayMs);
  return Object.freeze({
    initialDelayMs,
    maxDelayMs: Math.max(initialDelayMs, o.maxDelayMs),
    maxRetries: Math.max(0, Math.floor(o.maxRetries)),
    jitter: Math.min(0.5, Math.max(0, o.jitter)),
    inUseDelayMs: Math.max(0, o.inUseDelayMs),
  });
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  const out: Partial<T> = {};
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] !== undefined) out[k] = o[k];
  return out;
}

/**
 * Delay before retry `retry` (1-based): base = min(max, initial × 2^(retry-1)), shortened by a random
 * fraction of at most `jitter` (default 20 %), so many clients do not retry in lockstep.
 * The jitter only ever shortens: the configured delays are upper bounds (a dropped session is back
 * within initial delay + pacing floor, the recovery target), and with jitter ≤ 0.5 no retry comes
 * sooner than half the initial delay, so it is never a tight loop.
 * `random` is injectable so tests are deterministic.
 */
export function backoffDelay(retry: number, options: ResolvedReconnect, random: () => number = Math.random): number {
  const n = Math.max(1, Math.floor(retry));
  // 2^(n-1) overflows to Infinity for huge n; min() handles it.
  const base = Math.min(options.maxDelayMs, options.initialDelayMs * 2 ** (n - 1));
  return Math.round(base * (1 - options.jitter * random()));
}
