/**
 * KIS's stock master files (종목정보 파일: kospi_code.mst, kosdaq_code.mst, konex_code.mst and
 * the NXT copies), docs/protocol/master-files.md. Pure: bytes in, records out.
 *
 * One record per line: 단축코드 (9 bytes, space-padded), 표준코드 (12), 한글명, then a fixed-width
 * tail of ASCII fields (KOSPI 227 bytes, KOSDAQ 221, KONEX 184). The name is declared 40 bytes in
 * KIS's C layout but KIS's own parsers cut the tail from the *end* of the line, so this parser
 * does too, in bytes, before decoding: the head and the tail are located without trusting the
 * name's width, and a CP949 Hangul syllable (2 bytes, 1 character) cannot shift a field. Only
 * the name is decoded as CP949 (lib/protocol/cp949.ts); a 0x0A byte never occurs inside a CP949
 * character (trail bytes are ≥ 0x41), so splitting the bytes on `\n` is safe.
 */
import { decodeCp949, encodeCp949 } from './cp949';

export type MasterMarket = 'KOSPI' | 'KOSDAQ' | 'KONEX';

/** One fixed-width field of a tail: the name of KIS's C layout (`.h`) and its width in bytes. */
export interface MasterField {
  readonly name: string;
  readonly width: number;
}

const f = (name: string, width: number): MasterField => ({ name, width });
const flags = (...names: string[]): MasterField[] => names.map((n) => f(n, 1));

/** The part of the KOSPI and KOSDAQ tails after their different index-membership blocks. */
const COMMON_MIDDLE: readonly MasterField[] = [
  f('stck_sdpr', 9), f('frml_mrkt_deal_qty_unit', 5), f('ovtm_mrkt_deal_qty_unit', 5),
  ...flags('trht_yn', 'sltr_yn', 'mang_issu_yn'), f('mrkt_alrm_cls_code', 2),
  ...flags('mrkt_alrm_risk_adnt_yn', 'insn_pbnt_yn', 'byps_lstn_yn'),
  f('flng_cls_code', 2), f('fcam_mod_cls_code', 2), f('icic_cls_code', 2), f('marg_rate', 3),
  f('crdt_able', 1), f('crdt_days', 3), f('prdy_vol', 12), f('stck_fcam', 12), f('stck_lstn_date', 8),
  f('lstn_stcn', 15), f('cpfn', 21), f('stac_month', 2), f('po_prc', 7),
  ...flags('prst_cls_code', 'ssts_hot_yn', 'stange_runup_yn', 'krx300_issu_yn'),
];

const FINANCIALS: readonly MasterField[] = [
  f('sale_account', 9), f('bsop_prfi', 9), f('op_prfi', 9), f('thtr_ntin', 5), f('roe', 9), f('base_date', 8), f('prdy_avls_scal', 9),
];

const CREDIT_FLAGS = flags('co_crdt_limt_over_yn', 'secu_lend_able_yn', 'stln_able_yn');

/** The tail layouts, field by field, from KIS's C layouts (`종목마스터정보(코스피/코스닥/코넥스).h`). */
export const MASTER_TAILS: Readonly<Record<MasterMarket, readonly MasterField[]>> = Object.freeze({
  KOSPI: [
    f('scrt_grp_cls_code', 2), f('avls_scal_cls_code', 1), f('bstp_larg_div_code', 4), f('bstp_medm_div_code', 4), f('bstp_smal_div_code', 4),
    ...flags(
      'mnin_cls_code_yn', 'low_current_yn', 'sprn_strr_nmix_issu_yn', 'kospi200_apnt_cls_code', 'kospi100_issu_yn', 'kospi50_issu_yn',
      'krx_issu_yn', 'etp_prod_cls_code', 'elw_pblc_yn', 'krx100_issu_yn', 'krx_car_yn', 'krx_smcn_yn', 'krx_bio_yn', 'krx_bank_yn',
      'etpr_undt_objt_co_yn', 'krx_enrg_chms_yn', 'krx_stel_yn', 'short_over_cls_code', 'krx_medi_cmnc_yn', 'krx_cnst_yn',
      'krx_fnnc_svc_yn', 'krx_scrt_yn', 'krx_ship_yn', 'krx_insu_yn', 'krx_trnp_yn', 'sri_nmix_yn',
    ),
    ...COMMON_MIDDLE, f('kospi_issu_yn', 1), ...FINANCIALS, f('grp_code', 3), ...CREDIT_FLAGS,
  ],
  KOSDAQ: [
    f('scrt_grp_cls_code', 2), f('avls_scal_cls_code', 1), f('bstp_larg_div_code', 4), f('bstp_medm_div_code', 4), f('bstp_smal_div_code', 4),
    ...flags(
      'vntr_issu_yn', 'low_current_yn', 'krx_issu_yn', 'etp_prod_cls_code', 'krx100_issu_yn', 'krx_car_yn', 'krx_smcn_yn', 'krx_bio_yn',
      'krx_bank_yn', 'etpr_undt_objt_co_yn', 'krx_enrg_chms_yn', 'krx_stel_yn', 'short_over_cls_code', 'krx_medi_cmnc_yn', 'krx_cnst_yn',
      'invt_alrm_yn', 'krx_scrt_yn', 'krx_ship_yn', 'krx_insu_yn', 'krx_trnp_yn', 'ksq150_nmix_yn',
    ),
    ...COMMON_MIDDLE, ...FINANCIALS, f('grp_code', 3), ...CREDIT_FLAGS,
  ],
  KONEX: [
    f('scrt_grp_cls_code', 2), ...COMMON_MIDDLE, ...FINANCIALS, ...CREDIT_FLAGS,
  ],
});

export const MASTER_HEAD = Object.freeze({ code: 9, isin: 12, name: 40 });
const HEAD_BYTES = MASTER_HEAD.code + MASTER_HEAD.isin;

function tailLength(market: MasterMarket): number {
  let n = 0;
  for (const field of MASTER_TAILS[market]) n += field.width;
  return n;
}

/** Tail lengths in bytes, without the line end: KOSPI 227, KOSDAQ 221, KONEX 184. */
export const MASTER_TAIL_BYTES: Readonly<Record<MasterMarket, number>> = Object.freeze({
  KOSPI: tailLength('KOSPI'),
  KOSDAQ: tailLength('KOSDAQ'),
  KONEX: tailLength('KONEX'),
});

/** One security of a master file, with the attributes the editor and the runtime use. */
export interface MasterRecord {
  /** 단축코드, as KIS's real-time TRs take it (`005930`). */
  readonly code: string;
  /** 표준코드 (ISIN, `KR7005930003`). */
  readonly isin: string;
  /** 한글명. */
  readonly name: string;
  readonly market: MasterMarket;
  /** 증권그룹구분코드: ST 주권, EF ETF, RT REIT, DR, MF, IF, FS … */
  readonly group: string;
  /** 기준가 (KRW), 0 when blank. */
  readonly basePrice: number;
  /** 거래정지. */
  readonly suspended: boolean;
  /** 관리종목. */
  readonly managed: boolean;
  /** 정리매매. */
  readonly liquidation: boolean;
  /** 시장경고: 00 none, 01 투자주의, 02 투자경고, 03 투자위험. */
  readonly warning: string;
  /** Every tail field by its `.h` name, trimmed. */
  readonly fields: Readonly<Record<string, string>>;
}

export interface ParsedMaster {
  readonly records: MasterRecord[];
  /** Lines too short to hold a head and a tail (counted, not fatal). */
  readonly skipped: number;
}

function ascii(bytes: Uint8Array, start: number, end: number): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('latin1');
}

function parseLine(line: Uint8Array, market: MasterMarket, layout: readonly MasterField[], tailBytes: number): MasterRecord | null {
  const tailStart = line.length - tailBytes;
  if (tailStart < HEAD_BYTES) return null;
  const code = ascii(line, 0, MASTER_HEAD.code).trim();
  if (code === '') return null;
  const fields: Record<string, string> = {};
  let p = tailStart;
  for (const field of layout) {
    fields[field.name] = ascii(line, p, p + field.width).trim();
    p += field.width;
  }
  const price = Number(fields['stck_sdpr']);
  return {
    code,
    isin: ascii(line, MASTER_HEAD.code, HEAD_BYTES).trim(),
    name: decodeCp949(line.subarray(HEAD_BYTES, tailStart)).trim(),
    market,
    group: fields['scrt_grp_cls_code'] ?? '',
    basePrice: Number.isFinite(price) ? price : 0,
    suspended: fields['trht_yn'] === 'Y',
    managed: fields['mang_issu_yn'] === 'Y',
    liquidation: fields['sltr_yn'] === 'Y',
    warning: fields['mrkt_alrm_cls_code'] ?? '',
    fields,
  };
}

/** Parse an unzipped master file (CP949 bytes, `\n` or `\r\n` line ends). */
export function parseMasterFile(bytes: Uint8Array, market: MasterMarket): ParsedMaster {
  const layout = MASTER_TAILS[market];
  const tailBytes = MASTER_TAIL_BYTES[market];
  const records: MasterRecord[] = [];
  let skipped = 0;
  let start = 0;
  while (start < bytes.length) {
    let end = bytes.indexOf(0x0a, start);
    if (end < 0) end = bytes.length;
    let stop = end;
    if (stop > start && bytes[stop - 1] === 0x0d) stop--;
    if (stop > start) {
      const record = parseLine(bytes.subarray(start, stop), market, layout, tailBytes);
      if (record !== null) records.push(record);
      else skipped++;
    }
    start = end + 1;
  }
  return { records, skipped };
}

/** What a generator (the simulator) supplies for one line; missing tail fields are blank. */
export interface MasterLineInput {
  readonly code: string;
  readonly isin: string;
  readonly name: string;
  /** Tail values by `.h` name: numbers are right-aligned with leading zeros, text is left-aligned. */
  readonly fields: Readonly<Record<string, string | number>>;
}

function fit(value: string | number | undefined, width: number): string {
  if (value === undefined) return ' '.repeat(width);
  if (typeof value === 'number') {
    const s = String(Math.max(0, Math.round(value)));
    if (s.length > width) throw new Error(`master field: ${value} does not fit in ${width} digits`);
    return s.padStart(width, '0');
  }
  if (value.length > width || /[^\x20-\x7e]/.test(value)) throw new Error(`master field: ${JSON.stringify(value)} does not fit in ${width} ASCII bytes`);
  return value.padEnd(width, ' ');
}

/** One line of a master file in KIS's layout (CP949, name padded to 40 bytes), without the line end. */
export function formatMasterLine(input: MasterLineInput, market: MasterMarket): Buffer {
  const name = encodeCp949(input.name);
  if (name.length > MASTER_HEAD.name) throw new Error(`master name too long: ${input.name}`);
  const head = Buffer.from(fit(input.code, MASTER_HEAD.code) + fit(input.isin, MASTER_HEAD.isin), 'latin1');
  const pad = Buffer.alloc(MASTER_HEAD.name - name.length, 0x20);
  const tail = Buffer.from(MASTER_TAILS[market].map((field) => fit(input.fields[field.name], field.width)).join(''), 'latin1');
  return Buffer.concat([head, name, pad, tail]);
}

/** KIS's download host (public, no key). */
export const KIS_MASTER_ORIGIN = 'https://new.real.download.dws.co.kr';

export type MasterFileId = 'kospi' | 'kosdaq' | 'konex' | 'nxtKospi' | 'nxtKosdaq';

export interface MasterFileSpec {
  /** Path of the zip on KIS's download host (and on the simulator's HTTP port). */
  readonly path: string;
  /** The one member of the zip. */
  readonly member: string;
  readonly market: MasterMarket;
  /** NXT's copies list the codes NXT trades, in the KRX layout of their market. */
  readonly nxt: boolean;
}

export const MASTER_FILES: Readonly<Record<MasterFileId, MasterFileSpec>> = Object.freeze({
  kospi: { path: '/common/master/kospi_code.mst.zip', member: 'kospi_code.mst', market: 'KOSPI', nxt: false },
  kosdaq: { path: '/common/master/kosdaq_code.mst.zip', member: 'kosdaq_code.mst', market: 'KOSDAQ', nxt: false },
  konex: { path: '/common/master/konex_code.mst.zip', member: 'konex_code.mst', market: 'KONEX', nxt: false },
  nxtKospi: { path: '/common/master/nxt_kospi_code.mst.zip', member: 'nxt_kospi_code.mst', market: 'KOSPI', nxt: true },
  nxtKosdaq: { path: '/common/master/nxt_kosdaq_code.mst.zip', member: 'nxt_kosdaq_code.mst', market: 'KOSDAQ', nxt: true },
});

export const MASTER_FILE_IDS = Object.freeze(Object.keys(MASTER_FILES) as MasterFileId[]);

/** The download URLs of every master file under one origin (KIS's, or a simulator's `http://127.0.0.1:port`). */
export function masterUrls(origin: string = KIS_MASTER_ORIGIN): Record<MasterFileId, string> {
  const base = origin.replace(/\/+$/, '');
  const urls = {} as Record<MasterFileId, string>;
  for (const id of MASTER_FILE_IDS) urls[id] = base + MASTER_FILES[id].path;
  return urls;
}
