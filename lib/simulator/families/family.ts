/**
 * What a TR family (체결, 호가, 체결통보, …) gives the server: a check of the subscription key and,
 * per subscription, a feed of records. Families read the field lists of lib/protocol TR_TABLES
 * (compiled once into record builders) and the shared market model; they never move prices.
 */
import type { TrTable } from '../../protocol/tr-tables';
import type { MarketClock } from '../clock';
import type { MarketModel } from '../market';

/**
 * How the server paces a feed:
 * - `rate`: the per-code records-per-second setting (market data);
 * - `interval`: one record per `noticeIntervalMs` (체결통보).
 */
export type Pace = 'rate' | 'interval';

/** The records of one subscription (one TR and key on one socket). */
export interface Feed {
  readonly pace: Pace;
  /** The next record (fields joined by `^`, plaintext), or null when there is none now. */
  next(clock: MarketClock): string | null;
}

/** The server checks the key against the table's key type (lib/protocol isValidTrKey) before it opens a feed. */
export interface TrFamily {
  /** A feed for a new subscription of `table` with `key` (already validated). */
  open(model: MarketModel, table: TrTable, key: string): Feed;
}
