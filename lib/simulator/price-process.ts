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
import { kstTime } from '../protocol/kst';
import type { Venue } from '../protocol/tr-tables';
import { expectedPrice, expectedQty, type Auction, type AuctionCause } from './auction';
import type { MarketClock } from './clock';
import { EventLog } from './events';
import { bookFlow, drawFlow, VenueFlows, type FlowDraw } from './flows';
import { hashSeed, Prng } from './prng';
import { isAuction, type KrxPhase, type SessionState } from './sessions';
import { snapDown, snapUp, tickDown, tickUp } from './tick-size';
import { isKospi200, listing, namedListing, type ListingMarket } from './universe';
import { VI_AUCTION_MS, VI_RANDOM_END_MS, viTrigger, type ViKind } from './vi';

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
  /** KOSPI200 constituent (tighter dynamic VI band). */
  readonly kospi200: boolean;
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
    kospi200: isKospi200(code),
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

/** What the model does beyond continuous trading. */
export interface MarketBehaviour {
  /** Trigger VIs (static/dynamic bands) in KRX continuous trading. */
  readonly vi: boolean;
}

/** How much more strongly an ETF's price is pulled to its NAV than a share's to its previous close. */
const ETF_PULL = 100;

/** Chance per KRX continuous trade of an aggressive order that would sweep several levels. */
const SWEEP_CHANCE = 0.004;

/** A single-price match (open, close, VI, 시간외 단일가 call), kept for the feeds that show it once. */
export interface AuctionPrint {
  readonly seq: number;
  readonly cause: AuctionCause;
  /** KST HHMMSS of the match. */
  readonly time: string;
  readonly trade: TradeSnapshot;
}

/** The book and day statistics of one stock code. */
export class CodeMarket {
  readonly profile: StockProfile;
  readonly upper: number;
  readonly lower: number;
  /** Told of every trade this market prints (the simulator's order engine fills orders with them, orders.ts). */
  onTrade: ((code: string, trade: TradeSnapshot, clock: MarketClock) => void) | null = null;
  /** Price of the last trade on any venue (0 before the first trade). */
  lastPrice = 0;
  /** For an ETF: its NAV now, which its price follows (set by the market model); null for a share. */
  fairValue: (() => number) | null = null;
  private readonly prng: Prng;
  private bid1: number;
  private readonly askP: number[] = new Array<number>(BOOK_LEVELS).fill(0);
  private readonly bidP: number[] = new Array<number>(BOOK_LEVELS).fill(0);
  private readonly depth: Record<TradingVenue, Depth>;
  readonly stats: Record<Venue, DayStats> = { KRX: new DayStats(), NXT: new DayStats(), UN: new DayStats() };
  /** 시간외 단일가 (KRX) statistics: a separate book and its own prints. */
  readonly overtimeStats = new DayStats();
  readonly flows: Record<Venue, VenueFlows> = { KRX: new VenueFlows(), NXT: new VenueFlows(), UN: new VenueFlows() };
  readonly events = new EventLog();
  /** Static VI reference: 기준가, then the latest single-price match. */
  staticRef: number;
  /** The call in progress (opening/closing call, VI, 시간외 단일가), or null. */
  auction: Auction | null = null;
  halted = false;
  /** The latest single-price match of the regular session and of 시간외 단일가 (0 = none yet). */
  lastPrint: AuctionPrint | null = null;
  lastOvertimePrint: AuctionPrint | null = null;
  /** Number of VIs so far today. */
  viCount = 0;
  private printSeq = 0;
  private phaseKey = '';
  private forceVi = false;
  private readonly flowPrng: Prng;
  private readonly flowDraw: FlowDraw = { seller: 0, buyer: 0, program: null };

  constructor(code: string, seed: number, private readonly behaviour: MarketBehaviour = { vi: false }) {
    this.profile = stockProfile(code, seed);
    this.prng = new Prng(hashSeed(code, seed));
    this.flowPrng = new Prng(hashSeed(code, seed ^ 0xf10a));
    this.staticRef = this.profile.prevClose;
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
  private move(up: boolean): boolean {
    const deviation = this.bid1 / this.profile.prevClose - 1;
    // Keep the whole ladder inside the daily limits, so no level is ever empty.
    if (up && (tickUp(this.askP[BOOK_LEVELS - 1]!) > this.upper || deviation > 0.25)) return false;
    if (!up && (tickDown(this.bidP[BOOK_LEVELS - 1]!) < this.lower || deviation < -0.25)) return false;
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
    return true;
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
    this.advance(clock);
    // A VI or a halt stops the code everywhere (the simulated NXT pauses it too); a KRX call only stops KRX.
    if (this.halted || this.auction?.cause === 'vi') return false;
    const where = this.tradingVenue(venue, clock);
    if (where === null) return false;
    const d = this.depth[where];
    const deviation = this.pull();
    const buy = this.prng.next() < Math.min(0.7, Math.max(0.3, 0.5 - deviation * 2));
    if ((this.behaviour.vi || this.forceVi) && where === 'KRX' && clock.sessions.krx === 'continuous' && this.checkVi(buy, clock)) return false;
    const level = buy ? d.ask : d.bid;
    if (level[0]! < 2) level[0] = this.levelQty();
    const qty = Math.min(this.tradeQty(), level[0]! - 1);
    level[0] = level[0]! - qty;
    const price = buy ? this.askP[0]! : this.bidP[0]!;
    this.book(where, price, qty, buy, clock.time);

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
    if (this.onTrade !== null) this.onTrade(this.profile.code, out, clock);

    // A buy that ate into the ask may lift the price a tick (a sell may drop it), never the other way,
    // so the last trade stays within the touch.
    const pMove = 0.3 * (1 - Math.min(0.9, Math.abs(deviation) * 4 * (buy === deviation > 0 ? 1 : 0)));
    if (this.prng.next() < pMove) this.move(buy);
    else this.churn(d);
    return true;
  }

  /**
   * How far the ladder is from where trading pulls it back: the previous close for a share; for an
   * ETF its NAV (`fairValue`), scaled by ETF_PULL so the price stays within a few ticks of the NAV
   * (the LP and arbitrage keep a real ETF's premium small).
   */
  private pull(): number {
    if (this.fairValue === null) return this.bid1 / this.profile.prevClose - 1;
    return (this.bid1 / this.fairValue() - 1) * ETF_PULL;
  }

  /** Book a trade on a venue and on 통합: day statistics, members, program flows. */
  private book(where: TradingVenue, price: number, qty: number, buy: boolean, time: string): void {
    this.stats[where].addTrade(price, qty, buy, time);
    this.stats.UN.addTrade(price, qty, buy, time);
    const draw = drawFlow(this.flowPrng, buy, this.flowDraw);
    bookFlow(this.flows[where], draw, price, qty);
    bookFlow(this.flows.UN, draw, price, qty);
    this.lastPrice = price;
  }

  /**
   * Before a KRX continuous trade: would it (or an occasional aggressive order sweeping several
   * levels) pass a VI band? Then start the VI call instead and print nothing (true). A sweep that
   * stays inside the bands moves the ladder there first.
   */
  private checkVi(buy: boolean, clock: MarketClock): boolean {
    let wouldBe = buy ? this.askP[0]! : this.bidP[0]!;
    let sweep = this.forceVi;
    if (!sweep && this.behaviour.vi && this.prng.next() < SWEEP_CHANCE) sweep = true;
    if (sweep) {
      // The forced sweep goes just past the dynamic band; a random one moves 1–9 %.
      const reach = this.forceVi ? 0.07 : 0.01 + this.prng.next() * 0.08;
      wouldBe = buy ? snapDown(wouldBe * (1 + reach)) : snapUp(wouldBe * (1 - reach));
      wouldBe = Math.min(this.upper, Math.max(this.lower, wouldBe));
    }
    const last = this.lastPrice > 0 ? this.lastPrice : this.profile.prevClose;
    const kind = viTrigger(wouldBe, last, this.staticRef, this.profile.kospi200);
    if (kind !== null) {
      this.startVi(kind, wouldBe, clock);
      return true;
    }
    if (sweep) while ((buy ? this.askP[0]! < wouldBe : this.bidP[0]! > wouldBe) && this.move(buy));
    return false;
  }

  /**
   * Does a stream of `venue` carry data for this code at all? Not NXT for a stock NXT does not
   * trade — and not 통합 either: a production report has H0UNCNT0 acknowledging but never sending
   * trades for such stocks (docs/protocol/realtime-trs.md), and the simulator does the same for
   * every 통합 stream of them. KRX streams always do.
   */
  servesVenue(venue: Venue): boolean {
    return venue === 'KRX' || this.profile.nxt;
  }

  /** Force a VI at this code's next KRX continuous trade (for tests and demos). */
  triggerVi(): void {
    this.forceVi = true;
  }

  private startVi(kind: ViKind, wouldBe: number, clock: MarketClock): void {
    this.forceVi = false;
    this.viCount++;
    const endsAt = clock.epochMs + VI_AUCTION_MS + this.prng.int(0, VI_RANDOM_END_MS);
    this.auction = this.newAuction('vi', kind, clock.epochMs, endsAt, clock.epochMs, wouldBe, this.profile.lot * this.prng.int(20, 200));
    this.event(clock.time, 'KRX', '', '311', true);
    if (this.profile.nxt) this.event(clock.time, 'NXT', '', '311', true);
  }

  /** Halt or resume trading of this code on every venue (거래정지 / 재개), announced in 장운영정보. */
  setHalt(halted: boolean, reason: string, clock: MarketClock): void {
    if (this.halted === halted) return;
    this.halted = halted;
    this.haltReason = halted ? reason : '(null)';
    this.event(clock.time, 'KRX', '', '', false);
    if (this.profile.nxt) this.event(clock.time, 'NXT', '', '', false);
  }

  private haltReason = '(null)';
  /** MKOP_CLS_CODE of the KRX session in force, repeated on VI and halt events. */
  private sessionMkop = '';

  private event(time: string, venue: 'KRX' | 'NXT', mkop: string, antcMkop: string, vi: boolean): void {
    if (mkop !== '') this.sessionMkop = mkop;
    this.events.add({
      time, venue, halted: this.halted, haltReason: this.haltReason, mkop: mkop !== '' ? mkop : this.sessionMkop,
      antcMkop, stockState: this.halted ? '58' : '55', vi,
    });
  }

  private newAuction(cause: AuctionCause, viKind: ViKind | null, startedAt: number, endsAt: number, publishFrom: number, centre: number, targetQty: number): Auction {
    // Keep the whole ladder inside the daily limits around the match, as move() does.
    const lo = snapUp(this.profile.prevClose * 0.76), hi = snapDown(this.profile.prevClose * 1.24);
    const target = Math.min(hi, Math.max(lo, snapDown(centre)));
    return { cause, viKind, startedAt, endsAt, publishFrom, target, targetQty: Math.max(1, Math.round(targetQty)), lower: lo, upper: hi };
  }

  /** A few ticks either way of `p`, for where a call will match. */
  private nearby(p: number, maxTicks: number): number {
    let q = snapDown(p);
    for (let k = this.prng.int(-maxTicks, maxTicks); k !== 0; k += k > 0 ? -1 : 1) q = k > 0 ? tickUp(q) : tickDown(q);
    return q;
  }

  /**
   * Follow the calendar: end a call whose time is up (printing its match), start the call of a
   * new phase, announce session changes. Called by every feed before it reads the code, so the
   * state is the same whichever feed looks first.
   */
  advance(clock: MarketClock): void {
    const s = clock.sessions;
    const a = this.auction;
    if (a !== null && a.cause === 'vi' && (clock.epochMs >= a.endsAt || s.krx !== 'continuous')) {
      this.auction = null;
      this.match(a, Math.min(a.endsAt, clock.epochMs));
      const time = kstTime(Math.min(a.endsAt, clock.epochMs));
      this.event(time, 'KRX', '', '112', false);
      if (this.profile.nxt) this.event(time, 'NXT', '', '112', false);
    }
    const key = s.krx + ':' + s.krxStart;
    if (key === this.phaseKey) return;
    const first = this.phaseKey === '';
    this.phaseKey = key;
    const call = this.auction;
    if (call !== null && call.cause !== 'vi') {
      this.auction = null;
      this.match(call, call.endsAt);
    }
    if (isAuction(s.krx)) this.auction = this.callFor(s);
    if (!first) this.announce(s.krx, clock.time);
  }

  private callFor(s: SessionState): Auction {
    const pc = this.profile.prevClose;
    const ref = this.lastPrice > 0 ? this.lastPrice : pc;
    if (s.krx === 'opening-auction') {
      const centre = this.nearby(ref * (1 + (this.prng.next() - 0.5) * 0.03), 2);
      return this.newAuction('open', null, s.krxStart, s.krxEnd, s.expectedFrom, centre, this.profile.prevDayVolume * (0.005 + this.prng.next() * 0.015));
    }
    if (s.krx === 'closing-auction') {
      return this.newAuction('close', null, s.krxStart, s.krxEnd, s.krxStart, this.nearby(ref, 3), this.profile.prevDayVolume * (0.01 + this.prng.next() * 0.03));
    }
    // 시간외 단일가: within ±10 % of the day's close.
    const close = this.stats.KRX.acmlVol > 0 ? this.lastPrice : pc;
    const centre = Math.min(snapDown(close * 1.1), Math.max(snapUp(close * 0.9), this.nearby(close, 3)));
    return this.newAuction('overtime', null, s.krxStart, s.krxEnd, s.krxStart, centre, this.profile.lot * this.prng.int(5, 80));
  }

  /** MKOP/ANTC codes of a KRX session change (docs/protocol/realtime-trs.md, 장운영정보). */
  private announce(phase: KrxPhase, time: string): void {
    const codes: Readonly<Record<KrxPhase, readonly [string, string]>> = {
      'opening-auction': ['110', '311'],
      continuous: ['112', '112'],
      'closing-auction': ['121', '121'],
      closed: ['129', '129'],
      'overtime-auction': ['150', ''],
      'after-market': ['', ''],
    };
    const [mkop, antc] = codes[phase];
    if (mkop === '' && antc === '') return;
    this.event(time, 'KRX', mkop, antc, false);
  }

  /** The match that ends a call: one print at the call's price, the ladder re-centred on it. */
  private match(a: Auction, at: number): void {
    const price = a.target, qty = a.targetQty;
    const before = this.lastPrice > 0 ? this.lastPrice : this.profile.prevClose;
    const buy = price >= before;
    const time = kstTime(at);
    const snap = newTradeSnapshot();
    if (a.cause === 'overtime') {
      this.overtimeStats.addTrade(price, qty, buy, time);
      Object.assign(snap, { where: 'KRX', price, qty, buy, askP1: buy ? price : tickUp(price), bidP1: buy ? tickDown(price) : price, askQ1: 1, bidQ1: 1, totalAsk: 1, totalBid: 1 });
      this.lastOvertimePrint = { seq: ++this.printSeq, cause: a.cause, time, trade: snap };
      return;
    }
    this.bid1 = buy ? tickDown(price) : price;
    this.layPrices();
    this.book('KRX', price, qty, buy, time);
    this.staticRef = price;
    const q = this.depth.KRX;
    Object.assign(snap, { where: 'KRX', price, qty, buy, askP1: this.askP[0]!, bidP1: this.bidP[0]!, askQ1: q.ask[0]!, bidQ1: q.bid[0]!, totalAsk: sum(q.ask), totalBid: sum(q.bid) });
    this.lastPrint = { seq: ++this.printSeq, cause: a.cause, time, trade: snap };
  }

  /** The expected match of the call in progress at `t`, or null (none, or not yet published). */
  expected(t: number): { readonly price: number; readonly qty: number; readonly auction: Auction } | null {
    const a = this.auction;
    if (a === null || t < a.publishFrom) return null;
    return { price: expectedPrice(a, this.profile.code, t), qty: expectedQty(a, t), auction: a };
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

  /**
   * Does `venue` quote this code now? KRX also quotes during its calls (from the moment expected
   * prices are published), with the expected match in the ANTC_* fields.
   */
  quotes(venue: Venue, clock: MarketClock): boolean {
    this.advance(clock);
    if (this.halted) return false;
    if (venue === 'NXT' && !this.profile.nxt) return false;
    if (clock.open[venue]) return true;
    return venue !== 'NXT' && this.krxCallQuotes(clock);
  }

  private krxCallQuotes(clock: MarketClock): boolean {
    const a = this.auction;
    return a !== null && a.cause !== 'overtime' && clock.epochMs >= a.publishFrom;
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
