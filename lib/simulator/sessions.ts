/**
 * The trading phase of each venue at an instant, as the simulator's feeds need it: which kind of
 * matching runs (continuous or a single-price call), when the phase began and ends, and the
 * codes a record shows for it. The hours come from the protocol's market calendar
 * (docs/protocol/market-calendar.md); this file only maps them to phases.
 */
import { marketSession } from '../protocol/market-hours';

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

/**
 * The sessions in force at an instant, from the protocol's calendar. NEW_MKOP_CLS_CODE: first
 * char 1 장개시전 / 2 장중 / 3 장종료후 / 4 시간외단일가, second 0 보통 (docs/protocol/realtime-trs.md);
 * 1x/3x for NXT pre-/after-market is our inference.
 */
export function sessionsAt(epochMs: number): SessionState {
  const krx = marketSession('KRX', epochMs);
  const nxt = marketSession('NXT', epochMs);
  const nxtPre = nxt.label === 'pre-market', nxtAfter = nxt.label === 'after-market';
  return {
    krx: krx.open ? 'continuous' : 'closed',
    krxStart: krx.open ? epochMs : 0,
    krxEnd: krx.closesAt ?? 0,
    expectedFrom: 0,
    nxt: nxt.open ? 'continuous' : 'closed',
    mkopKrx: '20',
    mkopNxt: nxtPre ? '10' : nxtAfter ? '30' : '20',
    marketClsKrx: '2',
    marketClsNxt: nxtPre ? '1' : nxtAfter ? '3' : '2',
  };
}
