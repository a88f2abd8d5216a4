/**
 * The simulator's REST side: the OAuth endpoints an official client calls before it opens the
 * WebSocket (docs/protocol/oauth-egw.md). Routes are a table, so another endpoint is one line.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
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
  // The body of a real 5xx is not documented; this one is ours.
  server: { status: 500, error_code: 'EGW00002', error_description: '서버 에러가 발생했습니다. (simulated)' },
} as const;

type OAuthError = (typeof OAUTH_ERRORS)[keyof typeof OAUTH_ERRORS];

export type ApprovalFault = 'ok' | '500' | '403' | 'timeout';

export interface IssuedApproval {
  readonly appKey: string;
  readonly issuedAt: number;
}

/** Answers a parsed JSON body (a plain object, `{}` when the body was not JSON). */
type RouteHandler = (body: Record<string, unknown>, res: ServerResponse) => void;

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
  private readonly approvals = new Map<string, IssuedApproval>();
  private readonly hanging = new Set<ServerResponse>();
  private readonly routes: Readonly<Record<string, RouteHandler>>;

  constructor(
    private readonly credentials: readonly SimulatorCredentials[],
    private readonly now: () => number,
  ) {
    this.routes = {
      [`POST ${APPROVAL_PATH}`]: (b, res) => this.approval(b, res),
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

  /** Drop requests left hanging by the 'timeout' fault. */
  close(): void {
    for (const res of this.hanging) res.destroy();
    this.hanging.clear();
  }
}
