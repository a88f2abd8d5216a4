/**
 * The session's failure policy: pure data and functions, no sockets, no timers
 * (docs/protocol/session.md, "Failure policy"). The session only applies what these return.
 *
 *   healthy     a connection counts as healthy once it stayed up `healthyAfterMs` (default 60 s);
 *               only then does the failure streak start over. An ack or a data frame is not enough
 *               (a server that drops every socket right after its first ack would loop otherwise).
 *   stop        configuration errors no retry can fix (bad app key or secret, invalid URL).
 *   wait        rate limits (EGW00133, EGW00201, HTTP 429): as long as KIS asks, at least.
 *               OPSP8996 (app key in use): `inUseDelayMs` (default 30 s).
 *   back off    everything else (network, 5xx, timeouts, drops, half-open): exponential in the
 *               streak, capped, jittered; the streak grows across short-lived connections.
 *   ceiling     at most `perMinute` / `perHour` connects per app key, whatever asks for them.
 */
import { egwInfo } from '../protocol/egw';
import { opspInfo } from '../protocol/opsp';

export interface PolicyOptions {
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
  /** Each delay is shortened by up to this fraction (0–0.5). */
  readonly jitter: number;
  readonly inUseDelayMs: number;
  /** Wait after a rate limit that names no duration (HTTP 429 without Retry-After). */
  readonly rateLimitDelayMs: number;
  readonly healthyAfterMs: number;
  readonly ceiling: ConnectCeiling;
}

export interface ConnectCeiling {
  readonly perMinute: number;
  readonly perHour: number;
}

export const POLICY_DEFAULTS = Object.freeze({
  healthyAfterMs: 60_000,
  rateLimitDelayMs: 61_000,
  ceiling: Object.freeze({ perMinute: 6, perHour: 60 }),
});

/** Why a connection attempt or a connection ended, sorted by what fixes it. */
export type Failure =
  | { readonly kind: 'config' } // no retry helps
  | { readonly kind: 'rate-limit'; readonly waitMs: number } // KIS asked us to wait
  | { readonly kind: 'in-use' } // OPSP8996
  | { readonly kind: 'key-expired' } // OPSP0011: a new approval key, once, promptly
  | { readonly kind: 'transient' }; // network, 5xx, timeout, drop, half-open

export type Decision = { readonly action: 'stop' } | { readonly action: 'retry'; readonly delayMs: number };

/**
 * What to do after a failure, `streak` being the failures since the last healthy connection,
 * this one included (1 = the first).
 */
export function decide(failure: Failure, streak: number, o: PolicyOptions, random: () => number = Math.random): Decision {
  if (failure.kind === 'config') return { action: 'stop' };
  const backoff = backoffMs(streak, o, random);
  switch (failure.kind) {
    case 'rate-limit':
      return { action: 'retry', delayMs: Math.max(failure.waitMs, backoff) };
    case 'in-use':
      return { action: 'retry', delayMs: Math.max(o.inUseDelayMs, backoff) };
    case 'key-expired':
      // The new key is the fix; a second OPSP0011 in a row backs off like anything else.
      return { action: 'retry', delayMs: streak <= 1 ? 0 : backoff };
    case 'transient':
      return { action: 'retry', delayMs: backoff };
  }
}

/** min(max, initial × 2^(n−1)), shortened by up to `jitter` (never lengthened: delays are upper bounds). */
export function backoffMs(streak: number, o: Pick<PolicyOptions, 'initialDelayMs' | 'maxDelayMs' | 'jitter'>, random: () => number = Math.random): number {
  const n = Math.max(1, Math.floor(streak));
  const base = Math.min(o.maxDelayMs, o.initialDelayMs * 2 ** (n - 1));
  return Math.round(base * (1 - o.jitter * random()));
}

/** A connection that stayed up this long ends the failure streak. */
export function wasHealthy(uptimeMs: number, o: Pick<PolicyOptions, 'healthyAfterMs'>): boolean {
  return uptimeMs >= o.healthyAfterMs;
}

/** How an approval-key failure is sorted. `status`/`code` as KIS answered; `retryAfterMs` from Retry-After. */
export function approvalFailure(f: { readonly status?: number; readonly code?: string; readonly retryAfterMs?: number }, o: Pick<PolicyOptions, 'rateLimitDelayMs'>): Failure {
  if (f.code !== undefined) {
    const info = egwInfo(f.code);
    if (info.kind === 'config') return { kind: 'config' };
    if (info.kind === 'rate-limit') return { kind: 'rate-limit', waitMs: Math.max(f.retryAfterMs ?? 0, info.waitMs ?? o.rateLimitDelayMs) };
    return { kind: 'transient' };
  }
  if (f.status === 429) return { kind: 'rate-limit', waitMs: f.retryAfterMs ?? o.rateLimitDelayMs };
  // 404/405: this URL does not serve the approval endpoint (a wrong REST URL); retrying will not help.
  if (f.status === 404 || f.status === 405) return { kind: 'config' };
  return { kind: 'transient' };
}

/** Approval timeout of attempt `n` after `timeouts` timeouts in a row: doubles, up to 4×. */
export function approvalTimeoutMs(baseMs: number, timeoutsInARow: number): number {
  return baseMs * 2 ** Math.min(2, Math.max(0, timeoutsInARow));
}

/** Delay before re-sending a subscribe whose ack never came (`retries` = timeouts so far, 1-based). */
export function ackRetryDelayMs(retries: number, o: PolicyOptions, random: () => number = Math.random): number {
  return backoffMs(retries, o, random);
}

/**
 * How long a connect must wait so that no window holds more than the ceiling: 0 when it may go now.
 * `attempts` are the times of earlier connects of this app key (any order, any age).
 */
export function ceilingWaitMs(attempts: readonly number[], now: number, c: ConnectCeiling): { readonly waitMs: number; readonly window: 'minute' | 'hour' | null } {
  const wait = (windowMs: number, limit: number): number => {
    const inWindow = attempts.filter((t) => t > now - windowMs).sort((a, b) => a - b);
    if (inWindow.length < limit) return 0;
    // The oldest attempt that must leave the window before one more fits.
    return (inWindow[inWindow.length - limit] as number) + windowMs - now;
  };
  const minute = wait(60_000, c.perMinute);
  const hour = wait(3_600_000, c.perHour);
  if (minute <= 0 && hour <= 0) return { waitMs: 0, window: null };
  return hour > minute ? { waitMs: hour, window: 'hour' } : { waitMs: minute, window: 'minute' };
}

/**
 * What a subscribe ack means for its registration. OPSP0002 (already subscribed) is success:
 * stale server state after a reconnect. Only a definite refusal drops a registration.
 */
export type AckVerdict = 'live' | 'resend' | 'refuse' | 'new-key' | 'in-use';

export function subscribeAckVerdict(msgCd: string): AckVerdict {
  if (msgCd === 'OPSP0000' || msgCd === 'OPSP0002') return 'live';
  if (msgCd === 'OPSP0011') return 'new-key';
  if (msgCd === 'OPSP8996') return 'in-use';
  return opspInfo(msgCd).severity === 'retryable' ? 'resend' : 'refuse';
}
