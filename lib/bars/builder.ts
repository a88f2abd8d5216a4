/**
 * The bar builder: trades in, closed bars out. Pure (no timers, no I/O): the caller says what time
 * it is, and asks when the next bar is due so it can set one timer (docs/protocol/bars.md).
 *
 * Rules:
 * - A trade belongs to the bar its own 체결 time falls in (KST-aligned, see interval.ts), never the
 *   bar open when it arrives; so a burst of records, or trades a few ms out of order, land where
 *   they belong. Open and close are the first and last trade by (trade time, arrival order).
 * - Auction prints follow the same rule: the 09:00:00 opening single-price trade opens the 09:00
 *   bar; the 15:30:00 closing single-price trade makes a 15:30 bar of its own (the close is a
 *   separate print after the ten-minute call; see docs/protocol/bars.md for why).
 * - A bar closes when the exchange clock passes its end plus a grace (for trades still in flight).
 *   The exchange clock is this machine's clock less the smallest observed delay between a trade's
 *   time and its arrival, so a local clock a few seconds off does not make every trade late.
 * - A trade whose bar was already emitted is counted (lateTrades/lateVolume) on the next bar of its
 *   code, not merged into a bar it does not belong to.
 * - The first bar of each code after start is `partial` when the builder started after it began.
 * - A bar without trades is not emitted (no flat filler bars).
 */
import { type Bar } from './bar';
import { barEnd, barStart } from './interval';
import type { Trade } from './trade';

export interface BarBuilderOptions {
  readonly intervalMs: number;
  /** Wait this long after a bar's end for late trades (ms, ≥ 0). */
  readonly graceMs: number;
  /** When the builder started (epoch ms): bars that began before it are partial. */
  readonly startedAt: number;
}

interface CodeState {
  /** Open bars by start, usually one (two around a boundary, within the grace). */
  readonly open: Map<number, Bar>;
  /** End of the last bar emitted (trades before it are late). */
  closedUntil: number;
  /** Whether a bar of this code has been opened yet (for `partial`). */
  seen: boolean;
  lateTrades: number;
  lateVolume: number;
}

/** How long one window of the clock-offset estimate lasts (ms). */
const OFFSET_WINDOW_MS = 60_000;
/** Larger differences between a trade's time and its arrival are not used for the estimate. */
const MAX_CLOCK_OFFSET_MS = 300_000;

export class BarBuilder {
  private readonly codes = new Map<string, CodeState>();
  /** Smallest (arrival − trade time) of the current and the previous window; +∞ = none yet. */
  private lagNow = Infinity;
  private lagPrev = Infinity;
  private lagWindowEnd = 0;

  constructor(readonly options: BarBuilderOptions) {
    if (!(options.intervalMs >= 1000) || !(options.graceMs >= 0)) throw new Error('bar builder: bad interval or grace');
  }

  /** Estimated (local clock − exchange clock), ms; 0 until trades have been seen. */
  clockOffset(): number {
    const lag = Math.min(this.lagNow, this.lagPrev);
    return Number.isFinite(lag) ? lag : 0;
  }

  /**
   * Add a trade that arrived at `now` (local epoch ms). Returns the bar it updated, or null when
   * the trade was late (its bar already emitted).
   */
  add(trade: Trade, now: number): Bar | null {
    this.observeLag(trade.epochMs, now);
    let st = this.codes.get(trade.code);
    if (st === undefined) {
      st = { open: new Map(), closedUntil: -Infinity, seen: false, lateTrades: 0, lateVolume: 0 };
      this.codes.set(trade.code, st);
    }
    const { intervalMs } = this.options;
    const start = barStart(trade.epochMs, intervalMs);
    if (start < st.closedUntil) {
      st.lateTrades++;
      st.lateVolume += trade.qty;
      return null;
    }
    let bar = st.open.get(start);
    if (bar === undefined) {
      bar = {
        code: trade.code, intervalMs, start, end: barEnd(start, intervalMs),
        open: trade.price, high: trade.price, low: trade.price, close: trade.price,
        volume: 0, value: 0, trades: 0, buyVolume: 0, sellVolume: 0, otherVolume: 0,
        partial: !st.seen && this.options.startedAt > start,
        lateTrades: 0, lateVolume: 0,
        openAt: trade.epochMs, closeAt: trade.epochMs,
      };
      st.seen = true;
      st.open.set(start, bar);
    } else {
      if (trade.price > bar.high) bar.high = trade.price;
      if (trade.price < bar.low) bar.low = trade.price;
      // Out-of-order arrival: a trade stamped earlier than the current open becomes the open.
      if (trade.epochMs < bar.openAt) {
        bar.open = trade.price;
        bar.openAt = trade.epochMs;
      }
      if (trade.epochMs >= bar.closeAt) {
        bar.close = trade.price;
        bar.closeAt = trade.epochMs;
      }
    }
    bar.volume += trade.qty;
    bar.value += trade.price * trade.qty;
    bar.trades++;
    if (trade.side === 'buy') bar.buyVolume += trade.qty;
    else if (trade.side === 'sell') bar.sellVolume += trade.qty;
    else bar.otherVolume += trade.qty;
    return bar;
  }

  /** Local epoch ms at which the earliest open bar is due, or null when none is open. */
  nextDue(): number | null {
    let due = Infinity;
    for (const st of this.codes.values()) for (const bar of st.open.values()) if (bar.end < due) due = bar.end;
    return Number.isFinite(due) ? due + this.options.graceMs + this.clockOffset() : null;
  }

  /** Close every bar that is due at `now` (local epoch ms), oldest first; `all` closes every open bar. */
  close(now: number, all = false): Bar[] {
    const cutoff = now - this.options.graceMs - this.clockOffset();
    const out: Bar[] = [];
    for (const st of this.codes.values()) {
      for (const [start, bar] of st.open) {
        if (!all && bar.end > cutoff) continue;
        st.open.delete(start);
        if (bar.end > st.closedUntil) st.closedUntil = bar.end;
        bar.lateTrades = st.lateTrades;
        bar.lateVolume = st.lateVolume;
        st.lateTrades = 0;
        st.lateVolume = 0;
        out.push(bar);
      }
    }
    out.sort((a, b) => a.start - b.start || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
    return out;
  }

  /** The open bars (for the running partial output), oldest first per code. */
  openBars(code: string): Bar[] {
    const st = this.codes.get(code);
    return st === undefined ? [] : [...st.open.values()].sort((a, b) => a.start - b.start);
  }

  /** Codes seen so far. */
  codeCount(): number {
    return this.codes.size;
  }

  private observeLag(tradeMs: number, now: number): void {
    if (now >= this.lagWindowEnd) {
      this.lagPrev = this.lagNow;
      this.lagNow = Infinity;
      this.lagWindowEnd = now + OFFSET_WINDOW_MS;
    }
    const lag = now - tradeMs;
    // A trade stamped minutes away from now is a bad clock or a replay, not network delay.
    if (Math.abs(lag) <= MAX_CLOCK_OFFSET_MS && lag < this.lagNow) this.lagNow = lag;
  }
}
