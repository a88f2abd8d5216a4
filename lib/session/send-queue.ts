/**
 * Paced subscription requests (doc §6.3): at most one request per `pacingMs`, the next one sent
 * without waiting for the previous ack, each ack matched to its request by (tr_id, tr_key) in
 * request order (doc §3.1), and a timeout for an ack that never comes.
 *
 * The queue never sees the approval key: it hands each request back to `send`, which builds the
 * text with the key of the current connection.
 */
import type { TrType } from '../protocol/messages';
import type { ControlFrame } from '../protocol/parse-frame';

export interface PacedRequest {
  readonly trType: TrType;
  readonly trId: string;
  readonly trKey: string;
  /** The ack for this request arrived. */
  onAck(ack: ControlFrame): void;
  /** No ack within `ackTimeoutMs` of sending. */
  onAckTimeout(): void;
}

export interface PacedSendQueueOptions {
  readonly pacingMs: number;
  readonly ackTimeoutMs: number;
  /** Put the request on the wire. Throwing counts as sent (the socket is going away anyway). */
  readonly send: (request: PacedRequest) => void;
  /** Monotonic clock in ms (default performance.now). */
  readonly now?: () => number;
}

interface Pending {
  readonly request: PacedRequest;
  readonly timer: NodeJS.Timeout;
}

function ackId(trId: string, trKey: string): string {
  return `${trId}|${trKey}`;
}

export class PacedSendQueue {
  private readonly waiting: PacedRequest[] = [];
  /** Sent, ack outstanding: per (tr_id, tr_key), oldest first. */
  private readonly pending = new Map<string, Pending[]>();
  private pendingCount = 0;
  private lastSentAt = -Infinity;
  private pump: NodeJS.Timeout | null = null;
  private readonly now: () => number;

  constructor(private readonly options: PacedSendQueueOptions) {
    this.now = options.now ?? (() => performance.now());
  }

  /** Requests not yet sent. */
  get queued(): number {
    return this.waiting.length;
  }

  /** Requests sent whose ack is outstanding. */
  get awaitingAck(): number {
    return this.pendingCount;
  }

  enqueue(request: PacedRequest): void {
    this.waiting.push(request);
    this.schedule();
  }

  /**
   * Drop a request that has not been sent yet (a subscribe whose last sink left before it went
   * out). Returns false when it was already sent.
   */
  withdraw(request: PacedRequest): boolean {
    const i = this.waiting.indexOf(request);
    if (i < 0) return false;
    this.waiting.splice(i, 1);
    return true;
  }

  /** Whether this request is still waiting to be sent. */
  isQueued(request: PacedRequest): boolean {
    return this.waiting.includes(request);
  }

  /**
   * Match an ack to the oldest outstanding request for its (tr_id, tr_key). An ack that echoes no
   * tr_key (a server-side parse error) matches nothing: charging it to whichever request happens
   * to be waiting would refuse the wrong registration. Returns false when nothing was waiting for it.
   */
  handleAck(ack: ControlFrame): boolean {
    const id = ackId(ack.trId, ack.trKey);
    const list = this.pending.get(id);
    const entry = list?.shift();
    if (list === undefined || entry === undefined) return false;
    if (list.length === 0) this.pending.delete(id);
    this.pendingCount--;
    clearTimeout(entry.timer);
    entry.request.onAck(ack);
    return true;
  }

  /** Forget everything, without callbacks (the connection is gone; the session re-sends). */
  clear(): void {
    this.waiting.length = 0;
    for (const list of this.pending.values()) for (const p of list) clearTimeout(p.timer);
    this.pending.clear();
    this.pendingCount = 0;
    if (this.pump !== null) clearTimeout(this.pump);
    this.pump = null;
  }

  private schedule(): void {
    if (this.pump !== null || this.waiting.length === 0) return;
    const wait = this.lastSentAt + this.options.pacingMs - this.now();
    if (wait <= 0) {
      this.sendNext();
      return;
    }
    // +1: timers may fire a fraction of a millisecond early relative to performance.now().
    this.pump = setTimeout(this.onPump, Math.ceil(wait) + 1);
  }

  private readonly onPump = (): void => {
    this.pump = null;
    this.sendNext();
  };

  private sendNext(): void {
    const request = this.waiting.shift();
    if (request === undefined) return;
    this.lastSentAt = this.now();
    const id = ackId(request.trId, request.trKey);
    const entry: Pending = { request, timer: setTimeout(() => this.expire(id, entry), this.options.ackTimeoutMs) };
    const list = this.pending.get(id);
    if (list === undefined) this.pending.set(id, [entry]);
    else list.push(entry);
    this.pendingCount++;
    try {
      this.options.send(request);
    } catch {
      // The socket is going away; the session re-sends everything after it reconnects.
    }
    this.schedule();
  }

  private expire(id: string, entry: Pending): void {
    const list = this.pending.get(id);
    const i = list === undefined ? -1 : list.indexOf(entry);
    if (list === undefined || i < 0) return;
    list.splice(i, 1);
    if (list.length === 0) this.pending.delete(id);
    this.pendingCount--;
    entry.request.onAckTimeout();
  }
}
