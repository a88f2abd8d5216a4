/**
 * The registrations of one session on the wire: who wants which (TR, code), the paced subscribe
 * and unsubscribe requests, their acks (in time or late), re-sends after a timeout or a retryable
 * answer, definite refusals, and the restore of every registration on a new connection. It knows
 * nothing of sockets or approval keys: the session (session.ts) puts requests on the wire and says
 * when a connection opens and goes (docs/protocol/session.md).
 */
import type { AesKey } from '../protocol/crypto';
import { describeOpsp, opspInfo } from '../protocol/opsp';
import type { ControlFrame, DataFrame } from '../protocol/parse-frame';
import { TR_TABLES, type TrId } from '../protocol/tr-tables';
import { ackRetryDelayMs, subscribeAckVerdict, type PolicyOptions } from './policy';
import type { Redactor } from './redact';
import { SubscriptionRegistry, type Registration } from './registry';
import { PacedSendQueue, type PacedRequest } from './send-queue';
import type { SessionLogLevel } from './session';
import { Handle, refusalOf } from './subscriptions';
import { CLIENT_ERROR_CODES, type RecordSink, type SubscriptionError, type SubscriptionHandle } from './types';

/** Re-sends of one subscribe after retryable OPSP errors (OPSP0007, 0009, 8999 …). */
const MAX_RETRYABLE_RESENDS = 2;

/** What the wire needs of its session. */
export interface WireHost {
  readonly redactor: Redactor;
  log(level: SessionLogLevel, text: string): void;
  logOnce(id: string, level: SessionLogLevel, text: string): void;
  /** A connection is up and connected: requests may go out now. */
  isOpen(): boolean;
  /** stop() was called: every new subscribe is refused. */
  isStopping(): boolean;
  /** Put one request on the wire with the connection's approval key; throws when there is none. */
  send(request: PacedRequest): void;
  /** The AES key and iv of an encrypted TR, from its subscribe ack. */
  setKey(trId: TrId, key: AesKey): void;
  /** Connection-level verdicts of an ack (OPSP0011 the approval key, OPSP8996 the app key in use). */
  keyExpired(): void;
  appKeyInUse(): void;
}

export interface WireOptions {
  readonly maxRegistrations: number;
  readonly pacingMs: number;
  readonly ackTimeoutMs: number;
  readonly server: 'real' | 'paper' | undefined;
  readonly policy: PolicyOptions;
}

export class SubscriptionWire {
  private readonly registry: SubscriptionRegistry;
  private readonly queue: PacedSendQueue;

  constructor(
    private readonly host: WireHost,
    private readonly o: WireOptions,
  ) {
    this.registry = new SubscriptionRegistry(o.maxRegistrations);
    this.registry.onSinkError = (err, r) => host.logOnce(`sink:${r.trId}|${r.trKey}`, 'error', `a listener of ${r.trId} ${r.trKey} threw: ${err instanceof Error ? err.message : String(err)}`);
    this.queue = new PacedSendQueue({ pacingMs: o.pacingMs, ackTimeoutMs: o.ackTimeoutMs, send: (req) => this.sendRequest(req) });
  }

  /** Distinct (TR, code) registrations, i.e. KIS slots used or requested. */
  get size(): number {
    return this.registry.size;
  }

  /** subscribe() calls currently holding a registration. */
  references(): number {
    return this.registry.references();
  }

  /** KisSession.subscribe: see there. */
  subscribe(trId: string, trKey: string, sink: RecordSink): SubscriptionHandle {
    // The key of a 체결통보 registration is the user's HTS ID: a secret for every text from here on
    // (whichever config's log this session writes to; a shared session may serve several).
    if (TR_TABLES[trId as TrId]?.keyType === 'hts-id') this.host.redactor.remember(trKey);
    const refusal = this.host.isStopping() ? { code: CLIENT_ERROR_CODES.SESSION_CLOSED, message: 'the KIS session is closed' } : refusalOf(trId, trKey, this.o.server);
    if (refusal !== null) return this.refuseNew(trId, trKey, sink, refusal.code, refusal.message);
    const tr = trId as Registration['trId'];
    const added = this.registry.add(tr, trKey, sink);
    if ('limit' in added) {
      return this.refuseNew(trId, trKey, sink, CLIENT_ERROR_CODES.LIMIT,
        `registration limit reached: KIS allows ${added.limit} (TR, code) registrations per app key session and all are in use`);
    }
    const r = added.registration;
    if (added.created) {
      if (this.host.isOpen()) this.sendSubscribe(r);
    } else if (r.wire === 'live' && r.lastAck !== null && sink.onSubscribed !== undefined) {
      const ack = r.lastAck;
      queueMicrotask(() => {
        if (this.registry.has(r) && r.sinks.includes(sink)) this.callSink(() => sink.onSubscribed?.(r.trId, r.trKey, ack));
      });
    }
    return new Handle(this.releaseRef, r, sink, tr, trKey);
  }

  /** A data frame to the sinks of its registration (the hot path). */
  dispatch(frame: DataFrame): void {
    this.registry.dispatch(frame);
  }

  /** A new connection: every registration again, in the order they were made, paced. Returns how many. */
  restoreAll(): number {
    const restore = this.registry.all();
    for (const r of restore) this.sendSubscribe(r);
    return restore.length;
  }

  /**
   * An ack: the answer to an outstanding request, or a late answer after a timeout (accepted).
   * False when it answers nothing (the session counts it as an unmatched ack).
   */
  handleAck(ack: ControlFrame): boolean {
    if (this.queue.handleAck(ack)) return true;
    // An error ack without tr_key is charged to nobody.
    const r = ack.trKey === '' ? undefined : this.registry.get(ack.trId, ack.trKey);
    if (r !== undefined && r.request === null && r.wire !== 'live' && ack.msgCd !== 'OPSP0001' && ack.msgCd !== 'OPSP0003') {
      this.host.log('info', `subscribe ${r.trId} ${r.trKey}: late answer ${this.host.redactor.code(ack.msgCd)} accepted`);
      this.onSubscribeAck(r, ack);
      return true;
    }
    return false;
  }

  /** The connection went: nothing is on the wire any more; every registration waits for the next one. */
  detach(): void {
    this.queue.clear();
    for (const r of this.registry.all()) {
      r.wire = 'pending';
      r.request = null;
      r.maybeOnServer = false;
      this.clearRetry(r);
    }
  }

  /** stop(): every registration goes (after detach). */
  clear(): void {
    this.registry.clear();
  }

  // ---- internals ----

  private refuseNew(trId: string, trKey: string, sink: RecordSink, code: string, message: string): SubscriptionHandle {
    const redactor = this.host.redactor;
    const error: SubscriptionError = { trId: redactor.code(trId), trKey: redactor.shorten(trKey, 20), code, message: redactor.redact(message) };
    // debug only: the sink reports the refusal itself (a node's node.error, under its own name); on a shared
    // session this log would name whichever config owns the session, not the one the node uses.
    this.host.log('debug', `subscription ${error.trId} ${error.trKey} refused: ${error.message}`);
    queueMicrotask(() => this.callSink(() => sink.onSubscriptionError(error)));
    return new Handle(this.releaseRef, null, sink, trId as Registration['trId'], trKey);
  }

  /** Handle.unsubscribe() calls this (one function per wire, not per subscription). */
  private readonly releaseRef = (r: Registration, sink: RecordSink): void => this.release(r, sink);

  private release(r: Registration, sink: RecordSink): void {
    if (!this.registry.removeSink(r, sink)) return;
    this.clearRetry(r);
    const req = r.request;
    r.request = null;
    if (req !== null && this.queue.withdraw(req) && !r.maybeOnServer) return; // its subscribe never went out
    if (r.wire === 'pending' && req === null && !r.maybeOnServer) return; // not on the wire on this connection
    r.wire = 'pending';
    if (!this.host.isOpen()) return;
    this.queue.enqueue({
      trType: '2',
      trId: r.trId,
      trKey: r.trKey,
      onAck: (ack) => {
        if (ack.msgCd !== 'OPSP0001' && ack.msgCd !== 'OPSP0003') this.host.log('warn', `unsubscribe ${r.trId} ${r.trKey}: ${describeOpsp(this.host.redactor.code(ack.msgCd))}`);
      },
      onAckTimeout: () => this.host.log('debug', `unsubscribe ${r.trId} ${r.trKey}: no ack within ${this.o.ackTimeoutMs} ms`),
    });
  }

  private sendSubscribe(r: Registration): void {
    this.clearRetry(r);
    const req: PacedRequest = {
      trType: '1',
      trId: r.trId,
      trKey: r.trKey,
      onAck: (ack) => {
        if (r.request === req) this.onSubscribeAck(r, ack);
      },
      onAckTimeout: () => {
        if (r.request === req) this.onSubscribeTimeout(r);
      },
    };
    r.request = req;
    r.wire = 'pending';
    this.queue.enqueue(req);
  }

  /** PacedSendQueue's `send`. */
  private sendRequest(req: PacedRequest): void {
    this.host.send(req);
    if (req.trType === '1') {
      const r = this.registry.get(req.trId, req.trKey);
      if (r !== undefined && r.request === req) r.wire = 'sent';
    }
  }

  /** The answer to a subscribe of `r` (in time, or late after a timeout). */
  private onSubscribeAck(r: Registration, ack: ControlFrame): void {
    r.request = null;
    this.clearRetry(r);
    const code = ack.msgCd;
    switch (subscribeAckVerdict(code)) {
      case 'live': {
        if (ack.aes !== null) this.host.setKey(r.trId, ack.aes);
        const wasLive = r.wire === 'live';
        r.wire = 'live';
        r.lastAck = ack;
        r.retries = 0;
        r.ackTimeouts = 0;
        r.maybeOnServer = false;
        if (!wasLive) for (const sink of r.sinks) if (sink.onSubscribed !== undefined) this.callSink(() => sink.onSubscribed?.(r.trId, r.trKey, ack));
        return;
      }
      case 'new-key':
        this.host.keyExpired();
        return;
      case 'in-use':
        this.host.appKeyInUse();
        return;
      case 'resend':
        if (r.retries < MAX_RETRYABLE_RESENDS) {
          r.retries++;
          this.host.log('warn', `subscribe ${r.trId} ${r.trKey}: ${describeOpsp(code)}; sending it again`);
          this.sendSubscribe(r);
          return;
        }
        this.refuse(r, code, opspInfo(code).en);
        return;
      case 'refuse':
        this.refuse(r, this.host.redactor.code(code), opspInfo(code, ack.msg1).en);
        return;
    }
  }

  /** No ack in time: KIS may answer late or not at all. Re-send with backoff, never forget it. */
  private onSubscribeTimeout(r: Registration): void {
    r.request = null;
    r.wire = 'pending';
    r.ackTimeouts++;
    r.maybeOnServer = true;
    const delay = ackRetryDelayMs(r.ackTimeouts, this.o.policy);
    this.host.log(r.ackTimeouts === 1 ? 'warn' : 'debug', `subscribe ${r.trId} ${r.trKey}: no ack within ${this.o.ackTimeoutMs} ms; sending it again in ${delay} ms (a late answer is still accepted)`);
    r.retryTimer = setTimeout(() => {
      r.retryTimer = null;
      if (this.registry.has(r) && this.host.isOpen() && r.request === null && r.wire !== 'live') this.sendSubscribe(r);
    }, delay);
  }

  private clearRetry(r: Registration): void {
    if (r.retryTimer !== null) clearTimeout(r.retryTimer);
    r.retryTimer = null;
  }

  /** Drop a registration and tell each of its sinks why (a definite refusal only). */
  private refuse(r: Registration, code: string, message: string): void {
    if (!this.registry.has(r)) return;
    this.registry.delete(r);
    this.clearRetry(r);
    r.request = null;
    const redactor = this.host.redactor;
    const error: SubscriptionError = { trId: r.trId, trKey: redactor.redact(r.trKey), code, message: redactor.redact(message) };
    this.host.log('debug', `subscription ${r.trId} ${r.trKey} refused: ${code} ${error.message}`); // the sinks report it (see refuseNew)
    for (const sink of r.sinks) this.callSink(() => sink.onSubscriptionError(error));
  }

  private callSink(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.host.log('error', `a subscription listener threw: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}
