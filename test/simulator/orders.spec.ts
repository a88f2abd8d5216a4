/**
 * The simulator's order engine without sockets: a real MarketModel, the real 체결 feed of the code,
 * and the records parsed by the protocol core's own parser.
 */
import { strict as assert } from 'node:assert';
import { summarizeNotice, type NoticeSummary } from '../../lib/protocol/notices';
import { parseFrame, type DataFrame } from '../../lib/protocol/parse-frame';
import type { KisRecord } from '../../lib/protocol/record-parser';
import { TR_TABLES } from '../../lib/protocol/tr-tables';
import { marketClock, type MarketClock } from '../../lib/simulator/clock';
import { MarketModel } from '../../lib/simulator/market';
import { attachOrders, normalizeAccount, type NoticeReader, type OrderEngine } from '../../lib/simulator/orders';
import { readOrderCommand } from '../../lib/simulator/orders-http';
import { tickUp } from '../../lib/simulator/tick-size';

const FRIDAY_10H = Date.UTC(2026, 6, 24, 1, 0, 0);

function parse(rec: string): KisRecord {
  const f = parseFrame(`0|H0STCNI0|001|${rec}`) as DataFrame;
  assert.equal(f.type, 'data', JSON.stringify(f));
  return f.records[0]!;
}

interface Rig {
  model: MarketModel;
  engine: OrderEngine;
  reader: NoticeReader;
  t: number;
  clock(): MarketClock;
  /** Advance `ms` in 100 ms steps; with `tickCode`, the 체결 stream of that code prints a trade each step. */
  run(ms: number, tickCode?: string): { notices: { rec: KisRecord; s: NoticeSummary; raw: string }[]; ticks: KisRecord[] };
}

function rig(options: Parameters<typeof attachOrders>[1] = {}, htsId = 'myhts01'): Rig {
  const model = new MarketModel(options.seed ?? 3);
  const engine = attachOrders(model, { autoOrderIntervalMs: 0, htsId, account: '1234567801', ...options });
  const reader = engine.reader(htsId);
  const r: Rig = {
    model,
    engine,
    reader,
    t: FRIDAY_10H,
    clock: () => marketClock(r.t, 'always'),
    run(ms, tickCode) {
      const notices: { rec: KisRecord; s: NoticeSummary; raw: string }[] = [];
      const ticks: KisRecord[] = [];
      for (let end = r.t + ms; r.t < end; r.t += 100) {
        const clock = r.clock();
        if (tickCode !== undefined) {
          const rec = model.record(TR_TABLES.H0STCNT0, tickCode, clock);
          if (rec !== null) ticks.push((parseFrame(`0|H0STCNT0|001|${rec}`) as DataFrame).records[0]!);
        }
        engine.step(clock);
        for (let raw = reader.next(); raw !== null; raw = reader.next()) {
          const rec = parse(raw);
          notices.push({ rec, s: summarizeNotice(rec), raw });
        }
      }
      return { notices, ticks };
    },
  };
  return r;
}

describe('simulator order engine (lib/simulator/orders.ts)', () => {
  it('an order gives accepted, then partial fills, then the last fill, summing to the order quantity', () => {
    const r = rig();
    const placed = r.engine.place({ code: '005930', side: 'buy', qty: 400 }, r.clock());
    assert.equal(placed.accepted, true);
    const { notices } = r.run(30_000);
    const mine = notices.filter((n) => n.s.orderNo === placed.orderNo);
    assert.equal(mine[0]!.s.kind, 'accepted');
    assert.equal(mine[0]!.rec.CNTG_YN, '1');
    assert.equal(mine[0]!.s.quantity, 400);
    const fills = mine.slice(1);
    assert.ok(fills.length >= 2, `partial fills expected, got ${fills.length}`);
    assert.ok(fills.every((n) => n.s.kind === 'filled' && n.rec.CNTG_YN === '2' && n.rec.ACPT_YN === '2' && n.s.quantity === 400));
    assert.equal(fills.reduce((a, n) => a + n.s.filledQty, 0), 400);
    assert.equal(r.engine.workingOrders().length, 0);
  });

  it('fills are trades the 체결 stream of the code printed: same price and time, never more than its volume', () => {
    const r = rig();
    const stock = r.model.market('000660');
    const placed = r.engine.place({ code: '000660', side: 'sell', qty: 300, price: stock.touch.bid }, r.clock());
    const { notices, ticks } = r.run(20_000, '000660');
    const fills = notices.filter((n) => n.s.kind === 'filled' && n.s.orderNo === placed.orderNo);
    assert.ok(fills.length > 0);
    for (const f of fills) {
      const tick = ticks.find((t) => t.STCK_CNTG_HOUR === f.rec.STCK_CNTG_HOUR && t.STCK_PRPR === f.s.fillPrice && (t.CNTG_VOL as number) >= f.s.filledQty);
      assert.ok(tick !== undefined, `fill ${f.s.filledQty} @ ${f.s.fillPrice} ${f.rec.STCK_CNTG_HOUR} is not a printed trade`);
      assert.ok((f.s.fillPrice as number) >= (f.s.price as number), 'a sell limit fills at its price or better');
    }
  });

  it('every field filled as KIS does: 26 fields, account and HTS ID as configured, zero-padded numbers', () => {
    const r = rig();
    r.engine.place({ code: '035420', side: 'buy', qty: 7, price: r.model.market('035420').touch.ask }, r.clock());
    const { notices } = r.run(10_000);
    assert.ok(notices.length >= 2);
    for (const { rec, raw } of notices) {
      const f = raw.split('^');
      assert.equal(f.length, 26);
      assert.equal(rec.CUST_ID, 'myhts01');
      assert.equal(rec.ACNT_NO, '1234567801');
      assert.match(f[2]!, /^\d{10}$/); // ODER_NO
      assert.match(f[9]!, /^\d{10}$/); // CNTG_QTY
      assert.match(f[10]!, /^\d{9}$/); // CNTG_UNPR
      assert.match(f[16]!, /^\d{9}$/); // ODER_QTY
      assert.equal(rec.BRNC_NO, '06010');
      assert.equal(rec.CNTG_ISNM40, 'NAVER');
      assert.equal(rec.ORD_EXG_GB, '1');
      for (const name of ['FILLER', 'CRDT_CLS', 'CRDT_LOAN_DATE', 'ACNT_NAME', 'POPUP_YN']) assert.notEqual(rec[name], '', name);
      assert.equal(f[3], ''); // OODER_NO: empty for a new order (KIS's example frames)
    }
  });

  it('rejects an order beyond the daily limit (RFUS_YN 1) and fills nothing', () => {
    const r = rig();
    const m = r.model.market('005930');
    const placed = r.engine.place({ code: '005930', side: 'buy', qty: 5, price: tickUp(m.upper) }, r.clock());
    assert.equal(placed.accepted, false);
    const { notices } = r.run(3000);
    assert.deepEqual(notices.map((n) => [n.s.kind, n.rec.RFUS_YN]), [['rejected', '1']]);
  });

  it('cancels and modifies: their own order numbers, 원주문번호 = the order, later fills under the 정정 number', () => {
    const r = rig();
    const m = r.model.market('005380');
    const a = r.engine.place({ code: '005380', side: 'buy', qty: 10, price: m.touch.bid - 8 * 500 }, r.clock());
    const b = r.engine.place({ code: '005380', side: 'buy', qty: 12, price: m.touch.bid - 8 * 500 }, r.clock());
    r.run(2000);
    const c = r.engine.cancel(a.orderNo, r.clock());
    const d = r.engine.modify(b.orderNo, { price: m.touch.ask }, r.clock());
    const { notices } = r.run(20_000);
    const cancel = notices.find((n) => n.s.orderNo === c.orderNo)!;
    assert.equal(cancel.s.kind, 'cancelled');
    assert.equal(cancel.s.originalOrderNo, a.orderNo);
    assert.equal(cancel.rec.RCTF_CLS, '2');
    const modify = notices.find((n) => n.s.orderNo === d.orderNo && n.s.kind === 'modified')!;
    assert.equal(modify.s.originalOrderNo, b.orderNo);
    assert.equal(modify.rec.RCTF_CLS, '1');
    const fills = notices.filter((n) => n.s.kind === 'filled');
    assert.ok(fills.length > 0 && fills.every((n) => n.s.orderNo === d.orderNo), 'only the 정정 order fills');
    assert.equal(fills.reduce((s, n) => s + n.s.filledQty, 0), 12);
    assert.equal(r.engine.cancel('0000000001', r.clock()).accepted, false);
  });

  it('IOC: what the next trade offers, the remainder cancelled (ACPT_YN 3)', () => {
    const r = rig();
    const placed = r.engine.place({ code: '005930', side: 'buy', qty: 1_000_000, price: r.model.market('005930').touch.ask, condition: 'ioc' }, r.clock());
    const { notices } = r.run(500);
    const kinds = notices.filter((n) => n.s.orderNo === placed.orderNo).map((n) => n.s.kind);
    assert.equal(kinds[0], 'accepted');
    assert.equal(kinds[kinds.length - 1], 'cancelled');
    const last = notices[notices.length - 1]!;
    assert.equal(last.rec.ACPT_YN, '3');
    assert.equal(r.engine.workingOrders().length, 0);
  });

  it('the automatic stream is seeded and shows accepted and fill notices within seconds; only for the configured HTS ID', () => {
    const runOnce = (): string[] => {
      const r = rig({ autoOrderIntervalMs: 2000, seed: 9 });
      const other = r.engine.reader('someoneelse');
      const { notices } = r.run(8000);
      assert.equal(other.next(), null);
      assert.equal(r.engine.acceptsHtsId('someoneelse'), false);
      return notices.map((n) => n.raw);
    };
    const a = runOnce();
    assert.deepEqual(runOnce(), a);
    const kinds = new Set(a.map((raw) => summarizeNotice(parse(raw)).kind));
    assert.ok(kinds.has('accepted') && kinds.has('filled'), [...kinds].join());
  });

  it('without a configured HTS ID any subscriber gets the stream under its own id', () => {
    const model = new MarketModel(1);
    const engine = attachOrders(model, { autoOrderIntervalMs: 0 });
    const reader = engine.reader('anyone');
    engine.place({ code: '005930', side: 'buy', qty: 1 }, marketClock(FRIDAY_10H, 'always'));
    assert.equal(parse(reader.next()!).CUST_ID, 'anyone');
    assert.equal(engine.reader('x').next(), null, 'a new reader starts from now');
  });

  it('reads accounts and order commands', () => {
    assert.equal(normalizeAccount('50123456-01'), '5012345601');
    assert.equal(normalizeAccount('50123456'), '5012345601');
    assert.throws(() => normalizeAccount('123'));
    assert.deepEqual(readOrderCommand({ code: '005930', side: 'buy', qty: 3 }), { action: 'place', order: { code: '005930', side: 'buy', qty: 3, price: 0, condition: 'none' } });
    assert.deepEqual(readOrderCommand({ action: 'cancel', orderNo: '8837' }), { action: 'cancel', orderNo: '0000008837' });
    assert.equal(typeof readOrderCommand({ code: '005930', side: 'hold', qty: 3 }), 'string');
    assert.equal(typeof readOrderCommand({ code: '005930', side: 'buy', qty: 0 }), 'string');
    assert.equal(typeof readOrderCommand([]), 'string');
  });
});
