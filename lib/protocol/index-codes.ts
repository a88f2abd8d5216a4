/**
 * 업종코드 (index codes): the `tr_key` of the index TRs (H0UPCNT0 체결, H0UPANC0 예상체결,
 * H0UPPGM0 프로그램매매), four digits. The names are those of KIS's index master (idxcode.mst)
 * for the indices users ask for most; any other four-digit code is accepted and shown as unknown.
 * Sources and doubts: docs/protocol/realtime-trs.md (index codes).
 */
export interface KnownIndex {
  readonly code: string;
  readonly name: string;
  readonly nameEn: string;
}

export const KNOWN_INDICES: readonly KnownIndex[] = Object.freeze([
  { code: '0001', name: '코스피', nameEn: 'KOSPI' },
  { code: '0002', name: '코스피 대형주', nameEn: 'KOSPI large cap' },
  { code: '0003', name: '코스피 중형주', nameEn: 'KOSPI mid cap' },
  { code: '0004', name: '코스피 소형주', nameEn: 'KOSPI small cap' },
  { code: '1001', name: '코스닥', nameEn: 'KOSDAQ' },
  { code: '2001', name: '코스피200', nameEn: 'KOSPI 200' },
  { code: '2007', name: '코스피100', nameEn: 'KOSPI 100' },
  { code: '2008', name: '코스피50', nameEn: 'KOSPI 50' },
  { code: '4001', name: 'KRX100', nameEn: 'KRX 100' },
]);

/** Four digits, as KIS's index master spells every 업종코드 (e.g. `0001`, `2001`). */
export function isValidIndexCode(code: string): boolean {
  if (code.length !== 4) return false;
  for (let i = 0; i < 4; i++) {
    const c = code.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

const BY_CODE: ReadonlyMap<string, KnownIndex> = new Map(KNOWN_INDICES.map((x) => [x.code, x]));

export function knownIndex(code: string): KnownIndex | undefined {
  return BY_CODE.get(code);
}
