/**
 * The price process: one book per stock code, shared by every venue and every session, so
 * quotes and trades of a code always come from the same book. Deterministic for a seed and a
 * sequence of calls. Every feed (체결, 호가, and the aggregates built on them) reads this one
 * process; none moves a price on its own.
 *
 * Model (docs/protocol/realtime-trs.md, 체결 and 호가):
 * - One price ladder per code on the KRX tick grid: best bid `bid1`, best ask one tick above, ten
 *   levels each side. KRX and NXT quote the same prices with their own quantities (a simplification:
 *   real NXT and KRX books differ by a tick now and then).
 * - A trade on a venue hits that venue's best ask (체결구분 1, buy-initiated) or best bid (5),
 *   leaving at least one share on the level, so the record shows STCK_PRPR == ASKP1 (or BIDP1).
 *   Afterwards the price may move one tick in the trade's direction, so the last trade price is
 *   always within [bid1, ask1]. Moves revert towards the previous close and stay inside ±30 %.
 * - Day statistics (OHLC and their times, cumulative volume/value, buy/sell counts and quantities)
 *   are kept per venue; 통합 (UN) statistics are computed over the union of the KRX and NXT trades,
 *   and the UN book is the KRX and NXT depth merged level by level (same prices).
 *   A UN subscription draws its trades from an open venue (KRX 3 : NXT 1) and so moves that venue's
 *   statistics too; each stream samples the trades, so a stream's ACML_VOL can grow by more than
 *   its own CNTG_VOL when other streams of the code are subscribed.
 * - The day starts at the first trade the simulator generates (open = first trade, times from the
 *   clock); there is no carry-over of a real morning.
 */
import type { Venue } from '../protocol/tr-tables';
import type { MarketClock } from './clock';
import { hashSeed, Prng } from './prng';
import { snapDown, snapUp, tickDown, tickUp } from './tick-size';
import { listing, namedListing, type ListingMarket } from './universe';

export const BOOK_LEVELS = 10;

/** Static facts of a simulated stock. */
export interface StockProfile {
  readonly code: string;
  readonly name: string;
  readonly market: ListingMarket;
  /** 전일 종가 (KRW, on the tick grid). */
  readonly prevClose: number;
  readonly prevDayVolume: number;
  readonly listedShares: number;
  /** Trades on NXT as well as KRX (the universe's nxtTradable). */
  readonly nxt: boolean;
  /** Typical shares per trade. */
  readonly lot: number;
}

/** The profile of a code: its universe listing plus volume and share count drawn from a hash of the code. */
export function stockProfile(code: string, seed: number): StockProfile {
  const l = listing(code, seed);
  const h = new Prng(hashSeed(code, seed ^ 0x5eed));
  // A generated listing drew its price from this same stream first (universe.ts); stay in step.
  if (namedListing(code) === undefined) h.next();
  const prevClose = snapDown(l.basePrice);
  // Daily traded value between 30 billion and 1 trillion KRW.
  const dailyValue = 3e10 * Math.exp(h.next() * Math.log(1e12 / 3e10));
  const prevDayVolume = Math.max(1000, Math.round(dailyValue / prevClose));
  return {
    code,
    name: l.name,
    market: l.market,
    prevClose,
    prevDayVolume,
    listedShares: prevDayVolume * h.int(150, 1000),
    nxt: l.nxtTradable,
    lot: Math.max(1, Math.round(3e6 / prevClose)),
  };
}

/** Day statistics of one venue (or of 통합). */
export class DayStats {
  open = 0;
  high = 0;
  low = 0;
  openTime = '';
  highTime = '';
  lowTime = '';
  acmlVol = 0;
  acmlValue = 0;
  buyCount = 0;
  sellCount = 0;
  buyQty = 0;
  sellQty = 0;
  /** Book totals of the last quote record, for the *_ICDC fields. */
  lastTotalAsk = -1;
  lastTotalBid = -1;

  addTrade(price: number, qty: number, buy: boolean, time: string): void {
    if (this.acmlVol === 0) {
      this.open = this.high = this.low = price;
      this.openTime = this.highTime = this.lowTime = time;
    } else if (price > this.high) {
      this.high = price;
      this.highTime = time;
    } else if (price < this.low) {
      this.low = price;
      this.lowTime = time;
    }
    this.acmlVol += qty;
    this.acmlValue += price * qty;
    if (buy) {
      this.buyCount++;
      this.buyQty += qty;
    } else {
      this.sellCount++;
      this.sellQty += qty;
    }
  }
}

/** Quantities resting at the ten price levels of each side, for one venue. */
export interface Depth {
  readonly ask: number[];
  readonly bid: number[];
}

/** One trade and the touch at the moment it printed (before any price move it causes). */
export interface TradeSnapshot {
  /** Venue whose statistics the trade was booked on. */
  where: TradingVenue;
  price: number;
  qty: number;
  /** Buy-initiated (hit the ask) or sell-initiated (hit the bid). */
  buy: boolean;
  askP1: number;
  bidP1: number;
  /** Level-1 quantities and totals of the subscribed venue's book (UN: KRX and NXT merged). */
  askQ1: number;
  bidQ1: number;
  totalAsk: number;
  totalBid: number;
}

export type TradingVenue = 'KRX' | 'NXT';

export function newTradeSnapshot(): TradeSnapshot {
  return { where: 'KRX', price: 0, qty: 0, buy: true, askP1: 0, bidP1: 0, askQ1: 0, bidQ1: 0, totalAsk: 0, totalBid: 0 };
}

/** The book and day statistics of one stock code. */
export class CodeMarket {
  readonly profile: StockProfile;
  readonly upper: number;
  readonly lower: number;
  /** Price of the last trade on any venue (0 before the first trade). */
  lastPrice = 0;
  private readonly prng: Prng;
  private bid1: number;
  private readonly askP: number[] = new Array<number>(BOOK_LEVELS).fill(0);
  private readonly bidP: number[] = new Array<number>(BOOK_LEVELS).fill(0);
  private readonly depth: Record<TradingVenue, Depth>;
  readonly stats: Record<Venue, DayStats> = { KRX: new DayStats(), NXT: new DayStats(), UN: new DayStats() };

  constructor(code: string, seed: number) {
    this.profile = stockProfile(code, seed);
    this.prng = new Prng(hashSeed(code, seed));
    const pc = this.profile.prevClose;
    this.upper = snapDown(pc * 1.3);
    this.lower = snapUp(pc * 0.7);
    this.bid1 = pc;
    for (let i = this.prng.int(-3, 3); i !== 0; i += i > 0 ? -1 : 1) this.bid1 = i > 0 ? tickUp(this.bid1) : tickDown(this.bid1);
    this.layPrices();
    this.depth = { KRX: this.freshDepth(), NXT: this.freshDepth() };
  }

  /** Best bid and ask now. */
  get touch(): { readonly bid: number; readonly ask: number } {
    return { bid: this.bidP[0]!, ask: this.askP[0]! };
  }

  /** The ten ask and bid prices (shared by every venue; read-only views). */
  get askPrices(): readonly number[] {
    return this.askP;
  }
  get bidPrices(): readonly number[] {
    return this.bidP;
  }

  private layPrices(): void {
    let a = tickUp(this.bid1), b = this.bid1;
    for (let i = 0; i < BOOK_LEVELS; i++) {
      this.askP[i] = a;
      this.bidP[i] = b;
      a = tickUp(a);
      b = tickDown(b);
    }
  }

  private levelQty(): number {
    return this.profile.lot * this.prng.int(5, 120) + this.prng.int(1, this.profile.lot);
  }

  private freshDepth(): Depth {
    const ask: number[] = [], bid: number[] = [];
    for (let i = 0; i < BOOK_LEVELS; i++) {
      ask.push(this.levelQty());
      bid.push(this.levelQty());
    }
    return { ask, bid };
  }

  private tradeQty(): number {
    // Mostly small prints with a long tail of large ones.
    return 1 + Math.floor(-Math.log(1 - this.prng.next()) * this.profile.lot);
  }

  /** Nudge a few resting quantities (orders added and cancelled). */
  private churn(d: Depth): void {
    for (let k = 0; k < 2; k++) {
      const side = this.prng.next() < 0.5 ? d.ask : d.bid;
      const i = this.prng.int(0, BOOK_LEVELS - 1);
      const delta = Math.round((this.prng.next() - 0.45) * this.profile.lot * 8);
      side[i] = Math.max(1, side[i]! + delta);
    }
  }

  /** Move the ladder one tick up or down, shifting every venue's depth with it. */
  private move(up: boolean): void {
    const deviation = this.bid1 / this.profile.prevClose - 1;
    // Keep the whole ladder inside the daily limits, so no level is ever empty.
    if (up && (tickUp(this.askP[BOOK_LEVELS - 1]!) > this.upper || deviation > 0.25)) return;
    if (!up && (tickDown(this.bidP[BOOK_LEVELS - 1]!) < this.lower || deviation < -0.25)) return;
    this.bid1 = up ? this.askP[0]! : tickDown(this.bid1);
    this.layPrices();
    for (const v of ['KRX', 'NXT'] as const) {
      const d = this.depth[v];
      if (up) {
        d.ask.shift();
        d.ask.push(this.levelQty());
        d.bid.pop();
        d.bid.unshift(this.levelQty());
      } else {
        d.bid.shift();
        d.bid.push(this.levelQty());
        d.ask.pop();
        d.ask.unshift(this.levelQty());
      }
    }
  }

  /** Venues that can trade this code now (NXT only for NXT-tradable codes). */
  private tradingVenue(venue: Venue, clock: MarketClock): TradingVenue | null {
    const nxtOk = this.profile.nxt && clock.open.NXT;
    if (venue === 'KRX') return clock.open.KRX ? 'KRX' : null;
    if (venue === 'NXT') return nxtOk ? 'NXT' : null;
    if (clock.open.KRX && nxtOk) return this.prng.next() < 0.75 ? 'KRX' : 'NXT';
    return clock.open.KRX ? 'KRX' : nxtOk ? 'NXT' : null;
  }

  /**
   * Generate one trade for a subscription on `venue` and describe it in `out`; false when the
   * venue does not trade this code now (closed, or NXT for a code not tradable there).
   */
  trade(venue: Venue, clock: MarketClock, out: TradeSnapshot): boolean {
    const where = this.tradingVenue(venue, clock);
    if (where === null) return false;
    const d = this.depth[where];
    const deviation = this.bid1 / this.profile.prevClose - 1;
    const buy = this.prng.next() < Math.min(0.7, Math.max(0.3, 0.5 - deviation * 2));
    const level = buy ? d.ask : d.bid;
    if (level[0]! < 2) level[0] = this.levelQty();
    const qty = Math.min(this.tradeQty(), level[0]! - 1);
    level[0] = level[0]! - qty;
    const price = buy ? this.askP[0]! : this.bidP[0]!;
    this.stats[where].addTrade(price, qty, buy, clock.time);
    this.stats.UN.addTrade(price, qty, buy, clock.time);
    this.lastPrice = price;

    out.where = where;
    out.price = price;
    out.qty = qty;
    out.buy = buy;
    out.askP1 = this.askP[0]!;
    out.bidP1 = this.bidP[0]!;
    const q = this.depthOf(venue, clock);
    out.askQ1 = q.ask[0]!;
    out.bidQ1 = q.bid[0]!;
    out.totalAsk = sum(q.ask);
    out.totalBid = sum(q.bid);

    // A buy that ate into the ask may lift the price a tick (a sell may drop it), never the other way,
    // so the last trade stays within the touch.
    const pMove = 0.3 * (1 - Math.min(0.9, Math.abs(deviation) * 4 * (buy === deviation > 0 ? 1 : 0)));
    if (this.prng.next() < pMove) this.move(buy);
    else this.churn(d);
    return true;
  }

  private readonly scratchAsk: number[] = new Array<number>(BOOK_LEVELS).fill(0);
  private readonly scratchBid: number[] = new Array<number>(BOOK_LEVELS).fill(0);

  /**
   * Resting quantities of a venue's book now (UN: KRX and NXT merged level by level; the result
   * for UN is a scratch buffer, valid until the next call).
   */
  depthOf(venue: Venue, clock: MarketClock): Depth {
    if (venue !== 'UN') return this.depth[venue];
    const withNxt = this.profile.nxt && (clock.open.NXT || !clock.open.KRX);
    const k = this.depth.KRX, n = this.depth.NXT;
    for (let i = 0; i < BOOK_LEVELS; i++) {
      this.scratchAsk[i] = k.ask[i]! + (withNxt ? n.ask[i]! : 0);
      this.scratchBid[i] = k.bid[i]! + (withNxt ? n.bid[i]! : 0);
    }
    return { ask: this.scratchAsk, bid: this.scratchBid };
  }

  /** Does `venue` quote this code now? */
  quotes(venue: Venue, clock: MarketClock): boolean {
    if (venue === 'NXT' && !this.profile.nxt) return false;
    return clock.open[venue];
  }

  /** Orders added and cancelled on the books a quote of `venue` shows, before it is read. */
  churnBook(venue: Venue): void {
    if (venue === 'UN') {
      this.churn(this.depth.KRX);
      if (this.profile.nxt) this.churn(this.depth.NXT);
    } else {
      this.churn(this.depth[venue]);
    }
  }
}

export function sum(xs: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i]!;
  return s;
}
