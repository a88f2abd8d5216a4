/**
 * Bar intervals: parsing the user's text ("1m", "30s", "1h", "1d", or a number of seconds) and
 * aligning instants to KST clock boundaries. Pure; see docs/protocol/bars.md.
 */
import { KST_OFFSET_MS } from '../protocol/kst';

export const MIN_INTERVAL_MS = 1_000;
export const DAY_MS = 86_400_000;

const UNIT_MS: Readonly<Record<string, number>> = { s: 1_000, m: 60_000, h: 3_600_000, d: DAY_MS };

export interface BarInterval {
  readonly ms: number;
  /** Canonical text, e.g. `1m`, `90s`, `1d`. */
  readonly label: string;
}

/** The canonical label of a length in ms: the largest unit that divides it. */
export function intervalLabel(ms: number): string {
  for (const unit of ['d', 'h', 'm', 's'] as const) {
    const size = UNIT_MS[unit]!;
    if (ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}

/**
 * `1s` … `1d`: a positive integer with unit s, m, h or d (a bare number means seconds). Whole
 * seconds only, between 1 s and 1 day. Returns null for anything else.
 */
export function parseInterval(text: unknown): BarInterval | null {
  let value: number;
  let unit = 's';
  if (typeof text === 'number') value = text;
  else if (typeof text === 'string') {
    const m = /^\s*(\d{1,6})\s*([smhd]?)\s*$/i.exec(text);
    if (m === null) return null;
    value = Number(m[1]);
    unit = (m[2] ?? '').toLowerCase() || 's';
  } else return null;
  if (!Number.isInteger(value) || value <= 0) return null;
  const ms = value * UNIT_MS[unit]!;
  if (ms < MIN_INTERVAL_MS || ms > DAY_MS) return null;
  return { ms, label: intervalLabel(ms) };
}

/** Epoch ms of the KST midnight that starts the KST day of an instant. */
export function kstDayStart(epochMs: number): number {
  return Math.floor((epochMs + KST_OFFSET_MS) / DAY_MS) * DAY_MS - KST_OFFSET_MS;
}

/**
 * The start of the bar an instant falls in: bars are counted from KST midnight, so 1 m bars start
 * at :00 s, 5 m bars at 09:00, 09:05 …, and an interval that does not divide the day has a
 * shorter last bar that ends at midnight (a bar never spans two KST days).
 */
export function barStart(epochMs: number, intervalMs: number): number {
  const day = kstDayStart(epochMs);
  return day + Math.floor((epochMs - day) / intervalMs) * intervalMs;
}

/** The end (exclusive) of the bar that starts at `start`. */
export function barEnd(start: number, intervalMs: number): number {
  return Math.min(start + intervalMs, kstDayStart(start) + DAY_MS);
}
