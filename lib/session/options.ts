/** A session's options with every default filled in and nonsense clamped. */
import type { CustType } from '../protocol/messages';
import { resolveReconnect } from './backoff';
import { POLICY_DEFAULTS, type PolicyOptions } from './policy';
import { SESSION_DEFAULTS, type KisSessionOptions } from './types';

export interface ResolvedOptions {
  readonly appKey: string;
  readonly appSecret: string;
  readonly restUrl: string;
  readonly wsUrl: string;
  readonly custType: CustType;
  readonly maxRegistrations: number;
  readonly pacingMs: number;
  readonly ackTimeoutMs: number;
  readonly approvalTimeoutMs: number;
  readonly idleTimeoutMs: number;
  readonly minIdleTimeoutMs: number;
  readonly forceCloseMs: number;
  readonly frameErrorLogIntervalMs: number;
  readonly maxRetries: number;
  readonly server: 'real' | 'paper' | undefined;
  readonly policy: PolicyOptions;
}

function inferServer(wsUrl: string): 'real' | 'paper' | undefined {
  try {
    const port = new URL(wsUrl).port;
    return port === '31000' ? 'paper' : port === '21000' ? 'real' : undefined;
  } catch {
    return undefined;
  }
}

export function resolveOptions(o: KisSessionOptions): ResolvedOptions {
  const pos = (v: number | undefined, d: number): number => (v !== undefined && Number.isFinite(v) && v > 0 ? v : d);
  const atLeastOne = (v: number | undefined, d: number): number => Math.max(1, Math.floor(pos(v, d)));
  const reconnect = resolveReconnect(o.reconnect);
  const idleTimeoutMs = pos(o.idleTimeoutMs, SESSION_DEFAULTS.idleTimeoutMs);
  return Object.freeze({
    appKey: o.appKey,
    appSecret: o.appSecret,
    restUrl: o.restUrl.replace(/\/+$/, ''),
    wsUrl: o.wsUrl,
    custType: o.custType ?? SESSION_DEFAULTS.custType,
    maxRegistrations: Math.floor(pos(o.maxRegistrations, SESSION_DEFAULTS.maxRegistrations)),
    pacingMs: o.pacingMs !== undefined && o.pacingMs >= 0 ? o.pacingMs : SESSION_DEFAULTS.pacingMs,
    ackTimeoutMs: pos(o.ackTimeoutMs, SESSION_DEFAULTS.ackTimeoutMs),
    approvalTimeoutMs: pos(o.approvalTimeoutMs, SESSION_DEFAULTS.approvalTimeoutMs),
    idleTimeoutMs,
    minIdleTimeoutMs: pos(o.minIdleTimeoutMs, Math.min(SESSION_DEFAULTS.minIdleTimeoutMs, idleTimeoutMs / 2)),
    forceCloseMs: pos(o.forceCloseMs, SESSION_DEFAULTS.forceCloseMs),
    frameErrorLogIntervalMs: pos(o.frameErrorLogIntervalMs, SESSION_DEFAULTS.frameErrorLogIntervalMs),
    maxRetries: reconnect.maxRetries,
    server: o.server ?? inferServer(o.wsUrl),
    policy: Object.freeze({
      initialDelayMs: reconnect.initialDelayMs,
      maxDelayMs: reconnect.maxDelayMs,
      jitter: reconnect.jitter,
      inUseDelayMs: reconnect.inUseDelayMs,
      rateLimitDelayMs: pos(o.rateLimitDelayMs, POLICY_DEFAULTS.rateLimitDelayMs),
      healthyAfterMs: pos(o.healthyAfterMs, POLICY_DEFAULTS.healthyAfterMs),
      ceiling: Object.freeze({
        perMinute: atLeastOne(o.connectCeiling?.perMinute, POLICY_DEFAULTS.ceiling.perMinute),
        perHour: atLeastOne(o.connectCeiling?.perHour, POLICY_DEFAULTS.ceiling.perHour),
      }),
    }),
  });
}

/** Why a URL cannot work, or null: checked before anything is dialled (a configuration error). */
export function urlProblem(restUrl: string, wsUrl: string): string | null {
  const check = (url: string, protocols: readonly string[], what: string): string | null => {
    try {
      const u = new URL(url);
      return protocols.includes(u.protocol) ? null : `the ${what} must start with ${protocols.map((p) => `${p}//`).join(' or ')}`;
    } catch {
      return `the ${what} is not a valid URL`;
    }
  };
  return check(restUrl, ['http:', 'https:'], 'REST URL') ?? check(wsUrl, ['ws:', 'wss:'], 'WebSocket URL');
}
