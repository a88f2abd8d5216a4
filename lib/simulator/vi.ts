/**
 * VI (변동성완화장치) bands, as pure rules (docs/protocol/market-calendar.md, VI and price limits):
 * - static VI: the would-be price moves ±10 % or more from the static reference (기준가 before the
 *   first single-price match of the day, afterwards the price of the latest single-price match);
 * - dynamic VI: the would-be price moves from the immediately preceding trade by more than ±3 %
 *   (KOSPI200 constituents) or ±6 % (other stocks) in continuous trading, ±2 % / ±4 % in the
 *   closing call.
 * Either is followed by a 2-minute single-price call whose end is randomised by up to 30 s.
 */
export type ViKind = 'static' | 'dynamic';

export const STATIC_VI_BAND = 0.1;
export const VI_AUCTION_MS = 120_000;
export const VI_RANDOM_END_MS = 30_000;

export function dynamicViBand(kospi200: boolean, closingCall: boolean): number {
  if (kospi200) return closingCall ? 0.02 : 0.03;
  return closingCall ? 0.04 : 0.06;
}

/** Which VI a trade at `wouldBe` triggers, if any (dynamic is checked first: it is the tighter band). */
export function viTrigger(wouldBe: number, lastTrade: number, staticRef: number, kospi200: boolean, closingCall = false): ViKind | null {
  if (lastTrade > 0 && Math.abs(wouldBe - lastTrade) / lastTrade > dynamicViBand(kospi200, closingCall)) return 'dynamic';
  if (staticRef > 0 && Math.abs(wouldBe - staticRef) / staticRef >= STATIC_VI_BAND) return 'static';
  return null;
}
