/**
 * A fixed test day for the simulator's session checks, so they do not depend on today's date:
 * 2026-07-24 (a Friday); opening call 08:30–09:00 (expected prices from 08:50), continuous to
 * 15:20, closing call to 15:30, and, with `overtime`, 시간외 단일가 16:00–18:00 in 10-minute calls.
 */
import { clockFor, type MarketClock } from '../../lib/simulator/clock';
import { ALWAYS_CONTINUOUS, type KrxPhase, type SessionState } from '../../lib/simulator/sessions';

/** 2026-07-24 00:00 KST. */
export const TEST_DAY = Date.UTC(2026, 6, 23, 15, 0, 0);
/** Epoch ms of a KST time on the test day. */
export const at = (h: number, m: number, s = 0, ms = 0): number => TEST_DAY + ((h * 60 + m) * 60 + s) * 1000 + ms;

export function testSessions(t: number, overtime = false): SessionState {
  const phase = (krx: KrxPhase, krxStart: number, krxEnd: number): SessionState => ({ ...ALWAYS_CONTINUOUS, krx, krxStart, krxEnd, expectedFrom: at(8, 50), nxt: 'closed' });
  if (t < at(8, 30)) return phase('closed', 0, at(8, 30));
  if (t < at(9, 0)) return phase('opening-auction', at(8, 30), at(9, 0));
  if (t < at(15, 20)) return phase('continuous', at(9, 0), at(15, 20));
  if (t < at(15, 30)) return phase('closing-auction', at(15, 20), at(15, 30));
  if (!overtime) return phase('closed', at(15, 30), Infinity);
  if (t < at(16, 0)) return phase('closed', at(15, 30), at(16, 0));
  if (t < at(18, 0)) {
    const start = at(16, 0) + Math.floor((t - at(16, 0)) / 600_000) * 600_000;
    return { ...phase('overtime-auction', start, start + 600_000), mkopKrx: '40' };
  }
  return phase('closed', at(18, 0), Infinity);
}

/** The simulator's clock at `t` on the test day. */
export function testClock(t: number, overtime = false): MarketClock {
  return clockFor(t, testSessions(t, overtime));
}
