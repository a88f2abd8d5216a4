/**
 * Index codes (업종코드), the `tr_key` of the index TRs H0UPCNT0 / H0UPANC0 / H0UPPGM0
 * (docs/protocol/realtime-trs.md, index codes). Names from KIS's REST parameter docs and the public
 * index master file idxcode.mst; the list is the common subset users pick in the dialog, not every
 * code KIS knows (any 4-digit code may be subscribed).
 */
export interface IndexCode {
  readonly code: string;
  readonly ko: string;
  readonly en: string;
}

export const INDEX_CODES: readonly IndexCode[] = Object.freeze([
  { code: '0001', ko: '코스피 (종합)', en: 'KOSPI (composite)' },
  { code: '0002', ko: '코스피 대형주', en: 'KOSPI large cap' },
  { code: '1001', ko: '코스닥 (종합)', en: 'KOSDAQ (composite)' },
  { code: '2001', ko: '코스피200', en: 'KOSPI 200' },
  { code: '2007', ko: '코스피100', en: 'KOSPI 100' },
  { code: '2008', ko: '코스피50', en: 'KOSPI 50' },
  { code: '4001', ko: 'KRX100', en: 'KRX 100' },
  { code: '0503', ko: 'VKOSPI (변동성지수)', en: 'VKOSPI (volatility index)' },
].map((x) => Object.freeze(x)));

const INDEX_CODE = /^\d{4}$/;

/** A syntactically valid index code (4 digits); it need not be in INDEX_CODES. */
export function isValidIndexCode(code: string): boolean {
  return INDEX_CODE.test(code);
}

/** The named entry of a code, when it is one of the common ones. */
export function indexCodeInfo(code: string): IndexCode | undefined {
  return INDEX_CODES.find((x) => x.code === code);
}
