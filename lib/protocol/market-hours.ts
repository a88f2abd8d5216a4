import { kstDate } from './kst';
import { kstDayStart, sessionsOn, type SessionKind, type SessionRule } from './market-calendar';
import type { Venue } from './tr-tables';

/**
 * When a venue trades continuously (체결 data flows), as a pure function of an instant: the
 * `trades` sessions of the market calendar (market-calendar.ts, docs/protocol/market-calendar.md),
 * touching ones merged (KRX 09:00–15:20 regular + 15:20–15:30 closing call = 09:00–15:30).
 * The simulator's trade generator reads this; the badges read the full calendar (every session,
 * auctions and 시간외 included). 통합 (UN) trades when either venue does.
 */
export type MarketSessionLabel = 'regular' | 'pre-market' | 'main' | 'after-market' | 'closed';

export interface MarketSession {
  readonly open: boolean;
  /** The next instant (epoch ms) at or after the given one when the venue trades (= epochMs when open). */
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

const LABEL: Readonly<Partial<Record<SessionKind, MarketSessionLabel>>> = {
  regular: 'regular', 'closing-auction': 'regular', main: 'main', 'pre-market': 'pre-market', 'after-market': 'after-market',
};

function windowsOf(rules: readonly SessionRule[]): Window[] {
  const sorted = rules.filter((r) => r.trades).sort((a, b) => a.start - b.start);
  const out: Window[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && r.start <= last.end) out[out.length - 1] = { start: last.start, end: Math.max(last.end, r.end), label: last.label };
    else out.push({ start: r.start, end: r.end, label: LABEL[r.kind] ?? 'regular' });
  }
  return out;
}

const DAY_MS = 86_400_000;

/** Trading windows of a venue on a day; for UN the union, labelled by KRX where KRX trades. */
function dayWindows(venue: Venue, date: string): { windows: Window[]; labelAt: (second: number) => MarketSessionLabel } {
  const own = (v: 'KRX' | 'NXT'): Window[] => windowsOf(sessionsOn(v, date));
  const lists = venue === 'UN' ? [own('KRX'), own('NXT')] : [own(venue)];
  const windows = venue === 'UN' ? windowsOf(sessionsOn('UN', date)) : (lists[0] ?? []);
  const labelAt = (second: number): MarketSessionLabel => {
    for (const list of lists) for (const w of list) if (second >= w.start && second < w.end) return w.label;
    return 'closed';
  };
  return { windows, labelAt };
}

/** Is `venue` trading at `epochMs`, and if not, when does it start next? */
export function marketSession(venue: Venue, epochMs: number): MarketSession {
  const today = kstDayStart(epochMs);
  const { windows, labelAt } = dayWindows(venue, kstDate(epochMs));
  const second = (epochMs - today) / 1000;
  for (const w of windows) {
    if (second >= w.start && second < w.end) return { open: true, nextOpen: epochMs, closesAt: today + w.end * 1000, label: labelAt(second) };
  }
  for (let day = 0; day < 15; day++) {
    const start = today + day * DAY_MS;
    for (const w of dayWindows(venue, kstDate(start)).windows) {
      const opens = start + w.start * 1000;
      if (opens > epochMs) return { open: false, nextOpen: opens, closesAt: null, label: 'closed' };
    }
  }
  // Unreachable: every week has a weekday.
  return { open: false, nextOpen: epochMs + DAY_MS, closesAt: null, label: 'closed' };
}
