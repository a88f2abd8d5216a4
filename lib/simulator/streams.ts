/**
 * Sending the records of the subscriptions: pacing per feed, batching into multi-record frames,
 * encryption where the TR is encrypted, backpressure, and the counts behind stats().
 */
import { performance } from 'node:perf_hooks';
import type { WebSocket } from 'ws';
import { encryptPayload, type AesKey } from '../protocol/crypto';
import type { TrId, TrTable } from '../protocol/tr-tables';
import type { MarketClock } from './clock';
import type { Feed } from './families';
import type { SimulatorOptions } from './types';

export interface Subscription {
  readonly trId: TrId;
  readonly trKey: string;
  readonly table: TrTable;
  readonly feed: Feed;
  /** `trId|trKey`, the stats key. */
  readonly statKey: string;
  /** Records owed but not yet sent (fractional accumulation of the rate or interval). */
  due: number;
}

/** What the streamer needs of a session. */
export interface StreamTarget {
  readonly ws: WebSocket;
  /** AES key/iv per TR id, issued on the first subscribe of that TR on this socket. */
  readonly aes: ReadonlyMap<TrId, AesKey>;
}

function pad3(n: number): string {
  return n < 10 ? '00' + n : n < 100 ? '0' + n : String(n);
}

export class Streamer {
  defaultRate: number;
  readonly rates = new Map<string, number>();
  readonly recordsSent = new Map<string, number>();
  totalRecordsSent = 0;
  framesSent = 0;
  recordsSkipped = 0;

  constructor(
    rate: number,
    rates: Readonly<Record<string, number>>,
    private readonly maxBatch: number,
    private readonly maxBufferedBytes: number,
    private readonly noticeIntervalMs: number,
    private readonly onFrameSent: SimulatorOptions['onFrameSent'],
  ) {
    this.defaultRate = rate;
    for (const [code, r] of Object.entries(rates)) this.rates.set(code, r);
  }

  /** Send what `sub` owes after `dt` ms. */
  pump(s: StreamTarget, sub: Subscription, dt: number, clock: MarketClock): void {
    const pace = sub.feed.pace;
    if (pace === 'interval') {
      if (this.noticeIntervalMs <= 0) return;
      sub.due += dt / this.noticeIntervalMs;
      if (sub.due < 1) return;
      sub.due -= 1;
      this.sendOne(s, sub, clock);
      return;
    }
    sub.due += ((this.rates.get(sub.trKey) ?? this.defaultRate) * dt) / 1000;
    const n = Math.floor(sub.due);
    if (n <= 0) return;
    sub.due -= n;
    if (s.ws.bufferedAmount > this.maxBufferedBytes) {
      this.recordsSkipped += n;
      return;
    }
    this.sendBatches(s, sub, n, clock);
  }

  /** Up to `n` records of the feed, `maxBatch` per frame; stops at the first null. */
  private sendBatches(s: StreamTarget, sub: Subscription, n: number, clock: MarketClock): void {
    const table = sub.table;
    const head = (table.encrypted ? '1|' : '0|') + table.trId + '|';
    let sent = 0;
    while (n > 0) {
      const batch = Math.min(n, this.maxBatch);
      let payload = '';
      let count = 0;
      for (let i = 0; i < batch; i++) {
        const rec = sub.feed.next(clock);
        if (rec === null) break;
        payload = count === 0 ? rec : payload + '^' + rec;
        count++;
      }
      n -= batch;
      if (count === 0) break; // nothing to send now: nothing more is owed
      if (!this.sendFrame(s, sub, head, count, payload)) break;
      sent += count;
      if (count < batch) break;
    }
    if (sent > 0) this.countRecords(sub.statKey, sent);
  }

  /** One record now, whatever the pace (체결통보 on demand). */
  sendOne(s: StreamTarget, sub: Subscription, clock: MarketClock): boolean {
    const rec = sub.feed.next(clock);
    if (rec === null) return false;
    const head = (sub.table.encrypted ? '1|' : '0|') + sub.trId + '|';
    if (!this.sendFrame(s, sub, head, 1, rec)) return false;
    this.countRecords(sub.statKey, 1);
    return true;
  }

  private sendFrame(s: StreamTarget, sub: Subscription, head: string, count: number, payload: string): boolean {
    let body = payload;
    if (sub.table.encrypted) {
      const aes = s.aes.get(sub.trId);
      if (aes === undefined) return false;
      body = encryptPayload(payload, aes);
    }
    s.ws.send(head + pad3(count) + '|' + body);
    this.framesSent++;
    if (this.onFrameSent !== undefined) this.onFrameSent(sub.trId, sub.trKey, count, performance.now());
    return true;
  }

  private countRecords(statKey: string, n: number): void {
    this.recordsSent.set(statKey, (this.recordsSent.get(statKey) ?? 0) + n);
    this.totalRecordsSent += n;
  }
}
