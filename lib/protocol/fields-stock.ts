// Field lists of the per-stock real-time TRs beyond 체결/호가/체결통보: 예상체결, 장운영정보, 회원사,
// 프로그램매매 (docs/protocol/realtime-trs.md). Names as KIS's official sample spells them
// (examples_user/domestic_stock/domestic_stock_functions_ws.py), Korean names from the official
// examples_llm/*/chk_*.py maps; where a layout is a prefix of the 체결 list it is derived from it,
// so the two cannot drift apart.

import { f, type FieldDef } from './field-def';
import { TICK_FIELDS_NXT_UN } from './fields';

/**
 * What a 예상체결 record means: the expected (call-auction) match, not a trade
 * (docs/protocol/realtime-trs.md, 예상체결). Only the fields whose meaning changes are re-described.
 */
const EXPECTED_MEANING: Readonly<Record<string, string>> = {
  STCK_CNTG_HOUR: 'time of this expected-price update HHMMSS (KST)',
  STCK_PRPR: 'expected match price (예상체결가)',
  PRDY_VRSS: 'expected price − prev close',
  PRDY_CTRT: 'expected price vs prev close, %',
  CNTG_VOL: 'change of the expected matched qty since the previous record (inferred)',
  ACML_VOL: 'expected matched qty (예상체결수량; inferred from ACML_TR_PBMN = ACML_VOL × STCK_PRPR)',
  ACML_TR_PBMN: 'expected matched value KRW (= ACML_VOL × STCK_PRPR)',
  STCK_OPRC: 'day open; 0 before the open',
  STCK_HGPR: 'day high; 0 before the open',
  STCK_LWPR: 'day low; 0 before the open',
  HOUR_CLS_CODE: 'B opening call / A closing call / C VI auction / D 시간외 단일가 expected',
};

function expected(field: FieldDef): FieldDef {
  const en = EXPECTED_MEANING[field.name];
  return en === undefined ? field : { ...field, en };
}

/** 예상체결 H0STANC0 (KRX): 45 fields = 체결 fields 0–44, field 21 named CNTG_CLS_CODE, no VI_STND_PRC. */
export const EXPECTED_FIELDS_KRX: readonly FieldDef[] = TICK_FIELDS_NXT_UN.slice(0, 45).map(expected);

/** 예상체결 H0NXANC0 (NXT) / H0UNANC0 (통합): 46 fields = the NXT 체결 list (adds VI_STND_PRC). */
export const EXPECTED_FIELDS_NXT_UN: readonly FieldDef[] = TICK_FIELDS_NXT_UN.map(expected);

/** 장운영정보 H0STMKO0 (KRX) / H0NXMKO0 (NXT): 11 fields, code first. Event-driven (VI on/off, halts, session changes). */
export const MARKET_STATUS_FIELDS: readonly FieldDef[] = [
  f("MKSC_SHRN_ISCD", "str", "유가증권단축종목코드", "stock code"),
  f("TRHT_YN", "yn", "거래정지여부", "Y trading halted / N normal"),
  f("TR_SUSP_REAS_CNTT", "str", "거래정지사유내용", "halt reason text; the literal (null) when none (observed)"),
  f("MKOP_CLS_CODE", "enum", "장운영구분코드", "session event code: 110 opening call start, 112 open, 121 closing call start, 129 close, 174/175 circuit breaker, 387/388/397/398 sidecar, …"),
  f("ANTC_MKOP_CLS_CODE", "enum", "예상장운영구분코드", "311 opening-call expected start / 112 end / 121 closing-call expected start / 129 end"),
  f("MRKT_TRTM_CLS_CODE", "enum", "임의연장구분코드", "random-end (임의연장) code 1–6; usually empty"),
  f("DIVI_APP_CLS_CODE", "enum", "동시호가배분처리구분코드", "call-auction allocation: char 1 = 1 start / 2 release, char 2 = 1 buy upper … 4 sell lower"),
  f("ISCD_STAT_CLS_CODE", "enum", "종목상태구분코드", "51 관리 / 52 투자위험 / 53 투자경고 / 54 투자주의 / 55 KIS credit allowed / 57 KIS margin 100 % / 58 halted / 59 단기과열 / 00 other"),
  f("VI_CLS_CODE", "yn", "VI적용구분코드", "Y a VI is in force / N"),
  f("OVTM_VI_CLS_CODE", "yn", "시간외단일가VI적용구분코드", "Y a VI is in force in 시간외 단일가 / N"),
  f("EXCH_CLS_CODE", "enum", "거래소구분코드", "exchange code (values undocumented; absent from every observed frame)"),
];

/**
 * 장운영정보 without EXCH_CLS_CODE, code first: 10 fields. What the one capture of H0UNMKO0 shows
 * (and the H0STMKO0 portal example): the default for 통합, a known variant for KRX/NXT.
 */
export const MARKET_STATUS_FIELDS_10: readonly FieldDef[] = MARKET_STATUS_FIELDS.slice(0, 10);

/**
 * 장운영정보 H0UNMKO0 as KIS documents it (official sample and portal): 10 fields starting at
 * TRHT_YN, no stock code. Kept as a known variant told apart by content (field 0 is Y or N),
 * because the capture contradicts it (docs/protocol/realtime-trs.md, 장운영정보).
 */
export const MARKET_STATUS_FIELDS_UN_DOC: readonly FieldDef[] = MARKET_STATUS_FIELDS.slice(1);

/** 회원사 H0STMBC0 / H0NXMBC0 / H0UNMBC0: 78 fields, top-5 sell- and buy-side brokers of the stock. */
export const MEMBER_FIELDS: readonly FieldDef[] = [
  f("MKSC_SHRN_ISCD", "str", "유가증권단축종목코드", "stock code"),
  f("SELN2_MBCR_NAME1", "str", "매도2회원사명1", "sell-side broker 1 (Korean name)"),
  f("SELN2_MBCR_NAME2", "str", "매도2회원사명2", "sell-side broker 2 (Korean name)"),
  f("SELN2_MBCR_NAME3", "str", "매도2회원사명3", "sell-side broker 3 (Korean name)"),
  f("SELN2_MBCR_NAME4", "str", "매도2회원사명4", "sell-side broker 4 (Korean name)"),
  f("SELN2_MBCR_NAME5", "str", "매도2회원사명5", "sell-side broker 5 (Korean name)"),
  f("BYOV_MBCR_NAME1", "str", "매수회원사명1", "buy-side broker 1 (Korean name)"),
  f("BYOV_MBCR_NAME2", "str", "매수회원사명2", "buy-side broker 2 (Korean name)"),
  f("BYOV_MBCR_NAME3", "str", "매수회원사명3", "buy-side broker 3 (Korean name)"),
  f("BYOV_MBCR_NAME4", "str", "매수회원사명4", "buy-side broker 4 (Korean name)"),
  f("BYOV_MBCR_NAME5", "str", "매수회원사명5", "buy-side broker 5 (Korean name)"),
  f("TOTAL_SELN_QTY1", "int", "총매도수량1", "shares sold today through sell-side broker 1"),
  f("TOTAL_SELN_QTY2", "int", "총매도수량2", "shares sold today through sell-side broker 2"),
  f("TOTAL_SELN_QTY3", "int", "총매도수량3", "shares sold today through sell-side broker 3"),
  f("TOTAL_SELN_QTY4", "int", "총매도수량4", "shares sold today through sell-side broker 4"),
  f("TOTAL_SELN_QTY5", "int", "총매도수량5", "shares sold today through sell-side broker 5"),
  f("TOTAL_SHNU_QTY1", "int", "총매수2수량1", "shares bought today through buy-side broker 1"),
  f("TOTAL_SHNU_QTY2", "int", "총매수2수량2", "shares bought today through buy-side broker 2"),
  f("TOTAL_SHNU_QTY3", "int", "총매수2수량3", "shares bought today through buy-side broker 3"),
  f("TOTAL_SHNU_QTY4", "int", "총매수2수량4", "shares bought today through buy-side broker 4"),
  f("TOTAL_SHNU_QTY5", "int", "총매수2수량5", "shares bought today through buy-side broker 5"),
  f("SELN_MBCR_GLOB_YN_1", "yn", "매도거래원구분1", "sell-side broker 1 is foreign (Y/N)"),
  f("SELN_MBCR_GLOB_YN_2", "yn", "매도거래원구분2", "sell-side broker 2 is foreign (Y/N)"),
  f("SELN_MBCR_GLOB_YN_3", "yn", "매도거래원구분3", "sell-side broker 3 is foreign (Y/N)"),
  f("SELN_MBCR_GLOB_YN_4", "yn", "매도거래원구분4", "sell-side broker 4 is foreign (Y/N)"),
  f("SELN_MBCR_GLOB_YN_5", "yn", "매도거래원구분5", "sell-side broker 5 is foreign (Y/N)"),
  f("SHNU_MBCR_GLOB_YN_1", "yn", "매수거래원구분1", "buy-side broker 1 is foreign (Y/N)"),
  f("SHNU_MBCR_GLOB_YN_2", "yn", "매수거래원구분2", "buy-side broker 2 is foreign (Y/N)"),
  f("SHNU_MBCR_GLOB_YN_3", "yn", "매수거래원구분3", "buy-side broker 3 is foreign (Y/N)"),
  f("SHNU_MBCR_GLOB_YN_4", "yn", "매수거래원구분4", "buy-side broker 4 is foreign (Y/N)"),
  f("SHNU_MBCR_GLOB_YN_5", "yn", "매수거래원구분5", "buy-side broker 5 is foreign (Y/N)"),
  f("SELN_MBCR_NO1", "str", "매도거래원코드1", "sell-side broker 1 member number (5 digits)"),
  f("SELN_MBCR_NO2", "str", "매도거래원코드2", "sell-side broker 2 member number (5 digits)"),
  f("SELN_MBCR_NO3", "str", "매도거래원코드3", "sell-side broker 3 member number (5 digits)"),
  f("SELN_MBCR_NO4", "str", "매도거래원코드4", "sell-side broker 4 member number (5 digits)"),
  f("SELN_MBCR_NO5", "str", "매도거래원코드5", "sell-side broker 5 member number (5 digits)"),
  f("SHNU_MBCR_NO1", "str", "매수거래원코드1", "buy-side broker 1 member number (5 digits)"),
  f("SHNU_MBCR_NO2", "str", "매수거래원코드2", "buy-side broker 2 member number (5 digits)"),
  f("SHNU_MBCR_NO3", "str", "매수거래원코드3", "buy-side broker 3 member number (5 digits)"),
  f("SHNU_MBCR_NO4", "str", "매수거래원코드4", "buy-side broker 4 member number (5 digits)"),
  f("SHNU_MBCR_NO5", "str", "매수거래원코드5", "buy-side broker 5 member number (5 digits)"),
  f("SELN_MBCR_RLIM1", "dec", "매도회원사비중1", "sell-side broker 1 share of volume, %"),
  f("SELN_MBCR_RLIM2", "dec", "매도회원사비중2", "sell-side broker 2 share of volume, %"),
  f("SELN_MBCR_RLIM3", "dec", "매도회원사비중3", "sell-side broker 3 share of volume, %"),
  f("SELN_MBCR_RLIM4", "dec", "매도회원사비중4", "sell-side broker 4 share of volume, %"),
  f("SELN_MBCR_RLIM5", "dec", "매도회원사비중5", "sell-side broker 5 share of volume, %"),
  f("SHNU_MBCR_RLIM1", "dec", "매수2회원사비중1", "buy-side broker 1 share of volume, %"),
  f("SHNU_MBCR_RLIM2", "dec", "매수2회원사비중2", "buy-side broker 2 share of volume, %"),
  f("SHNU_MBCR_RLIM3", "dec", "매수2회원사비중3", "buy-side broker 3 share of volume, %"),
  f("SHNU_MBCR_RLIM4", "dec", "매수2회원사비중4", "buy-side broker 4 share of volume, %"),
  f("SHNU_MBCR_RLIM5", "dec", "매수2회원사비중5", "buy-side broker 5 share of volume, %"),
  f("SELN_QTY_ICDC1", "sint", "매도수량증감1", "sell-side broker 1 quantity change since the previous record"),
  f("SELN_QTY_ICDC2", "sint", "매도수량증감2", "sell-side broker 2 quantity change since the previous record"),
  f("SELN_QTY_ICDC3", "sint", "매도수량증감3", "sell-side broker 3 quantity change since the previous record"),
  f("SELN_QTY_ICDC4", "sint", "매도수량증감4", "sell-side broker 4 quantity change since the previous record"),
  f("SELN_QTY_ICDC5", "sint", "매도수량증감5", "sell-side broker 5 quantity change since the previous record"),
  f("SHNU_QTY_ICDC1", "sint", "매수2수량증감1", "buy-side broker 1 quantity change since the previous record"),
  f("SHNU_QTY_ICDC2", "sint", "매수2수량증감2", "buy-side broker 2 quantity change since the previous record"),
  f("SHNU_QTY_ICDC3", "sint", "매수2수량증감3", "buy-side broker 3 quantity change since the previous record"),
  f("SHNU_QTY_ICDC4", "sint", "매수2수량증감4", "buy-side broker 4 quantity change since the previous record"),
  f("SHNU_QTY_ICDC5", "sint", "매수2수량증감5", "buy-side broker 5 quantity change since the previous record"),
  f("GLOB_TOTAL_SELN_QTY", "int", "외국계총매도수량", "foreign brokers: total sold"),
  f("GLOB_TOTAL_SHNU_QTY", "int", "외국계총매수2수량", "foreign brokers: total bought"),
  f("GLOB_TOTAL_SELN_QTY_ICDC", "sint", "외국계총매도수량증감", "foreign brokers: change of total sold"),
  f("GLOB_TOTAL_SHNU_QTY_ICDC", "sint", "외국계총매수2수량증감", "foreign brokers: change of total bought"),
  f("GLOB_NTBY_QTY", "sint", "외국계순매수수량", "foreign brokers: net bought (bought − sold)"),
  f("GLOB_SELN_RLIM", "dec", "외국계매도비중", "foreign brokers: share of sell volume, %"),
  f("GLOB_SHNU_RLIM", "dec", "외국계매수2비중", "foreign brokers: share of buy volume, %"),
  f("SELN2_MBCR_ENG_NAME1", "str", "매도2영문회원사명1", "sell-side broker 1 (English name)"),
  f("SELN2_MBCR_ENG_NAME2", "str", "매도2영문회원사명2", "sell-side broker 2 (English name)"),
  f("SELN2_MBCR_ENG_NAME3", "str", "매도2영문회원사명3", "sell-side broker 3 (English name)"),
  f("SELN2_MBCR_ENG_NAME4", "str", "매도2영문회원사명4", "sell-side broker 4 (English name)"),
  f("SELN2_MBCR_ENG_NAME5", "str", "매도2영문회원사명5", "sell-side broker 5 (English name)"),
  f("BYOV_MBCR_ENG_NAME1", "str", "매수영문회원사명1", "buy-side broker 1 (English name)"),
  f("BYOV_MBCR_ENG_NAME2", "str", "매수영문회원사명2", "buy-side broker 2 (English name)"),
  f("BYOV_MBCR_ENG_NAME3", "str", "매수영문회원사명3", "buy-side broker 3 (English name)"),
  f("BYOV_MBCR_ENG_NAME4", "str", "매수영문회원사명4", "buy-side broker 4 (English name)"),
  f("BYOV_MBCR_ENG_NAME5", "str", "매수영문회원사명5", "buy-side broker 5 (English name)"),
];

/** 프로그램매매 H0STPGM0 / H0NXPGM0 / H0UNPGM0: 11 fields, the stock's program trading so far today. */
export const PROGRAM_FIELDS: readonly FieldDef[] = [
  f("MKSC_SHRN_ISCD", "str", "유가증권단축종목코드", "stock code"),
  f("STCK_CNTG_HOUR", "time", "주식체결시간", "time HHMMSS (KST)"),
  f("SELN_CNQN", "int", "매도체결량", "program sell executed qty (cumulative)"),
  f("SELN_TR_PBMN", "int", "매도거래대금", "program sell value KRW (cumulative)"),
  f("SHNU_CNQN", "int", "매수2체결량", "program buy executed qty (cumulative)"),
  f("SHNU_TR_PBMN", "int", "매수2거래대금", "program buy value KRW (cumulative)"),
  f("NTBY_CNQN", "sint", "순매수체결량", "program net buy qty = SHNU_CNQN − SELN_CNQN"),
  f("NTBY_TR_PBMN", "sint", "순매수거래대금", "program net buy value = SHNU_TR_PBMN − SELN_TR_PBMN"),
  f("SELN_RSQN", "int", "매도호가잔량", "resting program sell qty"),
  f("SHNU_RSQN", "int", "매수호가잔량", "resting program buy qty"),
  f("WHOL_NTBY_QTY", "sint", "전체순매수호가잔량", "resting net = SHNU_RSQN − SELN_RSQN"),
];
