/**
 * The clock the feeds read: computed once per scheduler tick (not per record) from the instant
 * and the simulator's `hours` setting.
 */
import { kstDate, kstSecondOfDay, kstTime } from '../protocol/kst';
import { marketSession, type MarketSessionLabel } from '../protocol/market-hours';
import type { Venue } from '../protocol/tr-tables';

export interface MarketClock {
  readonly epochMs: number;
  /** KST business date (YYYYMMDD) and time (HHMMSS). */
  readonly date: string;
  readonly time: string;
  /** Fraction of the regular KRX day (09:00–15:30) elapsed, for 전일 동시간 volume; in [0.02, 1]. */
  readonly dayFraction: number;
  readonly open: Readonly<Record<Venue, boolean>>;
  /** NEW_MKOP_CLS_CODE per venue. */
  readonly mkop: Readonly<Record<Venue, string>>;
}

/**
 * NEW_MKOP_CLS_CODE for a session: first char 1 장개시전 / 2 장중 / 3 장종료후, second 0 보통
 * (docs/protocol/realtime-trs.md). Using 1x/3x for NXT pre-/after-market is our inference; KRX
 * regular and NXT main are 20.
 */
function mkopOf(label: MarketSessionLabel): string {
  return label === 'pre-market' ? '10' : label === 'after-market' ? '30' : '20';
}

const ALWAYS_OPEN: Readonly<Record<Venue, boolean>> = Object.freeze({ KRX: true, NXT: true, UN: true });
const ALWAYS_MKOP: Readonly<Record<Venue, string>> = Object.freeze({ KRX: '20', NXT: '20', UN: '20' });

export function marketClock(epochMs: number, hours: 'always' | 'kst'): MarketClock {
  const second = kstSecondOfDay(epochMs);
  const dayFraction = Math.min(1, Math.max(0.02, (second - 9 * 3600) / (6.5 * 3600)));
  const base = { epochMs, date: kstDate(epochMs), time: kstTime(epochMs), dayFraction };
  if (hours === 'always') return { ...base, open: ALWAYS_OPEN, mkop: ALWAYS_MKOP };
  const krx = marketSession('KRX', epochMs), nxt = marketSession('NXT', epochMs), un = marketSession('UN', epochMs);
  return {
    ...base,
    open: { KRX: krx.open, NXT: nxt.open, UN: un.open },
    mkop: { KRX: mkopOf(krx.label), NXT: mkopOf(nxt.label), UN: mkopOf(un.label) },
  };
}
