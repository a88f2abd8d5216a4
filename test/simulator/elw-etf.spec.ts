/**
 * ELW 체결/호가/예상체결 (H0EWCNT0 / H0EWASP0 / H0EWANC0) and ETF NAV (H0STNAV0) on the wire: a
 * real WebSocket client subscribes them on a running simulator and parses thousands of records
 * with the protocol's parser, checking the field counts and the relations a careful user expects
 * (docs/protocol/realtime-trs.md, ELW and ETF NAV).
 */
import { strict as assert } from 'node:assert';
import { parseFrame, type DataFrame } from '../../lib/protocol/parse-frame';
import type { KisRecord } from '../../lib/protocol/record-parser';
import { isValidTrKey } from '../../lib/protocol/tr-keys';
import { TR_TABLES, type TrId } from '../../lib/protocol/tr-tables';
import { ELW_RATE, elwAnalytics, elwValue } from '../../lib/simulator/elw-pricing';
import { indexDef } from '../../lib/simulator/indices';
import { startSimulator } from '../../lib/simulator';
import { sessionsAt } from '../../lib/simulator/sessions';
import { ELW_TICK, elwSnapDown } from '../../lib/simulator/tick-size';
import type { RunningSimulator, SimulatorOptions } from '../../lib/simulator/types';
import { ELW_LISTINGS, elwListing, isEtf, UNIVERSE } from '../../lib/simulator/universe';
import { approvalKey, sleep, TestClient } from './support';

const num = (r: KisRecord, k: string): number => {
  const v = r[k];
  assert.equal(typeof v, 'number', `${k} = ${JSON.stringify(v)}`);
  return v as number;
};
const signOf = (d: number): string => (d > 0 ? '2' : d < 0 ? '5' : '3');
const levels = (r: KisRecord, prefix: string): number[] => Array.from({ length: 10 }, (_, i) => num(r, `${prefix}${i + 1}`));
const total = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);

/** Every data record received, per TR and key, parsed by the protocol's parser (field count checked). */
function recordsOf(c: TestClient): Map<string, KisRecord[]> {
  const out = new Map<string, KisRecord[]>();
  for (const text of c.texts) {
    if (!text.startsWith('0|')) continue;
    const [, trId, count, payload] = text.split('|') as [string, TrId, string, string];
    assert.equal(payload.split('^').length, Number(count) * TR_TABLES[trId].fields.length, `${trId}: the official field count`);
    const f = parseFrame(text);
    assert.equal(f.type, 'data', `${trId}: ${JSON.stringify(f).slice(0, 200)}`);
    const frame = f as DataFrame;
    assert.equal(frame.fieldsPerRecord, TR_TABLES[trId].fields.length);
    for (const r of frame.records) {
      const key = `${trId}|${String(r[TR_TABLES[trId].keyField])}`;
      let list = out.get(key);
      if (list === undefined) out.set(key, (list = []));
      list.push(r);
    }
  }
  return out;
}

describe('simulator ELW and ETF NAV on the wire', function () {
  this.timeout(120_000);
  let sim: RunningSimulator | undefined;
  const clients: TestClient[] = [];

  async function subscribed(o: SimulatorOptions, subs: readonly [TrId, string][]): Promise<TestClient> {
    sim = await startSimulator({ rate: 400, maxBatch: 8, ...o });
    const approval = await approvalKey(sim);
    const c = await TestClient.open(sim.wsUrl);
    clients.push(c);
    for (const [trId, key] of subs) {
      const ack = await c.request(approval, trId, key);
      assert.equal(ack.type === 'control' ? ack.msgCd : ack.type, 'OPSP0000', `${trId} ${key} acknowledged`);
    }
    return c;
  }
  async function until(what: string, ok: () => boolean, ms = 60_000): Promise<void> {
    const t0 = Date.now();
    while (!ok()) {
      if (Date.now() - t0 > ms) throw new Error(`timed out: ${what}`);
      await sleep(50);
    }
  }

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await sim?.stop();
    sim = undefined;
  });

  it('lists ELW and ETF codes that pass the protocol key checks (KODEX 200, TIGER 200 among the ETFs)', () => {
    assert.ok(ELW_LISTINGS.length >= 4);
    for (const e of ELW_LISTINGS) {
      assert.ok(isValidTrKey('elw', e.code), e.code);
      assert.ok(UNIVERSE.some((l) => l.code === e.underlying && l.etfIndex === undefined), `${e.code}: its underlying is a share of the universe`);
    }
    for (const code of ['069500', '102110']) {
      assert.ok(isEtf(code) && isValidTrKey('etf', code), code);
      assert.ok(UNIVERSE.some((l) => l.code === code), `${code} trades like a share`);
    }
    assert.ok(!isEtf('005930'));
    for (const index of ['0001', '2001', '1001']) {
      assert.ok(!indexDef(index, 1).members.some(isEtf), `${index}: an ETF is no member of the index it may track`);
    }
  });

  it('values an ELW by Black–Scholes per warrant: reference values, put–call parity, delta = dV/dS', () => {
    const terms = { strike: 100, ratio: 1, years: 1, vol: 0.2 };
    const call = { ...terms, right: 'call' as const }, put = { ...terms, right: 'put' as const };
    // S = K = 100, T = 1, σ = 20 %, r = 3 %: call 9.4134, put 6.4580 (N(0.25), N(0.05)).
    assert.ok(Math.abs(elwValue(call, 100) - 9.4134) < 0.001, String(elwValue(call, 100)));
    assert.ok(Math.abs(elwValue(put, 100) - 6.458) < 0.001, String(elwValue(put, 100)));
    for (const l of ELW_LISTINGS) {
      const s = l.strike * 0.97;
      const other = { ...l, right: l.right === 'call' ? ('put' as const) : ('call' as const) };
      const [c, p] = l.right === 'call' ? [elwValue(l, s), elwValue(other, s)] : [elwValue(other, s), elwValue(l, s)];
      assert.ok(Math.abs(c - p - (s - l.strike * Math.exp(-ELW_RATE * l.years)) * l.ratio) < 1e-3, `${l.code}: put–call parity`);
      const a = elwAnalytics(l, s, elwValue(l, s));
      const h = s * 1e-4;
      assert.ok(Math.abs(a.delta - (elwValue(l, s + h) - elwValue(l, s - h)) / (2 * h) / l.ratio) < 1e-3, `${l.code}: delta`);
      assert.ok(elwSnapDown(elwValue(l, l.strike)) >= 100, `${l.code}: priced well above the 5-KRW tick`);
    }
  });

  it('streams ELW 체결 and 호가 in continuous trading: 5-KRW grid, the LP book, prices following the underlying', async () => {
    const elws = ['57JN53', '58J297', '57LA24'];
    // 57ZZ99 is a well-formed ELW code the universe does not list: acknowledged, then silent, as for unknown stocks.
    const subs: [TrId, string][] = [...elws.flatMap((k) => [['H0EWCNT0', k], ['H0EWASP0', k]] as [TrId, string][]), ['H0EWANC0', '57JN53'], ['H0STCNT0', '005930'], ['H0STCNT0', '000660'], ['H0EWCNT0', '57ZZ99'], ['H0EWCNT0', '005930']];
    const c = await subscribed({ hours: 'always', seed: 41 }, subs);
    await until('thousands of ELW records', () => c.texts.filter((t) => t.startsWith('0|H0EW')).length >= 1500);
    // The underlying's last 체결 price seen before each ELW record, in arrival order.
    const seenSpot = new Map<KisRecord, number>();
    const spotNow = new Map<string, number>();
    for (const text of c.texts) {
      if (!text.startsWith('0|')) continue;
      for (const r of (parseFrame(text) as DataFrame).records) {
        const code = String(r['MKSC_SHRN_ISCD']);
        if (text.startsWith('0|H0STCNT0|')) spotNow.set(code, num(r, 'STCK_PRPR'));
        else if (text.startsWith('0|H0EWCNT0|')) {
          const u = elwListing(code)?.underlying;
          const spot = u === undefined ? undefined : spotNow.get(u);
          if (spot !== undefined) seenSpot.set(r, spot);
        }
      }
    }
    const recs = recordsOf(c);
    assert.equal(recs.get('H0EWANC0|57JN53'), undefined, 'no ELW 예상체결 outside the calls');
    assert.equal(recs.get('H0EWCNT0|57ZZ99'), undefined, 'nothing for an ELW code outside the universe');
    assert.equal(recs.get('H0EWCNT0|005930'), undefined, 'nothing for a share code on the ELW TR');
    let ticks = 0, quotes = 0;
    for (const code of elws) {
      const l = elwListing(code)!;
      const underlying = recs.get(`H0STCNT0|${l.underlying}`)!;
      const lastU = underlying[underlying.length - 1]!;
      let prevVol = 0, lpBase: number | null = null;
      const spots = new Set<number>();
      for (const r of recs.get(`H0EWCNT0|${code}`) ?? []) {
        ticks++;
        const p = num(r, 'STCK_PRPR');
        assert.equal(p % ELW_TICK, 0, `${code} price ${p} on the 5-KRW grid`);
        const [ask, bid] = [num(r, 'ASKP1'), num(r, 'BIDP1')];
        assert.equal(ask - bid, ELW_TICK, 'the LP quotes a one-tick spread');
        assert.equal(p, r['CNTG_CLS_CODE'] === '1' ? ask : bid, 'a buy lifts the ask, a sell hits the bid');
        const prev = p - num(r, 'PRDY_VRSS');
        assert.equal(r['PRDY_VRSS_SIGN'], signOf(num(r, 'PRDY_VRSS')));
        assert.ok(Math.abs(num(r, 'PRDY_CTRT') - ((p - prev) / prev) * 100) <= 0.006, 'PRDY_CTRT');
        // The underlying's price the record was valued at, from the parity (2 dp).
        const s = l.right === 'call' ? (num(r, 'PRIT') * l.strike) / 100 : (l.strike * 100) / num(r, 'PRIT');
        assert.ok(s >= num(lastU, 'STCK_LWPR') * 0.999 && s <= num(lastU, 'STCK_HGPR') * 1.001, `${code}: underlying ${s} within its day range`);
        const seen = seenSpot.get(r);
        if (seen !== undefined) assert.ok(Math.abs(s / seen - 1) <= 0.01, `${code}: valued at ${s}, the underlying's stream last printed ${seen}`);
        spots.add(Math.round(s / 10));
        const thpr = num(r, 'HTS_THPR');
        assert.ok(Math.abs(thpr - elwValue(l, s)) <= 0.01 * thpr + 0.5, `${code}: theoretical ${thpr} = value at ${s}`);
        assert.ok(Math.abs(bid - elwSnapDown(thpr)) <= ELW_TICK, `${code}: the book is laid at the value (${bid} vs ${thpr})`);
        assert.ok(l.right === 'call' ? num(r, 'DELTA') > 0 : num(r, 'DELTA') < 0, 'delta sign of the right');
        assert.ok(Math.abs(num(r, 'GEAR') - s / (p / l.ratio)) <= 0.01 * num(r, 'GEAR') + 0.01, 'gearing = S / (price / ratio)');
        assert.ok(Math.abs(num(r, 'LVRG_VAL') - num(r, 'GEAR') * num(r, 'DELTA')) <= 0.02 * Math.abs(num(r, 'LVRG_VAL')) + 0.02, 'leverage = gearing × delta');
        assert.ok(num(r, 'ACML_VOL') >= prevVol + num(r, 'CNTG_VOL'), 'cumulative volume');
        prevVol = num(r, 'ACML_VOL');
        assert.equal(num(r, 'ACML_TR_PBMN') % ELW_TICK, 0);
        // What the LP sold came out of its holding.
        const base = num(r, 'LP_HVOL') + num(r, 'LP_NTBY_QTY');
        if (lpBase === null) lpBase = base;
        assert.equal(base, lpBase, `${code}: LP_HVOL + LP_NTBY_QTY is the day's opening holding`);
        assert.equal(r['NEW_MKOP_CLS_CODE'], '20');
      }
      assert.ok(spots.size >= 5, `${code}: valued at ${spots.size} different underlying prices (it moves with its underlying)`);
      for (const r of recs.get(`H0EWASP0|${code}`) ?? []) {
        quotes++;
        const ask = levels(r, 'ASKP'), bid = levels(r, 'BIDP');
        const askQ = levels(r, 'ASKP_RSQN'), bidQ = levels(r, 'BIDP_RSQN');
        const lpAsk = levels(r, 'LP_ASKP_RSQN'), lpBid = levels(r, 'LP_BIDP_RSQN');
        assert.ok(ask[0]! > bid[0]!, 'ask > bid');
        for (let i = 0; i < 10; i++) {
          assert.equal(ask[i]! % ELW_TICK, 0);
          if (i > 0) assert.equal(ask[i]! - ask[i - 1]!, ELW_TICK, 'asks ascend tick by tick');
          if (i > 0) assert.equal(bid[i - 1]! - bid[i]!, ELW_TICK, 'bids descend tick by tick');
          assert.ok(lpAsk[i]! <= askQ[i]! && lpBid[i]! <= bidQ[i]!, 'the LP part is within the level');
        }
        assert.equal(num(r, 'TOTAL_ASKP_RSQN'), total(askQ));
        assert.equal(num(r, 'TOTAL_BIDP_RSQN'), total(bidQ));
        assert.equal(num(r, 'LP_TOTAL_ASKP_RSQN'), total(lpAsk));
        assert.equal(num(r, 'LP_TOTAL_BIDP_RSQN'), total(lpBid));
        assert.ok(lpAsk[0]! > 0 && lpBid[0]! > 0, 'the LP quotes both sides in continuous trading');
        assert.equal(r['HOUR_CLS_CODE'], '0');
        assert.equal(num(r, 'ANTC_CNPR'), 0, 'no expected match in continuous trading');
      }
    }
    assert.ok(ticks >= 500 && quotes >= 500, `${ticks} 체결, ${quotes} 호가 records`);
  });

  it('publishes ELW 예상체결 only during the opening and closing calls, converging on the match the 체결 stream prints', async () => {
    // 2026-07-24 (a Friday), a simulated clock running 60× from 08:49:40 KST and from 15:19:40 KST.
    for (const [h, m] of [[8, 49], [15, 19]] as const) {
      const from = Date.UTC(2026, 6, 23, 15, 0, 0) + ((h * 60 + m) * 60 + 40) * 1000;
      const t0 = Date.now();
      const now = (): number => from + (Date.now() - t0) * 60;
      const c = await subscribed({ hours: 'kst', seed: 42, now }, [['H0EWANC0', '57JN53'], ['H0EWANC0', '58J297'], ['H0EWCNT0', '57JN53'], ['H0EWCNT0', '58J297'], ['H0EWASP0', '57JN53']]);
      // A simulated minute past the call (one real second) for the match to arrive, even on a busy machine.
      const end = h === 8 ? Date.UTC(2026, 6, 24, 0, 1, 0) : Date.UTC(2026, 6, 24, 6, 31, 0);
      await until('the call and its match', () => now() > end);
      const recs = recordsOf(c);
      const dayStart = Date.UTC(2026, 6, 23, 15, 0, 0);
      const at = (hhmmss: string): number => dayStart + ((Number(hhmmss.slice(0, 2)) * 60 + Number(hhmmss.slice(2, 4))) * 60 + Number(hhmmss.slice(4))) * 1000;
      for (const code of ['57JN53', '58J297']) {
        const exp = recs.get(`H0EWANC0|${code}`) ?? [];
        assert.ok(exp.length >= 300, `${code}: ${exp.length} expected records`);
        let lastQty = 0;
        for (const r of exp) {
          const t = at(String(r['STCK_CNTG_HOUR']));
          const s = sessionsAt(t);
          const calling = (s.krx === 'opening-auction' && t >= s.expectedFrom) || s.krx === 'closing-auction';
          assert.ok(calling, `${code}: an expected price at ${String(r['STCK_CNTG_HOUR'])} outside a call`);
          assert.equal(r['NEW_MKOP_CLS_CODE'], h === 8 ? '00' : '20', 'the opening call\'s records carry 00, as the stock 예상체결');
          const p = num(r, 'STCK_PRPR');
          assert.equal(p % ELW_TICK, 0);
          assert.equal(num(r, 'ACML_TR_PBMN'), num(r, 'ACML_VOL') * p, 'value = expected qty × price');
          assert.ok(num(r, 'ACML_VOL') >= lastQty, 'the expected quantity grows');
          lastQty = num(r, 'ACML_VOL');
        }
        const ticks = recs.get(`H0EWCNT0|${code}`) ?? [];
        const match = ticks.find((r) => r['STCK_CNTG_HOUR'] === (h === 8 ? '090000' : '153000'));
        assert.ok(match !== undefined, `${code}: the call's match printed (${ticks.slice(0, 3).map((r) => r['STCK_CNTG_HOUR']).join(',')})`);
        assert.equal(num(match, 'STCK_PRPR'), num(exp[exp.length - 1]!, 'STCK_PRPR'), `${code}: the match is the last expected price`);
        for (const r of ticks) {
          const t = at(String(r['STCK_CNTG_HOUR']));
          if (r === match) continue;
          assert.equal(sessionsAt(t).krx, 'continuous', `${code}: no trade at ${String(r['STCK_CNTG_HOUR'])} during a call`);
        }
      }
      const book = recs.get('H0EWASP0|57JN53') ?? [];
      const inCall = book.filter((r) => r['HOUR_CLS_CODE'] !== '0');
      assert.ok(inCall.length > 100, `${inCall.length} 호가 during the call`);
      for (const r of inCall) {
        assert.equal(num(r, 'ANTC_CNPR'), num(r, 'ASKP1'), 'during a call the book shows the expected match');
        assert.equal(num(r, 'LP_TOTAL_ASKP_RSQN') + num(r, 'LP_TOTAL_BIDP_RSQN'), 0, 'no LP quotes in a call');
      }
      await Promise.all(clients.splice(0).map((x) => x.close()));
      await sim!.stop();
      sim = undefined;
    }
  });

  it('streams ETF NAV close to the ETF\'s price, signed consistently with the previous NAV; stock codes get no NAV', async () => {
    const c = await subscribed({ hours: 'always', seed: 43 }, [['H0STNAV0', '069500'], ['H0STNAV0', '229200'], ['H0STCNT0', '069500'], ['H0STCNT0', '229200'], ['H0STNAV0', '005930']]);
    await until('thousands of NAV records', () => c.texts.filter((t) => t.startsWith('0|H0STNAV0')).length >= 1500);
    const texts = c.texts.slice();
    const navNow = new Map<string, number>();
    let checked = 0;
    const prevNav = new Map<string, number>();
    const open = new Map<string, number>();
    for (const text of texts) {
      if (!text.startsWith('0|')) continue;
      const f = parseFrame(text) as DataFrame;
      for (const r of f.records) {
        const code = String(r['MKSC_SHRN_ISCD']);
        if (f.trId === 'H0STNAV0') {
          assert.equal(text.split('|')[3]!.split('^').length, Number(text.split('|')[2]) * 8, 'the official 8 fields');
          const nav = num(r, 'NAV'), d = num(r, 'NAV_PRDY_VRSS');
          assert.equal(r['NAV_PRDY_VRSS_SIGN'], signOf(d), `sign of ${d}`);
          const base = Math.round((nav - d) * 100) / 100;
          if (!prevNav.has(code)) prevNav.set(code, base);
          assert.ok(Math.abs(base - prevNav.get(code)!) <= 0.011, 'NAV − 대비 is the one previous-day NAV');
          assert.ok(Math.abs(num(r, 'NAV_PRDY_CTRT') - (d / base) * 100) <= 0.006, 'NAV_PRDY_CTRT');
          assert.ok(num(r, 'LPRC_NAV') <= nav && nav <= num(r, 'HPRC_NAV'), 'low ≤ NAV ≤ high');
          if (!open.has(code)) open.set(code, num(r, 'OPRC_NAV'));
          assert.equal(num(r, 'OPRC_NAV'), open.get(code), 'the NAV open is fixed');
          navNow.set(code, nav);
        } else if (f.trId === 'H0STCNT0') {
          const nav = navNow.get(code);
          if (nav === undefined) continue;
          const p = num(r, 'STCK_PRPR');
          assert.ok(Math.abs(p / nav - 1) <= 0.01, `${code}: price ${p} within 1 % of the NAV ${nav}`);
          checked++;
        }
      }
    }
    assert.ok(checked >= 500, `${checked} ETF trades compared with the NAV`);
    assert.equal(texts.some((t) => t.startsWith('0|H0STNAV0|') && t.split('|')[3]!.startsWith('005930^')), false, 'no NAV for a share');
    for (const code of ['069500', '229200']) {
      const moved = open.get(code) !== navNow.get(code);
      assert.ok(moved, `${code}: the NAV moves with its index`);
    }
  });
});
