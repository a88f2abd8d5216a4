/**
 * The market clock of the status badge, from the market calendar (lib/protocol/market-calendar.ts,
 * docs/protocol/market-calendar.md): the badge reads "market closed" exactly when the chosen
 * exchange is in none of the calendar's sessions (auctions and 시간외 sessions count as open), which
 * is what the README's generated hours table says.
 */
import { kstTime } from '../lib/protocol/kst';
import { sessionAt } from '../lib/protocol/market-calendar';
import type { Venue } from '../lib/protocol/tr-tables';
import type { MarketClock } from './types';

export function marketClockOf(venue: Venue, now: number): MarketClock {
  const state = sessionAt(venue, now);
  if (state.session !== null) return { open: true, opensAt: null };
  const hhmmss = kstTime(state.nextOpen);
  return { open: false, opensAt: `${hhmmss.slice(0, 2)}:${hhmmss.slice(2, 4)}` };
}
