/**
 * 체결통보 (H0STCNI0 real / H0STCNI9 paper): simulated fills of the user's own orders for an HTS
 * ID, at prices of the shared market (docs/protocol/notices.md). The server encrypts them.
 */
import { TR_TABLES, type TrId, type TrTable } from '../../protocol/tr-tables';
import type { MarketClock } from '../clock';
import type { MarketModel } from '../market';
import { hashSeed, Prng } from '../prng';
import { builderFor, compileKindBuilders, type FieldSource } from '../record-builder';
import { UNIVERSE } from '../universe';
import { KNOWN_STOCKS } from '../../protocol/stock-codes';
import type { Feed, TrFamily } from './family';

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

const pad10 = (n: number): string => String(n).padStart(10, '0');

export const NOTICE_SOURCES: Readonly<Record<string, FieldSource<NoticeContext>>> = {
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

const BUILDERS = compileKindBuilders<NoticeContext>('notice', NOTICE_SOURCES);

/** Order numbers and the stock picker, shared by every 체결통보 feed of one market model. */
interface NoticeState {
  readonly prng: Prng;
  orderNo: number;
}

const STATES = new WeakMap<MarketModel, NoticeState>();

function stateOf(model: MarketModel): NoticeState {
  let s = STATES.get(model);
  if (s === undefined) {
    const prng = new Prng(hashSeed('notice', model.seed));
    s = { prng, orderNo: 1000 + prng.int(0, 8000) };
    STATES.set(model, s);
  }
  return s;
}

const ctx: NoticeContext = { htsId: '', orderNo: 0, buy: true, code: '', name: '', qty: 0, price: 0, time: '' };

/** A simulated fill of one of the user's orders (체결통보 record, plaintext) for an HTS ID. */
export function noticeRecord(model: MarketModel, trId: TrId, htsId: string, clock: MarketClock): string {
  const build = builderFor(BUILDERS, TR_TABLES[trId], model.layout);
  const s = stateOf(model);
  // Fills are of the editor's well-known stocks (the first part of the universe).
  const stock = UNIVERSE[s.prng.int(0, KNOWN_STOCKS.length - 1)]!;
  const m = model.market(stock.code);
  ctx.htsId = htsId;
  ctx.orderNo = ++s.orderNo;
  ctx.buy = s.prng.next() < 0.5;
  ctx.code = stock.code;
  ctx.name = stock.name;
  ctx.qty = s.prng.int(1, 20);
  ctx.price = m.lastPrice > 0 ? m.lastPrice : m.touch[ctx.buy ? 'ask' : 'bid'];
  ctx.time = clock.time;
  return build(ctx);
}

export const noticeFamily: TrFamily = {
  open(model: MarketModel, table: TrTable, key: string): Feed {
    return { pace: 'interval', next: (clock) => noticeRecord(model, table.trId, key, clock) };
  },
};
