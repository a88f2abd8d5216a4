/**
 * KIS short stock codes (단축코드) by KRX's code rules (docs/protocol/master-files.md §Codes).
 * The code KIS's real-time TRs take is the 6-character short code without KRX's product prefix:
 * - 주권, ETF, REIT … (first character 0–4 for codes issued since 2024, 0–9 before): positions
 *   1–4 digits; positions 5–6 digits or letters (letters in 5 since 2024, e.g. `0009K0`; in 6 for
 *   some preferred shares, e.g. `00104K`).
 * - ETN and ELW (first character 5–9): positions 2–6 digits or letters (ELW `57JN53`, ETN `57001A`).
 * - ETN with KRX's product prefix `Q`, as KIS's own examples write them: `Q` + an ETN code (`Q500001`).
 * KRX issues no I, O or U in the letter positions (they read like 1, 0 and V). Everything else
 * (`ABCDEFG`, `12345`, lower case) is refused before it reaches KIS. Self-contained on purpose:
 * the editor carries this function's source (scripts/gen-docs.js).
 */
export function isValidStockCode(code: string): boolean {
  if (typeof code !== 'string') return false;
  const body = code.length === 7 && code.charCodeAt(0) === 81 /* Q */ ? code.slice(1) : code;
  if (body.length !== 6) return false;
  const digit = (c: number): boolean => c >= 48 && c <= 57;
  // A–Z without I (73), O (79), U (85).
  const letter = (c: number): boolean => c >= 65 && c <= 90 && c !== 73 && c !== 79 && c !== 85;
  const first = body.charCodeAt(0);
  if (!digit(first)) return false;
  const etnOrElw = first >= 53; // '5'..'9'
  if (body !== code && !etnOrElw) return false; // the Q prefix is ETN only
  for (let i = 1; i < 6; i++) {
    const c = body.charCodeAt(i);
    if (digit(c)) continue;
    if (!letter(c)) return false;
    // 주권-type codes carry letters only in positions 5 and 6 (indexes 4 and 5).
    if (!etnOrElw && i < 4) return false;
  }
  return true;
}

/** Split user text (commas, spaces, new lines) into codes, trimmed, upper-cased, de-duplicated. */
export function splitCodes(text: string): string[] {
  const out: string[] = [];
  for (const part of text.split(/[\s,;]+/)) {
    const code = part.trim().toUpperCase();
    if (code !== '' && !out.includes(code)) out.push(code);
  }
  return out;
}

export interface KnownStock {
  readonly code: string;
  readonly name: string;
  readonly nameEn: string;
  readonly market: 'KOSPI' | 'KOSDAQ';
  /** A plausible reference price (KRW) for the simulator's previous close. */
  readonly price: number;
  /** Traded on NXT as well as KRX. */
  readonly nxt: boolean;
}

/** Well-known codes: names for the editor, plausible prices for the simulator. */
export const KNOWN_STOCKS: readonly KnownStock[] = Object.freeze([
  { code: '005930', name: '삼성전자', nameEn: 'Samsung Electronics', market: 'KOSPI', price: 71500, nxt: true },
  { code: '000660', name: 'SK하이닉스', nameEn: 'SK hynix', market: 'KOSPI', price: 198000, nxt: true },
  { code: '373220', name: 'LG에너지솔루션', nameEn: 'LG Energy Solution', market: 'KOSPI', price: 372000, nxt: true },
  { code: '207940', name: '삼성바이오로직스', nameEn: 'Samsung Biologics', market: 'KOSPI', price: 1012000, nxt: true },
  { code: '005380', name: '현대차', nameEn: 'Hyundai Motor', market: 'KOSPI', price: 214500, nxt: true },
  { code: '000270', name: '기아', nameEn: 'Kia', market: 'KOSPI', price: 98700, nxt: true },
  { code: '068270', name: '셀트리온', nameEn: 'Celltrion', market: 'KOSPI', price: 181300, nxt: true },
  { code: '035420', name: 'NAVER', nameEn: 'NAVER', market: 'KOSPI', price: 187600, nxt: true },
  { code: '035720', name: '카카오', nameEn: 'Kakao', market: 'KOSPI', price: 38450, nxt: true },
  { code: '105560', name: 'KB금융', nameEn: 'KB Financial Group', market: 'KOSPI', price: 84300, nxt: true },
  { code: '055550', name: '신한지주', nameEn: 'Shinhan Financial Group', market: 'KOSPI', price: 52100, nxt: true },
  { code: '005490', name: 'POSCO홀딩스', nameEn: 'POSCO Holdings', market: 'KOSPI', price: 312500, nxt: true },
  { code: '051910', name: 'LG화학', nameEn: 'LG Chem', market: 'KOSPI', price: 287000, nxt: true },
  { code: '006400', name: '삼성SDI', nameEn: 'Samsung SDI', market: 'KOSPI', price: 245500, nxt: true },
  { code: '012330', name: '현대모비스', nameEn: 'Hyundai Mobis', market: 'KOSPI', price: 238000, nxt: true },
  { code: '028260', name: '삼성물산', nameEn: 'Samsung C&T', market: 'KOSPI', price: 139200, nxt: true },
  { code: '015760', name: '한국전력', nameEn: 'KEPCO', market: 'KOSPI', price: 21850, nxt: true },
  { code: '017670', name: 'SK텔레콤', nameEn: 'SK Telecom', market: 'KOSPI', price: 53400, nxt: true },
  { code: '034730', name: 'SK', nameEn: 'SK Inc.', market: 'KOSPI', price: 148900, nxt: true },
  { code: '003550', name: 'LG', nameEn: 'LG Corp.', market: 'KOSPI', price: 76800, nxt: true },
  { code: '066570', name: 'LG전자', nameEn: 'LG Electronics', market: 'KOSPI', price: 92400, nxt: true },
  { code: '096770', name: 'SK이노베이션', nameEn: 'SK Innovation', market: 'KOSPI', price: 112300, nxt: true },
  { code: '032830', name: '삼성생명', nameEn: 'Samsung Life', market: 'KOSPI', price: 88900, nxt: true },
  { code: '086790', name: '하나금융지주', nameEn: 'Hana Financial Group', market: 'KOSPI', price: 61200, nxt: true },
  { code: '010130', name: '고려아연', nameEn: 'Korea Zinc', market: 'KOSPI', price: 512000, nxt: false },
  { code: '009150', name: '삼성전기', nameEn: 'Samsung Electro-Mechanics', market: 'KOSPI', price: 131500, nxt: true },
  { code: '329180', name: 'HD현대중공업', nameEn: 'HD Hyundai Heavy Industries', market: 'KOSPI', price: 263000, nxt: true },
  { code: '012450', name: '한화에어로스페이스', nameEn: 'Hanwha Aerospace', market: 'KOSPI', price: 368500, nxt: true },
  { code: '247540', name: '에코프로비엠', nameEn: 'EcoPro BM', market: 'KOSDAQ', price: 163400, nxt: true },
  { code: '086520', name: '에코프로', nameEn: 'EcoPro', market: 'KOSDAQ', price: 78900, nxt: true },
  { code: '196170', name: '알테오젠', nameEn: 'Alteogen', market: 'KOSDAQ', price: 342500, nxt: true },
  { code: '028300', name: 'HLB', nameEn: 'HLB', market: 'KOSDAQ', price: 71300, nxt: true },
  { code: '263750', name: '펄어비스', nameEn: 'Pearl Abyss', market: 'KOSDAQ', price: 35650, nxt: false },
  { code: '293490', name: '카카오게임즈', nameEn: 'Kakao Games', market: 'KOSDAQ', price: 19870, nxt: false },
  { code: '041510', name: '에스엠', nameEn: 'SM Entertainment', market: 'KOSDAQ', price: 76400, nxt: false },
]);

const BY_CODE: ReadonlyMap<string, KnownStock> = new Map(KNOWN_STOCKS.map((s) => [s.code, s]));

export function knownStock(code: string): KnownStock | undefined {
  return BY_CODE.get(code);
}
