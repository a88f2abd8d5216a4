// The layouts newer sources give (docs/protocol/realtime-trs.md, layout drift): the portal field lists
// of 2026-09-11 with the fields of KIS's notice of 2026-09-09 (effective 2026-09-14). Not confirmed
// by a capture of our own; the position of the added fields (appended at the end) is an assumption.
// Every list here extends a documented one, so fields 0…N−1 keep their names and types.

import { f, type FieldDef } from './field-def';
import { QUOTE_FIELDS_KRX, QUOTE_FIELDS_NXT_UN, TICK_FIELDS_KRX, TICK_FIELDS_NXT_UN } from './fields';
import { EXPECTED_FIELDS_NXT_UN } from './fields-stock';

/** 장 구분 코드 (KIS notice 2026-09-09): which session a 체결/호가 record belongs to. */
export const MARKET_CLS_CODE_FIELD: FieldDef = f("MARKET_CLS_CODE", "enum", "장 구분 코드", "session: 1 pre-market / 2 regular / 3 after-market / 5 closing (KIS notice 2026-09-09)");

/** 체결 (KRX) with MARKET_CLS_CODE: 47 fields. */
export const TICK_FIELDS_KRX_2026: readonly FieldDef[] = [...TICK_FIELDS_KRX, MARKET_CLS_CODE_FIELD];
/** 체결 (NXT / 통합) with MARKET_CLS_CODE: 47 fields. */
export const TICK_FIELDS_NXT_UN_2026: readonly FieldDef[] = [...TICK_FIELDS_NXT_UN, MARKET_CLS_CODE_FIELD];

/** 호가 (KRX) with the KRX mid price: 62 fields (portal workbook; a 62-field capture of 2026-07-20). */
export const QUOTE_FIELDS_KRX_MID: readonly FieldDef[] = [
  ...QUOTE_FIELDS_KRX,
  f("MID_PRC", "num", "중간가", "mid price"),
  f("MIDP_TOTAL_RSQN", "int", "중간가잔량합계수량", "mid-price resting qty"),
  f("MIDP_CLS_CODE", "enum", "중간가 매수매도 구분", "mid-price buy/sell side (values unverified)"),
];
/** 호가 (KRX) with mid price and MARKET_CLS_CODE: 63 fields. */
export const QUOTE_FIELDS_KRX_2026: readonly FieldDef[] = [...QUOTE_FIELDS_KRX_MID, MARKET_CLS_CODE_FIELD];

/** 호가 (NXT) with the NXT mid price only: 62 fields (no KMID_*). */
export const QUOTE_FIELDS_NXT_2026: readonly FieldDef[] = [...QUOTE_FIELDS_KRX, ...QUOTE_FIELDS_NXT_UN.slice(62)];

/** 호가 (통합) with ANTC_EXCH_CLS_CODE: 66 fields. */
export const QUOTE_FIELDS_UN_2026: readonly FieldDef[] = [
  ...QUOTE_FIELDS_NXT_UN,
  f("ANTC_EXCH_CLS_CODE", "enum", "예상체결 거래소구분", "venue of the expected price: 1 KRX / 2 NXT (KIS notice 2026-09-09)"),
];

/**
 * 예상체결 (NXT / 통합) with the trailing value the portal workbook calls a dummy: 47 fields. It has
 * no name, so it keeps the name an unknown extra would get (FIELD_46), as text.
 */
export const EXPECTED_FIELDS_NXT_UN_2026: readonly FieldDef[] = [...EXPECTED_FIELDS_NXT_UN, f("FIELD_46", "str", "(더미)", "unnamed trailing value (portal workbook: dummy)")];
