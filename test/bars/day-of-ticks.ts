/**
 * A seeded day of trades from the simulator's market model (the same model the simulator serves),
 * with arrival times: each trade arrives a few ms after its clock instant, so arrivals cross second
 * boundaries out of order now and then, and several trades of a code share a second (bursts).
 */
import { parseFrame, type DataFrame } from '../../lib/protocol/parse-frame';
import { TR_TABLES } from '../../lib/protocol/tr-tables';
import { marketClock, MarketModel } from '../../lib/simulator/market';
import { Prng } from '../../lib/simulator/prng';
import type { KisRecord } from '../../lib/protocol/record-parser';

export interface Arrival {
  readonly record: KisRecord;
  /** Local epoch ms when the trade reached the node. */
  readonly at: number;
}

/** KST midnight of Friday 2026-07-24, as epoch ms. */
export const DAY = Date.UTC(2026, 6, 23, 15, 0, 0);

/**
 * Trades of `codes` on 통합 (H0UNCNT0) from `fromHour` to `toHour` KST with KST market hours,
 * sorted by arrival. `jitterMs` is the largest network delay.
 */
export function dayOfTicks(seed: number, codes: readonly string[], fromHour = 8, toHour = 20, jitterMs = 40): Arrival[] {
  const model = new MarketModel(seed);
  const prng = new Prng(seed ^ 0x7a11);
  const table = TR_TABLES.H0UNCNT0;
  const out: Arrival[] = [];
  for (let sec = fromHour * 3600; sec < toHour * 3600; sec++) {
    // A burst every now and then (the open, news): up to 12 trades of a code in one second.
    const burst = sec === 9 * 3600 || prng.chance(0.01);
    for (const code of codes) {
      const n = burst ? prng.int(4, 12) : prng.int(0, 3);
      const offsets = Array.from({ length: n }, () => prng.int(0, 999)).sort((a, b) => a - b);
      for (const ms of offsets) {
        const clock = marketClock(DAY + sec * 1000 + ms, 'kst');
        const text = model.record(table, code, clock);
        if (text === null) continue;
        const frame = parseFrame(`0|${table.trId}|001|${text}`) as DataFrame;
        const record = frame.records[0]!;
        out.push({ record, at: clock.epochMs + prng.int(0, jitterMs) });
      }
    }
  }
  // Stable: equal arrival times keep generation order.
  return out.sort((a, b) => a.at - b.at);
}
