/**
 * A bar (OHLCV candle) of one code and the two shapes it leaves the kis-bars node in (documented
 * for users in the kis-bars help and README "kis-bars").
 */
import { isoKst, kstDate, kstTime } from '../protocol/kst';
import { intervalLabel } from './interval';

export interface Bar {
  readonly code: string;
  readonly intervalMs: number;
  /** KST-aligned start (inclusive) and end (exclusive), epoch ms. */
  readonly start: number;
  readonly end: number;
  open: number;
  high: number;
  low: number;
  close: number;
  /** Shares traded, and KRW traded (Σ price × qty). */
  volume: number;
  value: number;
  trades: number;
  /** Volume by 체결구분: buy-initiated (1), sell-initiated (5), and the rest (3 장전/auction, unknown). */
  buyVolume: number;
  sellVolume: number;
  otherVolume: number;
  /** The node started after this bar began: earlier trades of the bar were not seen. */
  partial: boolean;
  /** Trades that arrived after their own bar had been emitted (not in any OHLC), since the last bar of the code. */
  lateTrades: number;
  lateVolume: number;
  /** Trade times of the trades that set open and close (ties go by arrival order). */
  openAt: number;
  closeAt: number;
}

/** `msg.payload` in the default shape: flat scalars, one row for CSV, `time`/`close` for ui-chart. */
export interface BarPayload {
  time: number;
  code: string;
  interval: string;
  start: string;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  value: number;
  vwap: number;
  trades: number;
  buyVolume: number;
  sellVolume: number;
  otherVolume: number;
  final: boolean;
  partial: boolean;
  lateTrades: number;
  lateVolume: number;
}

/** VWAP of a bar, 2 decimals like KIS's WGHN_AVRG_STCK_PRC. */
export function vwapOf(value: number, volume: number, close: number): number {
  return volume > 0 ? Math.round((value / volume) * 100) / 100 : close;
}

/** ISO-8601 in KST of an instant (`2026-07-24T09:01:00+09:00`). */
export function isoOf(epochMs: number): string {
  return isoKst(kstDate(epochMs), kstTime(epochMs));
}

export function barPayload(bar: Bar, final: boolean): BarPayload {
  return {
    time: bar.start,
    code: bar.code,
    interval: intervalLabel(bar.intervalMs),
    start: isoOf(bar.start),
    open: bar.open,
    high: bar.high,
    low: bar.low,
    close: bar.close,
    volume: bar.volume,
    value: bar.value,
    vwap: vwapOf(bar.value, bar.volume, bar.close),
    trades: bar.trades,
    buyVolume: bar.buyVolume,
    sellVolume: bar.sellVolume,
    otherVolume: bar.otherVolume,
    final,
    partial: bar.partial,
    lateTrades: bar.lateTrades,
    lateVolume: bar.lateVolume,
  };
}

/**
 * The InfluxDB shape (node-red-contrib-influxdb "out" node): `[fields, tags]`, with the bar start
 * as the `time` field (ms precision) and code and interval as tags.
 */
export type InfluxPayload = [Omit<BarPayload, 'code' | 'interval' | 'start'>, { code: string; interval: string }];

export function influxPayload(p: BarPayload): InfluxPayload {
  const { code, interval, start: _start, ...fields } = p;
  return [fields, { code, interval }];
}
