/**
 * What the order-book widget shows, kept on the server: the latest 호가 (10 levels each side) and the
 * last 체결 of one code. Pure; the widget node sends a snapshot of it at a bounded rate, so the
 * browser gets at most a few updates a second however fast the book changes.
 */
import type { FieldValue } from '../../lib/protocol/record-parser';
import { sideOf, type TradeSide } from '../../lib/bars/trade';
import { CodeView } from './code-view';

export const BOOK_LEVELS = 10;

export interface BookLevel {
  p: number;
  q: number;
}

export interface LastTrade {
  price: number;
  qty: number;
  side: TradeSide;
  /** HHMMSS KST (KIS's own clock). */
  time: string;
  change: number | null;
  rate: number | null;
}

/** msg.payload the browser gets. */
export interface OrderBookPayload {
  code: string;
  /** HHMMSS KST of the book (BSOP_HOUR). */
  time: string;
  asks: BookLevel[];
  bids: BookLevel[];
  totalAsk: number;
  totalBid: number;
  prevClose: number | null;
  last: LastTrade | null;
}

type Fields = Record<string, FieldValue | undefined>;

const num = (v: FieldValue | undefined): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
const ASK_P = Array.from({ length: BOOK_LEVELS }, (_, i) => `ASKP${i + 1}`);
const BID_P = Array.from({ length: BOOK_LEVELS }, (_, i) => `BIDP${i + 1}`);
const ASK_Q = Array.from({ length: BOOK_LEVELS }, (_, i) => `ASKP_RSQN${i + 1}`);
const BID_Q = Array.from({ length: BOOK_LEVELS }, (_, i) => `BIDP_RSQN${i + 1}`);

export class OrderBookView extends CodeView {
  private book: Omit<OrderBookPayload, 'last' | 'prevClose'> | null = null;
  private last: LastTrade | null = null;
  private prevClose: number | null = null;
  private dirty = false;

  protected clear(): void {
    this.book = null;
    this.last = null;
    this.prevClose = null;
    this.dirty = false;
  }

  /** Take a kis-quote or kis-tick msg. Returns whether what the widget shows changed. */
  accept(topic: unknown, payload: unknown): boolean {
    if (typeof payload !== 'object' || payload === null) return false;
    const p = payload as Fields;
    const code = typeof p.MKSC_SHRN_ISCD === 'string' ? p.MKSC_SHRN_ISCD : typeof topic === 'string' ? topic : '';
    if (!this.admits(code)) return false;
    let changed = false;
    if (p.STCK_PRPR !== undefined && p.CNTG_VOL !== undefined) changed = this.acceptTick(p);
    else if (p.ASKP1 !== undefined && p.BIDP1 !== undefined && p.ASKP_RSQN1 !== undefined) changed = this.acceptQuote(code, p);
    if (changed) this.dirty = true;
    return changed;
  }

  private acceptQuote(code: string, p: Fields): boolean {
    const asks: BookLevel[] = [];
    const bids: BookLevel[] = [];
    for (let i = 0; i < BOOK_LEVELS; i++) {
      asks.push({ p: num(p[ASK_P[i]!]), q: num(p[ASK_Q[i]!]) });
      bids.push({ p: num(p[BID_P[i]!]), q: num(p[BID_Q[i]!]) });
    }
    const time = typeof p.BSOP_HOUR === 'string' ? p.BSOP_HOUR : '';
    this.book = { code, time, asks, bids, totalAsk: num(p.TOTAL_ASKP_RSQN), totalBid: num(p.TOTAL_BIDP_RSQN) };
    return true;
  }

  private acceptTick(p: Fields): boolean {
    const price = num(p.STCK_PRPR);
    if (price <= 0) return false;
    const change = typeof p.PRDY_VRSS === 'number' ? p.PRDY_VRSS : null;
    if (change !== null) this.prevClose = price - change;
    this.last = {
      price,
      qty: num(p.CNTG_VOL),
      side: sideOf(p.CCLD_DVSN ?? p.CNTG_CLS_CODE) ?? 'other',
      time: typeof p.STCK_CNTG_HOUR === 'string' ? p.STCK_CNTG_HOUR : '',
      change,
      rate: typeof p.PRDY_CTRT === 'number' ? p.PRDY_CTRT : null,
    };
    return this.book !== null;
  }

  /** The update to send now (the whole book: it is small), or null when nothing changed. */
  flush(): OrderBookPayload | null {
    if (!this.dirty) return null;
    this.dirty = false;
    return this.snapshot();
  }

  /** The payload for the browser, or null before the first book. */
  snapshot(): OrderBookPayload | null {
    return this.book === null ? null : { ...this.book, prevClose: this.prevClose, last: this.last };
  }
}
