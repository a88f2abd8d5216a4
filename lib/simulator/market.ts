/**
 * The simulated market of one simulator: every stock's price process (created on first use,
 * shared by every venue, session and feed) and shortcuts to the families' records for tests and
 * benchmarks. Deterministic for a seed and a sequence of calls.
 */
import type { LayoutEdition, TrTable } from '../protocol/tr-tables';
import type { MarketClock } from './clock';
import { familyOf, type Feed } from './families';
import { etfNav } from './families/etf-nav';
import { CodeMarket, type MarketBehaviour } from './price-process';
import { isEtf } from './universe';

export class MarketModel {
  private readonly markets = new Map<string, CodeMarket>();
  /** Feeds behind `record()`, one per (TR, code). */
  private readonly feeds = new Map<string, Feed>();

  /** Which layouts the records follow (docs/protocol/realtime-trs.md, layout drift). */
  readonly layout: LayoutEdition;
  private readonly behaviour: MarketBehaviour;

  constructor(
    readonly seed: number,
    options: { readonly vi?: boolean; readonly layout?: LayoutEdition } = {},
  ) {
    this.behaviour = { vi: options.vi ?? false };
    this.layout = options.layout ?? 'doc';
  }

  market(code: string): CodeMarket {
    let m = this.markets.get(code);
    if (m === undefined) {
      m = new CodeMarket(code, this.seed, this.behaviour);
      this.markets.set(code, m);
      // An ETF's price follows its NAV (read when it trades, so the NAV's members are created lazily).
      if (isEtf(code)) m.fairValue = () => etfNav(this, code)!.value();
    }
    return m;
  }

  /** Every code with a price process so far. */
  codes(): IterableIterator<string> {
    return this.markets.keys();
  }

  /**
   * The next record (`^`-joined fields) of a market-data TR for a code, or null when that venue
   * does not trade the code now. Not for 체결통보 (see `notice`).
   */
  record(table: TrTable, code: string, clock: MarketClock): string | null {
    if (table.venue === null) return null;
    const key = table.trId + '|' + code;
    let feed = this.feeds.get(key);
    if (feed === undefined) {
      const family = familyOf(table);
      if (family === undefined) return null;
      feed = family.open(this, table, code);
      this.feeds.set(key, feed);
    }
    return feed.next(clock);
  }
}

export { marketClock, type MarketClock } from './clock';
export { CodeMarket, DayStats, stockProfile, BOOK_LEVELS, type StockProfile } from './price-process';
export { krxTickSize } from './tick-size';
