/**
 * The `EGW…` codes of KIS's API gateway, as its OAuth endpoints (`/oauth2/Approval`,
 * `/oauth2/tokenP`) and REST calls return them (docs/protocol/oauth-egw.md), with what fixes each:
 *
 * - `config`:     no retry can fix it (bad app key or secret, missing field, no permission): stop.
 * - `rate-limit`: KIS asks the client to slow down (EGW00133: one token a minute; EGW00201 /
 *                 EGW00215: calls per second): wait, then try again.
 * - `retry`:      a transient gateway fault: back off and try again.
 * - `re-auth`:    the access token is invalid or expired: issue a new one once (REST calls only).
 *
 * Pure data: the session's failure policy (lib/session/policy.ts) decides from `kind`.
 */
export type EgwKind = 'config' | 'rate-limit' | 'retry' | 're-auth';

export interface EgwCode {
  readonly code: string;
  /** KIS's Korean message as published. */
  readonly message: string;
  readonly kind: EgwKind;
  readonly en: string;
  readonly ko: string;
  /** For `rate-limit`: how long KIS asks the client to wait at least. */
  readonly waitMs?: number;
}

function e(code: string, kind: EgwKind, message: string, en: string, ko: string, waitMs?: number): EgwCode {
  return Object.freeze({ code, kind, message, en, ko, ...(waitMs !== undefined && { waitMs }) });
}

const KEY_OR_SECRET_KO = '앱키 또는 시크릿이 올바르지 않습니다';

export const EGW_CODES: readonly EgwCode[] = Object.freeze([
  e('EGW00001', 'retry', '일시적 오류가 발생했습니다', 'Temporary KIS gateway error', '일시적인 KIS 게이트웨이 오류'),
  e('EGW00002', 'retry', '서버 에러가 발생했습니다', 'KIS server error', 'KIS 서버 오류'),
  e('EGW00003', 'config', '접근이 거부되었습니다', 'Access denied: check the service application on the KIS portal', '접근 거부: KIS 포털의 서비스 신청을 확인하세요'),
  e('EGW00004', 'config', '권한을 부여받지 않은 고객입니다', 'Not authorised for this service: apply for it on the KIS portal', '권한이 없는 고객: KIS 포털에서 서비스를 신청하세요'),
  e('EGW00101', 'config', '유효하지 않은 요청입니다', 'Invalid request', '유효하지 않은 요청'),
  e('EGW00102', 'config', 'AppKey는 필수입니다', 'The app key is missing', '앱키가 없습니다'),
  e('EGW00103', 'config', '유효하지 않은 AppKey입니다', 'The app key or secret is not valid (or belongs to the other server: real/paper)', `${KEY_OR_SECRET_KO} (실전/모의 서버 확인)`),
  e('EGW00104', 'config', 'AppSecret은 필수입니다', 'The app secret is missing', '앱 시크릿이 없습니다'),
  e('EGW00105', 'config', '유효하지 않은 AppSecret입니다', 'The app key or secret is not valid (the secret does not match the key)', `${KEY_OR_SECRET_KO} (시크릿 불일치)`),
  e('EGW00115', 'config', 'grant_type은 필수입니다', 'grant_type is missing', 'grant_type 누락'),
  e('EGW00116', 'config', '지원하지 않는 grant_type입니다', 'grant_type is not supported', '지원하지 않는 grant_type'),
  e('EGW00121', 're-auth', '유효하지 않은 token 입니다', 'Invalid access token', '유효하지 않은 접근토큰'),
  e('EGW00122', 're-auth', 'token을 찾을 수 없습니다', 'Access token missing', '접근토큰 없음'),
  e('EGW00123', 're-auth', '기간이 만료된 token 입니다', 'Access token expired', '만료된 접근토큰'),
  e('EGW00129', 'config', 'HTS_ID는 필수입니다', 'The HTS ID is missing', 'HTS ID가 없습니다'),
  e('EGW00131', 'config', '유효하지 않은 hashkey입니다', 'Invalid hashkey', '유효하지 않은 hashkey'),
  e('EGW00132', 'config', 'Content-Type이 유효하지 않습니다', 'Invalid Content-Type', '유효하지 않은 Content-Type'),
  e('EGW00133', 'rate-limit', '접근토큰 발급 잠시 후 다시 시도하세요(1분당 1회)', 'Token issued too often (once a minute): waiting', '접근토큰 발급 제한(1분당 1회): 대기 중', 61_000),
  e('EGW00201', 'rate-limit', '초당 거래건수를 초과하였습니다', 'Too many calls per second: waiting', '초당 거래건수 초과: 대기 중', 1_000),
  e('EGW00205', 'config', 'credentials_type이 유효하지 않습니다(Bearer)', 'Invalid credentials type (Bearer)', '유효하지 않은 credentials_type'),
  e('EGW00206', 'config', 'API 사용 권한이 없습니다', 'No permission for this API: apply on the KIS portal', 'API 사용 권한 없음'),
  e('EGW00207', 'config', 'IP 주소가 없거나 유효하지 않습니다', 'IP address missing or not registered', 'IP 주소 없음 또는 미등록'),
  e('EGW00208', 'config', '고객유형(custtype)이 유효하지 않습니다', 'Invalid customer type (custtype)', '유효하지 않은 고객유형(custtype)'),
  e('EGW00210', 'config', '법인고객의 경우 모의투자를 이용할 수 없습니다', 'Corporate customers cannot use paper trading', '법인고객은 모의투자 이용 불가'),
  e('EGW00215', 'rate-limit', '초당 거래건수를 초과하였습니다(원장)', 'Too many ledger calls per second: waiting', '원장 초당 거래건수 초과: 대기 중', 1_000),
  e('EGW00300', 'retry', 'Gateway 라우팅 오류', 'KIS gateway routing error', '게이트웨이 라우팅 오류'),
  e('EGW00301', 'retry', '연결 시간 초과', 'KIS gateway connection timeout', '게이트웨이 연결 시간 초과'),
  e('EGW00302', 'retry', '거래시간 초과', 'KIS gateway transaction timeout', '게이트웨이 거래시간 초과'),
  e('EGW00304', 'config', '고객식별키가 유효하지 않습니다', 'The app key or secret is not valid (customer key)', KEY_OR_SECRET_KO),
  e('EGW2004', 'config', '모의투자 TR 이 아닙니다', 'Not a paper-trading TR', '모의투자 TR이 아님'),
]);

const BY_CODE: ReadonlyMap<string, EgwCode> = new Map(EGW_CODES.map((entry) => [entry.code, entry]));

/** Whether a text is shaped like an EGW code (so it may be shown as a code). */
export function isEgwCode(code: string): boolean {
  return /^EGW\d{4,5}$/.test(code);
}

/**
 * Look up a code. An unknown EGW code is `retry`: only codes known to be configuration errors stop
 * the session (stopping on an unknown transient code would leave a flow down for good).
 */
export function egwInfo(code: string, message = ''): EgwCode {
  return BY_CODE.get(code) ?? { code, kind: 'retry', message, en: 'Unknown KIS gateway code', ko: '알 수 없는 KIS 게이트웨이 코드' };
}

/** `EGW00103 The app key or secret is not valid …` for logs and errors. */
export function describeEgw(code: string, lang: 'en' | 'ko' = 'en'): string {
  const info = egwInfo(code);
  return `${info.code} ${lang === 'ko' ? info.ko : info.en}`;
}
