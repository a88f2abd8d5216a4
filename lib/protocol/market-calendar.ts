import { kstDate, KST_OFFSET_MS } from './kst';
import type { Venue } from './tr-tables';

/**
 * The one market calendar: every KRX and NXT session in KST, with the dates a rule starts or stops
 * applying (docs/protocol/market-calendar.md). The simulator (through market-hours.ts), the status
 * badges (nodes/market-clock.ts) and the README hours table (scripts/update-readme.js) all read this
 * table, so a change of hours is one edit here.
 *
 * Not modelled: public holidays and exceptional days (수능 day opens an hour late, the first trading
 * day of the year opens at 10:00); weekends are closed.
 */
export type SessionKind =
  | 'pre-market' // NXT 프리마켓 (continuous)
  | 'opening-auction' // KRX 장 시작 동시호가 (order entry; one match at 09:00)
  | 'pre-open-close-price' // KRX 장전 시간외 종가 (at the previous close)
  | 'regular' // KRX 정규장 continuous
  | 'main' // NXT 메인마켓 (continuous)
  | 'closing-auction' // KRX 장 마감 동시호가 (one match at 15:30)
  | 'post-close-price' // KRX 장후 시간외 종가 (at today's close)
  | 'after-hours-single-price' // KRX 시간외 단일가 (10-minute calls)
  | 'after-market-auction' // NXT 애프터마켓 시가 단일가 order entry
  | 'after-market'; // KRX (since 2026-09-14) and NXT 애프터마켓 (continuous)

export type CalendarVenue = 'KRX' | 'NXT';

export interface SessionRule {
  readonly venue: CalendarVenue;
  readonly kind: SessionKind;
  /** Seconds since KST midnight, [start, end). */
  readonly start: number;
  readonly end: number;
  /** First and last business day (YYYYMMDD, inclusive) the rule applies; null = open-ended. */
  readonly from: string | null;
  readonly until: string | null;
  /** Orders match as they arrive (or, for the closing call, the day's close prints): 체결 data flows. */
  readonly trades: boolean;
  readonly ko: string;
  readonly en: string;
  /** Where the times come from (details and links in docs/protocol/market-calendar.md). */
  readonly source: string;
  /**
   * For a call auction: when expected prices (예상체결) start to be published, in seconds since KST
   * midnight; null when they are published from the session's start (or the session is no call).
   */
  readonly expectedFrom: number | null;
  /** For a session of repeated calls (시간외 단일가): seconds between two matches; null otherwise. */
  readonly callEvery: number | null;
}

/** What only some sessions have. */
interface RuleExtras {
  readonly expectedFrom?: string;
  readonly callEvery?: number;
}

const H = 3600;
const M = 60;

function rule(
  venue: CalendarVenue, kind: SessionKind, start: string, end: string, trades: boolean, ko: string, en: string, source: string,
  from: string | null = null, until: string | null = null, extras: RuleExtras = {},
): SessionRule {
  const expectedFrom = extras.expectedFrom !== undefined ? hms(extras.expectedFrom) : null;
  return Object.freeze({ venue, kind, start: hms(start), end: hms(end), from, until, trades, ko, en, source, expectedFrom, callEvery: extras.callEvery ?? null });
}

/** "HH:MM" or "HH:MM:SS" → seconds since midnight. */
function hms(t: string): number {
  const [h, m, s] = t.split(':').map(Number);
  return (h ?? 0) * H + (m ?? 0) * M + (s ?? 0);
}

/** In priority order: where two rules overlap, `sessionAt` names the earlier one. */
export const SESSION_RULES: readonly SessionRule[] = Object.freeze([
  rule('KRX', 'regular', '09:00', '15:20', true, '정규장', 'regular session (continuous)', 'KRX via brokers\' pages (유안타증권 대체거래소 안내)'),
  rule('KRX', 'closing-auction', '15:20', '15:30', true, '장 마감 동시호가', 'closing call auction, close at 15:30', 'KRX via brokers\' pages'),
  rule('KRX', 'opening-auction', '08:30', '09:00', false, '장 시작 동시호가', 'opening call auction (orders from 08:30, expected prices from 08:50 since 2025-03-04), match at 09:00', 'KRX via brokers\' pages; news 2025-02-25 (08:50)', null, null, { expectedFrom: '08:50' }),
  rule('KRX', 'pre-open-close-price', '08:30', '08:40', false, '장전 시간외 종가', 'pre-open trading at the previous close', 'KRX via brokers\' pages; news 2019-04-29'),
  rule('KRX', 'post-close-price', '15:40', '16:00', false, '장후 시간외 종가', 'after-hours trading at today\'s close', 'KRX via brokers\' pages'),
  rule('KRX', 'after-hours-single-price', '16:00', '18:00', false, '시간외 단일가', 'after-hours single-price calls every 10 minutes (ended)', 'KIS docs (시간외 TRs); KIS notice 2026-09-09', null, '20260911', { callEvery: 600 }),
  rule('KRX', 'after-market', '16:00', '20:00', true, 'KRX 애프터마켓', 'KRX after-market (continuous)', 'KIS notice 2026-09-09 (effective 2026-09-14)', '20260914', null),
  rule('NXT', 'pre-market', '08:00', '08:50', true, 'NXT 프리마켓', 'NXT pre-market (continuous)', 'NXT launch (이데일리 2025-03-04); 유안타증권'),
  rule('NXT', 'main', '09:00:30', '15:20', true, 'NXT 메인마켓', 'NXT main market (continuous)', '유안타증권 대체거래소 안내'),
  rule('NXT', 'after-market-auction', '15:30', '15:40', false, 'NXT 애프터마켓 시가 단일가', 'NXT after-market opening single-price order entry', 'broker blog (kkong1003.tistory.com)'),
  rule('NXT', 'after-market', '15:40', '20:00', true, 'NXT 애프터마켓', 'NXT after-market (continuous)', '유안타증권 대체거래소 안내'),
]);

const DAY_MS = 86_400_000;

export function kstDayStart(epochMs: number): number {
  return Math.floor((epochMs + KST_OFFSET_MS) / DAY_MS) * DAY_MS - KST_OFFSET_MS;
}

/** A weekday (holidays not modelled). `date` is YYYYMMDD. */
export function isTradingDay(date: string): boolean {
  const dow = new Date(Date.UTC(Number(date.slice(0, 4)), Number(date.slice(4, 6)) - 1, Number(date.slice(6, 8)))).getUTCDay();
  return dow !== 0 && dow !== 6;
}

function applies(r: SessionRule, date: string): boolean {
  return (r.from === null || date >= r.from) && (r.until === null || date <= r.until);
}

function venuesOf(venue: Venue): readonly CalendarVenue[] {
  return venue === 'UN' ? ['KRX', 'NXT'] : [venue];
}

/** The sessions of a venue on a business day (YYYYMMDD), in priority order; none on a weekend. 통합 = both venues. */
export function sessionsOn(venue: Venue, date: string): SessionRule[] {
  if (!isTradingDay(date)) return [];
  const venues = venuesOf(venue);
  return SESSION_RULES.filter((r) => venues.includes(r.venue) && applies(r, date));
}

export interface CalendarState {
  /** The session in force (the first in priority order), or null when the venue has none now. */
  readonly session: SessionRule | null;
  /** Every session in force now (they can overlap: 08:30–08:40 KRX has two). */
  readonly all: readonly SessionRule[];
  /** While in a session: when it ends (epoch ms); null when closed. */
  readonly endsAt: number | null;
  /** The next instant at or after the given one when a session is in force (= epochMs when in one). */
  readonly nextOpen: number;
}

/** Which session `venue` is in at `epochMs` (통합: KRX's session first, else NXT's). */
export function sessionAt(venue: Venue, epochMs: number, filter: (r: SessionRule) => boolean = () => true): CalendarState {
  const day = kstDayStart(epochMs);
  const second = (epochMs - day) / 1000;
  const all = sessionsOn(venue, kstDate(epochMs)).filter((r) => filter(r) && second >= r.start && second < r.end);
  const session = all[0] ?? null;
  if (session !== null) return { session, all, endsAt: day + session.end * 1000, nextOpen: epochMs };
  return { session: null, all, endsAt: null, nextOpen: nextOpen(venue, epochMs, filter) };
}

/** The next session start of `venue` strictly after `epochMs` (or `epochMs` itself when a session is in force). */
export function nextOpen(venue: Venue, epochMs: number, filter: (r: SessionRule) => boolean = () => true): number {
  const today = kstDayStart(epochMs);
  for (let d = 0; d < 15; d++) {
    const start = today + d * DAY_MS;
    const starts = sessionsOn(venue, kstDate(start)).filter(filter).map((r) => start + r.start * 1000).sort((a, b) => a - b);
    const second = (epochMs - start) / 1000;
    if (d === 0 && sessionsOn(venue, kstDate(start)).some((r) => filter(r) && second >= r.start && second < r.end)) return epochMs;
    const next = starts.find((t) => t > epochMs);
    if (next !== undefined) return next;
  }
  // Unreachable with a weekday in every week and a rule without end date per venue.
  return epochMs + DAY_MS;
}

/** "HH:MM" or "HH:MM:SS" of a seconds-of-day value, for texts and the README table. */
export function clockText(second: number): string {
  const h = Math.floor(second / H), m = Math.floor(second / M) % 60, s = second % 60;
  const hhmm = `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
  return s === 0 ? hhmm : `${hhmm}:${String(s).padStart(2, '0')}`;
}
