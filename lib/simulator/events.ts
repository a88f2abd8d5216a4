/**
 * 장운영정보 events of one stock: session changes, VI triggered and released, trading halted and
 * resumed. Kept in a short log that every 장운영정보 feed reads from its own cursor, so each
 * subscriber sees each event once, in order, from the moment it subscribed.
 */
import type { Venue } from '../protocol/tr-tables';

export interface MarketEvent {
  readonly seq: number;
  /** KST HHMMSS of the event. */
  readonly time: string;
  /** The venue the event belongs to (통합 feeds show KRX's). */
  readonly venue: 'KRX' | 'NXT';
  readonly halted: boolean;
  /** TR_SUSP_REAS_CNTT: '(null)' when none, as observed on real frames. */
  readonly haltReason: string;
  /** MKOP_CLS_CODE (e.g. 110 opening call start, 112 open, 121 closing call start, 129 close). */
  readonly mkop: string;
  /** ANTC_MKOP_CLS_CODE (311 expected prices start, 112 end, 121 closing expected start, 129 end). */
  readonly antcMkop: string;
  /** ISCD_STAT_CLS_CODE: 58 halted, else 55 (the constant value observed on real frames). */
  readonly stockState: string;
  readonly vi: boolean;
}

/** Events older than this many are dropped (a feed that far behind skips them). */
const LOG_SIZE = 256;

export class EventLog {
  private readonly events: MarketEvent[] = [];
  private seq = 0;

  /** Sequence number of the latest event (0 = none yet). */
  get last(): number {
    return this.seq;
  }

  add(e: Omit<MarketEvent, 'seq'>): void {
    this.events.push({ ...e, seq: ++this.seq });
    if (this.events.length > LOG_SIZE) this.events.shift();
  }

  /**
   * The first event after `cursor` that a feed of `venue` shows, or undefined. 통합 shows KRX's
   * events (a VI or halt is announced by both venues; 통합 announces it once).
   */
  after(cursor: number, venue: Venue): MarketEvent | undefined {
    const own = venue === 'UN' ? 'KRX' : venue;
    for (const e of this.events) if (e.seq > cursor && e.venue === own) return e;
    return undefined;
  }
}
