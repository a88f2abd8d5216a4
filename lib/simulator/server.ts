/**
 * The local KIS simulator: one node:http server on loopback that serves the OAuth REST calls
 * (rest.ts) and the real-time WebSocket (any path) with the wire protocol of
 * docs/protocol/wire.md. Everything protocol-shaped comes from lib/protocol (TR tables, OPSP
 * codes, AES, stock-code rule); the records come from the TR families (families/); this file
 * decides what to answer and when.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { AesKey } from '../protocol/crypto';
import { kstDate, kstTime } from '../protocol/kst';
import { opspInfo } from '../protocol/opsp';
import { isValidTrKey } from '../protocol/tr-keys';
import { trTable, type TrId } from '../protocol/tr-tables';
import { marketClock } from './clock';
import { familyOf } from './families';
import { MarketModel } from './market';
import { feedFor, masterFileHandler } from './master-files';
import { attachOrders, DEFAULT_HTS_ID, type OrderEngine } from './orders';
import { handleOrdersHttp } from './orders-http';
import { isPingPongEcho, readRequest } from './requests';
import { RestApi } from './rest';
import { Streamer, type Subscription } from './streams';
import type { ReceivedRequest, RunningSimulator, SimulatorCredentials, SimulatorFaults, SimulatorOptions, SimulatorStats } from './types';

/** Obviously fake demo credentials (36-char app key like KIS's, 180-char secret). */
export const DEMO_APP_KEY = 'PSdemoKisSimulatorAppKey000000000000';
export const DEMO_APP_SECRET = 'demoKisSimulatorAppSecretNotARealSecret'.padEnd(180, '0');

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
  tokenMinIntervalMs: 60_000,
};

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

/** 16 printable characters (iv) / 32 lowercase letters (key), used as raw UTF-8 (docs/protocol/wire.md). */
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
  private readonly tickMs: number;
  private readonly acceptControlPong: boolean;

  private readonly model: MarketModel;
  private readonly orders: OrderEngine;
  private readonly wrongHtsIdDropMs: number;
  private readonly rest: RestApi;
  private readonly streamer: Streamer;
  private readonly server: Server;
  private readonly wss: WebSocketServer;
  private readonly sessions = new Set<Session>();
  private readonly slots = new Map<string, Slot>();
  private readonly refusals: Refusal[] = [];
  private nextSessionId = 1;
  private timer: NodeJS.Timeout | null = null;
  private lastPump = 0;
  private port = 0;
  private stopping: Promise<void> | null = null;

  // Faults
  private silent = false;
  private nextHoldMs: number | null = null;

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
    this.tickMs = Math.max(1, o.tickMs ?? DEFAULTS.tickMs);
    // Only the text echo answers PINGPONG by default: KIS's guide describes echoing the PINGPONG text,
    // while the official samples answer with a WebSocket pong control frame, and whether the real
    // server counts that is not settled (docs/protocol/wire.md). A client that passes here by
    // default passes on either behaviour; acceptControlPong lets a pong-only client be tested too.
    this.acceptControlPong = o.acceptControlPong ?? false;
    this.model = new MarketModel(o.seed ?? DEFAULTS.seed, { vi: o.vi ?? this.hours === 'kst', layout: o.layout ?? 'doc' });
    this.orders = attachOrders(this.model, o);
    this.wrongHtsIdDropMs = o.wrongHtsIdDropMs ?? 300;
    this.rest = new RestApi(this.credentials, this.now, o.tokenMinIntervalMs ?? DEFAULTS.tokenMinIntervalMs);
    this.streamer = new Streamer(
      o.rate ?? DEFAULTS.rate,
      o.rates ?? {},
      Math.max(1, Math.min(999, Math.floor(o.maxBatch ?? DEFAULTS.maxBatch))),
      o.maxBufferedBytes ?? DEFAULTS.maxBufferedBytes,
      o.noticeIntervalMs ?? DEFAULTS.noticeIntervalMs,
      o.onFrameSent,
    );

    const masterFiles = masterFileHandler(o.seed ?? DEFAULTS.seed);
    this.server = createServer((req, res) => masterFiles(req, res) || handleOrdersHttp(req, res, this.orders, () => marketClock(this.now(), this.hours)) || this.rest.onHttp(req, res));
    this.wss = new WebSocketServer({ noServer: true, maxPayload: MAX_INBOUND_BYTES, perMessageDeflate: false });
    // The real server accepts any path (docs/protocol/wire.md): /tryitout, /tryitout/H0STCNT0, or none.
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
        this.rest.fault = mode;
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
      triggerVi: (code) => this.model.market(code).triggerVi(),
      setHalt: (code, halted, reason) => this.model.market(code).setHalt(halted, reason ?? '매매거래정지 (simulated)', marketClock(this.now(), this.hours)),
      htsId: this.orders.htsId ?? DEFAULT_HTS_ID,
      account: this.orders.account,
      orders: {
        place: (order) => this.orders.place(order, marketClock(this.now(), this.hours)),
        cancel: (orderNo) => this.orders.cancel(orderNo, marketClock(this.now(), this.hours)),
        modify: (orderNo, change) => this.orders.modify(orderNo, change, marketClock(this.now(), this.hours)),
        working: () => this.orders.workingOrders(),
      },
      setRate: (rate, code) => {
        if (code === undefined) this.streamer.defaultRate = rate;
        else this.streamer.rates.set(code, rate);
      },
      stop: () => this.stop(),
    };
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
    if (isPingPongEcho(msg)) {
      session.unansweredSince = null;
      return;
    }
    this.onRequest(session, msg);
  }

  /** Decide the answer to one request (docs/protocol/wire.md) and apply it. */
  private onRequest(session: Session, msg: unknown): void {
    const req = readRequest(msg);
    const { trType, trId, trKey } = req;
    const answer = (code: string, output?: AesKey): void => this.answer(session, trType, trId, trKey, code, output);
    if (!req.ok) return answer(req.msgCd);
    const approval = this.rest.approvalOf(req.approvalKey);
    if (approval === undefined) return answer('OPSP0011');
    if (req.trType === '1') {
      const refusal = this.takeRefusal(trId, trKey);
      if (refusal !== null) return answer(refusal);
    }
    if (!this.claimSlot(session, approval.appKey)) return answer('OPSP8996');
    // Paper mode: the paper server's answer for a TR it does not serve is undocumented; OPSP8991 is our guess.
    const table = trTable(trId);
    const family = table === undefined ? undefined : familyOf(table);
    if (table === undefined || family === undefined || !(this.mode === 'paper' ? table.paper : table.real)) return answer('OPSP8991');
    if (trKey === '') return answer('OPSP9990');
    if (!isValidTrKey(table.keyType, trKey)) return answer('OPSP8992');

    const pairKey = trId + '|' + trKey;
    if (req.trType === '2') {
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
    const feed = feedFor(table, trKey, () => family.open(this.model, table, trKey));
    session.subs.set(pairKey, { trId: table.trId, trKey, table, feed, statKey: pairKey, due: 0 });
    answer('OPSP0000', aes);
    // KIS drops the connection (no close frame) after a 체결통보 registration with a wrong HTS ID (docs/protocol/notices.md).
    if (table.kind === 'notice' && !this.orders.acceptsHtsId(trKey)) setTimeout(() => session.closed || this.kill(session), this.wrongHtsIdDropMs).unref();
  }

  private takeRefusal(trId: string, trKey: string): string | null {
    const i = this.refusals.findIndex((r) => (r.trId === undefined || r.trId === trId) && (r.trKey === undefined || r.trKey === trKey));
    if (i < 0) return null;
    return this.refusals.splice(i, 1)[0]!.msgCd;
  }

  /** One live session per app key (docs/protocol/session.md): true when `session` holds (or now takes) the slot. */
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
      for (const sub of s.subs.values()) this.streamer.pump(s, sub, dt, clock);
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

  private emitNotice(htsId?: string): number {
    if (this.silent) return 0;
    const clock = marketClock(this.now(), this.hours);
    if (htsId === undefined || this.orders.acceptsHtsId(htsId)) this.orders.emitFill(clock);
    let sent = 0;
    for (const s of this.sessions) {
      if (s.closed) continue;
      for (const sub of s.subs.values()) {
        if (sub.table.kind !== 'notice' || (htsId !== undefined && sub.trKey !== htsId)) continue;
        let any = false;
        while (this.streamer.sendOne(s, sub, clock)) any = true;
        if (any) sent++;
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
    const st = this.streamer;
    return {
      openSockets: [...this.sessions].filter((s) => !s.closed).length,
      openSocketsByAppKey: byAppKey,
      approvalsIssued: this.rest.approvalsIssued,
      tokensIssued: this.rest.tokensIssued,
      recordsSent: Object.fromEntries(st.recordsSent),
      totalRecordsSent: st.totalRecordsSent,
      framesSent: st.framesSent,
      recordsSkipped: st.recordsSkipped,
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
    this.rest.close();
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
