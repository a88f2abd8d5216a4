/**
 * The market session as a 장운영정보 subscription reports it, for the badges of one kis-config:
 * when a record announced a market-wide phase (lib/protocol/market-op), that phase replaces the
 * clock-based calendar for its venue until the next announcement, the end of the KST day, or the
 * calendar's own open/closed state changing (so a missed announcement cannot stick for hours).
 */
import { kstDate } from '../lib/protocol/kst';
import type { MarketPhase } from '../lib/protocol/market-op';
import type { Venue } from '../lib/protocol/tr-tables';
import type { MarketClock } from './types';

interface Observation {
  readonly phase: MarketPhase;
  readonly day: string;
  /** The calendar's open state when the phase was announced (null without a calendar). */
  readonly clockOpen: boolean | null;
}

export class MarketObserver {
  private readonly seen = new Map<Venue, Observation>();

  /** Record an announced phase; true when it changes what the badges show. */
  observe(venue: Venue, phase: MarketPhase, now: number, clock: MarketClock | null): boolean {
    const before = this.seen.get(venue);
    const day = kstDate(now);
    this.seen.set(venue, { phase, day, clockOpen: clock === null ? null : clock.open });
    return before === undefined || before.phase !== phase || before.day !== day;
  }

  /** The clock a badge shows for a venue: the announced phase while it holds, else the calendar's. */
  clockFor(venue: Venue, now: number, clock: MarketClock | null): MarketClock | null {
    const o = this.seen.get(venue);
    if (o === undefined) return clock;
    const stale = o.day !== kstDate(now) || (clock !== null && o.clockOpen !== null && clock.open !== o.clockOpen);
    if (stale) {
      this.seen.delete(venue);
      return clock;
    }
    return { open: o.phase === 'open', opensAt: null, phase: o.phase };
  }
}
