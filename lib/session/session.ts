/**
 * One KIS real-time WebSocket for one app key (issue 5), without Node-RED:
 * approval key (cached), connect, PINGPONG echo, half-open detection, shared reference-counted
 * registrations with O(1) dispatch, paced requests with matched acks, reconnect with backoff and
 * jitter (longer after OPSP8996), restore of every registration after a reconnect, observable
 * states, and a clean close.
 *
 * Secrets: the app key, app secret and approval key never reach a log line, a state reason or a
 * subscription error; every text leaving this class also goes through `redactSecrets`.
 */
import WebSocket from 'ws';
import { buildSubscribe, buildUnsubscribe, type CustType } from '../protocol/messages';
import { describeOpsp } from '../protocol/opsp';
import { FrameParser, type ControlFrame, type FrameError } from '../protocol/parse-frame';
import { isValidKey, keyKindOf } from '../protocol/route';
import { isTrId, TR_TABLES, type TrId } from '../protocol/tr-tables';
import { ApprovalError, getApprovalKey, invalidateApprovalKey, redactSecrets } from './approval';
import { backoffDelay, resolveReconnect, type ResolvedReconnect } from './backoff';
import { SubscriptionRegistry, type Registration } from './registry';
import { PacedSendQueue, type PacedRequest } from './send-queue';
import {
  CLIENT_ERROR_CODES,
  SESSION_DEFAULTS,
  type KisSessionOptions,
  type RecordSink,
  type SessionState,
  type SubscriptionError,
  type SubscriptionHandle,
} from './types';

export type SessionLogLevel = 'debug' | 'info' | 'warn' | 'error';
export type SessionStateListener = (state: SessionState) => void;

/** Typed events of a session (one so far). */
export interface KisSessionEvents {
  state: SessionStateListener;
}

/** A close frame unanswered for this long: the socket is destroyed. */
const FORCE_CLOSE_MS = 2000;
/** Re-sends of one subscribe after retryable OPSP errors (OPSP0007, 0009, 8999 …). */
const MAX_RETRYABLE_RESENDS = 2;
/** 체결통보 tr_key is the HTS ID (doc §2): short, no spaces. */
const HTS_ID = /^[A-Za-z0-9_.@-]{1,16}$/;

/**
 * Per (REST server, app key), shared by every session of the process, so a session created
 * right after another one stopped (a Node-RED redeploy) neither opens a second socket while the
 * first is still closing nor escapes the backoff of the previous one (KIS blocks IPs and app keys
 * that loop on connect/disconnect).
 */
interface ConnectGate {
  lastAttemptAt: number;
  /** Earliest time of the next attempt (set by the backoff; 0 after a healthy connection). */
  notBefore: number;
  /** The previous session's stop(), still closing its socket. */
  closing: Promise<void> | null;
}

const gates = new Map<string, ConnectGate>();

function gateFor(restUrl: string, appKey: string): ConnectGate {
  const id = `${restUrl}\u0000${appKey}`;
  let gate = gates.get(id);
  if (gate === undefined) {
    gate = { lastAttemptAt: -Infinity, notBefore: 0, closing: null };
    gates.set(id, gate);
  }
  return gate;
}

function inferServer(wsUrl: string): 'real' | 'paper' | undefined {
  try {
    const port = new URL(wsUrl).port;
    return port === '31000' ? 'paper' : port === '21000' ? 'real' : undefined;
  } catch {
    return undefined;
  }
}

function textOf(data: WebSocket.RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}

function noop(): void {
  // swallows late 'error' events of a retired socket
}

interface Resolved {
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
  readonly server: 'real' | 'paper' | undefined;
}

function resolveOptions(o: KisSessionOptions): Resolved {
  const pos = (v: number | undefined, d: number): number => (v !== undefined && Number.isFinite(v) && v > 0 ? v : d);
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
    idleTimeoutMs: pos(o.idleTimeoutMs, SESSION_DEFAULTS.idleTimeoutMs),
    server: o.server ?? inferServer(o.wsUrl),
  });
}

/** What subscribe() returns; unsubscribe() drops exactly this one reference. */
class Handle implements SubscriptionHandle {
  private done = false;
  constructor(
    private readonly release: (registration: Registration, sink: RecordSink) => void,
    private readonly registration: Registration | null,
    private readonly sink: RecordSink,
    readonly trId: TrId,
    readonly trKey: string,
  ) {}

  unsubscribe(): void {
    if (this.done) return;
    this.done = true;
    if (this.registration !== null) this.release(this.registration, this.sink);
  }
}

export class KisSession {
  private _state: SessionState = { state: 'idle' };
  private readonly listeners = new Set<SessionStateListener>();
  private readonly o: Resolved;
  private readonly backoff: ResolvedReconnect;
  private readonly logSink: KisSessionOptions['log'];
  private readonly registry: SubscriptionRegistry;
  private readonly queue: PacedSendQueue;
  private readonly parser = new FrameParser();
  private readonly gate: ConnectGate;

  private ws: WebSocket | null = null;
  /** Approval key of the current connection (memory only). */
  private approvalKey: string | null = null;
  /** Bumped whenever a connection is abandoned: callbacks of older connections do nothing. */
  private generation = 0;
  private failures = 0;
  private running = false;
  private healthy = false;
  private lastMessageAt = 0;
  private lastSocketError = '';
  private reconnectTimer: NodeJS.Timeout | null = null;
  private idleTimer: NodeJS.Timeout | null = null;
  private approvalAbort: AbortController | null = null;
  private stopping: Promise<void> | null = null;
  private readonly closing = new Set<Promise<void>>();
  private readonly loggedOnce = new Set<string>();

  constructor(options: KisSessionOptions) {
    this.o = resolveOptions(options);
    this.backoff = resolveReconnect(options.reconnect);
    this.logSink = options.log;
    this.gate = gateFor(this.o.restUrl, this.o.appKey);
    this.registry = new SubscriptionRegistry(this.o.maxRegistrations);
    this.registry.onSinkError = (err, r) => this.logOnce(`sink:${r.trId}|${r.trKey}`, 'error', `a listener of ${r.trId} ${r.trKey} threw: ${err instanceof Error ? err.message : String(err)}`);
    this.queue = new PacedSendQueue({ pacingMs: this.o.pacingMs, ackTimeoutMs: this.o.ackTimeoutMs, send: (req) => this.sendRequest(req) });
    this.parser.onLayoutChange = (trId, known, seen) => this.log('info', `${trId}: KIS now sends ${seen} fields per record (${known} known); the extra ones arrive as FIELD_<n>`);
  }

  get state(): SessionState {
    return this._state;
  }

  on<E extends keyof KisSessionEvents>(event: E, listener: KisSessionEvents[E]): this {
    if (event === 'state') this.listeners.add(listener);
    return this;
  }

  off<E extends keyof KisSessionEvents>(event: E, listener: KisSessionEvents[E]): this {
    if (event === 'state') this.listeners.delete(listener);
    return this;
  }

  /** Distinct (TR, code) registrations, i.e. KIS slots used or requested. */
  registrationCount(): number {
    return this.registry.size;
  }

  /** subscribe() calls currently holding a registration. */
  referenceCount(): number {
    return this.registry.references();
  }

  /**
   * Connect (idempotent): does nothing while connecting, connected or waiting to reconnect, and
   * never opens a second socket. After `failed` it starts over. After stop() it does nothing.
   */
  start(): void {
    if (this.stopping !== null || this.running) return;
    this.running = true;
    // The retry count starts over (a redeploy, or a restart after `failed`); the gate still makes
    // this attempt wait out the backoff of whatever session of this app key failed last.
    this.failures = 0;
    this.setState({ state: 'connecting', attempt: this.failures + 1 });
    void this.connect();
  }

  /**
   * Close with a close frame (destroyed after 2 s without an answer), clear every timer and
   * listener, drop every registration. Idempotent; resolves when the socket is closed.
   */
  stop(): Promise<void> {
    if (this.stopping === null) {
      const p = this.shutdown();
      this.stopping = p;
      this.gate.closing = p;
      void p.then(() => {
        if (this.gate.closing === p) this.gate.closing = null;
      });
    }
    return this.stopping;
  }

  /**
   * Register `sink` for (trId, trKey). Refusals (bad code, TR not served by this server, the
   * registration limit, OPSP errors, a missing ack) reach `sink.onSubscriptionError`, always
   * asynchronously; a refused registration frees its slot and does not affect the others.
   */
  subscribe(trId: TrId, trKey: string, sink: RecordSink): SubscriptionHandle {
    const refusal = this.validate(trId, trKey);
    if (refusal !== null) return this.refuseNew(trId, trKey, sink, refusal.code, refusal.message);
    const added = this.registry.add(trId, trKey, sink);
    if ('limit' in added) {
      return this.refuseNew(trId, trKey, sink, CLIENT_ERROR_CODES.LIMIT,
        `registration limit reached: KIS allows ${added.limit} (TR, code) registrations per app key session and all are in use; ${trId} ${trKey} was not registered`);
    }
    const r = added.registration;
    if (added.created) {
      if (this.isOpen()) this.sendSubscribe(r);
    } else if (r.wire === 'live' && r.lastAck !== null && sink.onSubscribed !== undefined) {
      const ack = r.lastAck;
      queueMicrotask(() => {
        if (this.registry.has(r) && r.sinks.includes(sink)) this.callSink(() => sink.onSubscribed?.(r.trId, r.trKey, ack));
      });
    }
    return new Handle(this.releaseRef, r, sink, trId, trKey);
  }

  // ---- subscriptions -------------------------------------------------------------------

  private validate(trId: string, trKey: string): { code: string; message: string } | null {
    if (this.stopping !== null) return { code: CLIENT_ERROR_CODES.SESSION_CLOSED, message: 'the KIS session is closed' };
    if (!isTrId(trId)) return { code: CLIENT_ERROR_CODES.UNKNOWN_TR, message: `unknown TR id ${JSON.stringify(String(trId).slice(0, 16))}` };
    const table = TR_TABLES[trId];
    if (table.kind === 'notice' ? !HTS_ID.test(trKey) : !isValidKey(table.kind, trKey)) {
      const what = table.kind === 'notice' ? 'HTS ID (1–16 letters or digits)'
        : keyKindOf(table) === 'index' ? 'index code (4 digits such as 0001)' : 'stock code (6 characters such as 005930, or 7 such as Q500001)';
      return { code: CLIENT_ERROR_CODES.BAD_CODE, message: `${JSON.stringify(String(trKey).slice(0, 20))} is not a valid ${what}` };
    }
    const server = this.o.server;
    if (server !== undefined && !(server === 'paper' ? table.paper : table.real)) {
      return { code: CLIENT_ERROR_CODES.NOT_ON_SERVER, message: `${trId} (${table.en}) is not served by the ${server === 'paper' ? 'paper (모의투자)' : 'real (실전)'} server` };
    }
    return null;
  }

  private refuseNew(trId: string, trKey: string, sink: RecordSink, code: string, message: string): SubscriptionHandle {
    const error: SubscriptionError = { trId, trKey, code, message: this.redact(message) };
    this.log('warn', `subscription refused: ${error.message}`);
    queueMicrotask(() => this.callSink(() => sink.onSubscriptionError(error)));
    return new Handle(this.releaseRef, null, sink, trId as TrId, trKey);
  }

  /** Handle.unsubscribe() calls this (one function per session, not per subscription). */
  private readonly releaseRef = (r: Registration, sink: RecordSink): void => this.release(r, sink);

  private release(r: Registration, sink: RecordSink): void {
    if (!this.registry.removeSink(r, sink)) return;
    const req = r.request;
    r.request = null;
    if (req !== null && this.queue.withdraw(req)) return; // its subscribe never went out
    if (r.wire === 'pending' && req === null) return; // not on the wire on this connection
    r.wire = 'pending';
    if (!this.isOpen()) return;
    this.queue.enqueue({
      trType: '2',
      trId: r.trId,
      trKey: r.trKey,
      onAck: (ack) => {
        if (ack.msgCd !== 'OPSP0001' && ack.msgCd !== 'OPSP0003') this.log('warn', `unsubscribe ${r.trId} ${r.trKey}: ${describeOpsp(ack.msgCd)}`);
      },
      onAckTimeout: () => this.log('debug', `unsubscribe ${r.trId} ${r.trKey}: no ack within ${this.o.ackTimeoutMs} ms`),
    });
  }

  private sendSubscribe(r: Registration): void {
    const req: PacedRequest = {
      trType: '1',
      trId: r.trId,
      trKey: r.trKey,
      onAck: (ack) => this.onSubscribeAck(r, req, ack),
      onAckTimeout: () => this.onSubscribeTimeout(r, req),
    };
    r.request = req;
    r.wire = 'pending';
    this.queue.enqueue(req);
  }

  /** PacedSendQueue's `send`: the only place the approval key goes into a message. */
  private sendRequest(req: PacedRequest): void {
    const ws = this.ws;
    const approvalKey = this.approvalKey;
    if (ws === null || approvalKey === null || ws.readyState !== WebSocket.OPEN) throw new Error('not connected');
    const fields = { approvalKey, custType: this.o.custType, trId: req.trId, trKey: req.trKey };
    ws.send(req.trType === '1' ? buildSubscribe(fields) : buildUnsubscribe(fields));
    if (req.trType === '1') {
      const r = this.registry.get(req.trId, req.trKey);
      if (r !== undefined && r.request === req) r.wire = 'sent';
    }
  }

  private onSubscribeAck(r: Registration, req: PacedRequest, ack: ControlFrame): void {
    if (r.request !== req) return; // unsubscribed meanwhile: its unsubscribe follows
    r.request = null;
    const code = ack.msgCd;
    if (code === 'OPSP0000' || code === 'OPSP0002') {
      // OPSP0002 ALREADY IN SUBSCRIBE is success (stale server state after a reconnect, doc §6.2).
      if (ack.aes !== null) this.parser.setKey(r.trId, ack.aes);
      r.wire = 'live';
      r.lastAck = ack;
      r.retries = 0;
      this.markHealthy();
      for (const sink of r.sinks) if (sink.onSubscribed !== undefined) this.callSink(() => sink.onSubscribed?.(r.trId, r.trKey, ack));
      return;
    }
    if (code === 'OPSP0011') {
      // The approval key is unknown or expired: forget it and reconnect with a new one.
      invalidateApprovalKey(this.o.restUrl, this.o.appKey, this.approvalKey ?? undefined);
      this.dropConnection(`approval key not accepted (${describeOpsp(code)}); reconnecting with a new one`, code, 0);
      return;
    }
    if (code === 'OPSP8996') {
      // Another live session holds this app key (or KIS still holds our old slot): back off long.
      this.dropConnection(`${describeOpsp(code)}; waiting before reconnecting`, code, this.backoff.inUseDelayMs);
      return;
    }
    if (ack.info.severity === 'retryable' && r.retries < MAX_RETRYABLE_RESENDS) {
      r.retries++;
      this.log('warn', `subscribe ${r.trId} ${r.trKey}: ${describeOpsp(code)}; sending it again`);
      this.sendSubscribe(r);
      return;
    }
    this.refuse(r, code, `${r.trId} ${r.trKey}: ${describeOpsp(code)}`);
  }

  private onSubscribeTimeout(r: Registration, req: PacedRequest): void {
    if (r.request !== req) return;
    r.request = null;
    this.refuse(r, CLIENT_ERROR_CODES.ACK_TIMEOUT, `${r.trId} ${r.trKey}: no answer from KIS within ${this.o.ackTimeoutMs} ms`);
    // KIS may still register it late: make sure the slot is freed on its side too.
    if (this.isOpen()) {
      this.queue.enqueue({ trType: '2', trId: r.trId, trKey: r.trKey, onAck: noop, onAckTimeout: noop });
    }
  }

  /** Drop a registration and tell each of its sinks why. */
  private refuse(r: Registration, code: string, message: string): void {
    if (!this.registry.has(r)) return;
    this.registry.delete(r);
    r.request = null;
    const error: SubscriptionError = { trId: r.trId, trKey: r.trKey, code, message: this.redact(message) };
    this.log('warn', `subscription refused: ${error.message}`);
    for (const sink of r.sinks) this.callSink(() => sink.onSubscriptionError(error));
  }

  private callSink(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.log('error', `a subscription listener threw: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  // ---- connection ------------------------------------------------------------------------

  private isOpen(): boolean {
    return this.ws !== null && this.ws.readyState === WebSocket.OPEN && this._state.state === 'connected';
  }

  private async connect(): Promise<void> {
    this.reconnectTimer = null;
    const gen = ++this.generation;
    const previous = this.gate.closing;
    if (previous !== null && previous !== this.stopping) {
      await previous;
      if (gen !== this.generation) return;
    }
    const wait = Math.max(this.gate.notBefore, this.gate.lastAttemptAt + this.backoff.initialDelayMs) - Date.now();
    if (wait > 0) {
      // A session of this app key tried moments ago (redeploy) or is backing off: no tight loop.
      this.reconnectTimer = setTimeout(this.onReconnectTimer, wait);
      return;
    }
    this.gate.lastAttemptAt = Date.now();
    const attempt = this.failures + 1;
    if (this._state.state !== 'connecting' || this._state.attempt !== attempt) this.setState({ state: 'connecting', attempt });
    const abort = new AbortController();
    this.approvalAbort = abort;
    let key: string;
    try {
      key = await getApprovalKey({ restUrl: this.o.restUrl, appKey: this.o.appKey, appSecret: this.o.appSecret, timeoutMs: this.o.approvalTimeoutMs, signal: abort.signal });
    } catch (err) {
      if (this.approvalAbort === abort) this.approvalAbort = null;
      if (gen === this.generation) this.approvalFailed(err);
      return;
    }
    if (this.approvalAbort === abort) this.approvalAbort = null;
    if (gen !== this.generation) return;
    this.openSocket(key, gen);
  }

  private readonly onReconnectTimer = (): void => {
    void this.connect();
  };

  private approvalFailed(err: unknown): void {
    const e = err instanceof ApprovalError ? err : new ApprovalError('network', `approval key request failed: ${err instanceof Error ? err.message : String(err)}`);
    if (e.kind === 'aborted') return;
    const code = e.code ?? (e.status !== undefined ? `HTTP ${e.status}` : e.kind === 'timeout' ? 'TIMEOUT' : undefined);
    // Rejected credentials will not fix themselves: do not hammer the REST endpoint.
    this.scheduleReconnect(e.message, code, e.kind === 'rejected' ? this.backoff.inUseDelayMs : 0);
  }

  private openSocket(approvalKey: string, gen: number): void {
    let ws: WebSocket;
    try {
      ws = new WebSocket(this.o.wsUrl, { handshakeTimeout: this.o.approvalTimeoutMs, perMessageDeflate: false });
    } catch (err) {
      this.running = false;
      this.setState({ state: 'failed', reason: `invalid WebSocket URL: ${err instanceof Error ? err.message : String(err)}` });
      return;
    }
    this.ws = ws;
    this.approvalKey = approvalKey;
    this.lastSocketError = '';
    ws.on('open', () => {
      if (gen === this.generation) this.onOpen();
    });
    ws.on('message', (data, isBinary) => {
      if (gen === this.generation && !isBinary) this.onMessage(textOf(data));
    });
    ws.on('error', (err) => {
      if (gen === this.generation) this.lastSocketError = err.message;
    });
    ws.on('close', (code, reason) => {
      if (gen === this.generation) this.onSocketClosed(code, reason.toString('utf8'));
    });
  }

  private onOpen(): void {
    this.healthy = false;
    this.lastMessageAt = Date.now();
    this.idleTimer = setTimeout(this.onIdleCheck, this.o.idleTimeoutMs);
    // Restore every registration, in the order they were made, paced by the queue. Before the
    // state event: a listener that subscribes from inside it must not get a second request.
    const restore = this.registry.all();
    for (const r of restore) this.sendSubscribe(r);
    this.setState({ state: 'connected', registrations: restore.length });
  }

  /** The hot path: one parse, one branch, one dispatch. */
  private onMessage(text: string): void {
    const now = Date.now();
    this.lastMessageAt = now;
    const frame = this.parser.parse(text, now);
    switch (frame.type) {
      case 'data':
        if (!this.healthy) this.markHealthy();
        this.registry.dispatch(frame);
        return;
      case 'pingpong':
        // Echo the text verbatim as a text frame (doc §3.2).
        this.ws?.send(frame.raw);
        if (!this.healthy && this.registry.size === 0) this.markHealthy();
        return;
      case 'control':
        if (!this.queue.handleAck(frame)) this.log('debug', `ack without a request: ${frame.trId} ${frame.trKey} ${frame.msgCd}`);
        return;
      case 'error':
        this.onFrameError(frame);
        return;
    }
  }

  private onFrameError(e: FrameError): void {
    // 'no-key': encrypted frames before the new ack after a reconnect, expected; others once per kind.
    this.logOnce(`frame:${e.code}:${e.trId ?? ''}`, e.code === 'no-key' ? 'debug' : 'warn', `ignored a message: ${e.message}`);
  }

  /** The connection works (data or a successful ack): the failure streak is over. */
  private markHealthy(): void {
    this.healthy = true;
    this.failures = 0;
    this.gate.notBefore = 0;
  }

  private readonly onIdleCheck = (): void => {
    this.idleTimer = null;
    const silent = Date.now() - this.lastMessageAt;
    if (silent < this.o.idleTimeoutMs) {
      this.idleTimer = setTimeout(this.onIdleCheck, this.o.idleTimeoutMs - silent);
      return;
    }
    this.dropConnection(`nothing (data or PINGPONG) received for ${silent} ms: connection presumed dead`, undefined, 0);
  };

  private onSocketClosed(code: number, reason: string): void {
    const opened = this._state.state === 'connected';
    const why = !opened
      ? `cannot connect to the KIS WebSocket${this.lastSocketError === '' ? '' : `: ${this.lastSocketError}`}`
      : code === 1006
        ? 'connection lost without a close frame (1006)'
        : `connection closed by the server (${code}${reason === '' ? '' : ` ${reason.slice(0, 80)}`})`;
    this.dropConnection(why, undefined, 0);
  }

  /** Abandon the current connection (closing it cleanly if it is open) and schedule the next one. */
  private dropConnection(reason: string, code: string | undefined, floorMs: number): void {
    this.detach();
    this.scheduleReconnect(reason, code, floorMs);
  }

  /** Forget everything tied to the current connection. */
  private detach(): void {
    this.generation++;
    if (this.idleTimer !== null) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    this.queue.clear();
    this.parser.clearKeys(); // new acks bring new keys (doc §6.5)
    for (const r of this.registry.all()) {
      r.wire = 'pending';
      r.request = null;
    }
    const ws = this.ws;
    this.ws = null;
    this.approvalKey = null;
    if (ws !== null) this.retire(ws);
  }

  /** Close a socket we no longer use: close frame, destroyed after FORCE_CLOSE_MS. */
  private retire(ws: WebSocket): void {
    ws.removeAllListeners();
    ws.on('error', noop);
    if (ws.readyState === WebSocket.CLOSED) return;
    const closed = new Promise<void>((resolve) => {
      const timer = setTimeout(() => ws.terminate(), FORCE_CLOSE_MS);
      ws.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
    });
    this.closing.add(closed);
    void closed.then(() => this.closing.delete(closed));
    if (ws.readyState === WebSocket.CONNECTING) ws.terminate();
    else ws.close(1000);
  }

  private scheduleReconnect(reason: string, code: string | undefined, floorMs: number): void {
    if (this.stopping !== null || !this.running) return;
    this.failures++;
    const max = this.backoff.maxRetries;
    const delay = Math.max(floorMs, backoffDelay(this.failures, this.backoff));
    this.gate.notBefore = Date.now() + delay;
    if (max > 0 && this.failures > max) {
      this.running = false;
      this.setState({ state: 'failed', reason: `${reason} (gave up after ${max} ${max === 1 ? 'retry' : 'retries'})`, ...(code !== undefined && { code }) });
      return;
    }
    this.setState({ state: 'reconnecting', retry: this.failures, maxRetries: max, delayMs: delay, reason, ...(code !== undefined && { code }) });
    this.reconnectTimer = setTimeout(this.onReconnectTimer, delay);
  }

  private async shutdown(): Promise<void> {
    this.running = false;
    if (this.reconnectTimer !== null) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    this.approvalAbort?.abort();
    this.approvalAbort = null;
    this.detach();
    await Promise.all([...this.closing]);
    this.registry.clear();
    this.setState({ state: 'closed' });
    this.listeners.clear();
  }

  // ---- state and logs --------------------------------------------------------------------

  private setState(next: SessionState): void {
    const s: SessionState = 'reason' in next ? { ...next, reason: this.redact(next.reason) } : next;
    this._state = s;
    this.logState(s);
    for (const listener of [...this.listeners]) {
      try {
        listener(s);
      } catch (err) {
        this.log('error', `a state listener threw: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }

  /** One line per state change; a retry storm logs its first retry only (the rest at debug). */
  /**
   * State changes are logged at debug level only: callers observe them through the 'state' event
   * (kis-config writes one translated line per change from it), so the log would only say it twice.
   */
  private logState(s: SessionState): void {
    switch (s.state) {
      case 'connecting':
        this.log('debug', `connecting (attempt ${s.attempt})`);
        return;
      case 'connected':
        this.log('debug', `connected (${s.registrations} registration${s.registrations === 1 ? '' : 's'} to restore)`);
        return;
      case 'reconnecting':
        this.log('debug', `${s.reason}; reconnecting in ${Math.round(s.delayMs)} ms (retry ${s.retry}${s.maxRetries > 0 ? ` of ${s.maxRetries}` : ''})`);
        return;
      case 'failed':
        this.log('debug', `connection failed: ${s.reason}`);
        return;
      case 'closed':
        this.log('debug', 'closed');
        return;
      case 'idle':
        return;
    }
  }

  private redact(text: string): string {
    return redactSecrets(text, [this.o.appKey, this.o.appSecret, this.approvalKey ?? undefined]);
  }

  private log(level: SessionLogLevel, text: string): void {
    if (this.logSink === undefined) return;
    try {
      this.logSink(level, this.redact(text));
    } catch {
      // a broken log sink must not break the session
    }
  }

  private logOnce(id: string, level: SessionLogLevel, text: string): void {
    if (this.loggedOnce.has(id)) return;
    this.loggedOnce.add(id);
    this.log(level, text);
  }
}
