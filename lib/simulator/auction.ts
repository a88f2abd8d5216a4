/**
 * A single-price call (동시호가 / 단일가) of one stock: the opening and closing calls, a VI call,
 * and the 10-minute calls of 시간외 단일가. No trade prints while it runs; the expected price and
 * quantity are published (예상체결) and converge on the match that prints when the call ends.
 *
 * The match is decided when the call starts (`target`, `targetQty`); what is published at time t
 * is the target moved by a few ticks of noise whose width shrinks to zero over the first 80 % of
 * the call, so the last fifth of every call already shows the price the 체결 stream will print,
 * and the expected quantity grows to the matched quantity. The noise is a function of the second,
 * so two feeds reading the same call at the same second agree.
 */
import { hashSeed } from './prng';
import { tickDown, tickUp } from './tick-size';
import type { ViKind } from './vi';

export type AuctionCause = 'open' | 'close' | 'vi' | 'overtime';

export interface Auction {
  readonly cause: AuctionCause;
  readonly viKind: ViKind | null;
  /** Epoch ms. */
  readonly startedAt: number;
  readonly endsAt: number;
  /** Expected prices are published from here (the opening call publishes only from 08:50). */
  readonly publishFrom: number;
  readonly target: number;
  readonly targetQty: number;
  /** Previous reference for the publication's noise (on the tick grid). */
  readonly lower: number;
  readonly upper: number;
}

/** Most ticks the published expected price strays from the target at the start of a call. */
const MAX_NOISE_TICKS = 4;
/** The share of the call in which the expected price has settled on the target. */
export const SETTLED_SHARE = 0.2;

function progress(a: Auction, t: number): number {
  const span = a.endsAt - a.startedAt;
  return span <= 0 ? 1 : Math.min(1, Math.max(0, (t - a.startedAt) / span));
}

/** The expected match price published at `t`. */
export function expectedPrice(a: Auction, code: string, t: number): number {
  const remaining = 1 - progress(a, t);
  const width = Math.round(MAX_NOISE_TICKS * Math.max(0, (remaining - SETTLED_SHARE) / (1 - SETTLED_SHARE)));
  if (width === 0) return a.target;
  const h = hashSeed(code, Math.floor(t / 1000));
  let ticks = (h % (2 * width + 1)) - width;
  let p = a.target;
  for (; ticks > 0; ticks--) p = Math.min(a.upper, tickUp(p));
  for (; ticks < 0; ticks++) p = Math.max(a.lower, tickDown(p));
  return p;
}

/** The expected matched quantity at `t` (grows to `targetQty`; at least 1 once published). */
export function expectedQty(a: Auction, t: number): number {
  return Math.max(1, Math.round(a.targetQty * Math.max(0.05, progress(a, t))));
}

/** Has the call's settled part begun (the published price equals the match)? */
export function isSettled(a: Auction, t: number): boolean {
  return 1 - progress(a, t) <= SETTLED_SHARE;
}
