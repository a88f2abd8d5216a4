/**
 * The simulator's order engine: the orders of one configured account and HTS ID, and the
 * 체결통보 (H0STCNI0 / H0STCNI9) records they produce, in KIS's order per order — accepted, then
 * partial fills, then the last fill; rejections, cancels (also of an IOC/FOK remainder) and
 * modifications as their own records (docs/protocol/notices.md).
 *
 * Fills are matched against trades the simulated market prints: a trade the 체결 stream of that
 * code carries (observeTrade), or, for a code nobody streams, a trade the engine asks the market
 * to print (so the day statistics a later 체결 subscriber sees include it). A fill never exceeds
 * the trade's quantity and has the trade's price and time.
 *
 * By default the engine places a steady, seeded stream of orders while someone subscribes, so a
 * client sees accepted and fill notices within seconds; `place`, `cancel` and `modify` place
 * specific ones (library API, and POST /sim/orders on the simulator's loopback HTTP port).
 */
import { NOTICE_FIELDS } from '../protocol/fields';
import type { MarketClock } from './clock';
import { NOTICE_CODES } from '../protocol/notices';
import { KNOWN_STOCKS } from '../protocol/stock-codes';
import { hashSeed, Prng } from './prng';
import type { MarketModel } from './market';
import { newTradeSnapshot } from './price-process';
import { compileRecordBuilder, type FieldSource } from './record-builder';
import type { SimulatorOptions } from './types';
import { isOnTickGrid, krxTickSize, tickDown, tickUp } from './tick-size';

/** The engine reads the simulator's clock (once per scheduler tick). */
export type OrderClock = MarketClock;

/** One trade the market printed. */
export interface TradePrint {
  readonly code: string;
  readonly price: number;
  readonly qty: number;
  /** HHMMSS, KST. */
  readonly time: string;
}

/** What the engine needs of the market: facts of a code, and a trade on demand. */
export interface OrderMarket {
  stock(code: string): { readonly name: string; readonly upper: number; readonly lower: number; readonly bid: number; readonly ask: number };
  /**
   * Print one KRX trade of `code` now (it counts in the day statistics); null when KRX does not
   * trade it now. The market also reports it to observeTrade, like every trade it prints.
   */
  trade(code: string, clock: OrderClock): TradePrint | null;
}

export type OrderSide = 'buy' | 'sell';
export type OrderCondition = 'none' | 'ioc' | 'fok';

export interface OrderRequest {
  readonly code: string;
  readonly side: OrderSide;
  readonly qty: number;
  /** Limit price (KRW, on the tick grid); 0 or absent = market order (시장가). */
  readonly price?: number;
  readonly condition?: OrderCondition;
}

export interface OrderResult {
  /** 주문번호 (10 digits) of the order, or of the 정정/취소 order. */
  readonly orderNo: string;
  readonly branchNo: string;
  readonly accepted: boolean;
  /** Why it was rejected (also sent as a 거부 notice). */
  readonly reason?: string;
}

export interface OrderEngineOptions {
  /** The configured HTS ID: notices go only to subscriptions with this tr_key. Unset: any HTS ID gets the stream. */
  readonly htsId?: string;
  /** 10-digit account (8-digit CANO + 2-digit product code); 8 digits get product code 01. */
  readonly account?: string;
  readonly accountName?: string;
  readonly seed?: number;
  /** Mean interval between automatic orders in ms while someone subscribes (default 6000; 0 = only placed orders). */
  readonly autoIntervalMs?: number;
}

export const DEFAULT_ACCOUNT = '5012345601';
export const DEFAULT_HTS_ID = 'kisdemo';
const BRANCH_NO = '06010';
/** A code no tick stream traded for this long gets a trade printed by the engine (ms). */
const IDLE_TRADE_MS = 700;
/** Notices kept for readers that are behind. */
const MAX_LOG = 2000;

/** Normalise `--account`: `50123456-01`, `5012345601` or `50123456` (→ product code 01). Throws on anything else. */
export function normalizeAccount(value: string): string {
  const digits = value.replace(/-/g, '').trim();
  if (/^\d{10}$/.test(digits)) return digits;
  if (/^\d{8}$/.test(digits)) return digits + '01';
  throw new Error('account must be 8 digits (CANO) or 10 digits (CANO + product code), e.g. 50123456-01');
}

/** HTS IDs as KIS accepts them in tr_key (letters, digits, a few marks). */
export function isValidHtsId(value: string): boolean {
  return /^[A-Za-z0-9_@.-]{1,16}$/.test(value);
}

/** One notice as the engine logs it; CUST_ID is filled per reader. */
interface NoticeEvent {
  htsId: string;
  account: string;
  accountName: string;
  orderNo: string;
  originalNo: string;
  side: OrderSide;
  rctf: string;
  orderKind: string;
  condition: string;
  code: string;
  cntgQty: number;
  cntgPrice: number;
  time: string;
  rejected: boolean;
  fill: boolean;
  acpt: string;
  orderQty: number;
  orderPrice: number;
  stockName: string;
}

const pad = (n: number, width: number): string => String(Math.max(0, Math.round(n))).padStart(width, '0');

/** Field values by field name; the layout is NOTICE_FIELDS (lib/protocol), so the simulator cannot reorder it. */
const SOURCES: Readonly<Record<string, FieldSource<NoticeEvent>>> = {
  CUST_ID: (e) => e.htsId,
  ACNT_NO: (e) => e.account,
  ODER_NO: (e) => e.orderNo,
  OODER_NO: (e) => e.originalNo,
  SELN_BYOV_CLS: (e) => (e.side === 'buy' ? NOTICE_CODES.SELN_BYOV_CLS.buy : NOTICE_CODES.SELN_BYOV_CLS.sell),
  RCTF_CLS: (e) => e.rctf,
  ODER_KIND: (e) => e.orderKind,
  ODER_COND: (e) => e.condition,
  STCK_SHRN_ISCD: (e) => e.code,
  // Zero-padded to the documented lengths, as KIS's example frames show.
  CNTG_QTY: (e) => pad(e.cntgQty, 10),
  CNTG_UNPR: (e) => pad(e.cntgPrice, 9),
  STCK_CNTG_HOUR: (e) => e.time,
  RFUS_YN: (e) => (e.rejected ? NOTICE_CODES.RFUS_YN.rejected : NOTICE_CODES.RFUS_YN.ok),
  CNTG_YN: (e) => (e.fill ? NOTICE_CODES.CNTG_YN.fill : NOTICE_CODES.CNTG_YN.receipt),
  ACPT_YN: (e) => e.acpt,
  BRNC_NO: () => BRANCH_NO,
  ODER_QTY: (e) => pad(e.orderQty, 9),
  ACNT_NAME: (e) => e.accountName,
  ORD_COND_PRC: () => pad(0, 9),
  ORD_EXG_GB: () => '1',
  POPUP_YN: () => 'Y',
  // What KIS puts in these for a cash order is not documented; our choice (docs/protocol/notices.md, "Doubts").
  FILLER: () => '   ',
  CRDT_CLS: () => '00',
  CRDT_LOAN_DATE: () => '00000000',
  CNTG_ISNM40: (e) => e.stockName,
  ODER_PRC: (e) => pad(e.orderPrice, 9),
};

const buildRecord = compileRecordBuilder(NOTICE_FIELDS, SOURCES, 'H0STCNI0');

interface Order {
  readonly orderNo: string;
  readonly code: string;
  readonly side: OrderSide;
  qty: number;
  /** 0 = market order. */
  price: number;
  readonly condition: OrderCondition;
  filled: number;
  /** The order number notices of this order carry (a 정정 order takes over). */
  noticeNo: string;
  originalNo: string;
  /** Auto orders: when to cancel or modify a resting one (epoch ms), or 0. */
  actAt: number;
  act: 'cancel' | 'modify' | null;
}

/** A reader of the notice stream (one 체결통보 subscription): its HTS ID and position. */
export interface NoticeReader {
  readonly htsId: string;
  /** The next record (plaintext, `^`-joined) for this reader, or null. */
  next(): string | null;
  close(): void;
}

export class OrderEngine {
  readonly htsId: string | null;
  readonly account: string;
  private readonly accountName: string;
  private readonly prng: Prng;
  private readonly autoIntervalMs: number;
  private nextOrderNo: number;
  private readonly working = new Map<string, Order>();
  private readonly lastTradeAt = new Map<string, number>();
  private readonly log: NoticeEvent[] = [];
  /** Sequence number of log[0]. */
  private logBase = 0;
  private autoDue = 0;
  private lastStep = -1;
  /** epoch ms of the last read by a reader (automatic orders only while someone reads). */
  private lastReadAt = -Infinity;
  /** The IOC/FOK order being settled against the trade the engine just asked for. */
  private immediate: Order | null = null;

  constructor(private readonly market: OrderMarket, o: OrderEngineOptions = {}) {
    if (o.htsId !== undefined && !isValidHtsId(o.htsId)) throw new Error('htsId must be 1–16 letters or digits');
    this.htsId = o.htsId ?? null;
    this.account = normalizeAccount(o.account ?? DEFAULT_ACCOUNT);
    this.accountName = o.accountName ?? '모의고객';
    this.prng = new Prng(hashSeed('orders', o.seed ?? 1));
    this.autoIntervalMs = o.autoIntervalMs ?? 6000;
    this.nextOrderNo = 1000 + this.prng.int(0, 8000);
    // The first automatic order goes out about a second after the first subscriber.
    this.autoDue = 0.15;
  }

  /** Does a 체결통보 subscription with this tr_key belong to the configured customer? */
  acceptsHtsId(htsId: string): boolean {
    return this.htsId === null || this.htsId === htsId;
  }

  /** A reader of the notices from now on, for a subscription with tr_key `htsId` (nothing for another customer's id). */
  reader(htsId: string): NoticeReader {
    let seq = this.logBase + this.log.length;
    let open = true;
    const mine = this.acceptsHtsId(htsId);
    return {
      htsId,
      next: (): string | null => {
        if (!open || !mine) return null;
        this.lastReadAt = this.lastStep;
        if (seq < this.logBase) seq = this.logBase; // fell behind the kept log
        const e = this.log[seq - this.logBase];
        if (e === undefined) return null;
        seq++;
        e.htsId = htsId;
        return buildRecord(e);
      },
      close: (): void => {
        open = false;
      },
    };
  }

  /** A trade the market printed (from the 체결 stream): fills working orders of that code. */
  observeTrade(t: TradePrint, atMs: number): void {
    this.lastTradeAt.set(t.code, atMs);
    let left = t.qty;
    const now = this.immediate;
    if (now !== null && now.code === t.code) {
      // An IOC/FOK order takes what this trade offers first (FOK: all or nothing), then it is settled.
      this.immediate = null;
      if (this.crosses(now, t.price) && (now.condition === 'ioc' || t.qty >= now.qty)) {
        const q = Math.min(left, now.qty);
        left -= q;
        this.fill(now, q, t);
      }
    }
    for (const o of this.working.values()) {
      if (left <= 0) break;
      if (o.code !== t.code || !this.crosses(o, t.price)) continue;
      const q = Math.min(left, o.qty - o.filled);
      left -= q;
      this.fill(o, q, t);
    }
  }

  /** Advance: automatic orders (while someone reads), and trades for codes no stream trades. */
  step(clock: OrderClock): void {
    if (clock.epochMs === this.lastStep) return; // once per scheduler tick, however many feeds ask
    const dt = this.lastStep < 0 ? 0 : Math.min(1000, Math.max(0, clock.epochMs - this.lastStep));
    this.lastStep = clock.epochMs;
    const someoneReads = clock.epochMs - this.lastReadAt < 2000;
    if (someoneReads && this.autoIntervalMs > 0 && clock.open.KRX) {
      this.autoDue -= dt / this.autoIntervalMs;
      if (this.autoDue <= 0) {
        this.autoDue += 0.5 + this.prng.next();
        this.autoOrder(clock);
      }
    }
    for (const o of [...this.working.values()]) {
      if (o.act !== null && clock.epochMs >= o.actAt) {
        const act = o.act;
        o.act = null;
        if (act === 'cancel') this.cancel(o.noticeNo, clock);
        else this.modify(o.noticeNo, { price: this.marketable(o.code, o.side) }, clock);
      }
    }
    const codes = new Set<string>();
    for (const o of this.working.values()) codes.add(o.code);
    for (const code of codes) {
      if (clock.epochMs - (this.lastTradeAt.get(code) ?? -Infinity) < IDLE_TRADE_MS) continue;
      // The market reports the trade to observeTrade itself.
      if (this.market.trade(code, clock) === null) this.lastTradeAt.set(code, clock.epochMs);
    }
  }

  /** Place an order: an accepted notice (or a rejection); fills follow as the market trades. */
  place(req: OrderRequest, clock: OrderClock): OrderResult {
    const orderNo = this.newOrderNo();
    const price = req.price ?? 0;
    const condition = req.condition ?? 'none';
    const order: Order = { orderNo, code: req.code, side: req.side, qty: req.qty, price, condition, filled: 0, noticeNo: orderNo, originalNo: '', actAt: 0, act: null };
    const reason = this.refusal(req, clock);
    this.notice(order, clock.time, { rctf: NOTICE_CODES.RCTF_CLS.normal, rejected: reason !== null, cntgQty: req.qty, cntgPrice: price });
    if (reason !== null) return { orderNo, branchNo: BRANCH_NO, accepted: false, reason };
    if (condition !== 'none') this.settleImmediate(order, clock);
    else this.working.set(orderNo, order);
    return { orderNo, branchNo: BRANCH_NO, accepted: true };
  }

  /** Cancel what is left of a working order (its own order number, 원주문번호 = the order). */
  cancel(orderNo: string, clock: OrderClock): OrderResult {
    const o = this.working.get(orderNo);
    const no = this.newOrderNo();
    if (o === undefined) return this.rejectAmend(no, orderNo, NOTICE_CODES.RCTF_CLS.cancel, clock, 'no working order with that number');
    this.working.delete(orderNo);
    const left = o.qty - o.filled;
    this.notice({ ...o, noticeNo: no, originalNo: o.noticeNo }, clock.time, { rctf: NOTICE_CODES.RCTF_CLS.cancel, rejected: false, cntgQty: left, cntgPrice: o.price, orderQty: left });
    return { orderNo: no, branchNo: BRANCH_NO, accepted: true };
  }

  /** Change the price (and optionally the remaining quantity) of a working order; later fills carry the 정정 order's number. */
  modify(orderNo: string, change: { price?: number; qty?: number }, clock: OrderClock): OrderResult {
    const o = this.working.get(orderNo);
    const no = this.newOrderNo();
    if (o === undefined) return this.rejectAmend(no, orderNo, NOTICE_CODES.RCTF_CLS.modify, clock, 'no working order with that number');
    const price = change.price ?? o.price;
    const left = change.qty ?? o.qty - o.filled;
    const s = this.market.stock(o.code);
    if (left <= 0 || left > o.qty - o.filled || (price !== 0 && (price > s.upper || price < s.lower || !isOnTickGrid(price)))) {
      return this.rejectAmend(no, orderNo, NOTICE_CODES.RCTF_CLS.modify, clock, 'price outside the daily limits or off the tick grid, or quantity not available');
    }
    this.working.delete(orderNo);
    // The 정정 order is an order of its own for what was left: its quantity, its fills, its number.
    const amended: Order = { ...o, orderNo: no, noticeNo: no, originalNo: o.noticeNo, price, qty: left, filled: 0, act: null };
    this.working.set(no, amended);
    this.notice(amended, clock.time, { rctf: NOTICE_CODES.RCTF_CLS.modify, rejected: false, cntgQty: left, cntgPrice: price, orderQty: left });
    return { orderNo: no, branchNo: BRANCH_NO, accepted: true };
  }

  /**
   * A market order that fills at once (the market prints trades until it is done): its accepted
   * notice, then its fill(s). For RunningSimulator.emitNotice.
   */
  emitFill(clock: OrderClock): OrderResult {
    const stock = KNOWN_STOCKS[this.prng.int(0, KNOWN_STOCKS.length - 1)]!;
    const placed = this.place({ code: stock.code, side: this.prng.next() < 0.5 ? 'buy' : 'sell', qty: this.prng.int(1, 20) }, clock);
    for (let i = 0; i < 50 && this.working.has(placed.orderNo); i++) this.market.trade(stock.code, clock);
    return placed;
  }

  /** Orders still working (for tests and the HTTP endpoint). */
  workingOrders(): { orderNo: string; code: string; side: OrderSide; qty: number; filled: number; price: number }[] {
    return [...this.working.values()].map((o) => ({ orderNo: o.noticeNo, code: o.code, side: o.side, qty: o.qty, filled: o.filled, price: o.price }));
  }

  // ---- internals ----

  private newOrderNo(): string {
    return pad(this.nextOrderNo++, 10);
  }

  private refusal(req: OrderRequest, clock: OrderClock): string | null {
    if (!clock.open.KRX) return 'the market is closed';
    const s = this.market.stock(req.code);
    const price = req.price ?? 0;
    if (price !== 0 && (price > s.upper || price < s.lower)) return `price ${price} is outside the daily limits ${s.lower}–${s.upper}`;
    if (price !== 0 && !isOnTickGrid(price)) return `price ${price} is not on the tick grid (${krxTickSize(price)} KRW)`;
    return null;
  }

  private crosses(o: Order, price: number): boolean {
    return o.price === 0 || (o.side === 'buy' ? price <= o.price : price >= o.price);
  }

  /** IOC/FOK: take what the next trade offers now, cancel the rest (ACPT_YN 3); FOK all or nothing. */
  private settleImmediate(o: Order, clock: OrderClock): void {
    this.immediate = o;
    this.market.trade(o.code, clock); // observeTrade fills it first
    this.immediate = null;
    const left = o.qty - o.filled;
    if (left <= 0) return;
    this.notice(o, clock.time, { rctf: NOTICE_CODES.RCTF_CLS.normal, rejected: false, cntgQty: left, cntgPrice: o.price, acpt: NOTICE_CODES.ACPT_YN.iocCancelled });
  }

  private fill(o: Order, qty: number, t: TradePrint): void {
    if (qty <= 0) return;
    o.filled += qty;
    this.notice(o, t.time, { rctf: NOTICE_CODES.RCTF_CLS.normal, rejected: false, cntgQty: qty, cntgPrice: t.price, fill: true });
    if (o.filled >= o.qty) this.working.delete(o.orderNo);
  }

  private rejectAmend(no: string, originalNo: string, rctf: string, clock: OrderClock, reason: string): OrderResult {
    const o = [...this.working.values()][0];
    this.notice(
      { orderNo: no, code: o?.code ?? '', side: o?.side ?? 'buy', qty: 0, price: 0, condition: 'none', filled: 0, noticeNo: no, originalNo, actAt: 0, act: null },
      clock.time,
      { rctf, rejected: true, cntgQty: 0, cntgPrice: 0 },
    );
    return { orderNo: no, branchNo: BRANCH_NO, accepted: false, reason };
  }

  private notice(o: Order, time: string, p: { rctf: string; rejected: boolean; cntgQty: number; cntgPrice: number; fill?: boolean; acpt?: string; orderQty?: number }): void {
    const name = o.code === '' ? '' : this.market.stock(o.code).name;
    this.log.push({
      htsId: '',
      account: this.account,
      accountName: this.accountName,
      orderNo: o.noticeNo,
      originalNo: o.originalNo,
      side: o.side,
      rctf: p.rctf,
      orderKind: o.price === 0 ? '01' : '00',
      condition: o.condition === 'ioc' ? '1' : o.condition === 'fok' ? '2' : '0',
      code: o.code,
      cntgQty: p.cntgQty,
      cntgPrice: p.cntgPrice,
      time,
      rejected: p.rejected,
      fill: p.fill === true,
      acpt: p.acpt ?? (p.fill === true ? NOTICE_CODES.ACPT_YN.confirmed : NOTICE_CODES.ACPT_YN.received),
      orderQty: p.orderQty ?? o.qty,
      orderPrice: o.price,
      stockName: name,
    });
    if (this.log.length > MAX_LOG) {
      const drop = this.log.length - MAX_LOG;
      this.log.splice(0, drop);
      this.logBase += drop;
    }
  }

  /** A limit price that trades now: the ask for a buy, the bid for a sell. */
  private marketable(code: string, side: OrderSide): number {
    const s = this.market.stock(code);
    return side === 'buy' ? s.ask : s.bid;
  }

  /** The seeded mix: mostly marketable limits (partial fills), some market, IOC, resting-then-cancelled or -modified, and rejected orders. */
  private autoOrder(clock: OrderClock): void {
    const stock = KNOWN_STOCKS[this.prng.int(0, KNOWN_STOCKS.length - 1)]!;
    const side: OrderSide = this.prng.next() < 0.5 ? 'buy' : 'sell';
    const qty = this.prng.int(1, 30);
    const s = this.market.stock(stock.code);
    const r = this.prng.next();
    if (r < 0.6) {
      this.place({ code: stock.code, side, qty, price: this.marketable(stock.code, side) }, clock);
    } else if (r < 0.7) {
      this.place({ code: stock.code, side, qty }, clock);
    } else if (r < 0.78) {
      this.place({ code: stock.code, side, qty: qty * 20, price: this.marketable(stock.code, side), condition: 'ioc' }, clock);
    } else if (r < 0.95) {
      // Resting five ticks away from the touch, then cancelled or moved to the touch a few seconds later.
      let price = side === 'buy' ? s.bid : s.ask;
      for (let i = 0; i < 5; i++) price = side === 'buy' ? tickDown(price) : tickUp(price);
      const placed = this.place({ code: stock.code, side, qty, price }, clock);
      const o = this.working.get(placed.orderNo);
      if (o !== undefined) {
        o.act = this.prng.next() < 0.5 ? 'cancel' : 'modify';
        o.actAt = clock.epochMs + 2000 + this.prng.int(0, 3000);
      }
    } else {
      // Beyond the upper limit: KIS refuses it (거부).
      this.place({ code: stock.code, side, qty, price: tickUp(s.upper) }, clock);
    }
  }
}

// ---- the simulator's glue: one engine per market model (the 체결통보 family is families/notice.ts, POST /sim/orders orders-http.ts) ----

const ENGINES = new WeakMap<MarketModel, OrderEngine>();

/** The order engine of a simulator's market (created by attachOrders). */
export function ordersOf(model: MarketModel): OrderEngine {
  const e = ENGINES.get(model);
  if (e === undefined) throw new Error('simulator: no order engine attached to this market');
  return e;
}

/**
 * Create the order engine of a simulator's market: its trades fill the orders (CodeMarket.onTrade
 * is set for each code the engine has orders in), and it prints trades for codes nobody streams.
 */
export function attachOrders(model: MarketModel, o: SimulatorOptions): OrderEngine {
  const snapshot = newTradeSnapshot();
  let engine: OrderEngine;
  const hooked = new Set<string>();
  const marketOf = (code: string): ReturnType<MarketModel['market']> => {
    const m = model.market(code);
    if (!hooked.has(code)) {
      hooked.add(code);
      // Only KRX trades fill: the engine's orders go to KRX (ORD_EXG_GB 1).
      m.onTrade = (c, t, clock) => {
        if (t.where === 'KRX') engine.observeTrade({ code: c, price: t.price, qty: t.qty, time: clock.time }, clock.epochMs);
      };
    }
    return m;
  };
  const market: OrderMarket = {
    stock(code) {
      const m = marketOf(code);
      const touch = m.touch;
      return { name: m.profile.name, upper: m.upper, lower: m.lower, bid: touch.bid, ask: touch.ask };
    },
    trade(code, clock) {
      const m = marketOf(code);
      return m.trade('KRX', clock, snapshot) ? { code, price: snapshot.price, qty: snapshot.qty, time: clock.time } : null;
    },
  };
  engine = new OrderEngine(market, {
    ...(o.htsId !== undefined && { htsId: o.htsId }),
    ...(o.account !== undefined && { account: o.account }),
    seed: o.seed ?? 1,
    // noticeIntervalMs 0 meant "notices only on demand" before the order engine; it still does.
    autoIntervalMs: o.autoOrderIntervalMs ?? (o.noticeIntervalMs === 0 ? 0 : 6000),
  });
  ENGINES.set(model, engine);
  return engine;
}
