// Field lists of the ELW TRs and the ETF NAV TR (docs/protocol/realtime-trs.md, ELW / ETF NAV).
// ELW layouts start with the 체결 / 호가 fields they share, derived from those lists.

import { f, type FieldDef } from './field-def';
import { QUOTE_FIELDS_KRX, TICK_FIELDS_NXT_UN } from './fields';

/** ELW analytics shared by 체결 and 예상체결 (fields 40–55 of both). */
const ELW_GREEKS: readonly FieldDef[] = [
  f("TMVL_VAL", "dec", "시간가치값", "time value"),
  f("PRIT", "dec", "패리티", "parity"),
  f("PRMM_VAL", "sdec", "프리미엄값", "premium"),
  f("GEAR", "dec", "기어링", "gearing"),
  f("PRLS_QRYR_RATE", "sdec", "손익분기비율", "break-even rate %"),
  f("INVL_VAL", "dec", "내재가치값", "intrinsic value"),
  f("PRMM_RATE", "sdec", "프리미엄비율", "premium rate %"),
  f("CFP", "sdec", "자본지지점", "capital fixed point"),
  f("LVRG_VAL", "sdec", "레버리지값", "leverage"),
  f("DELTA", "sdec", "델타", "delta"),
  f("GAMA", "sdec", "감마", "gamma"),
  f("VEGA", "sdec", "베가", "vega"),
  f("THETA", "sdec", "세타", "theta"),
  f("RHO", "sdec", "로우", "rho"),
  f("HTS_INTS_VLTL", "dec", "HTS내재변동성", "implied volatility (KIS HTS)"),
  f("HTS_THPR", "dec", "HTS이론가", "theoretical price (KIS HTS)"),
];

const ELW_VOL_TNRT = f("VOL_TNRT", "dec", "거래량회전율", "turnover %, 2 dp");
const ELW_LP_HVOL = f("LP_HVOL", "int", "LP보유량", "liquidity provider holding qty");
const ELW_LP_HLDN_RATE = f("LP_HLDN_RATE", "dec", "LP보유비율", "liquidity provider holding %");

/**
 * ELW 체결 H0EWCNT0: 63 fields. KIS's examples_llm rename map for this TR has 68 keys of another
 * layout and is not used (docs/protocol/realtime-trs.md).
 */
export const ELW_TICK_FIELDS: readonly FieldDef[] = [
  ...TICK_FIELDS_NXT_UN.slice(0, 40),
  ...ELW_GREEKS,
  ELW_VOL_TNRT,
  f("PRDY_SMNS_HOUR_ACML_VOL", "int", "전일동시간누적거래량", "prev-day volume at same time"),
  f("PRDY_SMNS_HOUR_ACML_VOL_RATE", "dec", "전일동시간누적거래량비율", "acml vol / prev-day same-time vol, %"),
  f("APPRCH_RATE", "dec", "접근도", "approach rate (접근도) %"),
  ELW_LP_HVOL,
  ELW_LP_HLDN_RATE,
  f("LP_NTBY_QTY", "sint", "LP순매도량", "liquidity provider net sold qty"),
];

/** ELW 예상체결 H0EWANC0: 59 fields (no example frame in any source). */
export const ELW_EXPECTED_FIELDS: readonly FieldDef[] = [...TICK_FIELDS_NXT_UN.slice(0, 40), ...ELW_GREEKS, ELW_VOL_TNRT, ELW_LP_HVOL, ELW_LP_HLDN_RATE];

function lpLevels(side: 'ASKP' | 'BIDP', ko: string, en: string): FieldDef[] {
  return Array.from({ length: 10 }, (_, i) => f(`LP_${side}_RSQN${i + 1}`, 'int', `LP${ko}호가잔량${i + 1}`, `liquidity provider ${en} qty at level ${i + 1}`));
}

/**
 * ELW 호가 H0EWASP0: 73 fields = 호가 fields 0–44, the expected match, the LP (liquidity provider)
 * book, ANTC_VOL. The LP names at 50–71 follow the positional reading of KIS's legacy sample (asks
 * 1–10, bids 1–10, totals): the official sample lists the same names in a shuffled order that no
 * frame can confirm (docs/protocol/realtime-trs.md, doubts).
 */
export const ELW_QUOTE_FIELDS: readonly FieldDef[] = [
  ...QUOTE_FIELDS_KRX.slice(0, 45),
  f("ANTC_CNPR", "int", "예상체결가", "expected (auction) price"),
  f("ANTC_CNQN", "int", "예상체결량", "expected qty"),
  f("ANTC_CNTG_VRSS_SIGN", "sign", "예상체결대비부호", "sign of expected price vs prev close"),
  f("ANTC_CNTG_VRSS", "sint", "예상체결대비", "expected price − prev close"),
  f("ANTC_CNTG_PRDY_CTRT", "sdec", "예상체결전일대비율", "expected price vs prev close, %"),
  ...lpLevels('ASKP', '매도', 'ask'),
  ...lpLevels('BIDP', '매수', 'bid'),
  f("LP_TOTAL_ASKP_RSQN", "int", "LP총매도호가잔량", "liquidity provider total ask qty"),
  f("LP_TOTAL_BIDP_RSQN", "int", "LP총매수호가잔량", "liquidity provider total bid qty"),
  f("ANTC_VOL", "int", "예상거래량", "expected volume"),
];

/**
 * ETF NAV H0STNAV0: 8 fields. The official sample declares 12 names, four of them (rt_cd, msg_cd,
 * output1, msg1) copied from a REST envelope; the portal, its example frame and the legacy sample have 8.
 */
export const ETF_NAV_FIELDS: readonly FieldDef[] = [
  f("MKSC_SHRN_ISCD", "str", "유가증권단축종목코드", "ETF code as subscribed"),
  f("NAV", "dec", "NAV", "net asset value per unit, 2 dp"),
  f("NAV_PRDY_VRSS_SIGN", "sign", "NAV전일대비부호", "NAV vs previous day"),
  f("NAV_PRDY_VRSS", "sdec", "NAV전일대비", "NAV − previous day NAV"),
  f("NAV_PRDY_CTRT", "sdec", "NAV전일대비율", "NAV change vs previous day, %"),
  f("OPRC_NAV", "dec", "NAV시가", "NAV at the open"),
  f("HPRC_NAV", "dec", "NAV고가", "day high NAV"),
  f("LPRC_NAV", "dec", "NAV저가", "day low NAV"),
];
