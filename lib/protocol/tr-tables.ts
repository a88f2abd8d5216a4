import type { FieldDef } from './field-def';
import { NOTICE_FIELDS, QUOTE_FIELDS_KRX, QUOTE_FIELDS_NXT_UN, TICK_FIELDS_KRX, TICK_FIELDS_NXT_UN } from './fields';

/** What a TR carries: 체결 (trades), 호가 (10-level book) or 체결통보 (own order notices). */
export type TrKind = 'tick' | 'quote' | 'notice';
/** The venue a market-data TR reports: KRX, NXT (넥스트레이드) or UN (통합 = KRX + NXT). */
export type Venue = 'KRX' | 'NXT' | 'UN';

export const TR_IDS = ['H0STCNT0', 'H0NXCNT0', 'H0UNCNT0', 'H0STASP0', 'H0NXASP0', 'H0UNASP0', 'H0STCNI0', 'H0STCNI9'] as const;
export type TrId = (typeof TR_IDS)[number];

export interface TrTable {
  readonly trId: TrId;
  readonly kind: TrKind;
  /** Venue for market data; null for 체결통보 (account-wide). */
  readonly venue: Venue | null;
  readonly fields: readonly FieldDef[];
  /** Frames arrive AES-256-CBC encrypted (`1|…`). */
  readonly encrypted: boolean;
  /** Served by the real (실전, :21000) server. */
  readonly real: boolean;
  /** Served by the paper (모의투자, :31000) server (doc §1.1, §9.9). */
  readonly paper: boolean;
  /** Field holding the business date (YYYYMMDD), or null when the TR carries none (호가, 체결통보). */
  readonly dateField: string | null;
  /** Field holding the record time (HHMMSS, KST). */
  readonly timeField: string;
  /** Field that holds the subscribed key (stock code; HTS ID for 체결통보). */
  readonly keyField: string;
  readonly ko: string;
  readonly en: string;
}

function table(t: TrTable): TrTable {
  return Object.freeze(t);
}

export const TR_TABLES: Readonly<Record<TrId, TrTable>> = Object.freeze({
  H0STCNT0: table({ trId: 'H0STCNT0', kind: 'tick', venue: 'KRX', fields: TICK_FIELDS_KRX, encrypted: false, real: true, paper: true, dateField: 'BSOP_DATE', timeField: 'STCK_CNTG_HOUR', keyField: 'MKSC_SHRN_ISCD', ko: '실시간 체결가 (KRX)', en: 'Real-time trades (KRX)' }),
  H0NXCNT0: table({ trId: 'H0NXCNT0', kind: 'tick', venue: 'NXT', fields: TICK_FIELDS_NXT_UN, encrypted: false, real: true, paper: false, dateField: 'BSOP_DATE', timeField: 'STCK_CNTG_HOUR', keyField: 'MKSC_SHRN_ISCD', ko: '실시간 체결가 (NXT)', en: 'Real-time trades (NXT)' }),
  H0UNCNT0: table({ trId: 'H0UNCNT0', kind: 'tick', venue: 'UN', fields: TICK_FIELDS_NXT_UN, encrypted: false, real: true, paper: false, dateField: 'BSOP_DATE', timeField: 'STCK_CNTG_HOUR', keyField: 'MKSC_SHRN_ISCD', ko: '실시간 체결가 (통합)', en: 'Real-time trades (integrated KRX+NXT)' }),
  H0STASP0: table({ trId: 'H0STASP0', kind: 'quote', venue: 'KRX', fields: QUOTE_FIELDS_KRX, encrypted: false, real: true, paper: true, dateField: null, timeField: 'BSOP_HOUR', keyField: 'MKSC_SHRN_ISCD', ko: '실시간 호가 (KRX)', en: 'Real-time order book (KRX)' }),
  H0NXASP0: table({ trId: 'H0NXASP0', kind: 'quote', venue: 'NXT', fields: QUOTE_FIELDS_NXT_UN, encrypted: false, real: true, paper: false, dateField: null, timeField: 'BSOP_HOUR', keyField: 'MKSC_SHRN_ISCD', ko: '실시간 호가 (NXT)', en: 'Real-time order book (NXT)' }),
  H0UNASP0: table({ trId: 'H0UNASP0', kind: 'quote', venue: 'UN', fields: QUOTE_FIELDS_NXT_UN, encrypted: false, real: true, paper: false, dateField: null, timeField: 'BSOP_HOUR', keyField: 'MKSC_SHRN_ISCD', ko: '실시간 호가 (통합)', en: 'Real-time order book (integrated KRX+NXT)' }),
  H0STCNI0: table({ trId: 'H0STCNI0', kind: 'notice', venue: null, fields: NOTICE_FIELDS, encrypted: true, real: true, paper: false, dateField: null, timeField: 'STCK_CNTG_HOUR', keyField: 'CUST_ID', ko: '실시간 체결통보', en: 'Real-time order/fill notices' }),
  H0STCNI9: table({ trId: 'H0STCNI9', kind: 'notice', venue: null, fields: NOTICE_FIELDS, encrypted: true, real: false, paper: true, dateField: null, timeField: 'STCK_CNTG_HOUR', keyField: 'CUST_ID', ko: '실시간 체결통보 (모의투자)', en: 'Real-time order/fill notices (paper)' }),
});

export function isTrId(value: string): value is TrId {
  return Object.prototype.hasOwnProperty.call(TR_TABLES, value);
}

export function trTable(trId: string): TrTable | undefined {
  return isTrId(trId) ? TR_TABLES[trId] : undefined;
}
