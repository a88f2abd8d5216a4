/**
 * The simulator's trading phases, single-price calls and VI, checked on the records it builds
 * (thousands of them) with sessions set directly, so the checks do not depend on today's date.
 */
import { strict as assert } from 'node:assert';
import { parseFrame, type DataFrame } from '../../lib/protocol/parse-frame';
import type { KisRecord } from '../../lib/protocol/record-parser';
import { TR_TABLES, type TrId } from '../../lib/protocol/tr-tables';
import { clockFor, type MarketClock } from '../../lib/simulator/clock';
import { MarketModel } from '../../lib/simulator/market';
import { ALWAYS_CONTINUOUS, krxPhase, sessionsAt } from '../../lib/simulator/sessions';
import { SESSION_RULES, type SessionRule } from '../../lib/protocol/market-calendar';
import { marketClock } from '../../lib/simulator/clock';
import { isOnTickGrid } from '../../lib/simulator/tick-size';
import { dynamicViBand, viTrigger } from '../../lib/simulator/vi';
import { Prng } from '../fixtures/prng';
import { at, testClock } from './test-day';

const clockAt = (t: number): MarketClock => testClock(t);

function parse(trId: TrId, rec: string): KisRecord {
  const f = parseFrame(`0|${trId}|001|${rec}`);
  assert.equal(f.type, 'data', JSON.stringify(f));
  return (f as DataFrame).records[0]!;
}
const num = (r: KisRecord, k: string): number => r[k] as number;

const CODES = ['005930', '000660', '035720', '247540', '293490'];

describe('simulator sessions: single-price calls', function () {
  this.timeout(180_000);
  it('publishes the opening call from 08:50, converging on the open the 체결 stream then prints', () => {
    const model = new MarketModel(11);
    const lastExpected = new Map<string, { price: number; qty: number }>();
    let samples = 0;
    for (let t = at(8, 40); t < at(9, 0); t += 250) {
      const clock = clockAt(t);
      for (const code of CODES) {
        const m = model.market(code);
        assert.equal(model.record(TR_TABLES.H0STCNT0, code, clock), null, 'no KRX trade during the call');
        const e = (m.advance(clock), m.expected(t));
        if (t < at(8, 50)) {
          assert.equal(e, null, 'nothing published before 08:50');
          continue;
        }
        assert.ok(e !== null);
        assert.ok(isOnTickGrid(e.price) && e.price <= m.upper && e.price >= m.lower, `${e.price}`);
        const prev = lastExpected.get(code);
        if (prev !== undefined) assert.ok(e.qty >= prev.qty, 'expected quantity never shrinks');
        lastExpected.set(code, e);
        samples++;
        const q = model.record(TR_TABLES.H0STASP0, code, clock);
        assert.ok(q !== null, 'KRX quotes during the published call');
        const r = parse('H0STASP0', q);
        assert.deepEqual([r['HOUR_CLS_CODE'], num(r, 'ANTC_CNPR'), num(r, 'ANTC_CNQN')], ['B', e.price, e.qty]);
      }
    }
    assert.ok(samples >= 10_000, `${samples} expected values`);
    const clock = clockAt(at(9, 0, 0, 200));
    for (const code of CODES) {
      const r = parse('H0STCNT0', model.record(TR_TABLES.H0STCNT0, code, clock)!);
      const e = lastExpected.get(code)!;
      assert.equal(num(r, 'STCK_PRPR'), e.price, `${code}: the open is the last expected price`);
      assert.equal(num(r, 'STCK_OPRC'), e.price);
      assert.equal(r['OPRC_HOUR'], '090000');
      assert.equal(r['STCK_CNTG_HOUR'], '090000');
      assert.ok(num(r, 'CNTG_VOL') >= e.qty && num(r, 'CNTG_VOL') <= e.qty * 1.01, 'the matched quantity is the expected one');
      assert.equal(num(r, 'ACML_VOL'), num(r, 'CNTG_VOL'), 'the open is the first KRX trade');
      assert.equal(num(r, 'VI_STND_PRC'), e.price, 'the static VI reference becomes the opening price');
      const next = parse('H0STCNT0', model.record(TR_TABLES.H0STCNT0, code, clock)!);
      assert.equal(num(next, 'STCK_OPRC'), e.price, 'continuous trading follows');
      assert.ok(num(next, 'ACML_VOL') > num(r, 'ACML_VOL'));
    }
  });

  it('closes with the closing call: no trades 15:20–15:30, the close is the last expected price, nothing after', () => {
    const model = new MarketModel(12);
    const pick = new Prng(5);
    for (let t = at(15, 0); t < at(15, 20); t += 200) model.record(TR_TABLES.H0STCNT0, CODES[pick.int(0, CODES.length - 1)]!, clockAt(t));
    const last = new Map<string, number>();
    for (let t = at(15, 20); t < at(15, 30); t += 250) {
      const clock = clockAt(t);
      for (const code of CODES) {
        assert.equal(model.record(TR_TABLES.H0STCNT0, code, clock), null);
        const m = model.market(code);
        const e = m.expected(t);
        assert.ok(e !== null && e.auction.cause === 'close');
        last.set(code, e.price);
        const r = parse('H0STASP0', model.record(TR_TABLES.H0STASP0, code, clock)!);
        assert.equal(r['HOUR_CLS_CODE'], 'A');
      }
    }
    const after = clockAt(at(15, 30, 1));
    for (const code of CODES) {
      const r = parse('H0STCNT0', model.record(TR_TABLES.H0STCNT0, code, after)!);
      assert.equal(num(r, 'STCK_PRPR'), last.get(code), `${code}: close = last expected`);
      assert.equal(r['STCK_CNTG_HOUR'], '153000');
      assert.equal(model.record(TR_TABLES.H0STCNT0, code, after), null, 'nothing after the close');
      assert.equal(model.record(TR_TABLES.H0STASP0, code, after), null);
    }
  });
});

describe('simulator sessions: VI', function () {
  this.timeout(180_000);
  it('uses the static ±10 % and dynamic ±3 % / ±6 % (closing call ±2 % / ±4 %) bands', () => {
    assert.equal(viTrigger(103_100, 100_000, 100_000, true), 'dynamic');
    assert.equal(viTrigger(102_900, 100_000, 100_000, true), null);
    assert.equal(viTrigger(105_900, 100_000, 100_000, false), null);
    assert.equal(viTrigger(106_100, 100_000, 100_000, false), 'dynamic');
    assert.equal(viTrigger(110_000, 108_000, 100_000, false), 'static');
    assert.equal(viTrigger(90_000, 91_000, 100_000, true), 'static');
    assert.deepEqual([dynamicViBand(true, true), dynamicViBand(false, true)], [0.02, 0.04]);
  });

  it('stops trading for a 2-minute call when a trade would pass a band, then prints the call\'s match', () => {
    const model = new MarketModel(21, { vi: true });
    const pick = new Prng(8);
    const codes = ['005930', '035720', '247540', '123450'];
    const lastTick = new Map<string, KisRecord>();
    const vis: { code: string; start: number; end: number; target: number; trigger: string | null }[] = [];
    const open = new Map<string, { start: number; before: KisRecord | undefined; staticRef: number; target: number }>();
    let t = at(9, 0);
    let records = 0;
    while (records < 20_000 && t < at(15, 19)) {
      t += pick.int(50, 400);
      const clock = clockAt(t);
      const code = codes[pick.int(0, codes.length - 1)]!;
      const m = model.market(code);
      const refBefore = m.staticRef;
      const rec = model.record(TR_TABLES.H0STCNT0, code, clock);
      const a = m.auction;
      if (a !== null && a.cause === 'vi' && !open.has(code)) {
        open.set(code, { start: t, before: lastTick.get(code), staticRef: refBefore, target: a.target });
      }
      if (rec === null) {
        if (a !== null) assert.ok(t < a.endsAt, 'no trade while the VI call runs');
        continue;
      }
      records++;
      const r = parse('H0STCNT0', rec);
      const o = open.get(code);
      if (o !== undefined) {
        assert.equal(num(r, 'STCK_PRPR'), o.target, 'the VI call matches at its expected price');
        assert.equal(num(r, 'VI_STND_PRC'), o.target, 'and that becomes the static reference');
        const end = at(Number(String(r['STCK_CNTG_HOUR']).slice(0, 2)), Number(String(r['STCK_CNTG_HOUR']).slice(2, 4)), Number(String(r['STCK_CNTG_HOUR']).slice(4, 6)));
        const last = o.before === undefined ? model.market(code).profile.prevClose : num(o.before, 'STCK_PRPR');
        vis.push({ code, start: o.start, end, target: o.target, trigger: viTrigger(o.target, last, o.staticRef, model.market(code).profile.kospi200) });
        open.delete(code);
      }
      lastTick.set(code, r);
    }
    assert.ok(vis.length >= 3, `${vis.length} VIs in ${records} trades`);
    for (const v of vis) {
      const secs = (v.end - v.start) / 1000;
      assert.ok(secs >= 119 && secs <= 151, `VI call of ${secs} s`);
      assert.notEqual(v.trigger, null, `the match ${v.target} of ${v.code} is past a band`);
    }
    // Every VI is announced (Y) and released (N) in the event log, in that order.
    for (const code of codes) {
      const m = model.market(code);
      const flags: boolean[] = [];
      for (let e = m.events.after(0, 'KRX'), c = 0; e !== undefined; c = e.seq, e = m.events.after(c, 'KRX')) flags.push(e.vi);
      const starts = flags.filter((f, i) => f && (i === 0 || !flags[i - 1])).length;
      assert.ok(starts >= m.viCount - 1 && starts <= m.viCount, `${code}: ${starts} announced of ${m.viCount}`);
    }
  });

  it('triggers a VI on demand, even where random VIs are off', () => {
    const model = new MarketModel(3);
    const m = model.market('005930');
    const clock = clockFor(at(10, 0), ALWAYS_CONTINUOUS);
    assert.ok(model.record(TR_TABLES.H0STCNT0, '005930', clock) !== null);
    m.triggerVi();
    assert.equal(model.record(TR_TABLES.H0STCNT0, '005930', clock), null);
    assert.equal(m.auction?.cause, 'vi');
    assert.equal(m.auction?.viKind, 'dynamic');
    assert.equal(model.record(TR_TABLES.H0UNCNT0, '005930', clock), null, '통합 pauses too');
    const later = clockFor(at(10, 2, 31), ALWAYS_CONTINUOUS);
    const r = parse('H0STCNT0', model.record(TR_TABLES.H0STCNT0, '005930', later)!);
    assert.equal(num(r, 'STCK_PRPR'), m.staticRef);
  });
});

describe('simulator sessions follow the market calendar in force', function () {
  this.timeout(60_000);
  const kst = (date: string, h: number, m: number): number => Date.UTC(Number(date.slice(0, 4)), Number(date.slice(4, 6)) - 1, Number(date.slice(6, 8)), h - 9, m);
  const hhmm = (ms: number): string => new Date(ms + 9 * 3_600_000).toISOString().slice(11, 16);

  it('takes when expected prices start and how often 시간외 단일가 matches from the calendar\'s rule (one place to change)', () => {
    const krxRule = (kind: SessionRule['kind']): SessionRule => SESSION_RULES.find((r) => r.venue === 'KRX' && r.kind === kind) as SessionRule;
    const day = kst('20260911', 0, 0);
    const opening = krxRule('opening-auction');
    assert.equal(hhmm(day + (opening.expectedFrom ?? NaN) * 1000), '08:50', 'the table says 08:50');
    // Hours change: a rule with other times moves the simulator with it.
    const moved: SessionRule = { ...opening, start: 8 * 3600, end: 8.5 * 3600, expectedFrom: 8 * 3600 + 20 * 60 };
    const early = krxPhase(moved, day, kst('20260911', 8, 10));
    assert.deepEqual([hhmm(early.krxStart), hhmm(early.expectedFrom), hhmm(early.krxEnd)], ['08:00', '08:20', '08:30']);
    assert.equal(hhmm(krxPhase({ ...opening, expectedFrom: null }, day, kst('20260911', 8, 40)).expectedFrom), '08:30', 'no expectedFrom: from the start');
    const overtime = krxRule('after-hours-single-price');
    assert.equal(overtime.callEvery, 600);
    const every5 = krxPhase({ ...overtime, callEvery: 300 }, day, kst('20260911', 16, 7));
    assert.deepEqual([hhmm(every5.krxStart), hhmm(every5.krxEnd)], ['16:05', '16:10']);
  });

  it('maps the calendar to phases: calls, continuous, 시간외 단일가 until 2026-09-11, KRX after-market from 2026-09-14', () => {
    const phase = (date: string, h: number, m: number): [string, string, string] => {
      const s = sessionsAt(kst(date, h, m));
      return [s.krx, s.krx === 'closed' ? '' : hhmm(s.krxStart), s.krx === 'closed' ? '' : hhmm(s.krxEnd)];
    };
    assert.deepEqual(phase('20260911', 8, 40), ['opening-auction', '08:30', '09:00']);
    assert.equal(hhmm(sessionsAt(kst('20260911', 8, 40)).expectedFrom), '08:50');
    assert.deepEqual(phase('20260911', 9, 30), ['continuous', '09:00', '15:20']);
    assert.deepEqual(phase('20260911', 15, 25), ['closing-auction', '15:20', '15:30']);
    assert.deepEqual(phase('20260911', 16, 5), ['overtime-auction', '16:00', '16:10']);
    assert.deepEqual(phase('20260911', 17, 55), ['overtime-auction', '17:50', '18:00']);
    assert.deepEqual(phase('20260911', 18, 30), ['closed', '', '']);
    assert.deepEqual(phase('20260914', 16, 5), ['after-market', '16:00', '20:00']);
    assert.deepEqual(phase('20260914', 20, 0), ['closed', '', '']);
    assert.deepEqual(phase('20260912', 10, 0), ['closed', '', ''], 'Saturday');
    const nxt = (date: string, h: number, m: number): string => sessionsAt(kst(date, h, m)).nxt;
    assert.deepEqual([nxt('20260914', 8, 10), nxt('20260914', 8, 55), nxt('20260914', 12, 0), nxt('20260914', 15, 35), nxt('20260914', 19, 0)], ['continuous', 'closed', 'continuous', 'closed', 'continuous']);
  });

  it('streams KRX 체결 in the after-market from 2026-09-14 and 시간외 단일가 only before', () => {
    const model = new MarketModel(41);
    const before = marketClock(kst('20260911', 16, 30), 'kst');
    const after = marketClock(kst('20260914', 16, 30), 'kst');
    assert.equal(model.record(TR_TABLES.H0STCNT0, '000660', before), null, 'no regular KRX trade during 시간외 단일가');
    assert.ok(model.record(TR_TABLES.H0STOAC0, '000660', before) !== null, '시간외 단일가 expected price on 2026-09-11');
    const m2 = new MarketModel(41);
    const r = parse('H0STCNT0', m2.record(TR_TABLES.H0STCNT0, '000660', after)!);
    assert.equal(r['NEW_MKOP_CLS_CODE'], '30', 'after-market trade');
    assert.equal(m2.record(TR_TABLES.H0STOAC0, '000660', after), null, 'no 시간외 단일가 after 2026-09-11');
    assert.equal(m2.record(TR_TABLES.H0STOAA0, '000660', after), null);
  });
});
