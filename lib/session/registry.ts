/**
 * Reference-counted (TR, code) registrations: every sink that wants 005930 ticks shares one
 * registration, i.e. one KIS slot (doc §6.1); the registration goes when its last sink goes.
 * Dispatch of a parsed record is two map lookups (TR, then the record's own key field) and a
 * method call per sink: no closure, no string building per frame.
 */
import type { ControlFrame, DataFrame } from '../protocol/parse-frame';
import type { KisRecord } from '../protocol/record-parser';
import { TR_TABLES, type TrId, type TrTable } from '../protocol/tr-tables';
import type { PacedRequest } from './send-queue';
import type { RecordSink } from './types';

/** Where a registration stands on the current connection. */
export type WireState = 'pending' | 'sent' | 'live';

export class Registration {
  readonly table: TrTable;
  /**
   * One entry per subscribe() that holds this registration (its reference count). Replaced, never
   * mutated, so a sink that unsubscribes from inside onRecord does not disturb the running loop.
   */
  sinks: readonly RecordSink[] = [];
  wire: WireState = 'pending';
  /** The subscribe request queued or awaiting its ack on this connection. */
  request: PacedRequest | null = null;
  /** The last OPSP0000/0002 ack, for sinks that join a live registration. */
  lastAck: ControlFrame | null = null;
  /** Re-sends after retryable OPSP errors on this registration. */
  retries = 0;
  /** Subscribes of this registration that got no ack in time (reset by a success ack). */
  ackTimeouts = 0;
  /** The re-send after an ack timeout, waiting out its backoff. */
  retryTimer: NodeJS.Timeout | null = null;
  /** A subscribe went unanswered on this connection: KIS may hold it, so a release unsubscribes. */
  maybeOnServer = false;

  constructor(
    readonly trId: TrId,
    readonly trKey: string,
  ) {
    this.table = TR_TABLES[trId];
  }
}

export type AddResult = { readonly registration: Registration; readonly created: boolean } | { readonly limit: number };

export class SubscriptionRegistry {
  private readonly byTr = new Map<string, Map<string, Registration>>();
  /** Every registration in the order it was created: the order they are restored in. */
  private readonly order = new Set<Registration>();

  /** Called when a sink throws; dispatch goes on with the next sink. */
  onSinkError: ((err: unknown, registration: Registration) => void) | null = null;

  constructor(readonly maxRegistrations: number) {}

  /** Registrations (distinct (TR, code) pairs), i.e. KIS slots in use or requested. */
  get size(): number {
    return this.order.size;
  }

  get(trId: string, trKey: string): Registration | undefined {
    return this.byTr.get(trId)?.get(trKey);
  }

  /** Every registration, oldest first. */
  all(): Registration[] {
    return [...this.order];
  }

  /** Total references (sinks) over all registrations. */
  references(): number {
    let n = 0;
    for (const r of this.order) n += r.sinks.length;
    return n;
  }

  /**
   * Add one reference. Joins the existing registration of (trId, trKey), or creates one when a
   * slot is free; `{ limit }` when all `maxRegistrations` slots are taken.
   */
  add(trId: TrId, trKey: string, sink: RecordSink): AddResult {
    let codes = this.byTr.get(trId);
    const existing = codes?.get(trKey);
    if (existing !== undefined) {
      existing.sinks = [...existing.sinks, sink];
      return { registration: existing, created: false };
    }
    if (this.order.size >= this.maxRegistrations) return { limit: this.maxRegistrations };
    const registration = new Registration(trId, trKey);
    registration.sinks = [sink];
    if (codes === undefined) {
      codes = new Map();
      this.byTr.set(trId, codes);
    }
    codes.set(trKey, registration);
    this.order.add(registration);
    return { registration, created: true };
  }

  /**
   * Drop one reference of `sink`. Returns true when that was the last one: the registration is
   * then removed (its slot is free) and the caller unsubscribes it on the wire.
   */
  removeSink(registration: Registration, sink: RecordSink): boolean {
    const i = registration.sinks.indexOf(sink);
    if (i < 0 || !this.order.has(registration)) return false;
    registration.sinks = registration.sinks.filter((_, j) => j !== i);
    if (registration.sinks.length > 0) return false;
    this.delete(registration);
    return true;
  }

  /** Remove a registration with all its sinks (refused by KIS, or the session closed). */
  delete(registration: Registration): void {
    if (!this.order.delete(registration)) return;
    const codes = this.byTr.get(registration.trId);
    codes?.delete(registration.trKey);
    if (codes?.size === 0) this.byTr.delete(registration.trId);
  }

  has(registration: Registration): boolean {
    return this.order.has(registration);
  }

  clear(): void {
    this.byTr.clear();
    this.order.clear();
  }

  /**
   * Hand every record of a frame to the sinks of its registration. Market data is routed by the
   * record's key field (the stock code); 체결통보 frames carry no tr_key and their records the
   * customer id rather than the subscribed HTS ID verbatim, so they go to every registration of
   * their TR (normally one). Returns the number of records delivered to at least one sink.
   */
  dispatch(frame: DataFrame): number {
    const codes = this.byTr.get(frame.trId);
    if (codes === undefined) return 0;
    const records = frame.records;
    let delivered = 0;
    if (frame.table.kind === 'notice') {
      let first = true;
      for (const registration of codes.values()) {
        for (let i = 0; i < records.length; i++) this.deliver(registration, records[i] as KisRecord, frame, first);
        first = false;
      }
      return codes.size > 0 ? records.length : 0;
    }
    const keyField = frame.table.keyField;
    for (let i = 0; i < records.length; i++) {
      const record = records[i] as KisRecord;
      const code = record[keyField];
      if (typeof code !== 'string') continue;
      const registration = codes.get(code);
      if (registration === undefined) continue;
      this.deliver(registration, record, frame, true);
      delivered++;
    }
    return delivered;
  }

  /**
   * Every sink gets a record object of its own (the parsed one for the first sink of a record, a
   * shallow copy for any further one), so a flow that changes its msg.payload never changes
   * another flow's. The common case, one sink per code, copies nothing.
   */
  private deliver(registration: Registration, record: KisRecord, frame: DataFrame, firstOwner: boolean): void {
    const sinks = registration.sinks;
    for (let j = 0; j < sinks.length; j++) {
      try {
        (sinks[j] as RecordSink).onRecord(firstOwner && j === 0 ? record : { ...record }, frame);
      } catch (err) {
        this.onSinkError?.(err, registration);
      }
    }
  }
}
