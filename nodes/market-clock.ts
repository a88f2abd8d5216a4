/** The market clock of the status badge, from lib/protocol/market-hours (doc §8). */
import { kstTime } from '../lib/protocol/kst';
import { marketSession } from '../lib/protocol/market-hours';
import type { Venue } from '../lib/protocol/tr-tables';
import type { MarketClock } from './types';

export function marketClockOf(venue: Venue, now: number): MarketClock {
  const session = marketSession(venue, now);
  if (session.open) return { open: true, opensAt: null };
  const hhmmss = kstTime(session.nextOpen);
  return { open: false, opensAt: `${hhmmss.slice(0, 2)}:${hhmmss.slice(2, 4)}` };
}
