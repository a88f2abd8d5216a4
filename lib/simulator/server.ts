/**
 * The local KIS simulator: one node:http server on loopback that serves the approval-key REST call
 * and the real-time WebSocket (any path) with the wire protocol of kis-protocol.md, following its
 * §10 checklist. Everything protocol-shaped comes from lib/protocol (TR tables, OPSP codes, AES,
 * stock-code rule); this file only decides what to answer and when.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { encryptPayload, type AesKey } from '../protocol/crypto';
import { kstDate, kstTime } from '../protocol/kst';
import { APPROVAL_PATH } from '../protocol/messages';
import { opspInfo } from '../protocol/opsp';
import { isValidStockCode } from '../protocol/stock-codes';
import { trTable, type TrId, type TrTable } from '../protocol/tr-tables';
import { MarketModel, marketClock, type MarketClock } from './market';
import { isListed, masterArchives } from './master-files';
import type { ReceivedRequest, RunningSimulator, SimulatorCredentials, SimulatorFaults, SimulatorOptions, SimulatorStats } from './types';

/** Obviously fake demo credentials (36-char app key like KIS's, 180-char secret). */
export const DEMO_APP_KEY = 'PSdemoKisSimulatorAppKey000000000000';
export const DEMO_APP_SECRET = 'demoKisSimulatorAppSecretNotARealSecret'.padEnd(180, '0');

/** An approval key is valid for 24 h for new connections (doc §1.2). */
const APPROVAL_LIFETIME_MS = 86_400_000;
const MAX_BODY_BYTES = 64 * 1024;
/** Largest inbound WebSocket message we accept; real requests are ~250 bytes. */
const MAX_INBOUND_BYTES = 64 * 1024;

const DEFAULTS = {
  host: '127.0.0.1',
  port: 0,
  mode: 'real' as 'real' | 'paper',
  seed: 1,
  rate: 2,
  hours: 'always' as 'always' | 'kst',
  pingIntervalMs: 100_000,
  pingTimeoutMs: 100_000,
  slotHoldMs: 0,
  maxRegistrations: 41,
  maxBatch: 8,
  noticeIntervalMs: 15_000,
  maxBufferedBytes: 4 * 1024 * 1024,
  tickMs: 10,
};

/** KIS-style OAuth error bodies (doc §1.2; shape observed on /oauth2/tokenP, assumed the same here [I]). */
const APPROVAL_ERRORS = {
  grantMissing: { status: 403, error_code: 'EGW00115', error_description: 'grant_type은 필수입니다.' },
  grantBad: { status: 403, error_code: 'EGW00116', error_description: '지원하지 않는 grant_type입니다.' },
  appKeyMissing: { status: 403, error_code: 'EGW00102', error_description: 'AppKey는 필수입니다.' },
  appKeyBad: { status: 403, error_code: 'EGW00103', error_description: '유효하지 않은 AppKey입니다.' },
  secretMissing: { status: 403, error_code: 'EGW00104', error_description: 'AppSecret은 필수입니다.' },
  secretBad: { status: 403, error_code: 'EGW00105', error_description: '유효하지 않은 AppSecret입니다.' },
  // The body of a real 5xx is not documented; this one is ours.
  server: { status: 500, error_code: 'EGW00002', error_description: '서버 에러가 발생했습니다. (simulated)' },
} as const;

interface Subscription {
  readonly trId: TrId;
  readonly trKey: string;
  readonly table: TrTable;
  /** `trId|trKey`, the stats key. */
  readonly statKey: string;
  /** Records owed but not yet sent (fractional accumulation of the rate). */
  due: number;
}

interface Session {
  readonly id: number;
  readonly ws: WebSocket;
  /** App key this socket acts for (from the approval key of its first valid request). */
  appKey: string | null;
  readonly subs: Map<string, Subscription>;
  /** AES key/iv per TR id, issued on the first subscribe of that TR on this socket. */
  readonly aes: Map<TrId, AesKey>;
  nextPingAt: number;
  /** performance.now() of the oldest PINGPONG not yet echoed, or null. */
  unansweredSince: number | null;
  /** We destroyed the socket (ping timeout, unclean drop): the close is unclean whatever ws reports. */
  killed: boolean;
  closed: boolean;
}

interface Slot {
  session: Session | null;
  /** performance.now() until which a released slot stays occupied (after an unclean close). */
  heldUntil: number;
}

interface Refusal {
  readonly msgCd: string;
  readonly trId?: string;
  readonly trKey?: string;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function pad3(n: number): string {
  return n < 10 ? '00' + n : n < 100 ? '0' + n : String(n);
}

/** 16 printable characters (iv) / 32 lowercase letters (key), used as raw UTF-8 (doc §3.1, §4.3). */
function newAesKey(): AesKey {
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  const hex = '0123456789abcdef';
  const k = randomBytes(48);
  let key = '', iv = '';
  for (let i = 0; i < 32; i++) key += letters[k[i]! % 26];
  for (let i = 32; i < 48; i++) iv += hex[k[i]! % 16];
  return { key, iv };
}

function rawToText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}

/** Start a simulator; resolves once it listens. */
export async function startSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const sim = new Simulator(options);
  await sim.listen();
  return sim.handle();
}

class Simulator {
  private readonly host: string;
  private readonly requestedPort: number;
  private readonly mode: 'real' | 'paper';
  private readonly hours: 'always' | 'kst';
  private readonly now: () => number;
  private readonly credentials: readonly SimulatorCredentials[];
  private readonly pingIntervalMs: number;
  private readonly pingTimeoutMs: number;
  private slotHoldMs: number;
  private readonly maxRegistrations: number;
  private readonly maxBatch: number;
  private readonly noticeIntervalMs: number;
  private readonly maxBufferedBytes: number;
  private readonly tickMs: number;
  private readonly acceptControlPong: boolean;
  private readonly onFrameSent: SimulatorOptions['onFrameSent'];

  private defaultRate: number;
  private readonly rates = new Map<string, number>();
  private readonly model: MarketModel;
  private readonly seed: number;
  private masters: ReadonlyMap<string, Buffer> | null = null;
  private readonly server: Server;
  private readonly wss: WebSocketServer;
  private readonly sessions = new Set<Session>();
  private readonly slots = new Map<string, Slot>();
  private readonly approvals = new Map<string, { appKey: string; issuedAt: number }>();
  private readonly hangingApprovals = new Set<ServerResponse>();
  private readonly refusals: Refusal[] = [];
  private nextSessionId = 1;
  private timer: NodeJS.Timeout | null = null;
  private lastPump = 0;
  private port = 0;
  private stopping: Promise<void> | null = null;

  // Faults
  private silent = false;
  private approvalMode: 'ok' | '500' | '403' | 'timeout' = 'ok';
  private nextHoldMs: number | null = null;

  // Stats
  private approvalsIssued = 0;
  private readonly recordsSent = new Map<string, number>();
  private totalRecordsSent = 0;
  private framesSent = 0;
  private recordsSkipped = 0;
  private readonly requests: ReceivedRequest[] = [];

  constructor(o: SimulatorOptions) {
    this.host = o.host ?? DEFAULTS.host;
    this.requestedPort = o.port ?? DEFAULTS.port;
    this.mode = o.mode ?? DEFAULTS.mode;
    this.hours = o.hours ?? DEFAULTS.hours;
    this.now = o.now ?? Date.now;
    this.credentials = o.credentials !== undefined && o.credentials.length > 0 ? o.credentials : [{ appKey: DEMO_APP_KEY, appSecret: DEMO_APP_SECRET }];
    this.pingIntervalMs = o.pingIntervalMs ?? DEFAULTS.pingIntervalMs;
    this.pingTimeoutMs = o.pingTimeoutMs ?? DEFAULTS.pingTimeoutMs;
    this.slotHoldMs = o.slotHoldMs ?? DEFAULTS.slotHoldMs;
    this.maxRegistrations = o.maxRegistrations ?? DEFAULTS.maxRegistrations;
    this.maxBatch = Math.max(1, Math.min(999, Math.floor(o.maxBatch ?? DEFAULTS.maxBatch)));
    this.noticeIntervalMs = o.noticeIntervalMs ?? DEFAULTS.noticeIntervalMs;
    this.maxBufferedBytes = o.maxBufferedBytes ?? DEFAULTS.maxBufferedBytes;
    this.tickMs = Math.max(1, o.tickMs ?? DEFAULTS.tickMs);
    this.acceptControlPong = o.acceptControlPong ?? false;
    this.onFrameSent = o.onFrameSent;
    this.defaultRate = o.rate ?? DEFAULTS.rate;
    for (const [code, rate] of Object.entries(o.rates ?? {})) this.rates.set(code, rate);
    this.seed = o.seed ?? DEFAULTS.seed;
    this.model = new MarketModel(this.seed);

    this.server = createServer((req, res) => this.onHttp(req, res));
    this.wss = new WebSocketServer({ noServer: true, maxPayload: MAX_INBOUND_BYTES, perMessageDeflate: false });
    // The real server accepts any path (doc §1.1): /tryitout, /tryitout/H0STCNT0, or none.
    this.server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
      this.wss.handleUpgrade(req, socket, head, (ws) => this.onConnection(ws));
    });
  }

  listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.requestedPort, this.host, () => {
        this.server.off('error', reject);
        this.port = (this.server.address() as AddressInfo).port;
        this.lastPump = performance.now();
        this.timer = setInterval(() => this.pump(), this.tickMs);
        resolve();
      });
    });
  }

  handle(): RunningSimulator {
    const hostInUrl = this.host.includes(':') ? `[${this.host}]` : this.host;
    const first = this.credentials[0]!;
    const faults: SimulatorFaults = {
      dropAll: (opts) => this.dropAll(opts?.clean ?? false),
      goSilent: (on) => {
        this.silent = on;
        // Restart the ping schedule on resume, so a long silence does not count against the client.
        if (!on) for (const s of this.sessions) this.resetPing(s);
      },
      approval: (mode) => {
        this.approvalMode = mode;
      },
      holdSlot: (ms) => {
        this.nextHoldMs = ms;
      },
      refuseNext: (msgCd, match) => {
        this.refusals.push({ msgCd, ...(match?.trId !== undefined ? { trId: match.trId } : {}), ...(match?.trKey !== undefined ? { trKey: match.trKey } : {}) });
      },
      sendRaw: (text) => {
        for (const s of this.sessions) if (!s.closed) s.ws.send(text);
      },
    };
    return {
      restUrl: `http://${hostInUrl}:${this.port}`,
      wsUrl: `ws://${hostInUrl}:${this.port}/tryitout`,
      port: this.port,
      appKey: first.appKey,
      appSecret: first.appSecret,
      faults,
      stats: () => this.stats(),
      emitNotice: (htsId) => this.emitNotice(htsId),
      setRate: (rate, code) => {
        if (code === undefined) this.defaultRate = rate;
        else this.rates.set(code, rate);
      },
      stop: () => this.stop(),
    };
  }

  // ---------------------------------------------------------------- REST

  /** KIS's master files at KIS's paths (lib/simulator/master-files.ts), built on the first request. */
  private serveMaster(path: string, res: ServerResponse): boolean {
    this.masters ??= masterArchives(this.seed);
    const zip = this.masters.get(path);
    if (zip === undefined) return false;
    res.writeHead(200, { 'content-type': 'application/zip', 'content-length': zip.length });
    res.end(zip);
    return true;
  }

  private onHttp(req: IncomingMessage, res: ServerResponse): void {
    const path = (req.url ?? '').split('?')[0];
    if (req.method === 'GET' && this.serveMaster(path ?? '', res)) return void req.resume();
    if (req.method !== 'POST' || path !== APPROVAL_PATH) {
      sendJson(res, 404, { error_code: 'EGW00003', error_description: 'Not found (the simulator serves POST /oauth2/Approval only)' });
      req.resume();
      return;
    }
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => this.answerApproval(Buffer.concat(chunks).toString('utf8'), res));
    req.on('error', () => res.destroy());
  }

  private answerApproval(body: string, res: ServerResponse): void {
    if (this.approvalMode === 'timeout') {
      // Never answer; stop() destroys the connection.
      this.hangingApprovals.add(res);
      res.on('close', () => this.hangingApprovals.delete(res));
      return;
    }
    if (this.approvalMode === '500') return sendError(res, APPROVAL_ERRORS.server);
    if (this.approvalMode === '403') return sendError(res, APPROVAL_ERRORS.appKeyBad);
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      parsed = {};
    }
    const b = isPlainObject(parsed) ? parsed : {};
    const grant = b['grant_type'], appKey = b['appkey'], secret = b['secretkey'];
    if (typeof grant !== 'string' || grant === '') return sendError(res, APPROVAL_ERRORS.grantMissing);
    if (grant !== 'client_credentials') return sendError(res, APPROVAL_ERRORS.grantBad);
    if (typeof appKey !== 'string' || appKey === '') return sendError(res, APPROVAL_ERRORS.appKeyMissing);
    const cred = this.credentials.find((c) => c.appKey === appKey);
    if (cred === undefined) return sendError(res, APPROVAL_ERRORS.appKeyBad);
    if (typeof secret !== 'string' || secret === '') return sendError(res, APPROVAL_ERRORS.secretMissing);
    if (secret !== cred.appSecret) return sendError(res, APPROVAL_ERRORS.secretBad);
    const approvalKey = randomUUID();
    this.approvals.set(approvalKey, { appKey, issuedAt: this.now() });
    this.approvalsIssued++;
    sendJson(res, 200, { approval_key: approvalKey });
  }

  // ---------------------------------------------------------------- WebSocket sessions

  private onConnection(ws: WebSocket): void {
    const session: Session = {
      id: this.nextSessionId++,
      ws,
      appKey: null,
      subs: new Map(),
      aes: new Map(),
      nextPingAt: performance.now() + this.pingIntervalMs,
      unansweredSince: null,
      killed: false,
      closed: false,
    };
    this.sessions.add(session);
    ws.on('message', (data: RawData, isBinary: boolean) => {
      if (!isBinary) this.onMessage(session, rawToText(data));
    });
    if (this.acceptControlPong) {
      ws.on('pong', () => (session.unansweredSince = null));
      ws.on('ping', () => (session.unansweredSince = null));
    }
    ws.on('close', (code: number) => this.onClose(session, code));
    ws.on('error', () => {
      /* 'close' follows */
    });
  }

  private onClose(session: Session, code: number): void {
    session.closed = true;
    this.sessions.delete(session);
    const appKey = session.appKey;
    if (appKey === null) return;
    const slot = this.slots.get(appKey);
    if (slot === undefined || slot.session !== session) return;
    // 1006 = the peer vanished without a close frame.
    const unclean = session.killed || code === 1006;
    const hold = unclean ? (this.nextHoldMs ?? this.slotHoldMs) : 0;
    if (unclean) this.nextHoldMs = null;
    if (hold > 0) {
      slot.session = null;
      slot.heldUntil = performance.now() + hold;
    } else {
      this.slots.delete(appKey);
    }
  }

  private resetPing(s: Session): void {
    s.nextPingAt = performance.now() + this.pingIntervalMs;
    s.unansweredSince = null;
  }

  private onMessage(session: Session, text: string): void {
    if (session.closed) return;
    let msg: unknown;
    try {
      msg = JSON.parse(text);
    } catch {
      msg = undefined;
    }
    // A PINGPONG echo (parsed, not byte-compared: some clients re-serialise it, doc §3.2).
    if (isPlainObject(msg) && isPlainObject(msg['header']) && msg['header']['tr_id'] === 'PINGPONG' && msg['body'] === undefined) {
      session.unansweredSince = null;
      return;
    }
    this.onRequest(session, msg);
  }

  /** Decide the answer to one request (doc §10.3) and apply it. */
  private onRequest(session: Session, msg: unknown): void {
    const header = isPlainObject(msg) ? msg['header'] : undefined;
    const body = isPlainObject(msg) ? msg['body'] : undefined;
    const input = isPlainObject(body) ? body['input'] : undefined;
    const str = (o: unknown, k: string): string | undefined => (isPlainObject(o) && typeof o[k] === 'string' ? (o[k] as string) : undefined);
    const trType = str(header, 'tr_type') ?? '';
    const trId = str(input, 'tr_id') ?? '';
    const trKey = str(input, 'tr_key') ?? '';
    const answer = (code: string, output?: AesKey): void => this.answer(session, trType, trId, trKey, code, output);

    if (!isPlainObject(msg)) return answer('OPSP9999');
    if (!isPlainObject(header)) return answer('OPSP9998');
    if (!isPlainObject(body)) return answer('OPSP9992');
    if (!isPlainObject(input)) return answer('OPSP9991');
    if (trType !== '1' && trType !== '2') return answer('OPSP8997');
    const custType = header['custtype'];
    if (custType === undefined) return answer('OPSP9997');
    if (custType !== 'P' && custType !== 'B') return answer('OPSP8998');
    const approval = this.approvals.get(str(header, 'approval_key') ?? '');
    if (approval === undefined || this.now() - approval.issuedAt > APPROVAL_LIFETIME_MS) return answer('OPSP0011');
    if (trType === '1') {
      const refusal = this.takeRefusal(trId, trKey);
      if (refusal !== null) return answer(refusal);
    }
    if (!this.claimSlot(session, approval.appKey)) return answer('OPSP8996');
    // Paper mode: the paper server's answer for a TR it does not serve is undocumented; OPSP8991 is our guess [I].
    const table = trTable(trId);
    if (table === undefined || !(this.mode === 'paper' ? table.paper : table.real)) return answer('OPSP8991');
    if (trKey === '') return answer('OPSP9990');
    // 체결통보 is keyed by HTS ID (any non-empty id of letters/digits); market data by stock code.
    if (table.kind === 'notice' ? !/^[A-Za-z0-9_@.-]{1,16}$/.test(trKey) : !isValidStockCode(trKey)) return answer('OPSP8992');

    const pairKey = trId + '|' + trKey;
    if (trType === '2') {
      if (!session.subs.delete(pairKey)) return answer('OPSP0003');
      return answer('OPSP0001');
    }
    if (session.subs.has(pairKey)) return answer('OPSP0002');
    if (session.subs.size >= this.maxRegistrations) return answer('OPSP0008');
    let aes = session.aes.get(table.trId);
    if (aes === undefined) {
      aes = newAesKey();
      session.aes.set(table.trId, aes);
    }
    session.subs.set(pairKey, { trId: table.trId, trKey, table, statKey: pairKey, due: 0 });
    answer('OPSP0000', aes);
  }

  private takeRefusal(trId: string, trKey: string): string | null {
    const i = this.refusals.findIndex((r) => (r.trId === undefined || r.trId === trId) && (r.trKey === undefined || r.trKey === trKey));
    if (i < 0) return null;
    return this.refusals.splice(i, 1)[0]!.msgCd;
  }

  /** One live session per app key (doc §6.2): true when `session` holds (or now takes) the slot. */
  private claimSlot(session: Session, appKey: string): boolean {
    const slot = this.slots.get(appKey);
    if (slot !== undefined) {
      if (slot.session === session) return true;
      if (slot.session !== null && !slot.session.closed) return false;
      if (slot.session === null && performance.now() < slot.heldUntil) return false;
    }
    this.slots.set(appKey, { session, heldUntil: 0 });
    session.appKey = appKey;
    return true;
  }

  private answer(session: Session, trType: string, trId: string, trKey: string, code: string, output?: AesKey): void {
    this.requests.push({ at: performance.now(), sessionId: session.id, trType, trId, trKey, answered: code });
    if (this.silent || session.closed) return;
    const info = opspInfo(code);
    const encrypt = trTable(trId)?.encrypted === true ? 'Y' : 'N';
    const body: Record<string, unknown> = { rt_cd: info.rtCd, msg_cd: code, msg1: info.msg1 };
    if (output !== undefined) body['output'] = { iv: output.iv, key: output.key };
    session.ws.send(JSON.stringify({ header: { tr_id: trId, tr_key: trKey, encrypt }, body }));
  }

  // ---------------------------------------------------------------- data

  private pump(): void {
    const t = performance.now();
    // Cap the catch-up after a stalled event loop, so a pause does not turn into a flood.
    const dt = Math.min(t - this.lastPump, 1000);
    this.lastPump = t;
    if (this.silent || this.sessions.size === 0) return;
    const clock = marketClock(this.now(), this.hours);
    for (const s of this.sessions) {
      if (s.closed) continue;
      if (!this.keepAlive(s, t)) continue;
      for (const sub of s.subs.values()) {
        if (sub.table.kind === 'notice') this.pumpNotices(s, sub, dt, clock);
        else this.pumpMarketData(s, sub, dt, clock);
      }
    }
  }

  /** Send PINGPONG when due; kill a session whose oldest PINGPONG went unanswered too long. */
  private keepAlive(s: Session, t: number): boolean {
    if (s.unansweredSince !== null && t - s.unansweredSince >= this.pingTimeoutMs) {
      this.kill(s);
      return false;
    }
    if (t >= s.nextPingAt) {
      s.nextPingAt = t + this.pingIntervalMs;
      if (s.unansweredSince === null) s.unansweredSince = t;
      const now = this.now();
      s.ws.send(`{"header":{"tr_id":"PINGPONG","datetime":"${kstDate(now)}${kstTime(now)}"}}`);
    }
    return true;
  }

  private pumpMarketData(s: Session, sub: Subscription, dt: number, clock: MarketClock): void {
    sub.due += ((this.rates.get(sub.trKey) ?? this.defaultRate) * dt) / 1000;
    let n = Math.floor(sub.due);
    if (n <= 0) return;
    sub.due -= n;
    if (s.ws.bufferedAmount > this.maxBufferedBytes) {
      this.recordsSkipped += n;
      return;
    }
    const table = sub.table;
    const head = '0|' + table.trId + '|';
    let sent = 0;
    while (n > 0) {
      const batch = Math.min(n, this.maxBatch);
      let payload = '';
      let count = 0;
      for (let i = 0; i < batch; i++) {
        const rec = this.model.record(table, sub.trKey, clock);
        if (rec === null) break;
        payload = count === 0 ? rec : payload + '^' + rec;
        count++;
      }
      n -= batch;
      if (count === 0) break; // the venue does not trade this code now: nothing is owed
      s.ws.send(head + pad3(count) + '|' + payload);
      sent += count;
      this.framesSent++;
      if (this.onFrameSent !== undefined) this.onFrameSent(table.trId, sub.trKey, count, performance.now());
    }
    if (sent > 0) this.countRecords(sub.statKey, sent);
  }

  private countRecords(statKey: string, n: number): void {
    this.recordsSent.set(statKey, (this.recordsSent.get(statKey) ?? 0) + n);
    this.totalRecordsSent += n;
  }

  private pumpNotices(s: Session, sub: Subscription, dt: number, clock: MarketClock): void {
    if (this.noticeIntervalMs <= 0) return;
    sub.due += dt / this.noticeIntervalMs;
    if (sub.due < 1) return;
    sub.due -= 1;
    this.sendNotice(s, sub, clock);
  }

  private sendNotice(s: Session, sub: Subscription, clock: MarketClock): void {
    const aes = s.aes.get(sub.trId);
    if (aes === undefined) return;
    const record = this.model.notice(sub.trId, sub.trKey, clock);
    s.ws.send('1|' + sub.trId + '|001|' + encryptPayload(record, aes));
    this.framesSent++;
    this.countRecords(sub.statKey, 1);
    if (this.onFrameSent !== undefined) this.onFrameSent(sub.trId, sub.trKey, 1, performance.now());
  }

  private emitNotice(htsId?: string): number {
    if (this.silent) return 0;
    const clock = marketClock(this.now(), this.hours);
    let sent = 0;
    for (const s of this.sessions) {
      if (s.closed) continue;
      for (const sub of s.subs.values()) {
        if (sub.table.kind !== 'notice' || (htsId !== undefined && sub.trKey !== htsId)) continue;
        this.sendNotice(s, sub, clock);
        sent++;
      }
    }
    return sent;
  }

  // ---------------------------------------------------------------- faults, stats, stop

  /** Destroy the TCP socket without a close frame: an unclean close. */
  private kill(s: Session): void {
    s.killed = true;
    s.ws.terminate();
  }

  private dropAll(clean: boolean): void {
    for (const s of [...this.sessions]) {
      if (clean) s.ws.close(1000, 'simulated drop');
      else this.kill(s);
    }
  }

  private stats(): SimulatorStats {
    const byAppKey: Record<string, number> = {};
    for (const s of this.sessions) {
      if (s.appKey !== null && !s.closed) byAppKey[s.appKey] = (byAppKey[s.appKey] ?? 0) + 1;
    }
    return {
      openSockets: [...this.sessions].filter((s) => !s.closed).length,
      openSocketsByAppKey: byAppKey,
      approvalsIssued: this.approvalsIssued,
      recordsSent: Object.fromEntries(this.recordsSent),
      totalRecordsSent: this.totalRecordsSent,
      framesSent: this.framesSent,
      recordsSkipped: this.recordsSkipped,
      requests: [...this.requests],
    };
  }

  stop(): Promise<void> {
    if (this.stopping === null) this.stopping = this.doStop();
    return this.stopping;
  }

  private async doStop(): Promise<void> {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    for (const res of this.hangingApprovals) res.destroy();
    this.hangingApprovals.clear();
    const closing = [...this.sessions].map(
      (s) =>
        new Promise<void>((resolve) => {
          if (s.closed) return resolve();
          const force = setTimeout(() => s.ws.terminate(), 1000);
          s.ws.once('close', () => {
            clearTimeout(force);
            resolve();
          });
          s.ws.close(1001, 'simulator stopping');
        }),
    );
    await Promise.all(closing);
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function sendError(res: ServerResponse, e: { readonly status: number; readonly error_code: string; readonly error_description: string }): void {
  sendJson(res, e.status, { error_code: e.error_code, error_description: e.error_description });
}
