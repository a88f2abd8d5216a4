/**
 * What a 장운영정보 (H0STMKO0 / H0NXMKO0 / H0UNMKO0) record says about the market as a whole:
 * the market-wide `MKOP_CLS_CODE` values (docs/protocol/routing.md, "장운영정보 and the badge")
 * mapped to a phase. Codes about one stock (VI, halt of a single issue) or countdowns give null:
 * they do not change the session.
 */
export type MarketPhase = 'open' | 'auction' | 'closed' | 'halted';

const PHASES: Readonly<Record<string, MarketPhase>> = Object.freeze({
  '110': 'auction', // 장전 동시호가 개시
  '112': 'open', // 장개시
  '121': 'auction', // 장후 동시호가 개시
  '129': 'closed', // 장마감
  '130': 'open', // 장개시전 시간외 개시
  '139': 'closed', // 장개시전 시간외 종료
  '140': 'open', // 시간외 종가 매매 개시
  '149': 'closed', // 시간외 종가 매매 종료
  '150': 'auction', // 시간외 단일가 매매 개시
  '159': 'closed', // 시간외 단일가 매매 종료
  '164': 'halted', // 시장 임시정지
  '174': 'halted', // 서킷브레이크 발동
  '175': 'open', // 서킷브레이크 해제
  '182': 'auction', // 서킷브레이크 장중 동시마감
  '184': 'halted', // 서킷브레이크 개시
  '185': 'open', // 서킷브레이크 해제
});

/** The market phase an `MKOP_CLS_CODE` announces, or null when it announces none. */
export function phaseOfMarketOp(code: unknown): MarketPhase | null {
  return typeof code === 'string' ? PHASES[code] ?? null : null;
}
