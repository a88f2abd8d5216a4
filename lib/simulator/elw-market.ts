/**
 * The market of one simulated ELW (universe.ts ELW_LISTINGS): a book on the 5-KRW ELW grid laid
 * around the liquidity provider's value of the warrant at its underlying's last price
 * (elw-pricing.ts), so the ELW moves only as the underlying's one price process does; it has no
 * price process of its own. Shared by every ELW stream of the code in one market model.
 *
 * - Continuous trading (KRX only, 09:00–15:20): each trade first lets the underlying trade on KRX
 *   (as an index feed does), then re-lays the book at the new value: best bid = the value rounded
 *   down to the grid, best ask one tick above; LP quotes rest on the first LP_LEVELS levels of both
 *   sides (LP_* ≤ the level's total). A buy lifts the best ask, a sell hits the best bid; a trade
 *   with the LP's quantity moves LP_HVOL and LP_NTBY_QTY.
 * - Opening and closing calls of the underlying's calendar: no trades; the expected price is the
 *   value at the underlying's expected match, so it converges with it, and when the call ends the
 *   ELW prints one match at the value of the underlying's match. No LP quotes during calls and no
 *   ELW trades while its underlying is in a VI (our choices: KIS documents neither). ELWs have no
 *   VI of their own (docs/protocol/market-calendar.md).
 */
import type { Venue } from '../protocol/tr-tables';
import type { AuctionCause } from './auction';
import type { MarketClock } from './clock';
import { elwAnalytics, elwValue, type ElwAnalytics } from './elw-pricing';
import { lastPriceOf } from './indices';
import type { MarketModel } from './market';
import { hashSeed, Prng } from './prng';
import { BOOK_LEVELS, DayStats, newTradeSnapshot, sum, type CodeMarket, type StockProfile, type TradeSnapshot } from './price-process';
import { ELW_TICK, elwSnapDown } from './tick-size';
import { elwListing, type ElwListing } from './universe';

/** Levels of each side the LP quotes. */
export const LP_LEVELS = 3;
/** ELWs trade in lots of 10 warrants. */
const ELW_LOT = 10;

/** A call's match, shown once by each 체결 stream. */
export interface ElwPrint {
  readonly seq: number;
  readonly cause: AuctionCause;
  readonly time: string;
  readonly trade: TradeSnapshot;
}

export class ElwMarket {
  readonly profile: StockProfile;
  readonly upper: number;
  readonly lower: number;
  readonly staticRef: number;
  /** One day's statistics (ELWs trade on KRX only), under every venue key for the shared 체결 helpers. */
  readonly stats: Readonly<Record<Venue, DayStats>>;
  readonly askP: number[] = new Array<number>(BOOK_LEVELS).fill(0);
  readonly bidP: number[] = new Array<number>(BOOK_LEVELS).fill(0);
  /** Resting quantity per level (LP included) and the LP's part of it. */
  readonly askQ: number[];
  readonly bidQ: number[];
  readonly lpAsk: number[] = new Array<number>(BOOK_LEVELS).fill(0);
  readonly lpBid: number[] = new Array<number>(BOOK_LEVELS).fill(0);
  /** LP보유량 and today's LP net sold quantity. */
  lpHolding: number;
  lpNetSold = 0;
  lastPrint: ElwPrint | null = null;
  private printSeq = 0;
  private seenUnderlyingPrint: number;
  private readonly prng: Prng;
  private readonly scratch = newTradeSnapshot();

  constructor(readonly listing: ElwListing, readonly underlying: CodeMarket, seed: number) {
    this.prng = new Prng(hashSeed(listing.code, seed ^ 0xe1f));
    const u = underlying.profile;
    const prevClose = this.priceAt(u.prevClose);
    this.profile = {
      code: listing.code, name: listing.name, market: u.market, prevClose,
      prevDayVolume: ELW_LOT * this.prng.int(50_000, 400_000), listedShares: listing.issued, nxt: false, kospi200: false, lot: ELW_LOT,
    };
    // Price limits: the values at the underlying's limits (a put's upper limit is at the lower one).
    const [a, b] = [this.priceAt(underlying.upper), this.priceAt(underlying.lower)];
    this.upper = Math.max(a, b);
    this.lower = Math.min(a, b);
    this.staticRef = prevClose;
    const st = new DayStats();
    this.stats = { KRX: st, NXT: st, UN: st };
    this.askQ = new Array<number>(BOOK_LEVELS).fill(0);
    this.bidQ = new Array<number>(BOOK_LEVELS).fill(0);
    this.lpHolding = Math.round(listing.issued * 0.8);
    this.seenUnderlyingPrint = underlying.lastPrint?.seq ?? 0;
    this.lay(prevClose, false);
  }

  /** The ELW's price on its grid for the underlying at `s` (the LP's value, rounded down). */
  priceAt(s: number): number {
    return elwSnapDown(elwValue(this.listing, s));
  }

  /** The underlying's price the ELW is valued at now. */
  spot(): number {
    return lastPriceOf(this.underlying);
  }

  analytics(price: number): ElwAnalytics {
    return elwAnalytics(this.listing, this.spot(), price);
  }

  private levelQty(): number {
    return ELW_LOT * this.prng.int(10, 3000);
  }

  private lpQty(): number {
    return ELW_LOT * this.prng.int(5000, 20000);
  }

  /** Lay the ten levels around best bid `bid1`, fresh quantities when the prices moved; LP quotes if `lp`. */
  private lay(bid1: number, lp: boolean): void {
    const moved = this.bidP[0] !== bid1;
    for (let i = 0; i < BOOK_LEVELS; i++) {
      this.askP[i] = bid1 + ELW_TICK * (i + 1);
      this.bidP[i] = Math.max(0, bid1 - ELW_TICK * i);
      if (moved) {
        this.askQ[i] = this.levelQty();
        this.bidQ[i] = this.bidP[i]! > 0 ? this.levelQty() : 0;
      }
      const lpAsk = lp && i < LP_LEVELS ? (moved || this.lpAsk[i] === 0 ? this.lpQty() : this.lpAsk[i]!) : 0;
      const lpBid = lp && i < LP_LEVELS && this.bidP[i]! > 0 ? (moved || this.lpBid[i] === 0 ? this.lpQty() : this.lpBid[i]!) : 0;
      // The total includes the LP's part: add what the LP newly placed, take away what it withdrew.
      this.askQ[i] = Math.max(lpAsk, this.askQ[i]! + lpAsk - this.lpAsk[i]!);
      this.bidQ[i] = Math.max(lpBid, this.bidQ[i]! + lpBid - this.lpBid[i]!);
      this.lpAsk[i] = lpAsk;
      this.lpBid[i] = lpBid;
    }
  }

  /** Lay the book for `clock`: around the value now in continuous trading (with LP quotes), around `centre` in a call. */
  layFor(clock: MarketClock, centre: number | null): void {
    if (centre !== null) this.lay(centre - ELW_TICK, false);
    else this.lay(this.priceAt(this.spot()), clock.sessions.krx === 'continuous');
  }

  /** Follow the underlying's calendar: book the match of an opening or closing call once it printed. */
  advance(clock: MarketClock): void {
    const u = this.underlying;
    u.advance(clock);
    const p = u.lastPrint;
    if (p === null || p.seq <= this.seenUnderlyingPrint) return;
    this.seenUnderlyingPrint = p.seq;
    if (p.cause !== 'open' && p.cause !== 'close') return;
    const price = this.priceAt(p.trade.price);
    const qty = this.callQty(p.trade.qty);
    const buy = price >= (this.stats.KRX.acmlVol > 0 ? this.stats.KRX.open : this.profile.prevClose);
    this.stats.KRX.addTrade(price, qty, buy, p.time);
    this.lay(price - ELW_TICK, false);
    this.lastPrint = { seq: ++this.printSeq, cause: p.cause, time: p.time, trade: this.describe(newTradeSnapshot(), price, qty, buy) };
  }

  /** The ELW quantity of a call whose underlying expects `underlyingQty` shares (our scale). */
  callQty(underlyingQty: number): number {
    return ELW_LOT * Math.max(1, Math.round(underlyingQty * 0.2));
  }

  /** The expected match of the call in progress (opening or closing call of the underlying), or null. */
  expected(clock: MarketClock): { readonly price: number; readonly qty: number; readonly cause: AuctionCause } | null {
    this.advance(clock);
    const e = this.underlying.expected(clock.epochMs);
    if (e === null || (e.auction.cause !== 'open' && e.auction.cause !== 'close')) return null;
    return { price: this.priceAt(e.price), qty: this.callQty(e.qty), cause: e.auction.cause };
  }

  /** One continuous trade into `out`; false when the ELW does not trade now. */
  trade(clock: MarketClock, out: TradeSnapshot): boolean {
    this.advance(clock);
    const u = this.underlying;
    if (clock.sessions.krx !== 'continuous' || u.halted || u.auction !== null) return false;
    u.trade('KRX', clock, this.scratch);
    if (u.auction !== null) return false; // the underlying's trade started a VI
    this.layFor(clock, null);
    const buy = this.prng.next() < 0.5;
    const level = buy ? this.askQ : this.bidQ;
    const lp = buy ? this.lpAsk : this.lpBid;
    const retail = level[0]! - lp[0]!;
    // The LP takes the trade when it quotes the level and wins the draw (it holds most of the size).
    const withLp = lp[0]! > ELW_LOT && (retail <= ELW_LOT || this.prng.next() < 0.7);
    const room = (withLp ? lp[0]! : retail) - ELW_LOT;
    const qty = Math.max(ELW_LOT, Math.min(room, ELW_LOT * (1 + Math.floor(-Math.log(1 - this.prng.next()) * 300))));
    level[0] = level[0]! - qty;
    if (withLp) {
      lp[0] = lp[0]! - qty;
      this.lpHolding += buy ? -qty : qty;
      this.lpNetSold += buy ? qty : -qty;
    }
    const price = buy ? this.askP[0]! : this.bidP[0]!;
    this.stats.KRX.addTrade(price, qty, buy, clock.time);
    this.describe(out, price, qty, buy);
    return true;
  }

  /** Describe a trade (or an expected match) at `price` against the book as it rests now. */
  describe(out: TradeSnapshot, price: number, qty: number, buy: boolean): TradeSnapshot {
    out.where = 'KRX';
    out.price = price;
    out.qty = qty;
    out.buy = buy;
    out.askP1 = this.askP[0]!;
    out.bidP1 = this.bidP[0]!;
    out.askQ1 = this.askQ[0]!;
    out.bidQ1 = this.bidQ[0]!;
    out.totalAsk = sum(this.askQ);
    out.totalBid = sum(this.bidQ);
    return out;
  }

  /** Orders added and cancelled by others than the LP, before a quote is read. */
  churn(): void {
    for (let k = 0; k < 2; k++) {
      const ask = this.prng.next() < 0.5;
      const i = this.prng.int(0, BOOK_LEVELS - 1);
      const q = ask ? this.askQ : this.bidQ;
      const lp = ask ? this.lpAsk : this.lpBid;
      if ((ask ? this.askP : this.bidP)[i]! <= 0) continue;
      q[i] = Math.max(lp[i]! + ELW_LOT, q[i]! + ELW_LOT * Math.round((this.prng.next() - 0.45) * 400));
    }
  }
}

const ELWS = new WeakMap<MarketModel, Map<string, ElwMarket>>();

/** The market of a simulated ELW in `model` (null for a code that is not one). */
export function elwMarket(model: MarketModel, code: string): ElwMarket | null {
  const listing = elwListing(code);
  if (listing === undefined) return null;
  let byCode = ELWS.get(model);
  if (byCode === undefined) ELWS.set(model, (byCode = new Map()));
  let e = byCode.get(code);
  if (e === undefined) byCode.set(code, (e = new ElwMarket(listing, model.market(listing.underlying), model.seed)));
  return e;
}
