import { KST_OFFSET_MS } from './kst';
import type { Venue } from './tr-tables';

/**
 * KST trading windows per venue (doc §8), as a pure function of an instant.
 *
 * Simplifications, on purpose:
 * - KRX is "open" 09:00–15:30 (정규장, including the closing call auction); the 08:30–09:00
 *   opening auction, the 시간외 종가 sessions and 16:00–18:00 시간외 단일가 count as closed.
 * - NXT: 프리마켓 08:00–08:50, 메인마켓 09:00:30–15:20, 애프터마켓 15:40–20:00 (continuous trading).
 * - 통합 (UN) is open when either venue is.
 * - Weekends are closed; public holidays and exceptional days (수능, first trading day) are not known.
 */
export type MarketSessionLabel = 'regular' | 'pre-market' | 'main' | 'after-market' | 'closed';

export interface MarketSession {
  readonly open: boolean;
  /** The next instant (epoch ms) at or after the given one when the venue is open (= epochMs when open). */
  readonly nextOpen: number;
  /** While open: the end of the current trading window (epoch ms); null when closed. */
  readonly closesAt: number | null;
  readonly label: MarketSessionLabel;
}

interface Window {
  /** Seconds since KST midnight, [start, end). */
  readonly start: number;
  readonly end: number;
  readonly label: MarketSessionLabel;
}

const H = 3600;
const M = 60;

const KRX_WINDOWS: readonly Window[] = [{ start: 9 * H, end: 15 * H + 30 * M, label: 'regular' }];
const NXT_WINDOWS: readonly Window[] = [
  { start: 8 * H, end: 8 * H + 50 * M, label: 'pre-market' },
  { start: 9 * H + 30, end: 15 * H + 20 * M, label: 'main' },
  { start: 15 * H + 40 * M, end: 20 * H, label: 'after-market' },
];

/** Union of two window lists (label of the first list wins where they overlap). */
function unionWindows(a: readonly Window[], b: readonly Window[]): Window[] {
  const all = [...a, ...b].sort((x, y) => x.start - y.start);
  const out: Window[] = [];
  for (const w of all) {
    const last = out[out.length - 1];
    if (last !== undefined && w.start <= last.end) {
      out[out.length - 1] = { start: last.start, end: Math.max(last.end, w.end), label: last.label };
    } else {
      out.push(w);
    }
  }
  return out;
}

const WINDOWS: Readonly<Record<Venue, readonly Window[]>> = {
  KRX: KRX_WINDOWS,
  NXT: NXT_WINDOWS,
  UN: unionWindows(KRX_WINDOWS, NXT_WINDOWS),
};

const DAY_MS = 86_400_000;

function kstDayStart(epochMs: number): number {
  return Math.floor((epochMs + KST_OFFSET_MS) / DAY_MS) * DAY_MS - KST_OFFSET_MS;
}

function isWeekend(dayStartMs: number): boolean {
  const dow = new Date(dayStartMs + KST_OFFSET_MS).getUTCDay();
  return dow === 0 || dow === 6;
}

/** The label of the venue's own window at a second of the day (for UN: KRX's label, else NXT's). */
function labelAt(venue: Venue, second: number): MarketSessionLabel {
  const lists = venue === 'UN' ? [KRX_WINDOWS, NXT_WINDOWS] : [WINDOWS[venue]];
  for (const list of lists) {
    for (const w of list) if (second >= w.start && second < w.end) return w.label;
  }
  return 'closed';
}

/** Is `venue` trading at `epochMs`, and if not, when does it open next (doc §8)? */
export function marketSession(venue: Venue, epochMs: number): MarketSession {
  const windows = WINDOWS[venue];
  const today = kstDayStart(epochMs);
  if (!isWeekend(today)) {
    const second = (epochMs - today) / 1000;
    for (const w of windows) {
      if (second >= w.start && second < w.end) {
        return { open: true, nextOpen: epochMs, closesAt: today + w.end * 1000, label: labelAt(venue, second) };
      }
    }
  }
  for (let day = 0; day < 8; day++) {
    const start = today + day * DAY_MS;
    if (isWeekend(start)) continue;
    for (const w of windows) {
      const opens = start + w.start * 1000;
      if (opens > epochMs) return { open: false, nextOpen: opens, closesAt: null, label: 'closed' };
    }
  }
  // Unreachable: every week has a weekday.
  return { open: false, nextOpen: epochMs + DAY_MS, closesAt: null, label: 'closed' };
}
