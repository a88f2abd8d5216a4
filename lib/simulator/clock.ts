/**
 * The clock the feeds read: computed once per scheduler tick (not per record) from the instant
 * and the simulator's `hours` setting.
 */
import { kstDate, kstSecondOfDay, kstTime } from '../protocol/kst';
import type { Venue } from '../protocol/tr-tables';
import { ALWAYS_CONTINUOUS, sessionsAt, type MarketClsCode, type SessionState } from './sessions';

export interface MarketClock {
  readonly epochMs: number;
  /** KST business date (YYYYMMDD) and time (HHMMSS). */
  readonly date: string;
  readonly time: string;
  /** Fraction of the regular KRX day (09:00–15:30) elapsed, for 전일 동시간 volume; in [0.02, 1]. */
  readonly dayFraction: number;
  /** Continuous trading runs on the venue now (UN: on either). */
  readonly open: Readonly<Record<Venue, boolean>>;
  /** NEW_MKOP_CLS_CODE per venue. */
  readonly mkop: Readonly<Record<Venue, string>>;
  /** MARKET_CLS_CODE per venue (2026-09-14 layouts). */
  readonly marketCls: Readonly<Record<Venue, MarketClsCode>>;
  readonly sessions: SessionState;
}

/** The clock for a given session state (tests build phases directly with this). */
export function clockFor(epochMs: number, s: SessionState): MarketClock {
  const second = kstSecondOfDay(epochMs);
  const krxOpen = s.krx === 'continuous' || s.krx === 'after-market';
  const nxtOpen = s.nxt === 'continuous';
  return {
    epochMs,
    date: kstDate(epochMs),
    time: kstTime(epochMs),
    dayFraction: Math.min(1, Math.max(0.02, (second - 9 * 3600) / (6.5 * 3600))),
    open: { KRX: krxOpen, NXT: nxtOpen, UN: krxOpen || nxtOpen },
    mkop: { KRX: s.mkopKrx, NXT: s.mkopNxt, UN: krxOpen || !nxtOpen ? s.mkopKrx : s.mkopNxt },
    marketCls: { KRX: s.marketClsKrx, NXT: s.marketClsNxt, UN: krxOpen || !nxtOpen ? s.marketClsKrx : s.marketClsNxt },
    sessions: s,
  };
}

export function marketClock(epochMs: number, hours: 'always' | 'kst'): MarketClock {
  return clockFor(epochMs, hours === 'always' ? ALWAYS_CONTINUOUS : sessionsAt(epochMs));
}
