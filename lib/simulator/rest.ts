/**
 * The simulator's REST side: the OAuth endpoints an official client calls before it opens the
 * WebSocket (docs/protocol/oauth-egw.md). Routes are a table, so another endpoint is one line.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { kstDate, kstTime } from '../protocol/kst';
import { APPROVAL_PATH } from '../protocol/messages';
import type { SimulatorCredentials } from './types';

/** An approval key is valid for 24 h for new connections (docs/protocol/wire.md). */
export const APPROVAL_LIFETIME_MS = 86_400_000;
const MAX_BODY_BYTES = 64 * 1024;

/** KIS-style OAuth error bodies (docs/protocol/oauth-egw.md: HTTP 403 with error_code / error_description). */
export const OAUTH_ERRORS = {
  grantMissing: { status: 403, error_code: 'EGW00115', error_description: 'grant_type은 필수입니다.' },
  grantBad: { status: 403, error_code: 'EGW00116', error_description: '지원하지 않는 grant_type입니다.' },
  appKeyMissing: { status: 403, error_code: 'EGW00102', error_description: 'AppKey는 필수입니다.' },
  appKeyBad: { status: 403, error_code: 'EGW00103', error_description: '유효하지 않은 AppKey입니다.' },
  secretMissing: { status: 403, error_code: 'EGW00104', error_description: 'AppSecret은 필수입니다.' },
  secretBad: { status: 403, error_code: 'EGW00105', error_description: '유효하지 않은 AppSecret입니다.' },
  tokenTooSoon: { status: 403, error_code: 'EGW00133', error_description: '접근토큰 발급 잠시 후 다시 시도하세요(1분당 1회)' },
  // The body of a real 5xx is not documented; this one is ours.
  server: { status: 500, error_code: 'EGW00002', error_description: '서버 에러가 발생했습니다. (simulated)' },
} as const;

type OAuthError = (typeof OAUTH_ERRORS)[keyof typeof OAUTH_ERRORS];

export type ApprovalFault = 'ok' | '500' | '403' | 'timeout';

/** Access tokens live one day for individual customers (docs/protocol/oauth-egw.md). */
export const TOKEN_LIFETIME_S = 86_400;
/** Asking again within 6 h returns the same token (KIS's rule since 2023-04-28). */
const TOKEN_REUSE_MS = 6 * 3_600_000;

interface IssuedToken {
  readonly token: string;
  readonly issuedAt: number;
  /** Time of the last tokenP answer (issued or reused), for the once-a-minute rule. */
  lastCallAt: number;
}

export interface IssuedApproval {
  readonly appKey: string;
  readonly issuedAt: number;
}

/** Answers a parsed JSON body (a plain object, `{}` when the body was not JSON). */
type RouteHandler = (body: Record<string, unknown>, res: ServerResponse) => void;

/** Paths of the access-token endpoints below the REST base URL. */
export const TOKEN_PATH = '/oauth2/tokenP';
export const REVOKE_PATH = '/oauth2/revokeP';

/** `YYYY-MM-DD HH:MM:SS` in KST, as KIS writes access_token_token_expired. */
function kstDateTime(epochMs: number): string {
  const d = kstDate(epochMs), t = kstTime(epochMs);
  return `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)} ${t.slice(0, 2)}:${t.slice(2, 4)}:${t.slice(4, 6)}`;
}

const b64url = (buf: Buffer): string => buf.toString('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

/**
 * A JWT-shaped token like KIS's (`eyJ…`, about 350 characters). It names no app key: what a token
 * carries must not be a secret of the user's.
 */
function newAccessToken(issuedAt: number): string {
  const header = b64url(Buffer.from(JSON.stringify({ typ: 'JWT', alg: 'HS512' })));
  const iat = Math.floor(issuedAt / 1000);
  const payload = b64url(Buffer.from(JSON.stringify({ sub: 'kis-simulator', aud: 'simulated', prdt_cd: '', iss: 'unogw', exp: iat + TOKEN_LIFETIME_S, iat, jti: randomUUID() })));
  return `${header}.${payload}.${b64url(randomBytes(64))}`;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function sendError(res: ServerResponse, e: OAuthError): void {
  sendJson(res, e.status, { error_code: e.error_code, error_description: e.error_description });
}

export class RestApi {
  /** Faults on demand: every OAuth endpoint fails this way until set back to 'ok'. */
  fault: ApprovalFault = 'ok';
  approvalsIssued = 0;
  tokensIssued = 0;
  private readonly approvals = new Map<string, IssuedApproval>();
  /** The current access token per app key. */
  private readonly tokens = new Map<string, IssuedToken>();
  private readonly hanging = new Set<ServerResponse>();
  private readonly routes: Readonly<Record<string, RouteHandler>>;

  constructor(
    private readonly credentials: readonly SimulatorCredentials[],
    private readonly now: () => number,
    /** Minimum time between two tokenP calls of one app key (EGW00133 sooner); 0 = no limit. */
    private readonly tokenMinIntervalMs: number,
  ) {
    this.routes = {
      [`POST ${APPROVAL_PATH}`]: (b, res) => this.approval(b, res),
      [`POST ${TOKEN_PATH}`]: (b, res) => this.token(b, res),
      [`POST ${REVOKE_PATH}`]: (b, res) => this.revoke(b, res),
    };
  }

  /** The approval key's owner, if it was issued here and is still valid for new requests. */
  approvalOf(key: string): IssuedApproval | undefined {
    const a = this.approvals.get(key);
    return a === undefined || this.now() - a.issuedAt > APPROVAL_LIFETIME_MS ? undefined : a;
  }

  onHttp(req: IncomingMessage, res: ServerResponse): void {
    const path = (req.url ?? '').split('?')[0];
    const route = this.routes[`${req.method ?? ''} ${path}`];
    if (route === undefined) {
      const served = Object.keys(this.routes).join(', ');
      sendJson(res, 404, { error_code: 'EGW00003', error_description: `Not found (the simulator serves ${served})` });
      req.resume();
      return;
    }
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => this.answer(route, Buffer.concat(chunks).toString('utf8'), res));
    req.on('error', () => res.destroy());
  }

  private answer(route: RouteHandler, body: string, res: ServerResponse): void {
    if (this.fault === 'timeout') {
      // Never answer; close() destroys the connection.
      this.hanging.add(res);
      res.on('close', () => this.hanging.delete(res));
      return;
    }
    if (this.fault === '500') return sendError(res, OAUTH_ERRORS.server);
    if (this.fault === '403') return sendError(res, OAUTH_ERRORS.appKeyBad);
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      parsed = {};
    }
    route(isPlainObject(parsed) ? parsed : {}, res);
  }

  /**
   * The credential checks every OAuth endpoint makes, in KIS's order; the secret's field name
   * differs (`secretkey` for the approval key, `appsecret` for the access token).
   */
  private checkCredentials(b: Record<string, unknown>, secretField: string, res: ServerResponse): string | null {
    const grant = b['grant_type'], appKey = b['appkey'], secret = b[secretField];
    if (typeof grant !== 'string' || grant === '') return (sendError(res, OAUTH_ERRORS.grantMissing), null);
    if (grant !== 'client_credentials') return (sendError(res, OAUTH_ERRORS.grantBad), null);
    if (typeof appKey !== 'string' || appKey === '') return (sendError(res, OAUTH_ERRORS.appKeyMissing), null);
    const cred = this.credentials.find((c) => c.appKey === appKey);
    if (cred === undefined) return (sendError(res, OAUTH_ERRORS.appKeyBad), null);
    if (typeof secret !== 'string' || secret === '') return (sendError(res, OAUTH_ERRORS.secretMissing), null);
    if (secret !== cred.appSecret) return (sendError(res, OAUTH_ERRORS.secretBad), null);
    return appKey;
  }

  private approval(b: Record<string, unknown>, res: ServerResponse): void {
    const appKey = this.checkCredentials(b, 'secretkey', res);
    if (appKey === null) return;
    const approvalKey = randomUUID();
    this.approvals.set(approvalKey, { appKey, issuedAt: this.now() });
    this.approvalsIssued++;
    sendJson(res, 200, { approval_key: approvalKey });
  }

  /**
   * 접근토큰발급(P): `{access_token, token_type: "Bearer", expires_in, access_token_token_expired}`
   * (docs/protocol/oauth-egw.md). The same token comes back within 6 h; a second call within a
   * minute gets EGW00133, as KIS throttles issuance to once a minute per app key.
   */
  private token(b: Record<string, unknown>, res: ServerResponse): void {
    const appKey = this.checkCredentials(b, 'appsecret', res);
    if (appKey === null) return;
    const now = this.now();
    let t = this.tokens.get(appKey);
    if (t !== undefined && this.tokenMinIntervalMs > 0 && now - t.lastCallAt < this.tokenMinIntervalMs) return sendError(res, OAUTH_ERRORS.tokenTooSoon);
    if (t === undefined || now - t.issuedAt >= TOKEN_REUSE_MS) {
      t = { token: newAccessToken(now), issuedAt: now, lastCallAt: now };
      this.tokens.set(appKey, t);
      this.tokensIssued++;
    }
    t.lastCallAt = now;
    const expiresAt = t.issuedAt + TOKEN_LIFETIME_S * 1000;
    sendJson(res, 200, {
      access_token: t.token,
      token_type: 'Bearer',
      expires_in: Math.max(0, Math.round((expiresAt - now) / 1000)),
      access_token_token_expired: kstDateTime(expiresAt),
    });
  }

  /** 접근토큰폐기(P): `{appkey, appsecret, token}` → `{code: "200", message}`. */
  private revoke(b: Record<string, unknown>, res: ServerResponse): void {
    const appKey = b['appkey'], secret = b['appsecret'], token = b['token'];
    if (typeof appKey !== 'string' || appKey === '') return sendError(res, OAUTH_ERRORS.appKeyMissing);
    const cred = this.credentials.find((c) => c.appKey === appKey);
    if (cred === undefined) return sendError(res, OAUTH_ERRORS.appKeyBad);
    if (typeof secret !== 'string' || secret === '') return sendError(res, OAUTH_ERRORS.secretMissing);
    if (secret !== cred.appSecret) return sendError(res, OAUTH_ERRORS.secretBad);
    const t = this.tokens.get(appKey);
    if (typeof token !== 'string' || t === undefined || t.token !== token) {
      // The real answer to an unknown token is not documented; ours names the problem.
      return sendJson(res, 403, { error_code: 'EGW00121', error_description: '유효하지 않은 token 입니다' });
    }
    this.tokens.delete(appKey);
    sendJson(res, 200, { code: '200', message: '접근토큰 폐기에 성공하였습니다' });
  }

  /** Is `token` a live access token issued here (for REST endpoints that need one)? */
  tokenIsValid(token: string): boolean {
    const now = this.now();
    for (const t of this.tokens.values()) if (t.token === token && now - t.issuedAt < TOKEN_LIFETIME_S * 1000) return true;
    return false;
  }

  /** Drop requests left hanging by the 'timeout' fault. */
  close(): void {
    for (const res of this.hanging) res.destroy();
    this.hanging.clear();
  }
}
