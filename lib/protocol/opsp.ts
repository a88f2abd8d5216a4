/**
 * The `msg_cd` codes of KIS's real-time server (doc §3.3), with what a client should do about each.
 *
 * - `ok`:        success (subscribe / unsubscribe accepted).
 * - `benign`:    not an error for us (OPSP0002 "already subscribed" after a reconnect; OPSP0003
 *                "not found" on unsubscribe means it is gone anyway).
 * - `retryable`: a transient server-side failure; try the same request again later.
 * - `fatal`:     retrying the same request will not help (bad code, limit reached, bad key…).
 *
 * Evidence levels differ per code (see the doc); `rt_cd` for most error codes is inferred.
 */
export type OpspSeverity = 'ok' | 'benign' | 'retryable' | 'fatal';

export interface OpspCode {
  readonly code: string;
  /** The `msg1` text as listed by KIS (texts vary: always match on the code). */
  readonly msg1: string;
  readonly en: string;
  readonly ko: string;
  readonly severity: OpspSeverity;
  /** The `rt_cd` the server sends with it ("0" only for 0000/0001). */
  readonly rtCd: '0' | '1';
}

function c(code: string, msg1: string, severity: OpspSeverity, en: string, ko: string): OpspCode {
  return Object.freeze({ code, msg1, en, ko, severity, rtCd: code === 'OPSP0000' || code === 'OPSP0001' ? '0' : '1' });
}

export const OPSP_CODES: readonly OpspCode[] = Object.freeze([
  c('OPSP0000', 'SUBSCRIBE SUCCESS', 'ok', 'Subscription registered', '구독 등록 성공'),
  c('OPSP0001', 'UNSUBSCRIBE SUCCESS', 'ok', 'Subscription removed; the slot is free again', '구독 해제 성공'),
  c('OPSP0002', 'ALREADY IN SUBSCRIBE', 'benign', 'Already subscribed on this session (normal after a reconnect)', '이미 구독 중 (재접속 후에는 정상)'),
  c('OPSP0003', 'UNSUBSCRIBE ERROR(not found!)', 'benign', 'Unsubscribe of a pair that was not registered', '등록되지 않은 구독의 해제 요청'),
  c('OPSP0007', 'SUBSCRIBE INTERNAL ERROR', 'retryable', 'KIS server internal error', 'KIS 서버 내부 오류'),
  c('OPSP0008', 'MAX SUBSCRIBE OVER', 'fatal', 'Registration limit (41 per session) exceeded', '실시간 등록 한도(세션당 41건) 초과'),
  c('OPSP0009', 'SUBSCRIBE ERROR : mci send failed', 'retryable', 'KIS backend send failure', 'KIS 내부 전송 실패'),
  c('OPSP0010', 'SUBSCRIBE WARNNING : invalid appkey', 'fatal', 'App key problem', '앱키 오류 경고'),
  c('OPSP0011', 'invalid approval : NOT FOUND', 'retryable', 'Approval key unknown or expired: a new one is issued once', '접속키(approval key)가 없거나 만료됨: 한 번 재발급'),
  c('OPSP8991', 'SUBSCRIBE ERROR : invalid tr_id', 'fatal', 'Unknown TR id (or not served by this server, e.g. NXT/통합 on paper)', '잘못된 TR ID (모의투자는 NXT/통합 미지원)'),
  c('OPSP8992', 'SUBSCRIBE ERROR : invalid tr_key', 'fatal', 'Invalid stock code', '잘못된 종목코드'),
  c('OPSP8993', 'JSON PARSING ERROR : invalid tr_key', 'fatal', 'Malformed tr_key', 'tr_key 형식 오류'),
  c('OPSP8994', 'JSON PARSING ERROR : personalseckey not found', 'fatal', 'personalseckey missing (corporate header)', 'personalseckey 누락 (법인)'),
  c('OPSP8995', 'JSON PARSING ERROR : appsecret not found', 'fatal', 'appsecret missing (legacy header)', 'appsecret 누락'),
  c('OPSP8996', 'ALREADY IN USE appkey', 'retryable', 'Another live session already uses this app key', '다른 세션이 이미 이 앱키를 사용 중'),
  c('OPSP8997', 'JSON PARSING ERROR : invalid tr_type', 'fatal', 'tr_type is not "1" or "2"', 'tr_type 오류 ("1"/"2"만 가능)'),
  c('OPSP8998', 'JSON PARSING ERROR : invalid custtype', 'fatal', 'custtype is not P or B', 'custtype 오류 (P/B만 가능)'),
  c('OPSP8999', 'JSON PARSING ERROR : resource not available (ALLOC_CALL_PARAM)', 'retryable', 'KIS server resource not available', 'KIS 서버 자원 부족'),
  c('OPSP9990', 'JSON PARSING ERROR : tr_key not found', 'fatal', 'tr_key missing or invalid', 'tr_key 누락 또는 오류'),
  c('OPSP9991', 'JSON PARSING ERROR : input not found', 'fatal', 'body.input missing', 'body.input 누락'),
  c('OPSP9992', 'JSON PARSING ERROR : body not found', 'fatal', 'body missing', 'body 누락'),
  c('OPSP9993', 'JSON PARSING ERROR : internal error', 'retryable', 'KIS server internal JSON error', 'KIS 서버 내부 JSON 오류'),
  c('OPSP9994', 'JSON PARSING ERROR : INVALID appkey', 'fatal', 'Invalid app key', '잘못된 앱키'),
  c('OPSP9995', 'JSON PARSING ERROR : resource not available', 'retryable', 'KIS server resource not available', 'KIS 서버 자원 부족'),
  c('OPSP9996', 'JSON PARSING ERROR : appkey', 'fatal', 'App key error', '앱키 오류'),
  c('OPSP9997', 'JSON PARSING ERROR : custtype not found', 'fatal', 'custtype missing', 'custtype 누락'),
  c('OPSP9998', 'JSON PARSING ERROR : header not found', 'fatal', 'header missing', 'header 누락'),
  c('OPSP9999', 'JSON PARSING ERROR : invalid json format', 'fatal', 'Request is not valid JSON', 'JSON 형식 오류'),
]);

const BY_CODE: ReadonlyMap<string, OpspCode> = new Map(OPSP_CODES.map((entry) => [entry.code, entry]));

/** Look up a `msg_cd`; unknown codes are reported as fatal with the text the server sent. */
export function opspInfo(code: string, msg1 = ''): OpspCode {
  return BY_CODE.get(code) ?? { code, msg1, en: msg1 || 'Unknown KIS response code', ko: msg1 || '알 수 없는 KIS 응답 코드', severity: 'fatal', rtCd: '1' };
}

/** A one-line description for logs and node errors: `OPSP0008 MAX SUBSCRIBE OVER: Registration limit…`. */
export function describeOpsp(code: string, lang: 'en' | 'ko' = 'en'): string {
  const info = opspInfo(code);
  return `${info.code} ${lang === 'ko' ? info.ko : info.en}`;
}
