import { strict as assert } from 'node:assert';
import { barPayload, influxPayload, type Bar } from '../../lib/bars/bar';
import { BarBuilder } from '../../lib/bars/builder';
import { barEnd, barStart, parseInterval } from '../../lib/bars/interval';
import { tradeFromPayload, type Trade } from '../../lib/bars/trade';
import { DAY, dayOfTicks, type Arrival } from './day-of-ticks';

const S = 1000, M = 60_000, H = 3_600_000;
const at = (h: number, m = 0, s = 0, ms = 0): number => DAY + h * H + m * M + s * S + ms;

function trade(epochMs: number, price: number, qty = 10, side: Trade['side'] = 'buy', code = '005930'): Trade {
  return { code, epochMs, price, qty, side };
}

describe('bars: intervals', () => {
  it('parses 1 s to 1 day and nothing else', () => {
    assert.deepEqual(parseInterval('1m'), { ms: M, label: '1m' });
    assert.deepEqual(parseInterval('90s'), { ms: 90 * S, label: '90s' });
    assert.deepEqual(parseInterval(' 1D '), { ms: 24 * H, label: '1d' });
    assert.deepEqual(parseInterval('120m'), { ms: 2 * H, label: '2h' });
    assert.deepEqual(parseInterval(30), { ms: 30 * S, label: '30s' });
    for (const bad of ['0s', '2d', '25h', '1.5m', '', 'm', '-1m', '1w', null, {}, 0.5]) assert.equal(parseInterval(bad), null, String(bad));
  });

  it('aligns bars to KST clock boundaries from midnight', () => {
    assert.equal(barStart(at(9, 3, 17, 500), 5 * M), at(9, 0));
    assert.equal(barStart(at(9, 0, 0), M), at(9, 0));
    assert.equal(barStart(at(8, 59, 59, 999), M), at(8, 59));
    assert.equal(barStart(at(15, 30), 30 * M), at(15, 30));
    // 1 d bars start at KST midnight (15:00 UTC), not UTC midnight.
    assert.equal(barStart(at(23, 59, 59), 24 * H), DAY);
    assert.equal(barStart(at(24, 0, 0), 24 * H), DAY + 24 * H);
    // 7 m does not divide the day: the last bar is cut at midnight, the next day starts at 00:00.
    const last = barStart(at(23, 59), 7 * M);
    assert.equal(last, DAY + Math.floor((24 * 60 - 1) / 7) * 7 * M);
    assert.equal(barEnd(last, 7 * M), DAY + 24 * H);
    assert.equal(barStart(at(24, 0, 30), 7 * M), DAY + 24 * H);
  });
});

describe('bars: trades from kis-tick payloads', () => {
  const full = { MKSC_SHRN_ISCD: '005930', STCK_PRPR: 71500, CNTG_VOL: 3, CCLD_DVSN: '5', ASKP1: 71600, BIDP1: 71500, epochMs: at(9, 1) };
  it('reads the side from 체결구분 on KRX (CCLD_DVSN) and NXT/통합 (CNTG_CLS_CODE)', () => {
    assert.deepEqual(tradeFromPayload(full, 'x'), { code: '005930', epochMs: at(9, 1), price: 71500, qty: 3, side: 'sell' });
    const { CCLD_DVSN: _k, ...nxt } = full;
    assert.equal((tradeFromPayload({ ...nxt, CNTG_CLS_CODE: '1' }, null) as Trade).side, 'buy');
    assert.equal((tradeFromPayload({ ...full, CCLD_DVSN: '3' }, null) as Trade).side, 'other');
  });
  it('infers the side from the quote when the payload has no 체결구분 (compact)', () => {
    const { CCLD_DVSN: _k, MKSC_SHRN_ISCD: _c, ...compact } = full;
    assert.deepEqual(tradeFromPayload({ ...compact, STCK_PRPR: 71600 }, '000660'), { code: '000660', epochMs: at(9, 1), price: 71600, qty: 3, side: 'buy' });
    assert.equal((tradeFromPayload(compact, '000660') as Trade).side, 'sell');
    assert.equal((tradeFromPayload({ ...compact, STCK_PRPR: 71550 }, '000660') as Trade).side, 'other');
  });
  it('names what is wrong with anything else', () => {
    assert.equal(tradeFromPayload('71500', '005930'), 'not-a-tick');
    assert.equal(tradeFromPayload({ BIDP1: 1, ASKP1: 2 }, '005930'), 'not-a-tick');
    assert.equal(tradeFromPayload({ ...full, MKSC_SHRN_ISCD: undefined }, undefined), 'not-a-tick');
    assert.equal(tradeFromPayload({ ...full, epochMs: null }, null), 'no-time');
    assert.equal(tradeFromPayload({ ...full, STCK_PRPR: null }, null), 'bad-price');
    assert.equal(tradeFromPayload({ ...full, CNTG_VOL: -1 }, null), 'bad-price');
  });
});

describe('bars: the builder', () => {
  const opts = { intervalMs: M, graceMs: 2000, startedAt: at(8, 0) };

  it('builds OHLCV, VWAP, trade count and buy/sell/other volume from a multi-record burst', () => {
    const b = new BarBuilder(opts);
    const now = at(9, 1, 5);
    b.add(trade(at(9, 1, 5), 100, 10, 'buy'), now);
    b.add(trade(at(9, 1, 5), 103, 5, 'buy'), now);
    b.add(trade(at(9, 1, 5), 98, 20, 'sell'), now);
    b.add(trade(at(9, 1, 5), 101, 1, 'other'), now);
    const [bar, ...rest] = b.close(at(9, 2, 2), false);
    assert.equal(rest.length, 0);
    const p = barPayload(bar!, true);
    assert.deepEqual(
      { o: p.open, h: p.high, l: p.low, c: p.close, v: p.volume, value: p.value, vwap: p.vwap, n: p.trades, buy: p.buyVolume, sell: p.sellVolume, other: p.otherVolume },
      { o: 100, h: 103, l: 98, c: 101, v: 36, value: 100 * 10 + 103 * 5 + 98 * 20 + 101, vwap: Math.round(((1000 + 515 + 1960 + 101) / 36) * 100) / 100, n: 4, buy: 15, sell: 20, other: 1 },
    );
    assert.equal(p.time, at(9, 1));
    assert.equal(p.start, '2026-07-24T09:01:00+09:00');
    assert.equal(p.interval, '1m');
  });

  it('closes a bar at its end plus the grace, without a next trade', () => {
    const b = new BarBuilder(opts);
    b.add(trade(at(9, 1, 59), 100), at(9, 1, 59, 10));
    assert.equal(b.nextDue(), at(9, 2, 2, 10), 'end + grace + the observed 10 ms delay');
    assert.deepEqual(b.close(at(9, 2, 2, 9)), []);
    assert.equal(b.close(at(9, 2, 2, 10)).length, 1);
    assert.equal(b.nextDue(), null);
  });

  it('puts a trade a few ms out of order into its own bar, before the grace ends', () => {
    const b = new BarBuilder(opts);
    b.add(trade(at(9, 1, 30), 100), at(9, 1, 30, 5));
    b.add(trade(at(9, 2, 0), 200), at(9, 2, 0, 3)); // the next bar's first trade arrives first
    b.add(trade(at(9, 1, 59), 105), at(9, 2, 0, 8)); // the last trade of 09:01, 5 ms later
    const bars = b.close(at(9, 3, 30));
    assert.equal(bars.length, 2);
    assert.deepEqual([bars[0]!.close, bars[0]!.high, bars[0]!.trades], [105, 105, 2]);
    assert.deepEqual([bars[1]!.open, bars[1]!.trades], [200, 1]);
  });

  it('makes the earliest-stamped trade the open even when it arrives second', () => {
    const b = new BarBuilder(opts);
    b.add(trade(at(9, 1, 1), 110), at(9, 1, 1, 2));
    b.add(trade(at(9, 1, 0), 100), at(9, 1, 1, 4));
    const [bar] = b.close(at(9, 5));
    assert.deepEqual([bar!.open, bar!.close], [100, 110]);
  });

  it('counts a trade that comes after its bar was sent on the next bar, not in its OHLC', () => {
    const b = new BarBuilder(opts);
    b.add(trade(at(9, 1, 10), 100), at(9, 1, 10));
    assert.equal(b.close(at(9, 2, 3)).length, 1);
    assert.equal(b.add(trade(at(9, 1, 59), 999, 7), at(9, 2, 4)), null);
    b.add(trade(at(9, 2, 5), 101), at(9, 2, 5));
    const [next] = b.close(at(9, 4));
    assert.deepEqual([next!.high, next!.volume, next!.lateTrades, next!.lateVolume], [101, 10, 1, 7]);
  });

  it('opening and closing auction prints: 09:00:00 opens the 09:00 bar, 15:30:00 is a bar of its own', () => {
    const b = new BarBuilder({ ...opts, intervalMs: 5 * M });
    b.add(trade(at(8, 59, 58), 70000, 5, 'other'), at(8, 59, 58)); // 장전 시간외 / pre-open print
    b.add(trade(at(9, 0, 0), 71000, 5000, 'other'), at(9, 0, 0, 30)); // 시가 단일가
    b.add(trade(at(9, 0, 1), 71100, 10, 'buy'), at(9, 0, 1));
    b.add(trade(at(15, 19, 59), 72000, 10, 'sell'), at(15, 19, 59));
    b.add(trade(at(15, 30, 0), 72100, 9000, 'other'), at(15, 30, 0, 50)); // 종가 단일가
    const bars = b.close(at(16, 0));
    assert.deepEqual(bars.map((x) => [x.start, x.open, x.close, x.volume, x.otherVolume]), [
      [at(8, 55), 70000, 70000, 5, 5],
      [at(9, 0), 71000, 71100, 5010, 5000],
      [at(15, 15), 72000, 72000, 10, 0],
      [at(15, 30), 72100, 72100, 9000, 9000],
    ]);
  });

  it('splits at the KST day boundary, also for 1 d bars', () => {
    for (const intervalMs of [M, 24 * H]) {
      const b = new BarBuilder({ ...opts, intervalMs });
      b.add(trade(at(23, 59, 59), 100), at(23, 59, 59, 5));
      b.add(trade(at(24, 0, 0), 200), at(24, 0, 0, 5));
      const bars = b.close(at(48, 1), false);
      assert.deepEqual(bars.map((x) => [x.start, x.close]), [[barStart(at(23, 59, 59), intervalMs), 100], [DAY + 24 * H, 200]], String(intervalMs));
    }
  });

  it('marks the first bar of each code partial when started mid-interval, and only that one', () => {
    const b = new BarBuilder({ ...opts, startedAt: at(9, 1, 20) });
    b.add(trade(at(9, 1, 21), 100), at(9, 1, 21));
    b.add(trade(at(9, 1, 22), 100, 1, 'buy', '000660'), at(9, 1, 22));
    b.add(trade(at(9, 2, 0), 101), at(9, 2, 0));
    b.add(trade(at(9, 3, 0), 102, 1, 'buy', '000660'), at(9, 3, 0));
    const bars = b.close(at(9, 10));
    assert.deepEqual(bars.map((x) => [x.code, x.start, x.partial]), [
      ['000660', at(9, 1), true], ['005930', at(9, 1), true], ['005930', at(9, 2), false], ['000660', at(9, 3), false],
    ]);
    // Started exactly on a boundary: nothing is missing.
    const c = new BarBuilder({ ...opts, startedAt: at(9, 1) });
    c.add(trade(at(9, 1, 0), 100), at(9, 1, 0));
    assert.equal(c.close(at(9, 5))[0]!.partial, false);
  });

  it('uses the exchange clock: a local clock 5 s fast makes no trade late', () => {
    const b = new BarBuilder(opts);
    const skew = 5000;
    for (let s = 0; s < 180; s++) {
      b.close(at(9, 0, s, 500) + skew);
      assert.notEqual(b.add(trade(at(9, 0, s), 100 + s), at(9, 0, s, 20) + skew), null, `trade at second ${s} taken as late`);
    }
    assert.equal(b.close(at(9, 10) + skew).reduce((n, x) => n + x.trades + x.lateTrades, 0) > 0, true);
  });

  it('gives InfluxDB [fields, tags] with the time field', () => {
    const b = new BarBuilder(opts);
    b.add(trade(at(9, 1, 5), 100), at(9, 1, 5));
    const [fields, tags] = influxPayload(barPayload(b.close(at(9, 5))[0]!, true));
    assert.deepEqual(tags, { code: '005930', interval: '1m' });
    assert.equal(fields.time, at(9, 1));
    assert.equal(fields.close, 100);
    assert.equal('code' in fields || 'start' in fields, false);
  });
});

/** The bars recomputed the slow, obvious way: group every seen trade by bucket, sort by trade time. */
function bruteForce(arrivals: readonly Arrival[], intervalMs: number, startedAt: number): Map<string, Omit<Bar, 'openAt' | 'closeAt' | 'lateTrades' | 'lateVolume'>> {
  const groups = new Map<string, { t: Trade; i: number }[]>();
  arrivals.forEach((a, i) => {
    const t = tradeFromPayload(a.record, null) as Trade;
    const kstMs = t.epochMs + 9 * H;
    const dayStart = kstMs - (kstMs % (24 * H));
    const start = dayStart + Math.floor((kstMs - dayStart) / intervalMs) * intervalMs - 9 * H;
    const key = `${t.code}|${start}`;
    const list = groups.get(key) ?? [];
    list.push({ t, i });
    groups.set(key, list);
  });
  const firstStart = new Map<string, number>();
  for (const key of groups.keys()) {
    const [code, start] = key.split('|') as [string, string];
    firstStart.set(code, Math.min(firstStart.get(code) ?? Infinity, Number(start)));
  }
  const out = new Map<string, Omit<Bar, 'openAt' | 'closeAt' | 'lateTrades' | 'lateVolume'>>();
  for (const [key, list] of groups) {
    const [code, startText] = key.split('|') as [string, string];
    const start = Number(startText);
    const sorted = [...list].sort((a, b) => a.t.epochMs - b.t.epochMs || a.i - b.i).map((x) => x.t);
    const sum = (f: (t: Trade) => number): number => sorted.reduce((n, t) => n + f(t), 0);
    out.set(key, {
      code, intervalMs, start, end: Math.min(start + intervalMs, start - ((start + 9 * H) % (24 * H)) + 24 * H),
      open: sorted[0]!.price, close: sorted[sorted.length - 1]!.price,
      high: Math.max(...sorted.map((t) => t.price)), low: Math.min(...sorted.map((t) => t.price)),
      volume: sum((t) => t.qty), value: sum((t) => t.qty * t.price), trades: sorted.length,
      buyVolume: sum((t) => (t.side === 'buy' ? t.qty : 0)), sellVolume: sum((t) => (t.side === 'sell' ? t.qty : 0)),
      otherVolume: sum((t) => (t.side === 'other' ? t.qty : 0)),
      partial: start === firstStart.get(code) && startedAt > start,
    });
  }
  return out;
}

describe('bars: a seeded simulated day against a brute-force recomputation', function () {
  this.timeout(120000);
  const codes = ['005930', '000660', '035720'];
  const day = dayOfTicks(20260724, codes);

  it('the generated day has what the rules are about (bursts, out-of-order arrivals, off-hours)', () => {
    assert.ok(day.length > 50_000, `only ${day.length} trades`);
    let outOfOrder = 0;
    for (let i = 1; i < day.length; i++) if ((day[i]!.record.epochMs as number) < (day[i - 1]!.record.epochMs as number)) outOfOrder++;
    assert.ok(outOfOrder > 30, `only ${outOfOrder} out-of-order arrivals`);
    const times = new Set(day.map((a) => a.record.STCK_CNTG_HOUR));
    assert.ok(times.has('090000') && [...times].some((t) => String(t) < '085000') && [...times].some((t) => String(t) > '153000'));
  });

  for (const [label, intervalMs, startedAt] of [
    ['1s', S, at(7)], ['1m', M, at(7)], ['5m', 5 * M, at(7)], ['7m', 7 * M, at(7)], ['1h', H, at(7)], ['1d', 24 * H, at(7)],
    ['1m started mid-interval', M, at(10, 17, 31, 250)], ['5m started mid-interval', 5 * M, at(9, 2, 10)],
  ] as const) {
    it(`${label}: every bar equals the recomputation, none late, each sent on time`, () => {
      const seen = day.filter((a) => a.at >= startedAt);
      const builder = new BarBuilder({ intervalMs, graceMs: 1000, startedAt });
      const got: { bar: Bar; sentAt: number }[] = [];
      const waits: number[] = [];
      const runTimers = (now: number): void => {
        // What the node's timer does: fire at nextDue, close what is due.
        for (let due = builder.nextDue(); due !== null && due <= now; due = builder.nextDue()) {
          const closed = builder.close(due);
          assert.ok(closed.length > 0, 'a due bar did not close');
          for (const bar of closed) got.push({ bar, sentAt: due });
        }
      };
      for (const a of seen) {
        runTimers(a.at);
        assert.notEqual(builder.add(tradeFromPayload(a.record, null) as Trade, a.at), null, `late trade at ${a.record.STCK_CNTG_HOUR}`);
      }
      runTimers(Infinity);
      const expected = bruteForce(seen, intervalMs, startedAt);
      assert.equal(got.length, expected.size, 'one bar per code per bucket with trades');
      for (const { bar, sentAt } of got) {
        const want = expected.get(`${bar.code}|${bar.start}`);
        assert.ok(want !== undefined, `unexpected bar ${bar.code} ${bar.start}`);
        const { openAt: _o, closeAt: _c, lateTrades, lateVolume, ...mine } = bar;
        assert.deepEqual(mine, want);
        assert.equal(lateTrades + lateVolume, 0);
        // Never before end + grace; after it by at most the clock estimate (the smallest delay seen
        // between a trade's whole-second time and its arrival: under 1 s + the 40 ms jitter).
        assert.ok(sentAt >= bar.end + 1000 && sentAt < bar.end + 1000 + 1040, `${bar.code} ${bar.start} sent at end + ${sentAt - bar.end} ms`);
        waits.push(sentAt - bar.end - 1000);
      }
      waits.sort((x, y) => x - y);
      assert.ok(waits[Math.floor(waits.length / 2)]! <= 40, `median wait after end + grace ${waits[Math.floor(waits.length / 2)]} ms`);
      // Per code, bars go out in time order.
      for (const code of codes) {
        const starts = got.filter((g) => g.bar.code === code).map((g) => g.bar.start);
        assert.deepEqual(starts, [...starts].sort((x, y) => x - y));
      }
    });
  }
});
