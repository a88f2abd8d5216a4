import { strict as assert } from 'node:assert';
import { CandlesView } from '../../nodes/dashboard/candles-view';
import { OrderBookView } from '../../nodes/dashboard/order-book-view';

function quote(code: string, base: number, qty = 100): Record<string, unknown> {
  const p: Record<string, unknown> = { MKSC_SHRN_ISCD: code, BSOP_HOUR: '090001', TOTAL_ASKP_RSQN: qty * 10, TOTAL_BIDP_RSQN: qty * 20 };
  for (let i = 1; i <= 10; i++) {
    p[`ASKP${i}`] = base + i * 100;
    p[`BIDP${i}`] = base - (i - 1) * 100;
    p[`ASKP_RSQN${i}`] = qty + i;
    p[`BIDP_RSQN${i}`] = qty * 2 + i;
  }
  return p;
}
const tick = (code: string, price: number, side = '1'): Record<string, unknown> => ({
  MKSC_SHRN_ISCD: code, STCK_PRPR: price, CNTG_VOL: 7, CCLD_DVSN: side, STCK_CNTG_HOUR: '090002', PRDY_VRSS: price - 70000, PRDY_CTRT: 1.5, ASKP1: price, BIDP1: price - 100,
});
const bar = (time: number, close: number, final = true, code = '005930', interval = '1m'): Record<string, unknown> => ({
  code, interval, time, open: close - 100, high: close + 100, low: close - 200, close, volume: 10, final,
});

describe('widgets: order book view (server side)', () => {
  it('keeps 10 levels a side, the totals, the last trade and the previous close', () => {
    const v = new OrderBookView('005930');
    assert.equal(v.accept('005930', tick('005930', 71000)), false, 'no book yet: nothing to show');
    assert.equal(v.accept('005930', quote('005930', 71000)), true);
    const s = v.snapshot()!;
    assert.equal(s.asks.length, 10);
    assert.deepEqual(s.asks[0], { p: 71100, q: 101 });
    assert.deepEqual(s.bids[9], { p: 70100, q: 210 });
    assert.deepEqual([s.totalAsk, s.totalBid, s.time], [1000, 2000, '090001']);
    assert.deepEqual(s.last, { price: 71000, qty: 7, side: 'buy', time: '090002', change: 1000, rate: 1.5 });
    assert.equal(s.prevClose, 70000);
  });
  it('conflates: any number of msgs between two flushes give one update, none when nothing changed', () => {
    const v = new OrderBookView('005930');
    for (let i = 0; i < 50; i++) v.accept('005930', quote('005930', 71000 + i * 100));
    const first = v.flush()!;
    assert.equal(first.asks[0]!.p, 71000 + 49 * 100 + 100, 'the latest book');
    assert.equal(v.flush(), null);
  });
  it('shows only its code, or follows the latest code when none is set', () => {
    const fixed = new OrderBookView('005930');
    assert.equal(fixed.accept('000660', quote('000660', 200000)), false);
    const follow = new OrderBookView('');
    follow.accept('000660', quote('000660', 200000));
    assert.equal(follow.snapshot()!.code, '000660');
    follow.accept('005930', quote('005930', 71000));
    assert.equal(follow.snapshot()!.code, '005930');
    assert.equal(follow.snapshot()!.last, null, 'the previous code\'s trade is not shown');
    fixed.select('000660');
    assert.equal(fixed.accept('000660', quote('000660', 200000)), true);
    // A code chosen at run time sticks: a late record of the previous code does not switch back.
    follow.select('035720');
    assert.equal(follow.accept('005930', quote('005930', 71000)), false);
    assert.equal(follow.accept('035720', quote('035720', 40000)), true);
    follow.select('');
    assert.equal(follow.accept('005930', quote('005930', 71000)), true, 'back to following');
  });
  it('ignores what is not a book or a trade', () => {
    const v = new OrderBookView('');
    for (const p of [null, 'x', 42, {}, { STCK_PRPR: 1 }]) assert.equal(v.accept('005930', p), false);
  });
});

describe('widgets: candles view (server side)', () => {
  const M = 60_000;
  it('sends everything first, then only the bars that changed, the live bar replaced until final', () => {
    const v = new CandlesView('005930', 100);
    v.accept('005930', bar(0, 100));
    v.accept('005930', bar(M, 110));
    const first = v.flush()!;
    assert.equal(first.snapshot, true);
    assert.deepEqual(first.bars.map((b) => b.time), [0, M]);
    v.accept('005930', bar(2 * M, 120, false));
    v.accept('005930', bar(2 * M, 125, false));
    const live = v.flush()!;
    assert.equal(live.snapshot, false);
    assert.deepEqual(live.bars.map((b) => [b.time, b.close, b.final]), [[2 * M, 125, false]]);
    v.accept('005930', bar(2 * M, 126, true));
    assert.equal(v.accept('005930', bar(2 * M, 127, false)), false, 'a late running bar does not undo the final one');
    assert.deepEqual(v.flush()!.bars.map((b) => [b.close, b.final]), [[126, true]]);
    assert.equal(v.flush(), null);
    assert.deepEqual(v.snapshot().bars.map((b) => b.close), [100, 110, 126]);
  });
  it('keeps at most maxBars, drops other codes, starts over for a new interval', () => {
    const v = new CandlesView('005930', 10);
    for (let i = 0; i < 25; i++) v.accept('005930', bar(i * M, 100 + i));
    assert.equal(v.snapshot().bars.length, 10);
    assert.equal(v.snapshot().bars[0]!.time, 15 * M);
    assert.equal(v.accept('000660', bar(30 * M, 1, true, '000660')), false);
    v.flush();
    v.accept('005930', bar(40 * M, 1, true, '005930', '5m'));
    const reset = v.flush()!;
    assert.deepEqual([reset.snapshot, reset.interval, reset.bars.length], [true, '5m', 1]);
  });
  it('rejects msgs that are not bars (InfluxDB shape, strings, missing numbers)', () => {
    const v = new CandlesView('');
    for (const p of [null, 'x', [{ close: 1 }, { code: 'x' }], { code: '005930', time: 1, open: 1 }]) assert.equal(v.accept('005930', p), false);
  });
});
