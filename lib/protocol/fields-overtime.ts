// Field lists of the KRX 시간외 단일가 TRs (docs/protocol/realtime-trs.md, 시간외). Both layouts are
// derived from the 체결/호가 lists they are prefixes or subsets of, so the types cannot drift.

import type { FieldDef } from './field-def';
import { QUOTE_FIELDS_KRX, TICK_FIELDS_NXT_UN } from './fields';

const OVERTIME_MEANING: Readonly<Record<string, string>> = {
  STCK_PRPR: '시간외 단일가 match price (H0STOUP0) / expected match price (H0STOAC0)',
  NEW_MKOP_CLS_CODE: '2-char session code (observed 40 in 체결, 49 in 예상체결)',
};

function overtime(field: FieldDef): FieldDef {
  const en = OVERTIME_MEANING[field.name];
  return en === undefined ? field : { ...field, en };
}

/** 시간외 단일가 체결 H0STOUP0 and 예상체결 H0STOAC0: 43 fields = NXT 체결 fields 0–42. */
export const OVERTIME_TICK_FIELDS: readonly FieldDef[] = TICK_FIELDS_NXT_UN.slice(0, 43).map(overtime);

const TENTH_LEVEL = new Set(['ASKP10', 'BIDP10', 'ASKP_RSQN10', 'BIDP_RSQN10']);

/** 시간외 단일가 호가 H0STOAA0 as KIS documents it: 54 fields, 9 levels, no STCK_DEAL_CLS_CODE. */
export const OVERTIME_QUOTE_FIELDS: readonly FieldDef[] = QUOTE_FIELDS_KRX.filter((f) => !TENTH_LEVEL.has(f.name) && f.name !== 'STCK_DEAL_CLS_CODE');

/**
 * H0STOAA0 with 10 levels: 58 fields = the KRX 호가 list without STCK_DEAL_CLS_CODE. What the
 * portal's example frame and KIS's legacy all-markets sample read (docs/protocol/realtime-trs.md).
 */
export const OVERTIME_QUOTE_FIELDS_10: readonly FieldDef[] = QUOTE_FIELDS_KRX.filter((f) => f.name !== 'STCK_DEAL_CLS_CODE');
