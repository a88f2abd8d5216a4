/**
 * The trading phase of each venue at an instant, as the simulator's feeds need it: which kind of
 * matching runs (continuous or a single-price call), when the phase began and ends, and the
 * codes a record shows for it. The hours come from the protocol's market calendar
 * (docs/protocol/market-calendar.md); this file only maps them to phases.
 */
import { kstDayStart, sessionAt, type SessionRule } from '../protocol/market-calendar';

/**
 * KRX phases. `opening-auction` / `closing-auction`: the 시가/종가 단일가 calls (no trades; expected
 * prices only); `overtime-auction`: one 10-minute call of the 시간외 단일가 session (KRX, until
 * 2026-09-11), published on the 시간외 TRs; `after-market`: KRX's continuous 16:00–20:00 session
 * (since 2026-09-14), on the regular TRs.
 */
export type KrxPhase = 'closed' | 'opening-auction' | 'continuous' | 'closing-auction' | 'overtime-auction' | 'after-market';
export type NxtPhase = 'closed' | 'continuous';

/** MARKET_CLS_CODE (장 구분 코드, 2026-09-14 layouts): 1 프리 · 2 정규 · 3 애프터 · 5 종가. */
export type MarketClsCode = '1' | '2' | '3' | '5';

export interface SessionState {
  readonly krx: KrxPhase;
  /** Epoch ms of the start and end of the current KRX phase (0 / Infinity when unbounded). */
  readonly krxStart: number;
  readonly krxEnd: number;
  /** Opening call: from when expected prices are published (KRX publishes from 08:50 since 2025-03-04). */
  readonly expectedFrom: number;
  readonly nxt: NxtPhase;
  /** NEW_MKOP_CLS_CODE of trades and quotes per venue. */
  readonly mkopKrx: string;
  readonly mkopNxt: string;
  readonly marketClsKrx: MarketClsCode;
  readonly marketClsNxt: MarketClsCode;
}

/** Always continuous on both venues: the demo's market (`hours: 'always'`). */
export const ALWAYS_CONTINUOUS: SessionState = Object.freeze({
  krx: 'continuous', krxStart: 0, krxEnd: Infinity, expectedFrom: 0, nxt: 'continuous',
  mkopKrx: '20', mkopNxt: '20', marketClsKrx: '2', marketClsNxt: '2',
});

/** Is a KRX phase a single-price call (no continuous trades)? */
export function isAuction(phase: KrxPhase): boolean {
  return phase === 'opening-auction' || phase === 'closing-auction' || phase === 'overtime-auction';
}


const CLOSED: Pick<SessionState, 'krx' | 'krxStart' | 'krxEnd' | 'expectedFrom' | 'mkopKrx' | 'marketClsKrx'> = {
  krx: 'closed', krxStart: 0, krxEnd: 0, expectedFrom: 0, mkopKrx: '20', marketClsKrx: '2',
};

/**
 * The KRX phase of a calendar session, with its window. When expected prices start (the opening
 * call: 08:50 since 2025-03-04) and how often 시간외 단일가 matches come from the calendar's rule.
 */
export function krxPhase(rule: SessionRule | null, dayStart: number, epochMs: number): Pick<SessionState, 'krx' | 'krxStart' | 'krxEnd' | 'expectedFrom' | 'mkopKrx' | 'marketClsKrx'> {
  if (rule === null) return CLOSED;
  const start = dayStart + rule.start * 1000, end = dayStart + rule.end * 1000;
  const expectedFrom = rule.expectedFrom !== null ? dayStart + rule.expectedFrom * 1000 : start;
  switch (rule.kind) {
    case 'regular':
      return { krx: 'continuous', krxStart: start, krxEnd: end, expectedFrom: 0, mkopKrx: '20', marketClsKrx: '2' };
    case 'opening-auction':
      return { krx: 'opening-auction', krxStart: start, krxEnd: end, expectedFrom, mkopKrx: '10', marketClsKrx: '2' };
    case 'closing-auction':
      return { krx: 'closing-auction', krxStart: start, krxEnd: end, expectedFrom, mkopKrx: '20', marketClsKrx: '5' };
    case 'after-hours-single-price': {
      const every = (rule.callEvery ?? rule.end - rule.start) * 1000;
      const callStart = start + Math.floor((epochMs - start) / every) * every;
      return { krx: 'overtime-auction', krxStart: callStart, krxEnd: Math.min(end, callStart + every), expectedFrom: callStart, mkopKrx: '40', marketClsKrx: '3' };
    }
    case 'after-market':
      return { krx: 'after-market', krxStart: start, krxEnd: end, expectedFrom: 0, mkopKrx: '30', marketClsKrx: '3' };
    default:
      // 장전/장후 시간외 종가 (trades at a fixed close price) are not modelled: no data then.
      return CLOSED;
  }
}

/**
 * The sessions in force at an instant, from the protocol's market calendar (which dates the KRX
 * after-market from 2026-09-14 and the end of 시간외 단일가 on 2026-09-11). NEW_MKOP_CLS_CODE: first
 * char 1 장개시전 / 2 장중 / 3 장종료후 / 4 시간외단일가, second 0 보통 (docs/protocol/realtime-trs.md);
 * its value in the pre-/after-markets is our inference.
 */
export function sessionsAt(epochMs: number): SessionState {
  const day = kstDayStart(epochMs);
  const krx = sessionAt('KRX', epochMs).session;
  const nxt = sessionAt('NXT', epochMs).session;
  const nxtTrades = nxt !== null && nxt.trades;
  const nxtPre = nxtTrades && nxt.kind === 'pre-market', nxtAfter = nxtTrades && nxt.kind === 'after-market';
  return {
    ...krxPhase(krx, day, epochMs),
    nxt: nxtTrades ? 'continuous' : 'closed',
    mkopNxt: nxtPre ? '10' : nxtAfter ? '30' : '20',
    marketClsNxt: nxtPre ? '1' : nxtAfter ? '3' : '2',
  };
}
