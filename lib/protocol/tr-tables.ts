import type { FieldDef } from './field-def';
import { NOTICE_FIELDS, QUOTE_FIELDS_KRX, QUOTE_FIELDS_NXT_UN, TICK_FIELDS_KRX, TICK_FIELDS_NXT_UN } from './fields';
import { ELW_EXPECTED_FIELDS, ELW_QUOTE_FIELDS, ELW_TICK_FIELDS, ETF_NAV_FIELDS } from './fields-elw';
import { INDEX_EXPECTED_FIELDS_15, INDEX_PROGRAM_FIELDS, INDEX_TICK_FIELDS } from './fields-index';
import { OVERTIME_QUOTE_FIELDS, OVERTIME_QUOTE_FIELDS_10, OVERTIME_TICK_FIELDS } from './fields-overtime';
import {
  EXPECTED_FIELDS_KRX, EXPECTED_FIELDS_NXT_UN, MARKET_STATUS_FIELDS, MARKET_STATUS_FIELDS_10, MARKET_STATUS_FIELDS_UN_DOC, MEMBER_FIELDS, PROGRAM_FIELDS,
} from './fields-stock';
import {
  EXPECTED_FIELDS_NXT_UN_2026, QUOTE_FIELDS_KRX_MID, QUOTE_FIELDS_KRX_2026, QUOTE_FIELDS_NXT_2026, QUOTE_FIELDS_UN_2026, TICK_FIELDS_KRX_2026, TICK_FIELDS_NXT_UN_2026,
} from './fields-2026';

/**
 * What a TR carries (docs/protocol/realtime-trs.md). One kind per record layout family:
 * - `tick` 체결, `quote` 호가, `notice` 체결통보 (the three the project started with);
 * - `expected` 예상체결, `market-status` 장운영정보, `member` 회원사, `program` 프로그램매매 (per stock);
 * - `overtime-tick` / `overtime-quote` / `overtime-expected`: KRX 시간외 단일가 체결 / 호가 / 예상체결;
 * - `index-tick` / `index-expected` / `index-program`: 업종지수 체결 / 예상체결 / 프로그램매매;
 * - `elw-tick` / `elw-quote` / `elw-expected`: ELW 체결 / 호가 / 예상체결; `etf-nav`: ETF NAV추이.
 */
export type TrKind =
  | 'tick' | 'quote' | 'notice'
  | 'expected' | 'market-status' | 'member' | 'program'
  | 'overtime-tick' | 'overtime-quote' | 'overtime-expected'
  | 'index-tick' | 'index-expected' | 'index-program'
  | 'elw-tick' | 'elw-quote' | 'elw-expected'
  | 'etf-nav';
export const TR_KINDS: readonly TrKind[] = [
  'tick', 'quote', 'notice', 'expected', 'market-status', 'member', 'program', 'overtime-tick', 'overtime-quote', 'overtime-expected',
  'index-tick', 'index-expected', 'index-program', 'elw-tick', 'elw-quote', 'elw-expected', 'etf-nav',
];

/** What the TR is about: stocks (KRX/NXT/통합), KRX 시간외 단일가, an index, an ELW, an ETF, or the account. */
export type TrFamily = 'stock' | 'overtime' | 'index' | 'elw' | 'etf' | 'account';

/**
 * What the subscription key (`tr_key`) is: a stock code (6 characters such as 005930, or 7 such as
 * Q500001), a 4-digit index code (0001 KOSPI, see index-codes.ts), a 6-character ELW code (letters
 * allowed, e.g. 57JN53), an ETF code (a stock code), or the HTS ID for 체결통보.
 */
export type TrKeyType = 'stock' | 'index' | 'elw' | 'etf' | 'hts-id';

/** The venue a market-data TR reports: KRX, NXT (넥스트레이드) or UN (통합 = KRX + NXT). */
export type Venue = 'KRX' | 'NXT' | 'UN';

/**
 * Which set of layouts a KIS server sends (docs/protocol/realtime-trs.md, layout drift):
 * - `doc`: the layouts of KIS's official sample and portal pages as of 2026-07 (this project's default);
 * - `2026-09`: the newer evidence, the portal field lists of 2026-09-11 (MARKET_CLS_CODE and friends,
 *   effective 2026-09-14) and what live captures show where they contradict the documents.
 * Not confirmed by a capture of our own; the parser accepts both, the simulator serves either.
 */
export type LayoutEdition = 'doc' | '2026-09';
export const LAYOUT_EDITIONS: readonly LayoutEdition[] = ['doc', '2026-09'];

/** One known record layout of a TR, recognised by its field count (and, for ties, by field 0). */
export interface LayoutVariant {
  /** Short stable id, e.g. `doc-46`, `2026-09-47`. */
  readonly id: string;
  readonly fields: readonly FieldDef[];
  /** The editions that send this layout (empty: recognised when it arrives, served by neither). */
  readonly editions: readonly LayoutEdition[];
  /** Where the layout comes from, in a few words (details in docs/protocol/realtime-trs.md). */
  readonly source: string;
}

export const TR_IDS = [
  'H0STCNT0', 'H0NXCNT0', 'H0UNCNT0', 'H0STASP0', 'H0NXASP0', 'H0UNASP0', 'H0STCNI0', 'H0STCNI9',
  'H0STANC0', 'H0NXANC0', 'H0UNANC0', 'H0STMKO0', 'H0NXMKO0', 'H0UNMKO0', 'H0STMBC0', 'H0NXMBC0', 'H0UNMBC0',
  'H0STPGM0', 'H0NXPGM0', 'H0UNPGM0', 'H0STOUP0', 'H0STOAA0', 'H0STOAC0', 'H0UPCNT0', 'H0UPANC0', 'H0UPPGM0',
  'H0EWCNT0', 'H0EWASP0', 'H0EWANC0', 'H0STNAV0',
] as const;
export type TrId = (typeof TR_IDS)[number];

export interface TrTable {
  readonly trId: TrId;
  readonly kind: TrKind;
  readonly family: TrFamily;
  /** Venue for market data (KRX for the KRX-only TRs: 시간외, index, ELW, ETF); null for 체결통보 (account-wide). */
  readonly venue: Venue | null;
  /** The primary layout (the `doc` edition); every known layout, this one first, is in `variants`. */
  readonly fields: readonly FieldDef[];
  readonly variants: readonly LayoutVariant[];
  /** Frames arrive AES-256-CBC encrypted (`1|…`). */
  readonly encrypted: boolean;
  /** Served by the real (실전, :21000) server. */
  readonly real: boolean;
  /** Served by the paper (모의투자, :31000) server (only 체결/호가 KRX and 체결통보; docs/protocol/realtime-trs.md). */
  readonly paper: boolean;
  /** Field holding the business date (YYYYMMDD), or null when the TR carries none. */
  readonly dateField: string | null;
  /** Field holding the record time (HHMMSS, KST), or null when the TR carries none (stamped with the arrival time). */
  readonly timeField: string | null;
  /** Field that holds the subscribed key (field 0 of the primary layout). */
  readonly keyField: string;
  readonly keyType: TrKeyType;
  readonly ko: string;
  readonly en: string;
}

type TableSpec = Omit<TrTable, 'variants' | 'fields'> & { readonly variants: readonly LayoutVariant[] };

function v(id: string, fields: readonly FieldDef[], editions: readonly LayoutEdition[], source: string): LayoutVariant {
  return Object.freeze({ id, fields, editions, source });
}

const DOC = 'KIS official sample and portal (2026-07)';
const BOTH: readonly LayoutEdition[] = ['doc', '2026-09'];
const DOC_ONLY: readonly LayoutEdition[] = ['doc'];
const NEW_ONLY: readonly LayoutEdition[] = ['2026-09'];

function table(spec: TableSpec): TrTable {
  const primary = spec.variants[0];
  if (primary === undefined) throw new Error(`${spec.trId}: no layout`);
  return Object.freeze({ ...spec, fields: primary.fields, variants: Object.freeze([...spec.variants]) });
}

/** The one-layout TRs (no contradicting source): both editions send the documented list. */
function only(fields: readonly FieldDef[], source = DOC): readonly LayoutVariant[] {
  return [v(`doc-${fields.length}`, fields, BOTH, source)];
}

const TICK_KRX = [v('doc-46', TICK_FIELDS_KRX, DOC_ONLY, DOC), v('2026-09-47', TICK_FIELDS_KRX_2026, NEW_ONLY, 'portal field list 2026-09-11 (MARKET_CLS_CODE)')];
const TICK_NXT_UN = [v('doc-46', TICK_FIELDS_NXT_UN, DOC_ONLY, DOC), v('2026-09-47', TICK_FIELDS_NXT_UN_2026, NEW_ONLY, 'portal field list 2026-09-11 (MARKET_CLS_CODE)')];
const STOCK = { family: 'stock', encrypted: false, real: true, paper: false, keyField: 'MKSC_SHRN_ISCD', keyType: 'stock' } as const;
const KRX_ONLY = { venue: 'KRX', encrypted: false, real: true, paper: false } as const;

export const TR_TABLES: Readonly<Record<TrId, TrTable>> = Object.freeze({
  H0STCNT0: table({ ...STOCK, trId: 'H0STCNT0', kind: 'tick', venue: 'KRX', variants: TICK_KRX, paper: true, dateField: 'BSOP_DATE', timeField: 'STCK_CNTG_HOUR', ko: '실시간 체결가 (KRX)', en: 'Real-time trades (KRX)' }),
  H0NXCNT0: table({ ...STOCK, trId: 'H0NXCNT0', kind: 'tick', venue: 'NXT', variants: TICK_NXT_UN, dateField: 'BSOP_DATE', timeField: 'STCK_CNTG_HOUR', ko: '실시간 체결가 (NXT)', en: 'Real-time trades (NXT)' }),
  H0UNCNT0: table({ ...STOCK, trId: 'H0UNCNT0', kind: 'tick', venue: 'UN', variants: TICK_NXT_UN, dateField: 'BSOP_DATE', timeField: 'STCK_CNTG_HOUR', ko: '실시간 체결가 (통합)', en: 'Real-time trades (integrated KRX+NXT)' }),
  H0STASP0: table({
    ...STOCK, trId: 'H0STASP0', kind: 'quote', venue: 'KRX', paper: true, dateField: null, timeField: 'BSOP_HOUR', ko: '실시간 호가 (KRX)', en: 'Real-time order book (KRX)',
    variants: [
      v('doc-59', QUOTE_FIELDS_KRX, DOC_ONLY, DOC),
      v('mid-62', QUOTE_FIELDS_KRX_MID, [], 'portal workbook 2026-09 without the notice field; a capture of 2026-07-20'),
      v('2026-09-63', QUOTE_FIELDS_KRX_2026, NEW_ONLY, 'portal field list 2026-09-11 (mid price, MARKET_CLS_CODE)'),
    ],
  }),
  H0NXASP0: table({
    ...STOCK, trId: 'H0NXASP0', kind: 'quote', venue: 'NXT', dateField: null, timeField: 'BSOP_HOUR', ko: '실시간 호가 (NXT)', en: 'Real-time order book (NXT)',
    variants: [v('doc-65', QUOTE_FIELDS_NXT_UN, DOC_ONLY, DOC), v('2026-09-62', QUOTE_FIELDS_NXT_2026, NEW_ONLY, 'portal field list 2026-09-11 (NXT mid price only); a capture of 2026-07-20')],
  }),
  H0UNASP0: table({
    ...STOCK, trId: 'H0UNASP0', kind: 'quote', venue: 'UN', dateField: null, timeField: 'BSOP_HOUR', ko: '실시간 호가 (통합)', en: 'Real-time order book (integrated KRX+NXT)',
    variants: [v('doc-65', QUOTE_FIELDS_NXT_UN, DOC_ONLY, DOC), v('2026-09-66', QUOTE_FIELDS_UN_2026, NEW_ONLY, 'KIS notice 2026-09-09 (ANTC_EXCH_CLS_CODE)')],
  }),
  H0STCNI0: table({ trId: 'H0STCNI0', kind: 'notice', family: 'account', venue: null, variants: only(NOTICE_FIELDS), encrypted: true, real: true, paper: false, dateField: null, timeField: 'STCK_CNTG_HOUR', keyField: 'CUST_ID', keyType: 'hts-id', ko: '실시간 체결통보', en: 'Real-time order/fill notices' }),
  H0STCNI9: table({ trId: 'H0STCNI9', kind: 'notice', family: 'account', venue: null, variants: only(NOTICE_FIELDS), encrypted: true, real: false, paper: true, dateField: null, timeField: 'STCK_CNTG_HOUR', keyField: 'CUST_ID', keyType: 'hts-id', ko: '실시간 체결통보 (모의투자)', en: 'Real-time order/fill notices (paper)' }),

  H0STANC0: table({
    ...STOCK, trId: 'H0STANC0', kind: 'expected', venue: 'KRX', dateField: 'BSOP_DATE', timeField: 'STCK_CNTG_HOUR', ko: '실시간 예상체결 (KRX)', en: 'Real-time expected (auction) price (KRX)',
    variants: [v('doc-45', EXPECTED_FIELDS_KRX, DOC_ONLY, DOC), v('2026-09-46', EXPECTED_FIELDS_NXT_UN, NEW_ONLY, 'portal workbook and example frame 2026-07-07 (trailing VI_STND_PRC)')],
  }),
  H0NXANC0: table({
    ...STOCK, trId: 'H0NXANC0', kind: 'expected', venue: 'NXT', dateField: 'BSOP_DATE', timeField: 'STCK_CNTG_HOUR', ko: '실시간 예상체결 (NXT)', en: 'Real-time expected (auction) price (NXT)',
    variants: [v('doc-46', EXPECTED_FIELDS_NXT_UN, DOC_ONLY, DOC), v('2026-09-47', EXPECTED_FIELDS_NXT_UN_2026, NEW_ONLY, 'portal workbook (a trailing unnamed "dummy")')],
  }),
  H0UNANC0: table({
    ...STOCK, trId: 'H0UNANC0', kind: 'expected', venue: 'UN', dateField: 'BSOP_DATE', timeField: 'STCK_CNTG_HOUR', ko: '실시간 예상체결 (통합)', en: 'Real-time expected (auction) price (integrated)',
    variants: [v('doc-46', EXPECTED_FIELDS_NXT_UN, DOC_ONLY, DOC), v('2026-09-47', EXPECTED_FIELDS_NXT_UN_2026, NEW_ONLY, 'portal workbook (a trailing unnamed "dummy")')],
  }),
  H0STMKO0: table({
    ...STOCK, trId: 'H0STMKO0', kind: 'market-status', venue: 'KRX', dateField: null, timeField: null, ko: '장운영정보 (KRX)', en: 'Market status: VI, halts, session events (KRX)',
    variants: [v('doc-11', MARKET_STATUS_FIELDS, DOC_ONLY, DOC), v('observed-10', MARKET_STATUS_FIELDS_10, NEW_ONLY, 'portal example frame; KIS legacy sample (no EXCH_CLS_CODE)')],
  }),
  H0NXMKO0: table({
    ...STOCK, trId: 'H0NXMKO0', kind: 'market-status', venue: 'NXT', dateField: null, timeField: null, ko: '장운영정보 (NXT)', en: 'Market status: VI, halts, session events (NXT)',
    variants: [v('doc-11', MARKET_STATUS_FIELDS, BOTH, DOC), v('observed-10', MARKET_STATUS_FIELDS_10, [], 'by analogy with KRX and 통합 (no capture)')],
  }),
  H0UNMKO0: table({
    ...STOCK, trId: 'H0UNMKO0', kind: 'market-status', venue: 'UN', dateField: null, timeField: null, ko: '장운영정보 (통합)', en: 'Market status: VI, halts, session events (integrated)',
    variants: [
      v('observed-10', MARKET_STATUS_FIELDS_10, BOTH, 'a capture of 17 frames 2026-09-21…23: code first, no EXCH_CLS_CODE'),
      v('doc-10-nocode', MARKET_STATUS_FIELDS_UN_DOC, [], 'KIS official sample and portal: no stock code (told apart by field 0 = Y/N)'),
      v('full-11', MARKET_STATUS_FIELDS, [], 'the KRX/NXT list'),
    ],
  }),
  H0STMBC0: table({ ...STOCK, trId: 'H0STMBC0', kind: 'member', venue: 'KRX', variants: only(MEMBER_FIELDS), dateField: null, timeField: null, ko: '실시간 회원사 (KRX)', en: 'Real-time top-5 brokers (KRX)' }),
  H0NXMBC0: table({ ...STOCK, trId: 'H0NXMBC0', kind: 'member', venue: 'NXT', variants: only(MEMBER_FIELDS), dateField: null, timeField: null, ko: '실시간 회원사 (NXT)', en: 'Real-time top-5 brokers (NXT)' }),
  H0UNMBC0: table({ ...STOCK, trId: 'H0UNMBC0', kind: 'member', venue: 'UN', variants: only(MEMBER_FIELDS), dateField: null, timeField: null, ko: '실시간 회원사 (통합)', en: 'Real-time top-5 brokers (integrated)' }),
  H0STPGM0: table({ ...STOCK, trId: 'H0STPGM0', kind: 'program', venue: 'KRX', variants: only(PROGRAM_FIELDS), dateField: null, timeField: 'STCK_CNTG_HOUR', ko: '실시간 프로그램매매 (KRX)', en: 'Real-time program trading (KRX)' }),
  H0NXPGM0: table({ ...STOCK, trId: 'H0NXPGM0', kind: 'program', venue: 'NXT', variants: only(PROGRAM_FIELDS), dateField: null, timeField: 'STCK_CNTG_HOUR', ko: '실시간 프로그램매매 (NXT)', en: 'Real-time program trading (NXT)' }),
  H0UNPGM0: table({ ...STOCK, trId: 'H0UNPGM0', kind: 'program', venue: 'UN', variants: only(PROGRAM_FIELDS), dateField: null, timeField: 'STCK_CNTG_HOUR', ko: '실시간 프로그램매매 (통합)', en: 'Real-time program trading (integrated)' }),

  H0STOUP0: table({ ...KRX_ONLY, trId: 'H0STOUP0', kind: 'overtime-tick', family: 'overtime', variants: only(OVERTIME_TICK_FIELDS), dateField: 'BSOP_DATE', timeField: 'STCK_CNTG_HOUR', keyField: 'MKSC_SHRN_ISCD', keyType: 'stock', ko: '시간외 단일가 체결 (KRX)', en: 'After-hours single-price trades (KRX)' }),
  H0STOAA0: table({
    ...KRX_ONLY, trId: 'H0STOAA0', kind: 'overtime-quote', family: 'overtime', dateField: null, timeField: 'BSOP_HOUR', keyField: 'MKSC_SHRN_ISCD', keyType: 'stock', ko: '시간외 단일가 호가 (KRX)', en: 'After-hours single-price order book (KRX)',
    variants: [v('doc-54', OVERTIME_QUOTE_FIELDS, DOC_ONLY, DOC), v('observed-58', OVERTIME_QUOTE_FIELDS_10, NEW_ONLY, 'portal example frame; KIS legacy sample (10 levels)')],
  }),
  H0STOAC0: table({ ...KRX_ONLY, trId: 'H0STOAC0', kind: 'overtime-expected', family: 'overtime', variants: only(OVERTIME_TICK_FIELDS), dateField: 'BSOP_DATE', timeField: 'STCK_CNTG_HOUR', keyField: 'MKSC_SHRN_ISCD', keyType: 'stock', ko: '시간외 단일가 예상체결 (KRX)', en: 'After-hours single-price expected price (KRX)' }),

  H0UPCNT0: table({ ...KRX_ONLY, trId: 'H0UPCNT0', kind: 'index-tick', family: 'index', variants: only(INDEX_TICK_FIELDS), dateField: null, timeField: 'BSOP_HOUR', keyField: 'BSTP_CLS_CODE', keyType: 'index', ko: '국내지수 실시간체결', en: 'Real-time index values' }),
  H0UPANC0: table({
    ...KRX_ONLY, trId: 'H0UPANC0', kind: 'index-expected', family: 'index', dateField: null, timeField: 'BSOP_HOUR', keyField: 'BSTP_CLS_CODE', keyType: 'index', ko: '국내지수 실시간예상체결', en: 'Real-time expected index values (auctions)',
    variants: [v('doc-30', INDEX_TICK_FIELDS, DOC_ONLY, DOC), v('observed-15', INDEX_EXPECTED_FIELDS_15, NEW_ONLY, 'portal example frame; KIS legacy sample')],
  }),
  H0UPPGM0: table({ ...KRX_ONLY, trId: 'H0UPPGM0', kind: 'index-program', family: 'index', variants: only(INDEX_PROGRAM_FIELDS), dateField: null, timeField: 'BSOP_HOUR', keyField: 'BSTP_CLS_CODE', keyType: 'index', ko: '국내지수 실시간프로그램매매', en: 'Real-time index program trading' }),

  H0EWCNT0: table({ ...KRX_ONLY, trId: 'H0EWCNT0', kind: 'elw-tick', family: 'elw', variants: only(ELW_TICK_FIELDS), dateField: 'BSOP_DATE', timeField: 'STCK_CNTG_HOUR', keyField: 'MKSC_SHRN_ISCD', keyType: 'elw', ko: 'ELW 실시간체결가', en: 'Real-time ELW trades' }),
  H0EWASP0: table({ ...KRX_ONLY, trId: 'H0EWASP0', kind: 'elw-quote', family: 'elw', variants: only(ELW_QUOTE_FIELDS), dateField: null, timeField: 'BSOP_HOUR', keyField: 'MKSC_SHRN_ISCD', keyType: 'elw', ko: 'ELW 실시간호가', en: 'Real-time ELW order book' }),
  H0EWANC0: table({ ...KRX_ONLY, trId: 'H0EWANC0', kind: 'elw-expected', family: 'elw', variants: only(ELW_EXPECTED_FIELDS), dateField: 'BSOP_DATE', timeField: 'STCK_CNTG_HOUR', keyField: 'MKSC_SHRN_ISCD', keyType: 'elw', ko: 'ELW 실시간예상체결', en: 'Real-time ELW expected price' }),
  H0STNAV0: table({ ...KRX_ONLY, trId: 'H0STNAV0', kind: 'etf-nav', family: 'etf', variants: only(ETF_NAV_FIELDS), dateField: null, timeField: null, keyField: 'MKSC_SHRN_ISCD', keyType: 'etf', ko: '국내ETF NAV추이', en: 'Real-time ETF NAV' }),
});

export function isTrId(value: string): value is TrId {
  return Object.prototype.hasOwnProperty.call(TR_TABLES, value);
}

export function trTable(trId: string): TrTable | undefined {
  return isTrId(trId) ? TR_TABLES[trId] : undefined;
}

/** The layout a server of `edition` sends for a TR (what the simulator builds its records from). */
export function layoutFor(table: TrTable, edition: LayoutEdition): LayoutVariant {
  return table.variants.find((x) => x.editions.includes(edition)) ?? (table.variants[0] as LayoutVariant);
}

/** The TR ids of one kind, in TR_IDS order. */
export function trIdsOfKind(kind: TrKind): TrId[] {
  return TR_IDS.filter((id) => TR_TABLES[id].kind === kind);
}

/** The TR of a kind for a venue (undefined when that kind has no TR for the venue, e.g. 시간외 on NXT). */
export function trIdOf(kind: TrKind, venue: Venue): TrId | undefined {
  return TR_IDS.find((id) => TR_TABLES[id].kind === kind && TR_TABLES[id].venue === venue);
}
