/**
 * One trade as the bar builder needs it, read from a kis-tick payload (full or compact; see
 * docs/protocol/bars.md for the fields and the 체결구분 codes).
 */
import type { FieldValue } from '../protocol/record-parser';

/** Who initiated the trade: the 체결구분 field, or `other` for auction prints and unknown codes. */
export type TradeSide = 'buy' | 'sell' | 'other';

export interface Trade {
  readonly code: string;
  /** The trade's own time (KIS business date + 체결 시간, whole seconds), epoch ms. */
  readonly epochMs: number;
  readonly price: number;
  readonly qty: number;
  readonly side: TradeSide;
}

/** 체결구분 (`CCLD_DVSN` on KRX, `CNTG_CLS_CODE` on NXT and 통합): 1 매수, 5 매도, 3 장전 (auction). */
export function sideOf(code: FieldValue | undefined): TradeSide | null {
  if (code === '1' || code === 1) return 'buy';
  if (code === '5' || code === 5) return 'sell';
  if (code === '3' || code === 3) return 'other';
  return null;
}

/**
 * Without the 체결구분 field (the compact payload leaves it out) the side is inferred from the
 * quote carried in the record: a trade at or above the best ask was buy-initiated, at or below the
 * best bid sell-initiated (the relation KIS's own frames show, docs/protocol/bars.md).
 */
function inferSide(price: number, ask: FieldValue | undefined, bid: FieldValue | undefined): TradeSide {
  if (typeof ask === 'number' && ask > 0 && price >= ask) return 'buy';
  if (typeof bid === 'number' && bid > 0 && price <= bid) return 'sell';
  return 'other';
}

/** Why a payload is not a trade (a key of the kis-bars catalog, `kis-bars.errors.*`). */
export type TradeProblem = 'not-a-tick' | 'no-time' | 'bad-price';

/** Read a trade from a kis-tick payload; the code is `msg.topic` or the payload's MKSC_SHRN_ISCD. */
export function tradeFromPayload(payload: unknown, topic: unknown): Trade | TradeProblem {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return 'not-a-tick';
  const p = payload as Record<string, FieldValue | undefined>;
  const price = p.STCK_PRPR;
  const qty = p.CNTG_VOL;
  if (price === undefined || qty === undefined) return 'not-a-tick';
  const code = typeof p.MKSC_SHRN_ISCD === 'string' && p.MKSC_SHRN_ISCD !== '' ? p.MKSC_SHRN_ISCD : typeof topic === 'string' ? topic : '';
  if (code === '') return 'not-a-tick';
  const epochMs = p.epochMs;
  if (typeof epochMs !== 'number' || !Number.isFinite(epochMs)) return 'no-time';
  if (typeof price !== 'number' || !(price > 0) || typeof qty !== 'number' || !(qty >= 0) || !Number.isFinite(price + qty)) return 'bad-price';
  const side = sideOf(p.CCLD_DVSN ?? p.CNTG_CLS_CODE) ?? inferSide(price, p.ASKP1, p.BIDP1);
  return { code, epochMs, price, qty, side };
}
