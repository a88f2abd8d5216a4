/**
 * The simulated market: one model per stock code, shared by every venue and every session, so
 * quotes and trades of a code always come from the same book. Deterministic for a seed and a
 * sequence of calls.
 *
 * Model (doc §5.1, §5.2, §7):
 * - One price ladder per code on the KRX tick grid: best bid `bid1`, best ask one tick above, ten
 *   levels each side. KRX and NXT quote the same prices with their own quantities (a simplification:
 *   real NXT and KRX books differ by a tick now and then).
 * - A trade on a venue hits that venue's best ask (체결구분 1, buy-initiated) or best bid (5),
 *   leaving at least one share on the level, so the record shows STCK_PRPR == ASKP1 (or BIDP1).
 *   Afterwards the price may move one tick in the trade's direction, so the last trade price is
 *   always within [bid1, ask1]. Moves revert towards the previous close and stay inside ±30 %.
 * - Day statistics (OHLC and their times, cumulative volume/value, buy/sell counts and quantities)
 *   are kept per venue; 통합 (UN) statistics are computed over the union of the KRX and NXT trades
 *   (doc §7 [I]), and the UN book is the KRX and NXT depth merged level by level (same prices).
 *   A UN subscription draws its trades from an open venue (KRX 3 : NXT 1) and so moves that venue's
 *   statistics too; each stream samples the trades, so a stream's ACML_VOL can grow by more than
 *   its own CNTG_VOL when other streams of the code are subscribed.
 * - The day starts at the first trade the simulator generates (open = first trade, times from the
 *   clock); there is no carry-over of a real morning.
 */
import type { FieldDef } from '../protocol/field-def';
import { kstDate, kstSecondOfDay, kstTime } from '../protocol/kst';
import { marketSession, type MarketSessionLabel } from '../protocol/market-hours';
import { KNOWN_STOCKS, knownStock } from '../protocol/stock-codes';
import { TR_IDS, TR_TABLES, type TrId, type TrTable, type Venue } from '../protocol/tr-tables';
import { hashSeed, Prng } from './prng';
import { compileRecordBuilder, fix2, signCode, type FieldSource } from './record-builder';
import { krxTickSize, snapDown, snapUp, tickDown, tickUp } from './tick-size';

export const BOOK_LEVELS = 10;

/** Static facts of a simulated stock. */
export interface StockProfile {
  readonly code: string;
  readonly name: string;
  /** 전일 종가 (KRW, on the tick grid). */
  readonly prevClose: number;
  readonly prevDayVolume: number;
  readonly listedShares: number;
  /** Trades on NXT as well as KRX. */
  readonly nxt: boolean;
  /** Typical shares per trade. */
  readonly lot: number;
}

/**
 * Known codes (KNOWN_STOCKS) keep their name, price and NXT flag; any other code gets a price
 * between 1,000 and 300,000 KRW (log-uniform) from a hash of the code, and trades on both venues.
 */
export function stockProfile(code: string, seed: number): StockProfile {
  const h = new Prng(hashSeed(code, seed ^ 0x5eed));
  const known = knownStock(code);
  const prevClose = known !== undefined ? snapDown(known.price) : snapDown(Math.exp(Math.log(1000) + h.next() * Math.log(300)));
  // Daily traded value between 30 billion and 1 trillion KRW.
  const dailyValue = 3e10 * Math.exp(h.next() * Math.log(1e12 / 3e10));
  const prevDayVolume = Math.max(1000, Math.round(dailyValue / prevClose));
  return {
    code,
    name: known?.name ?? `SIM ${code}`,
    prevClose,
    prevDayVolume,
    listedShares: prevDayVolume * h.int(150, 1000),
    nxt: known?.nxt ?? true,
    lot: Math.max(1, Math.round(3e6 / prevClose)),
  };
}

/** The clock the generators read: computed once per scheduler tick, not per record. */
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
 * NEW_MKOP_CLS_CODE for a session: first char 1 장개시전 / 2 장중 / 3 장종료후, second 0 보통 (doc §5.6).
 * Using 1x/3x for NXT pre-/after-market is our inference [I]; KRX regular and NXT main are 20.
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
interface Depth {
  readonly ask: number[];
  readonly bid: number[];
}

/** What a tick (체결) record is built from; one mutable instance per model, reused. */
export interface TickContext {
  code: string;
  time: string;
  date: string;
  price: number;
  qty: number;
  /** 체결구분: '1' buy-initiated (hit the ask), '5' sell-initiated (hit the bid). */
  side: string;
  st: DayStats;
  profile: StockProfile;
  upper: number;
  lower: number;
  askP1: number;
  bidP1: number;
  askQ1: number;
  bidQ1: number;
  totalAsk: number;
  totalBid: number;
  mkop: string;
  prdySmnsVol: number;
}

/** What a quote (호가) record is built from. */
export interface QuoteContext {
  code: string;
  time: string;
  askP: readonly number[];
  bidP: readonly number[];
  askQ: number[];
  bidQ: number[];
  totalAsk: number;
  totalBid: number;
  dAsk: number;
  dBid: number;
  acmlVol: number;
  prevClose: number;
}

/** What a 체결통보 record is built from. */
export interface NoticeContext {
  htsId: string;
  orderNo: number;
  buy: boolean;
  code: string;
  name: string;
  qty: number;
  price: number;
  time: string;
}

const pct = (num: number, den: number): string => (den > 0 ? fix2((num / den) * 100) : '0.00');

const TICK_SOURCES: Readonly<Record<string, FieldSource<TickContext>>> = {
  MKSC_SHRN_ISCD: (c) => c.code,
  STCK_CNTG_HOUR: (c) => c.time,
  STCK_PRPR: (c) => c.price,
  PRDY_VRSS_SIGN: (c) => signCode(c.price - c.profile.prevClose, c.price >= c.upper, c.price <= c.lower),
  PRDY_VRSS: (c) => c.price - c.profile.prevClose,
  PRDY_CTRT: (c) => pct(c.price - c.profile.prevClose, c.profile.prevClose),
  WGHN_AVRG_STCK_PRC: (c) => fix2(c.st.acmlValue / c.st.acmlVol),
  STCK_OPRC: (c) => c.st.open,
  STCK_HGPR: (c) => c.st.high,
  STCK_LWPR: (c) => c.st.low,
  ASKP1: (c) => c.askP1,
  BIDP1: (c) => c.bidP1,
  CNTG_VOL: (c) => c.qty,
  ACML_VOL: (c) => c.st.acmlVol,
  ACML_TR_PBMN: (c) => c.st.acmlValue,
  SELN_CNTG_CSNU: (c) => c.st.sellCount,
  SHNU_CNTG_CSNU: (c) => c.st.buyCount,
  NTBY_CNTG_CSNU: (c) => c.st.buyCount - c.st.sellCount,
  // 체결강도 = 매수 체결량 / 매도 체결량 × 100; 0.00 until the first sell-initiated trade [I].
  CTTR: (c) => pct(c.st.buyQty, c.st.sellQty),
  SELN_CNTG_SMTN: (c) => c.st.sellQty,
  SHNU_CNTG_SMTN: (c) => c.st.buyQty,
  CCLD_DVSN: (c) => c.side,
  CNTG_CLS_CODE: (c) => c.side,
  // 매수비율: the exact KIS formula is unverified (doc §11); we use buy qty / (buy + sell qty) × 100.
  SHNU_RATE: (c) => pct(c.st.buyQty, c.st.buyQty + c.st.sellQty),
  PRDY_VOL_VRSS_ACML_VOL_RATE: (c) => pct(c.st.acmlVol, c.profile.prevDayVolume),
  OPRC_HOUR: (c) => c.st.openTime,
  OPRC_VRSS_PRPR_SIGN: (c) => signCode(c.price - c.st.open),
  OPRC_VRSS_PRPR: (c) => c.price - c.st.open,
  HGPR_HOUR: (c) => c.st.highTime,
  HGPR_VRSS_PRPR_SIGN: (c) => signCode(c.price - c.st.high),
  HGPR_VRSS_PRPR: (c) => c.price - c.st.high,
  LWPR_HOUR: (c) => c.st.lowTime,
  LWPR_VRSS_PRPR_SIGN: (c) => signCode(c.price - c.st.low),
  LWPR_VRSS_PRPR: (c) => c.price - c.st.low,
  BSOP_DATE: (c) => c.date,
  NEW_MKOP_CLS_CODE: (c) => c.mkop,
  TRHT_YN: () => 'N',
  ASKP_RSQN1: (c) => c.askQ1,
  BIDP_RSQN1: (c) => c.bidQ1,
  TOTAL_ASKP_RSQN: (c) => c.totalAsk,
  TOTAL_BIDP_RSQN: (c) => c.totalBid,
  VOL_TNRT: (c) => pct(c.st.acmlVol, c.profile.listedShares),
  PRDY_SMNS_HOUR_ACML_VOL: (c) => c.prdySmnsVol,
  PRDY_SMNS_HOUR_ACML_VOL_RATE: (c) => pct(c.st.acmlVol, c.prdySmnsVol),
  HOUR_CLS_CODE: () => '0',
  MRKT_TRTM_CLS_CODE: () => '',
  // 정적 VI 기준가: the previous close stands in for the last single-price auction price [I].
  VI_STND_PRC: (c) => c.profile.prevClose,
};

function levelSources(): Record<string, FieldSource<QuoteContext>> {
  const out: Record<string, FieldSource<QuoteContext>> = {};
  for (let i = 0; i < BOOK_LEVELS; i++) {
    out[`ASKP${i + 1}`] = (c) => c.askP[i]!;
    out[`BIDP${i + 1}`] = (c) => c.bidP[i]!;
    out[`ASKP_RSQN${i + 1}`] = (c) => c.askQ[i]!;
    out[`BIDP_RSQN${i + 1}`] = (c) => c.bidQ[i]!;
  }
  return out;
}

const QUOTE_SOURCES: Readonly<Record<string, FieldSource<QuoteContext>>> = {
  MKSC_SHRN_ISCD: (c) => c.code,
  BSOP_HOUR: (c) => c.time,
  HOUR_CLS_CODE: () => '0',
  ...levelSources(),
  TOTAL_ASKP_RSQN: (c) => c.totalAsk,
  TOTAL_BIDP_RSQN: (c) => c.totalBid,
  OVTM_TOTAL_ASKP_RSQN: () => 0,
  OVTM_TOTAL_BIDP_RSQN: () => 0,
  // During the continuous session the expected-price fields read as observed on real frames (doc §5.2).
  ANTC_CNPR: () => 0,
  ANTC_CNQN: () => 0,
  ANTC_VOL: (c) => c.acmlVol,
  ANTC_CNTG_VRSS: (c) => -c.prevClose,
  ANTC_CNTG_VRSS_SIGN: () => '5',
  ANTC_CNTG_PRDY_CTRT: () => '-100.00',
  ACML_VOL: (c) => c.acmlVol,
  TOTAL_ASKP_RSQN_ICDC: (c) => c.dAsk,
  TOTAL_BIDP_RSQN_ICDC: (c) => c.dBid,
  OVTM_TOTAL_ASKP_ICDC: () => 0,
  OVTM_TOTAL_BIDP_ICDC: () => 0,
  STCK_DEAL_CLS_CODE: () => '0',
  // NXT/통합 중간가 (mid-price order) fields: no mid-price orders rest in the simulated book [I].
  KMID_PRC: () => 0,
  KMID_TOTAL_RSQN: () => 0,
  KMID_CLS_CODE: () => '0',
  NMID_PRC: () => 0,
  NMID_TOTAL_RSQN: () => 0,
  NMID_CLS_CODE: () => '0',
};

const pad10 = (n: number): string => String(n).padStart(10, '0');

const NOTICE_SOURCES: Readonly<Record<string, FieldSource<NoticeContext>>> = {
  CUST_ID: (c) => c.htsId,
  ACNT_NO: () => '5012345601',
  ODER_NO: (c) => pad10(c.orderNo),
  OODER_NO: () => '0000000000',
  SELN_BYOV_CLS: (c) => (c.buy ? '02' : '01'),
  RCTF_CLS: () => '0',
  ODER_KIND: () => '00',
  ODER_COND: () => '0',
  STCK_SHRN_ISCD: (c) => c.code,
  CNTG_QTY: (c) => c.qty,
  CNTG_UNPR: (c) => c.price,
  STCK_CNTG_HOUR: (c) => c.time,
  RFUS_YN: () => '0',
  CNTG_YN: () => '2',
  ACPT_YN: () => '2',
  BRNC_NO: () => '06010',
  ODER_QTY: (c) => c.qty,
  ACNT_NAME: () => '모의고객',
  ORD_COND_PRC: () => 0,
  ORD_EXG_GB: () => '1',
  POPUP_YN: () => 'Y',
  FILLER: () => '',
  CRDT_CLS: () => '',
  CRDT_LOAN_DATE: () => '',
  CNTG_ISNM40: (c) => c.name,
  ODER_PRC: (c) => c.price,
};

type Builders = {
  readonly tick: Readonly<Partial<Record<TrId, (c: TickContext) => string>>>;
  readonly quote: Readonly<Partial<Record<TrId, (c: QuoteContext) => string>>>;
  readonly notice: Readonly<Partial<Record<TrId, (c: NoticeContext) => string>>>;
};

function compileBuilders(): Builders {
  const tick: Partial<Record<TrId, (c: TickContext) => string>> = {};
  const quote: Partial<Record<TrId, (c: QuoteContext) => string>> = {};
  const notice: Partial<Record<TrId, (c: NoticeContext) => string>> = {};
  for (const trId of TR_IDS) {
    const t = TR_TABLES[trId];
    const fields: readonly FieldDef[] = t.fields;
    if (t.kind === 'tick') tick[trId] = compileRecordBuilder(fields, TICK_SOURCES, trId);
    else if (t.kind === 'quote') quote[trId] = compileRecordBuilder(fields, QUOTE_SOURCES, trId);
    else if (t.kind === 'notice') notice[trId] = compileRecordBuilder(fields, NOTICE_SOURCES, trId);
  }
  return { tick, quote, notice };
}

const BUILDERS: Builders = compileBuilders();

type TradingVenue = 'KRX' | 'NXT';

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

  /** Venues that can trade this code now (NXT only for NXT-listed codes). */
  private tradingVenue(venue: Venue, clock: MarketClock): TradingVenue | null {
    const nxtOk = this.profile.nxt && clock.open.NXT;
    if (venue === 'KRX') return clock.open.KRX ? 'KRX' : null;
    if (venue === 'NXT') return nxtOk ? 'NXT' : null;
    if (clock.open.KRX && nxtOk) return this.prng.next() < 0.75 ? 'KRX' : 'NXT';
    return clock.open.KRX ? 'KRX' : nxtOk ? 'NXT' : null;
  }

  /**
   * Generate one trade for a subscription on `venue` and fill `c` for its record; false when the
   * venue does not trade this code now (closed, or NXT for a code not listed there).
   */
  trade(venue: Venue, clock: MarketClock, c: TickContext): boolean {
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

    c.code = this.profile.code;
    c.time = clock.time;
    c.date = clock.date;
    c.price = price;
    c.qty = qty;
    c.side = buy ? '1' : '5';
    c.st = this.stats[venue];
    c.profile = this.profile;
    c.upper = this.upper;
    c.lower = this.lower;
    c.askP1 = this.askP[0]!;
    c.bidP1 = this.bidP[0]!;
    c.mkop = clock.mkop[venue];
    c.prdySmnsVol = Math.max(1, Math.round(this.profile.prevDayVolume * clock.dayFraction));
    this.fillTouch(venue, clock, c);

    // A buy that ate into the ask may lift the price a tick (a sell may drop it), never the other way,
    // so the last trade stays within the touch.
    const pMove = 0.3 * (1 - Math.min(0.9, Math.abs(deviation) * 4 * (buy === deviation > 0 ? 1 : 0)));
    if (this.prng.next() < pMove) this.move(buy);
    else this.churn(d);
    return true;
  }

  /** Resting quantities at level 1 and the totals, for a venue (UN: KRX and NXT merged). */
  private fillTouch(venue: Venue, clock: MarketClock, c: TickContext): void {
    const q = this.mergedDepth(venue, clock, this.scratchAsk, this.scratchBid);
    c.askQ1 = q.ask[0]!;
    c.bidQ1 = q.bid[0]!;
    c.totalAsk = sum(q.ask);
    c.totalBid = sum(q.bid);
  }

  private readonly scratchAsk: number[] = new Array<number>(BOOK_LEVELS).fill(0);
  private readonly scratchBid: number[] = new Array<number>(BOOK_LEVELS).fill(0);

  private mergedDepth(venue: Venue, clock: MarketClock, ask: number[], bid: number[]): Depth {
    if (venue !== 'UN') return this.depth[venue];
    const withNxt = this.profile.nxt && (clock.open.NXT || !clock.open.KRX);
    const k = this.depth.KRX, n = this.depth.NXT;
    for (let i = 0; i < BOOK_LEVELS; i++) {
      ask[i] = k.ask[i]! + (withNxt ? n.ask[i]! : 0);
      bid[i] = k.bid[i]! + (withNxt ? n.bid[i]! : 0);
    }
    return { ask, bid };
  }

  /** Fill `c` with the current book of `venue`; false when the venue does not quote this code now. */
  quote(venue: Venue, clock: MarketClock, c: QuoteContext): boolean {
    if (venue === 'NXT' && !this.profile.nxt) return false;
    if (!clock.open[venue]) return false;
    if (venue === 'UN') {
      this.churn(this.depth.KRX);
      if (this.profile.nxt) this.churn(this.depth.NXT);
    } else {
      this.churn(this.depth[venue]);
    }
    const q = this.mergedDepth(venue, clock, this.scratchAsk, this.scratchBid);
    const st = this.stats[venue];
    for (let i = 0; i < BOOK_LEVELS; i++) {
      c.askQ[i] = q.ask[i]!;
      c.bidQ[i] = q.bid[i]!;
    }
    c.code = this.profile.code;
    c.time = clock.time;
    c.askP = this.askP;
    c.bidP = this.bidP;
    c.totalAsk = sum(c.askQ);
    c.totalBid = sum(c.bidQ);
    c.dAsk = st.lastTotalAsk < 0 ? 0 : c.totalAsk - st.lastTotalAsk;
    c.dBid = st.lastTotalBid < 0 ? 0 : c.totalBid - st.lastTotalBid;
    st.lastTotalAsk = c.totalAsk;
    st.lastTotalBid = c.totalBid;
    c.acmlVol = st.acmlVol;
    c.prevClose = this.profile.prevClose;
    return true;
  }
}

function sum(xs: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i]!;
  return s;
}

/** Every simulated stock of one simulator, created on first use, and the record builders. */
export class MarketModel {
  private readonly markets = new Map<string, CodeMarket>();
  private readonly noticePrng: Prng;
  private orderNo = 0;
  private readonly tickCtx: TickContext;
  private readonly quoteCtx: QuoteContext;
  private readonly noticeCtx: NoticeContext;

  constructor(readonly seed: number) {
    this.noticePrng = new Prng(hashSeed('notice', seed));
    this.orderNo = 1000 + this.noticePrng.int(0, 8000);
    this.tickCtx = {
      code: '', time: '', date: '', price: 0, qty: 0, side: '1', st: new DayStats(), profile: stockProfile('000000', seed),
      upper: 0, lower: 0, askP1: 0, bidP1: 0, askQ1: 0, bidQ1: 0, totalAsk: 0, totalBid: 0, mkop: '20', prdySmnsVol: 1,
    };
    this.quoteCtx = {
      code: '', time: '', askP: [], bidP: [], askQ: new Array<number>(BOOK_LEVELS).fill(0), bidQ: new Array<number>(BOOK_LEVELS).fill(0),
      totalAsk: 0, totalBid: 0, dAsk: 0, dBid: 0, acmlVol: 0, prevClose: 0,
    };
    this.noticeCtx = { htsId: '', orderNo: 0, buy: true, code: '', name: '', qty: 0, price: 0, time: '' };
  }

  market(code: string): CodeMarket {
    let m = this.markets.get(code);
    if (m === undefined) {
      m = new CodeMarket(code, this.seed);
      this.markets.set(code, m);
    }
    return m;
  }

  /**
   * The next record (`^`-joined fields) of a market-data TR for a code, or null when that venue
   * does not trade the code now. Not for 체결통보 (see `notice`).
   */
  record(table: TrTable, code: string, clock: MarketClock): string | null {
    const venue = table.venue;
    if (venue === null) return null;
    const m = this.market(code);
    if (table.kind === 'tick') {
      return m.trade(venue, clock, this.tickCtx) ? BUILDERS.tick[table.trId]!(this.tickCtx) : null;
    }
    return m.quote(venue, clock, this.quoteCtx) ? BUILDERS.quote[table.trId]!(this.quoteCtx) : null;
  }

  /** A simulated fill of one of the user's orders (체결통보 record, plaintext) for an HTS ID. */
  notice(trId: TrId, htsId: string, clock: MarketClock): string {
    const stock = KNOWN_STOCKS[this.noticePrng.int(0, KNOWN_STOCKS.length - 1)]!;
    const m = this.market(stock.code);
    const c = this.noticeCtx;
    c.htsId = htsId;
    c.orderNo = ++this.orderNo;
    c.buy = this.noticePrng.next() < 0.5;
    c.code = stock.code;
    c.name = stock.name;
    c.qty = this.noticePrng.int(1, 20);
    c.price = m.lastPrice > 0 ? m.lastPrice : m.touch[c.buy ? 'ask' : 'bid'];
    c.time = clock.time;
    const build = BUILDERS.notice[trId];
    if (build === undefined) throw new Error(`simulator: ${trId} is not a 체결통보 TR`);
    return build(c);
  }
}

export { krxTickSize };
