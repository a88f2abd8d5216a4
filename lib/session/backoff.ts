import { backoffMs } from './policy';
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

/** Delay before retry `retry` (1-based): the policy's backoff (lib/session/policy.ts). */
export function backoffDelay(retry: number, options: ResolvedReconnect, random: () => number = Math.random): number {
  return backoffMs(retry, options, random);
}
