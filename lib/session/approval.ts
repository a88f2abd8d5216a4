/**
 * The WebSocket approval key (웹소켓 접속키, doc §1.2): issued over REST with Node's built-in
 * fetch and cached per (REST server, app key) for the process lifetime of the key, so reconnects
 * and Node-RED redeploys reuse it instead of asking KIS again.
 *
 * Secrets: the app key, app secret and approval key never appear in an error message or log
 * line written here; the cache is keyed by them but never prints its keys.
 */
import { APPROVAL_PATH, buildApprovalRequestBody } from '../protocol/messages';
import { redactAndShorten, redactSecrets } from './redact';

/** The doc says 24 h; re-issue an hour early so a key never expires between fetch and use. */
export const APPROVAL_KEY_LIFETIME_MS = 23 * 60 * 60 * 1000;

/**
 * Why an approval key could not be had.
 * - `rejected`: HTTP 4xx (e.g. 403 EGW00103 invalid app key, but also 403 EGW00133 rate limit:
 *               the session sorts by `code` first, docs/protocol/oauth-egw.md).
 * - `rate-limited`: HTTP 429.
 * - `server`:   HTTP 5xx.
 * - `timeout`:  no answer within the timeout.
 * - `network`:  connection refused, DNS, TLS…
 * - `bad-response`: HTTP 200 without an `approval_key`.
 * - `aborted`:  the session stopped while the request was running.
 */
export type ApprovalErrorKind = 'rejected' | 'rate-limited' | 'server' | 'timeout' | 'network' | 'bad-response' | 'aborted';

export class ApprovalError extends Error {
  override readonly name = 'ApprovalError';
  constructor(
    readonly kind: ApprovalErrorKind,
    message: string,
    /** HTTP status, when there was a response. */
    readonly status?: number,
    /** KIS gateway code from the error body (e.g. EGW00103), when present. */
    readonly code?: string,
    /** From a Retry-After header, when KIS sent one. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

interface CacheEntry {
  readonly key: string;
  readonly expiresAt: number;
}

/** restUrl + NUL + appKey → key. Module level: shared by every session in the process. */
const cache = new Map<string, CacheEntry>();
/** Requests in flight, so concurrent callers share one REST call. */
const inFlight = new Map<string, Promise<string>>();

function cacheId(restUrl: string, appKey: string): string {
  return `${restUrl.replace(/\/+$/, '')}\u0000${appKey}`;
}

export interface ApprovalRequest {
  readonly restUrl: string;
  readonly appKey: string;
  readonly appSecret: string;
  readonly timeoutMs: number;
  /** Aborts the request (the session stopped). */
  readonly signal?: AbortSignal;
  /** Clock for the cache (tests). */
  readonly now?: () => number;
}

/** The cached key when it is still fresh, else a newly issued one. */
export function getApprovalKey(req: ApprovalRequest): Promise<string> {
  const id = cacheId(req.restUrl, req.appKey);
  const now = (req.now ?? Date.now)();
  const hit = cache.get(id);
  if (hit !== undefined && hit.expiresAt > now) return Promise.resolve(hit.key);
  const running = inFlight.get(id);
  if (running !== undefined) return running;
  const p = requestApprovalKey(req).then(
    (key) => {
      cache.set(id, { key, expiresAt: (req.now ?? Date.now)() + APPROVAL_KEY_LIFETIME_MS });
      inFlight.delete(id);
      return key;
    },
    (err: unknown) => {
      inFlight.delete(id);
      throw err;
    },
  );
  inFlight.set(id, p);
  return p;
}

/**
 * Forget the cached key (after OPSP0011). With `onlyIf`, only when the cache still holds that
 * key, so a key another caller already renewed is not thrown away.
 */
export function invalidateApprovalKey(restUrl: string, appKey: string, onlyIf?: string): void {
  const id = cacheId(restUrl, appKey);
  if (onlyIf === undefined || cache.get(id)?.key === onlyIf) cache.delete(id);
}

/** Whether a fresh key is cached (tests and diagnostics; does not reveal the key). */
export function hasCachedApprovalKey(restUrl: string, appKey: string, now = Date.now()): boolean {
  const hit = cache.get(cacheId(restUrl, appKey));
  return hit !== undefined && hit.expiresAt > now;
}

/** Empty the cache (tests). */
export function clearApprovalKeyCache(): void {
  cache.clear();
}

/** One POST {restUrl}/oauth2/Approval, no cache. */
export async function requestApprovalKey(req: ApprovalRequest): Promise<string> {
  // A cleared timer rather than AbortSignal.timeout(): the latter keeps a timer alive for the whole
  // timeout after the request is done, which holds a stopping runtime (and tests) open.
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(), req.timeoutMs);
  const signal = req.signal === undefined ? timeout.signal : AbortSignal.any([timeout.signal, req.signal]);
  let res: Response;
  let text: string;
  try {
    res = await fetch(`${req.restUrl.replace(/\/+$/, '')}${APPROVAL_PATH}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=UTF-8' },
      body: buildApprovalRequestBody(req.appKey, req.appSecret),
      signal,
    });
    text = await res.text();
  } catch (err) {
    throw fetchError(err, req, timeout.signal);
  } finally {
    clearTimeout(timer);
  }
  if (res.ok) return approvalKeyFrom(text);
  const { code, description } = gatewayError(text);
  const detail = [code, description].filter((s) => s !== undefined && s !== '').join(' ');
  // Redacted before it is shortened, so a cut cannot leave part of a credential behind.
  const shown = redactAndShorten(detail, [req.appKey, req.appSecret], 200);
  const what = `approval key request failed: HTTP ${res.status}${shown === '' ? '' : ` (${shown})`}`;
  const retryAfterMs = retryAfter(res.headers.get('retry-after'));
  const kind: ApprovalErrorKind = res.status >= 500 ? 'server' : res.status === 429 ? 'rate-limited' : 'rejected';
  throw new ApprovalError(kind, what, res.status, code, retryAfterMs);
}

/** `Retry-After: 120` or an HTTP date, in ms from now; undefined when absent or unreadable. */
export function retryAfter(header: string | null, now = Date.now()): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds, 3600) * 1000;
  const at = Date.parse(header);
  return Number.isFinite(at) ? Math.min(Math.max(0, at - now), 3_600_000) : undefined;
}

function fetchError(err: unknown, req: ApprovalRequest, timeout: AbortSignal): ApprovalError {
  if (req.signal?.aborted === true) return new ApprovalError('aborted', 'approval key request aborted (session stopped)');
  if (timeout.aborted) return new ApprovalError('timeout', `approval key request timed out after ${req.timeoutMs} ms`);
  // undici puts the useful part (ECONNREFUSED …) in `cause`; neither carries the request body.
  const cause = err instanceof Error && err.cause instanceof Error ? err.cause.message : err instanceof Error ? err.message : String(err);
  return new ApprovalError('network', `approval key request failed: ${redact(cause, req)}`);
}

function approvalKeyFrom(text: string): string {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ApprovalError('bad-response', `approval key response is not JSON (${/^\s*</.test(text) ? 'an HTML page: is the REST URL right?' : `${text.length} characters`})`, 200);
  }
  const key = typeof json === 'object' && json !== null ? (json as Record<string, unknown>).approval_key : undefined;
  if (typeof key !== 'string' || key === '') throw new ApprovalError('bad-response', 'approval key response has no approval_key', 200);
  return key;
}

/** `{"error_code":"EGW00103","error_description":"유효하지 않은 AppKey입니다."}` (doc §1.2). */
function gatewayError(text: string): { code?: string; description?: string } {
  try {
    const json: unknown = JSON.parse(text);
    if (typeof json !== 'object' || json === null) return {};
    const o = json as Record<string, unknown>;
    const code = typeof o.error_code === 'string' && /^[A-Za-z0-9_]{1,16}$/.test(o.error_code) ? o.error_code : undefined;
    const description = typeof o.error_description === 'string' ? o.error_description : undefined;
    return { ...(code !== undefined && { code }), ...(description !== undefined && { description }) };
  } catch {
    return {};
  }
}

/** Last line of defence: a server that echoed a credential in its error text does not leak it. */
function redact(text: string, req: ApprovalRequest): string {
  return redactSecrets(text, [req.appKey, req.appSecret]);
}

export { redactSecrets } from './redact';
