import { RECONNECT_DEFAULTS, type ReconnectOptions } from './types';

export type ResolvedReconnect = Readonly<Required<ReconnectOptions>>;

/** Fill in the defaults and clamp nonsense (negative delays, jitter outside [0, 1)). */
export function resolveReconnect(options: ReconnectOptions | undefined): ResolvedReconnect {
  const o = { ...RECONNECT_DEFAULTS, ...stripUndefined(options ?? {}) };
  const initialDelayMs = Math.max(1, o.initialDelayMs);
  return Object.freeze({
    initialDelayMs,
    maxDelayMs: Math.max(initialDelayMs, o.maxDelayMs),
    maxRetries: Math.max(0, Math.floor(o.maxRetries)),
    jitter: Math.min(0.99, Math.max(0, o.jitter)),
    inUseDelayMs: Math.max(0, o.inUseDelayMs),
  });
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  const out: Partial<T> = {};
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] !== undefined) out[k] = o[k];
  return out;
}

/**
 * Delay before retry `retry` (1-based): min(max, initial × 2^(retry-1)), then ± jitter.
 * Never below the initial delay, so even a jittered first retry is not a tight loop.
 * `random` is injectable so tests are deterministic.
 */
export function backoffDelay(retry: number, options: ResolvedReconnect, random: () => number = Math.random): number {
  const n = Math.max(1, Math.floor(retry));
  // 2^(n-1) overflows to Infinity for huge n; min() handles it.
  const base = Math.min(options.maxDelayMs, options.initialDelayMs * 2 ** (n - 1));
  const spread = base * options.jitter * (2 * random() - 1);
  return Math.round(Math.max(options.initialDelayMs, Math.min(options.maxDelayMs, base + spread)));
}
