/**
 * What the candlestick widget shows, kept on the server: the last N bars of one code from kis-bars
 * (closed bars and the running one). Pure; the widget node sends only the bars that changed since
 * the last send, at a bounded rate, and keeps a full snapshot for a browser that (re)loads.
 */
import type { BarPayload } from '../../lib/bars/bar';
import { CodeView } from './code-view';

/** One candle as the browser draws it. */
export interface Candle {
  time: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  final: boolean;
}

export interface CandlesPayload {
  code: string;
  interval: string;
  bars: Candle[];
  /** The bars replace what the browser has (a new code, or a full reload). */
  snapshot: boolean;
}

export const DEFAULT_MAX_BARS = 240;

function candleOf(p: Partial<BarPayload>): Candle | null {
  const { time, open, high, low, close, volume } = p;
  for (const v of [time, open, high, low, close, volume]) if (typeof v !== 'number' || !Number.isFinite(v)) return null;
  return { time: time!, open: open!, high: high!, low: low!, close: close!, volume: volume!, final: p.final !== false };
}

export class CandlesView extends CodeView {
  private interval = '';
  private bars: Candle[] = [];
  private readonly changed = new Map<number, Candle>();
  private reset = true;

  /** `fixedCode` '' = follow the code of the latest msg. */
  constructor(fixedCode: string, private readonly maxBars = DEFAULT_MAX_BARS) {
    super(fixedCode);
  }

  protected clear(): void {
    this.interval = '';
    this.bars = [];
    this.changed.clear();
    this.reset = true;
  }

  /** Take a kis-bars msg (object shape). Returns whether the chart changed. */
  accept(topic: unknown, payload: unknown): boolean {
    if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return false;
    const p = payload as Partial<BarPayload>;
    const code = typeof p.code === 'string' ? p.code : typeof topic === 'string' ? topic : '';
    const candle = candleOf(p);
    if (candle === null || !this.admits(code)) return false;
    if (typeof p.interval === 'string' && p.interval !== this.interval) {
      if (this.interval !== '') {
        this.bars = [];
        this.changed.clear();
        this.reset = true;
      }
      this.interval = p.interval;
    }
    const list = this.bars;
    const last = list[list.length - 1];
    if (last === undefined || candle.time > last.time) list.push(candle);
    else {
      let i = list.length - 1;
      while (i > 0 && list[i]!.time > candle.time) i--;
      if (list[i]!.time === candle.time) {
        // A running bar never replaces the final one (a late partial msg).
        if (list[i]!.final && !candle.final) return false;
        list[i] = candle;
      } else return false; // older than the window, or a gap we do not back-fill
    }
    if (list.length > this.maxBars) list.splice(0, list.length - this.maxBars);
    this.changed.set(candle.time, candle);
    return true;
  }

  /** The update to send now: the changed bars, or everything after a reset; null when nothing changed. */
  flush(): CandlesPayload | null {
    if (!this.reset && this.changed.size === 0) return null;
    const bars = this.reset ? this.bars.slice() : [...this.changed.values()].sort((a, b) => a.time - b.time);
    const out = { code: this.code, interval: this.interval, bars, snapshot: this.reset };
    this.reset = false;
    this.changed.clear();
    return out;
  }

  /** Everything, for a browser that loads the page. */
  snapshot(): CandlesPayload {
    return { code: this.code, interval: this.interval, bars: this.bars.slice(), snapshot: true };
  }
}
