/**
 * One KIS real-time WebSocket for one app key, without Node-RED: approval key (cached), connect,
 * PINGPONG echo, dead-connection detection from the observed PINGPONG cadence, shared
 * reference-counted registrations with O(1) dispatch, paced requests with matched acks, reconnect,
 * restore of every registration after a reconnect, observable states, and a clean close.
 *
 * The registrations themselves (sharing, pacing, acks, re-sends, refusals, restore) live in
 * wire.ts; this class owns the socket and tells the wire when a connection opens and goes.
 * What to do about each failure (stop, wait, back off, the connect ceiling, what counts as a
 * healthy connection) is decided by lib/session/policy.ts; this class only applies it
 * (docs/protocol/session.md). Process-wide state per app key lives in connect-gate.ts.
 *
 * Secrets: every text leaving this class goes through one Redactor that knows every secret the
 * session has held (app key, app secret, every approval key), redacted before it is shortened.
 */
import WebSocket from 'ws';
import { egwInfo } from '../protocol/egw';
import { buildSubscribe, buildUnsubscribe } from '../protocol/messages';
import { opspInfo } from '../protocol/opsp';
import { FrameParser, type ControlFrame, type FrameError } from '../protocol/parse-frame';
import { ApprovalError, getApprovalKey, invalidateApprovalKey } from './approval';
import { gateFor, recordConnect, type ConnectGate } from './connect-gate';
import { FrameErrorCounter } from './frame-errors';
import { resolveOptions, urlProblem, type ResolvedOptions } from './options';
import { approvalFailure, approvalTimeoutMs, ceilingWaitMs, decide, type Failure } from './policy';
import { Redactor } from './redact';
import type { PacedRequest } from './send-queue';
import { closedPromise, retire, textOf } from './socket';
import { SubscriptionWire, type WireHost } from './wire';
import {
  type KisSessionEvents,
  type KisSessionOptions,
  type RecordSink,
  type SessionFrameError,
  type SessionState,
  type SubscriptionHandle,
  type WaitKind,
} from './types';

export type { KisSessionEvents } from './types';
export type SessionLogLevel = 'debug' | 'info' | 'warn' | 'error';
export type SessionStateListener = (state: SessionState) => void;

/** PINGPONG intervals remembered per connection; the longest of them sets the dead figure. */
const CADENCE_SAMPLES = 3;
/** Dead = no message for this many times the observed PINGPONG cadence. */
const CADENCE_FACTOR = 1.5;
/** Longest close reason shown (after redaction). */
const MAX_REASON = 80;

export class KisSession {
  private _state: SessionState = { state: 'idle' };
  private readonly stateListeners = new Set<KisSessionEvents['state']>();
  private readonly frameErrorListeners = new Set<KisSessionEvents['frameError']>();
  private readonly o: ResolvedOptions;
  private readonly logSink: KisSessionOptions['log'];
  private readonly wire: SubscriptionWire;
  private readonly parser = new FrameParser();
  private readonly gate: ConnectGate;
  private readonly redactor: Redactor;
  private readonly frameErrors: FrameErrorCounter;

  private ws: WebSocket | null = null;
  /** Resolves when `ws` has closed. */
  private wsClosed: Promise<void> = Promise.resolve();
  /** Approval key of the current connection (memory only). */
  private approvalKey: string | null = null;
  /** Bumped whenever a connection is abandoned: callbacks of older connections do nothing. */
  private generation = 0;
  /** Failures since start() or the last healthy connection (the badge's retry count). */
  private retries = 0;
  private approvalTimeouts = 0;
  private running = false;
  private lastMessageAt = 0;
  private lastPingAt = 0;
  private pingGaps: number[] = [];
  private lastSocketError = '';
  private reconnectTimer: NodeJS.Timeout | null = null;
  private idleTimer: NodeJS.Timeout | null = null;
  private healthyTimer: NodeJS.Timeout | null = null;
  private approvalAbort: AbortController | null = null;
  private stopping: Promise<void> | null = null;
  private readonly loggedOnce = new Set<string>();

  constructor(options: KisSessionOptions) {
    this.o = resolveOptions(options);
    this.logSink = options.log;
    this.redactor = new Redactor([this.o.appKey, this.o.appSecret]);
    this.frameErrors = new FrameErrorCounter(this.o.frameErrorLogIntervalMs);
    this.gate = gateFor(this.o.restUrl, this.o.appKey, options.connectLedgerDir);
    this.wire = new SubscriptionWire(this.wireHost(), this.o);
    this.parser.onLayoutChange = (trId, known, seen) => this.log('info', `${trId}: KIS now sends ${seen} fields per record (${known} known); the extra ones arrive as FIELD_<n>`);
  }

  get state(): SessionState {
    return this._state;
  }

  on<E extends keyof KisSessionEvents>(event: E, listener: KisSessionEvents[E]): this {
    if (event === 'state') this.stateListeners.add(listener as KisSessionEvents['state']);
    else if (event === 'frameError') this.frameErrorListeners.add(listener as KisSessionEvents['frameError']);
    return this;
  }

  off<E extends keyof KisSessionEvents>(event: E, listener: KisSessionEvents[E]): this {
    if (event === 'state') this.stateListeners.delete(listener as KisSessionEvents['state']);
    else if (event === 'frameError') this.frameErrorListeners.delete(listener as KisSessionEvents['frameError']);
    return this;
  }

  /** Distinct (TR, code) registrations, i.e. KIS slots used or requested. */
  registrationCount(): number {
    return this.wire.size;
  }

  /** subscribe() calls currently holding a registration. */
  referenceCount(): number {
    return this.wire.references();
  }

  /** Messages the session could not use, per `kind|TR` (e.g. `no-key|H0STCNI0`), since it was created. */
  frameErrorCounts(): Record<string, number> {
    return this.frameErrors.counts();
  }

  /** The dead-connection figure in force now: from the observed PINGPONG cadence once known. */
  deadAfterMs(): number {
    if (this.pingGaps.length === 0) return this.o.idleTimeoutMs;
    return Math.max(this.o.minIdleTimeoutMs, Math.round(CADENCE_FACTOR * Math.max(...this.pingGaps)));
  }

  /**
   * Connect (idempotent): does nothing while connecting, connected or waiting to reconnect, and
   * never opens a second socket. After `failed` it starts over. After stop() it does nothing.
   */
  start(): void {
    if (this.stopping !== null || this.running) return;
    this.running = true;
    // The retry count starts over (a redeploy, or a restart after `failed`); the shared gate still
    // makes this attempt wait out the backoff and the ceiling of every session of this app key.
    this.retries = 0;
    this.setState({ state: 'connecting', attempt: 1 });
    void this.connect();
  }

  /**
   * Close with a close frame (destroyed after forceCloseMs without an answer), clear every timer
   * and listener, drop every registration. Idempotent; resolves when the socket is closed.
   */
  stop(): Promise<void> {
    if (this.stopping === null) this.stopping = this.shutdown();
    return this.stopping;
  }

  /**
   * Register `sink` for (trId, trKey). Refusals (bad code, TR not served by this server, the
   * registration limit, a definite OPSP refusal) reach `sink.onSubscriptionError`, always
   * asynchronously; a refused registration frees its slot and does not affect the others. An
   * unanswered subscribe is re-sent with backoff, never dropped.
   */
  subscribe(trId: string, trKey: string, sink: RecordSink): SubscriptionHandle {
    return this.wire.subscribe(trId, trKey, sink);
  }

  /** What the wire may do with this session: the only place it meets the socket and the approval key. */
  private wireHost(): WireHost {
    return {
      redactor: this.redactor,
      log: (level, text) => this.log(level, text),
      logOnce: (id, level, text) => this.logOnce(id, level, text),
      isOpen: () => this.isOpen(),
      isStopping: () => this.stopping !== null,
      send: (req) => this.sendRequest(req),
      setKey: (trId, key) => this.parser.setKey(trId, key),
      keyExpired: () => this.keyExpired(),
      appKeyInUse: () => this.appKeyInUse(),
    };
  }

  /** The wire's `send`: the only place the approval key goes into a message. */
  private sendRequest(req: PacedRequest): void {
    const ws = this.ws;
    const approvalKey = this.approvalKey;
    if (ws === null || approvalKey === null || ws.readyState !== WebSocket.OPEN) throw new Error('not connected');
    const fields = { approvalKey, custType: this.o.custType, trId: req.trId, trKey: req.trKey };
    ws.send(req.trType === '1' ? buildSubscribe(fields) : buildUnsubscribe(fields));
  }

  // ---- connection ------------------------------------------------------------------------

  private isOpen(): boolean {
    return this.ws !== null && this.ws.readyState === WebSocket.OPEN && this._state.state === 'connected';
  }

  private async connect(): Promise<void> {
    this.reconnectTimer = null;
    const gen = ++this.generation;
    // Break before make: no socket of this app key (ours or another session's) may still be open.
    while (this.gate.sockets.size > 0) {
      await Promise.all([...this.gate.sockets]);
      if (gen !== this.generation) return;
    }
    const problem = urlProblem(this.o.restUrl, this.o.wsUrl);
    if (problem !== null) return this.scheduleReconnect({ kind: 'config' }, problem, 'BAD_URL');
    const now = Date.now();
    const ceiling = ceilingWaitMs(this.gate.connects, now, this.o.policy.ceiling);
    const backoffWait = Math.max(this.gate.notBefore, this.gate.lastAttemptAt + this.o.policy.initialDelayMs) - now;
    if (ceiling.waitMs > 0 && ceiling.waitMs >= backoffWait) return this.waitForCeiling(ceiling.waitMs, ceiling.window ?? 'minute');
    if (backoffWait > 0) {
      // A session of this app key tried moments ago (redeploy) or is backing off: no tight loop.
      this.reconnectTimer = setTimeout(this.onReconnectTimer, backoffWait);
      return;
    }
    this.gate.lastAttemptAt = now;
    recordConnect(this.gate, now);
    const attempt = this.retries + 1;
    if (this._state.state !== 'connecting' || this._state.attempt !== attempt) this.setState({ state: 'connecting', attempt });
    const abort = new AbortController();
    this.approvalAbort = abort;
    let key: string;
    try {
      const timeoutMs = approvalTimeoutMs(this.o.approvalTimeoutMs, this.approvalTimeouts);
      key = await getApprovalKey({ restUrl: this.o.restUrl, appKey: this.o.appKey, appSecret: this.o.appSecret, timeoutMs, signal: abort.signal });
    } catch (err) {
      if (this.approvalAbort === abort) this.approvalAbort = null;
      if (gen === this.generation) this.approvalFailed(err);
      return;
    }
    this.redactor.remember(key);
    this.approvalTimeouts = 0;
    if (this.approvalAbort === abort) this.approvalAbort = null;
    if (gen !== this.generation) return;
    if (this.gate.sockets.size > 0) {
      // Another session of this key dialled while we waited for the approval key: wait for it.
      void this.connect();
      return;
    }
    this.openSocket(key, gen);
  }

  private readonly onReconnectTimer = (): void => {
    void this.connect();
  };

  /** The connect ceiling is reached: wait (shown in the state, logged once per wait). */
  private waitForCeiling(waitMs: number, window: 'minute' | 'hour'): void {
    const c = this.o.policy.ceiling;
    const limit = window === 'minute' ? `${c.perMinute} connects per minute` : `${c.perHour} connects per hour`;
    const reason = `connect ceiling reached (${limit} for this app key); next attempt in ${Math.ceil(waitMs / 1000)} s`;
    this.log('warn', reason);
    this.setState({ state: 'reconnecting', retry: this.retries, maxRetries: this.o.maxRetries, delayMs: waitMs, reason, code: 'CEILING', waiting: 'ceiling', lost: false });
    this.reconnectTimer = setTimeout(this.onReconnectTimer, waitMs);
  }

  private approvalFailed(err: unknown): void {
    const e = err instanceof ApprovalError ? err : new ApprovalError('network', `approval key request failed: ${err instanceof Error ? err.message : String(err)}`);
    if (e.kind === 'aborted') return;
    if (e.kind === 'timeout') this.approvalTimeouts++;
    const failure = approvalFailure({ ...(e.status !== undefined && { status: e.status }), ...(e.code !== undefined && { code: e.code }), ...(e.retryAfterMs !== undefined && { retryAfterMs: e.retryAfterMs }) }, this.o.policy);
    const code = e.code ?? (e.kind === 'bad-response' ? 'BAD_RESPONSE' : e.status !== undefined ? `HTTP ${e.status}` : e.kind === 'timeout' ? 'TIMEOUT' : 'NETWORK');
    const reason = e.code !== undefined ? `${egwInfo(e.code).en}: ${e.message}` : failure.kind === 'config' ? `${e.message}: is the REST URL right?` : e.message;
    this.scheduleReconnect(failure, reason, code);
  }

  private openSocket(approvalKey: string, gen: number): void {
    let ws: WebSocket;
    try {
      ws = new WebSocket(this.o.wsUrl, { handshakeTimeout: this.o.approvalTimeoutMs, perMessageDeflate: false });
    } catch (err) {
      this.scheduleReconnect({ kind: 'config' }, `invalid WebSocket URL: ${err instanceof Error ? err.message : String(err)}`, 'BAD_URL');
      return;
    }
    const closed = closedPromise(ws);
    this.gate.sockets.add(closed);
    void closed.then(() => this.gate.sockets.delete(closed));
    this.ws = ws;
    this.wsClosed = closed;
    this.approvalKey = approvalKey;
    this.lastSocketError = '';
    ws.on('open', () => {
      if (gen === this.generation) this.onOpen();
    });
    ws.on('message', (data, isBinary) => {
      if (gen !== this.generation) return;
      const text = textOf(data);
      if (isBinary) this.countFrameError({ type: 'error', code: 'binary', message: `a binary frame of ${text.length} characters (handled as UTF-8 text)` });
      this.onMessage(text);
    });
    ws.on('error', (err) => {
      if (gen === this.generation) this.lastSocketError = err.message;
    });
    ws.on('close', (code, reason) => {
      if (gen === this.generation) this.onSocketClosed(code, reason.toString('utf8'));
    });
  }

  private onOpen(): void {
    const now = Date.now();
    this.lastMessageAt = now;
    this.lastPingAt = 0;
    this.pingGaps = [];
    this.idleTimer = setTimeout(this.onIdleCheck, this.deadAfterMs());
    this.healthyTimer = setTimeout(this.onHealthy, this.o.policy.healthyAfterMs);
    // Restore every registration, in the order they were made, paced by the queue. Before the
    // state event: a listener that subscribes from inside it must not get a second request.
    const restored = this.wire.restoreAll();
    this.setState({ state: 'connected', registrations: restored });
  }

  /** The connection stayed up healthyAfterMs: the failure streak is over. */
  private readonly onHealthy = (): void => {
    this.healthyTimer = null;
    this.retries = 0;
    this.gate.streak = 0;
    this.gate.notBefore = 0;
  };

  /** The hot path: one parse, one branch, one dispatch. */
  private onMessage(text: string): void {
    const now = Date.now();
    this.lastMessageAt = now;
    const frame = this.parser.parse(text, now);
    switch (frame.type) {
      case 'data':
        this.wire.dispatch(frame);
        return;
      case 'pingpong':
        // Echo the text verbatim as a text frame (doc §3.2); never a ping/pong control frame.
        this.ws?.send(frame.raw);
        this.learnCadence(now);
        return;
      case 'control':
        this.onControl(frame);
        return;
      case 'error':
        this.countFrameError(frame);
        return;
    }
  }

  /** Remember the PINGPONG interval and re-arm the dead-connection check with the new figure. */
  private learnCadence(now: number): void {
    if (this.lastPingAt > 0) {
      this.pingGaps.push(now - this.lastPingAt);
      if (this.pingGaps.length > CADENCE_SAMPLES) this.pingGaps.shift();
    }
    this.lastPingAt = now;
    if (this.idleTimer !== null) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(this.onIdleCheck, this.deadAfterMs());
  }

  private onControl(ack: ControlFrame): void {
    // Connection-level answers, whichever request they belong to (so onSubscribeAck's verdicts for
    // these two codes are never reached from here; they call the same methods).
    if (ack.msgCd === 'OPSP0011') return this.keyExpired();
    if (ack.msgCd === 'OPSP8996') return this.appKeyInUse();
    if (this.wire.handleAck(ack)) return;
    this.countFrameError({ type: 'error', code: 'unmatched-ack', trId: ack.trId, message: `an answer ${this.redactor.code(ack.msgCd)} (${ack.trId || 'no tr_id'} ${ack.trKey || 'no tr_key'}) that matches no outstanding request` });
  }

  /** OPSP8996: another live session holds this app key (or KIS still holds our old slot). */
  private appKeyInUse(): void {
    this.dropConnection({ kind: 'in-use' }, 'another live session already uses this app key (KIS allows one)', 'OPSP8996');
  }

  private keyExpired(): void {
    // The approval key is unknown or expired: forget it and reconnect with a new one.
    invalidateApprovalKey(this.o.restUrl, this.o.appKey, this.approvalKey ?? undefined);
    this.dropConnection({ kind: 'key-expired' }, `${opspInfo('OPSP0011').en}; reconnecting with a new one`, 'OPSP0011');
  }

  /** Count, report (event) and log at a bounded rate a message the session could not use. */
  private countFrameError(e: FrameError | { type: 'error'; code: 'binary' | 'unmatched-ack'; message: string; trId?: string }): void {
    const message = this.redactor.shorten(e.message, 300);
    const tally = this.frameErrors.record(e.code, e.trId, message, Date.now());
    // 'no-key': encrypted frames before the new ack after a reconnect are expected.
    if (tally.logLine !== null) this.log(e.code === 'no-key' || e.code === 'unmatched-ack' ? 'debug' : 'warn', tally.logLine);
    if (this.frameErrorListeners.size === 0) return;
    const event = { ...e, message, ...(e.trId !== undefined && { trId: this.redactor.shorten(e.trId, 16) }), count: tally.count } as SessionFrameError;
    for (const listener of [...this.frameErrorListeners]) {
      try {
        listener(event);
      } catch (err) {
        this.log('error', `a frameError listener threw: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }

  private readonly onIdleCheck = (): void => {
    this.idleTimer = null;
    const silent = Date.now() - this.lastMessageAt;
    const deadAfter = this.deadAfterMs();
    if (silent < deadAfter) {
      this.idleTimer = setTimeout(this.onIdleCheck, deadAfter - silent);
      return;
    }
    const cadence = this.pingGaps.length > 0 ? ` (1.5 × the PINGPONG interval of ${Math.max(...this.pingGaps)} ms seen on this connection)` : '';
    this.dropConnection({ kind: 'transient' }, `nothing (data or PINGPONG) received for ${silent} ms${cadence}: connection presumed dead`, 'DEAD');
  };

  private onSocketClosed(code: number, reason: string): void {
    const opened = this._state.state === 'connected';
    const why = !opened
      ? `cannot connect to the KIS WebSocket${this.lastSocketError === '' ? '' : `: ${this.redactor.shorten(this.lastSocketError, MAX_REASON)}`}`
      : code === 1006
        ? 'connection lost without a close frame (1006)'
        : `connection closed by the server (${code}${reason === '' ? '' : ` ${this.redactor.shorten(reason, MAX_REASON)}`})`;
    this.dropConnection({ kind: 'transient' }, why, undefined);
  }

  /** Abandon the current connection (closing it cleanly if it is open) and schedule the next one. */
  private dropConnection(failure: Failure, reason: string, code: string | undefined): void {
    const lost = this._state.state === 'connected';
    this.detach();
    this.scheduleReconnect(failure, reason, code, lost);
  }

  /** Forget everything tied to the current connection. */
  private detach(): void {
    this.generation++;
    if (this.idleTimer !== null) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    if (this.healthyTimer !== null) clearTimeout(this.healthyTimer);
    this.healthyTimer = null;
    this.wire.detach();
    this.parser.clearKeys(); // new acks bring new keys (doc §6.5)
    const ws = this.ws;
    this.ws = null;
    this.approvalKey = null;
    if (ws !== null) retire(ws, this.wsClosed, this.o.forceCloseMs);
  }

  private scheduleReconnect(failure: Failure, reason: string, code: string | undefined, lost = false): void {
    if (this.stopping !== null || !this.running) return;
    this.retries++;
    const streak = ++this.gate.streak;
    const decision = decide(failure, streak, this.o.policy);
    const shownCode = code === undefined ? undefined : this.redactor.code(code);
    if (decision.action === 'stop') {
      this.running = false;
      this.setState({ state: 'failed', reason: `${reason} (not retried: a configuration error; fix it and deploy again)`, ...(shownCode !== undefined && { code: shownCode }), cause: 'config' });
      return;
    }
    const max = this.o.maxRetries;
    if (max > 0 && this.retries > max) {
      this.running = false;
      this.setState({ state: 'failed', reason: `${reason} (gave up after ${max} ${max === 1 ? 'retry' : 'retries'})`, ...(shownCode !== undefined && { code: shownCode }), cause: 'retries' });
      return;
    }
    const delay = decision.delayMs;
    this.gate.notBefore = Date.now() + delay;
    const waiting: WaitKind = failure.kind === 'rate-limit' ? 'rate-limit' : failure.kind === 'in-use' ? 'in-use' : 'backoff';
    this.setState({ state: 'reconnecting', retry: this.retries, maxRetries: max, delayMs: delay, reason, ...(shownCode !== undefined && { code: shownCode }), waiting, lost });
    this.reconnectTimer = setTimeout(this.onReconnectTimer, delay);
  }

  private async shutdown(): Promise<void> {
    this.running = false;
    if (this.reconnectTimer !== null) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    this.approvalAbort?.abort();
    this.approvalAbort = null;
    const closed = this.ws !== null ? this.wsClosed : null;
    this.detach();
    if (closed !== null) await closed;
    this.wire.clear();
    this.setState({ state: 'closed' });
    this.stateListeners.clear();
    this.frameErrorListeners.clear();
  }

  // ---- state and logs --------------------------------------------------------------------

  private setState(next: SessionState): void {
    const s: SessionState = 'reason' in next ? { ...next, reason: this.shownReason(next.reason, next.code) } : next;
    this._state = s;
    this.logState(s);
    for (const listener of [...this.stateListeners]) {
      try {
        listener(s);
      } catch (err) {
        this.log('error', `a state listener threw: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }

  /** Redacted, and never starting with the code the state carries anyway (no `OPSP8996 OPSP8996`). */
  private shownReason(reason: string, code: string | undefined): string {
    const safe = this.redactor.redact(reason);
    return code !== undefined && safe.startsWith(`${code} `) ? safe.slice(code.length + 1) : safe;
  }

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
        this.log('debug', `${s.code !== undefined ? `${s.code} ` : ''}${s.reason}; reconnecting in ${Math.round(s.delayMs)} ms (retry ${s.retry}${s.maxRetries > 0 ? ` of ${s.maxRetries}` : ''})`);
        return;
      case 'failed':
        this.log('debug', `connection failed: ${s.code !== undefined ? `${s.code} ` : ''}${s.reason}`);
        return;
      case 'closed':
        this.log('debug', 'closed');
        return;
      case 'idle':
        return;
    }
  }

  private log(level: SessionLogLevel, text: string): void {
    if (this.logSink === undefined) return;
    try {
      this.logSink(level, this.redactor.redact(text));
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

