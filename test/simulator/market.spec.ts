import { strict as assert } from 'node:assert';
import { marketSession } from '../../lib/protocol/market-hours';
import { kstDate } from '../../lib/protocol/kst';
import { parseFrame, type DataFrame } from '../../lib/protocol/parse-frame';
import type { KisRecord } from '../../lib/protocol/record-parser';
import { KNOWN_STOCKS } from '../../lib/protocol/stock-codes';
import { TR_TABLES, type TrId } from '../../lib/protocol/tr-tables';
import { marketClock, MarketModel, stockProfile } from '../../lib/simulator/market';
import { UNIVERSE } from '../../lib/simulator/universe';
import { isOnTickGrid, krxTickSize, snapDown, tickDown, tickUp } from '../../lib/simulator/tick-size';
import { Prng } from '../fixtures/prng';

/** 2026-07-24 (a Friday) 10:00:00 KST. */
const FRIDAY_10H = Date.UTC(2026, 6, 24, 1, 0, 0);

function parseRecord(trId: TrId, record: string): KisRecord {
  const f = parseFrame(`0|${trId}|001|${record}`);
  assert.equal(f.type, 'data', `${trId} record does not parse: ${JSON.stringify(f)}`);
  const frame = f as DataFrame;
  assert.equal(frame.fieldsPerRecord, TR_TABLES[trId].fields.length);
  assert.equal(record.split('^').length, TR_TABLES[trId].fields.length);
  return frame.records[0]!;
}

const num = (r: KisRecord, k: string): number => {
  const v = r[k];
  assert.equal(typeof v, 'number', `${k} is ${JSON.stringify(v)}`);
  return v as number;
};
const str = (r: KisRecord, k: string): string => String(r[k]);
const close2 = (actual: number, expected: number, what: string): void => {
  assert.ok(Math.abs(actual - expected) <= 0.005 + 1e-9, `${what}: ${actual} vs ${expected}`);
};
const signOf = (d: number): string => (d > 0 ? '2' : d < 0 ? '5' : '3');

describe('simulator market model', () => {
  describe('KRX tick grid', () => {
    it('uses the 2023 tick sizes per price band', () => {
      const cases: [number, number][] = [[1999, 1], [2000, 5], [4995, 5], [5000, 10], [19990, 10], [20000, 50], [49950, 50], [50000, 100], [199900, 100], [200000, 500], [499500, 500], [500000, 1000]];
      for (const [p, t] of cases) assert.equal(krxTickSize(p), t, `tick at ${p}`);
    });
    it('steps across band edges onto the grid', () => {
      assert.equal(tickUp(1999), 2000);
      assert.equal(tickDown(2000), 1999);
      assert.equal(tickUp(49950), 50000);
      assert.equal(tickDown(50000), 49950);
      assert.equal(tickDown(500000), 499500);
      assert.equal(snapDown(71550), 71500);
      assert.ok(isOnTickGrid(71500) && !isOnTickGrid(71550));
    });
  });

  describe('stock profiles', () => {
    it('keeps the known prices and gives other codes a plausible on-grid price', () => {
      for (const s of KNOWN_STOCKS) assert.equal(stockProfile(s.code, 1).prevClose, s.price, s.code);
      const other = stockProfile('123450', 1);
      assert.ok(other.prevClose >= 1000 && other.prevClose <= 300000 && isOnTickGrid(other.prevClose), String(other.prevClose));
      assert.equal(stockProfile('123450', 1).prevClose, other.prevClose, 'same code, same seed, same price');
    });
  });

  describe('generated records (10,000, every relation of doc §5.1/§5.2)', function () {
    this.timeout(180_000);
    const streams: [TrId, string][] = [
      ['H0STCNT0', '005930'], ['H0STASP0', '005930'],
      ['H0NXCNT0', '000660'], ['H0NXASP0', '000660'],
      ['H0UNCNT0', '035720'], ['H0UNASP0', '035720'],
      ['H0STCNT0', '123450'], ['H0UNCNT0', '005930'],
      ['H0STCNT0', '207940'], ['H0STASP0', '293490'],
    ];

    it('holds for ticks and quotes of every venue', () => {
      const model = new MarketModel(7);
      const pick = new Prng(99);
      const lastTick = new Map<string, KisRecord>();
      const lastTradePrice = new Map<string, number>();
      let t = FRIDAY_10H;
      let ticks = 0, quotes = 0, buys = 0, sells = 0;
      for (let i = 0; i < 10_000; i++) {
        t += pick.int(0, 400);
        const clock = marketClock(t, 'always');
        const [trId, code] = streams[pick.int(0, streams.length - 1)]!;
        const table = TR_TABLES[trId];
        const rec = model.record(table, code, clock);
        assert.ok(rec !== null, `${trId} ${code} gave no record`);
        const r = parseRecord(trId, rec);
        assert.equal(r['MKSC_SHRN_ISCD'], code);
        if (table.kind === 'quote') {
          quotes++;
          checkQuote(r, trId, lastTradePrice.get(code));
          assert.equal(str(r, 'BSOP_HOUR'), clock.time);
          continue;
        }
        ticks++;
        const key = trId + code;
        checkTick(r, lastTick.get(key), clock.date, clock.time);
        if (str(r, trId === 'H0STCNT0' ? 'CCLD_DVSN' : 'CNTG_CLS_CODE') === '1') buys++;
        else sells++;
        lastTick.set(key, r);
        lastTradePrice.set(code, num(r, 'STCK_PRPR'));
      }
      assert.ok(ticks > 4000 && quotes > 2500, `${ticks} ticks, ${quotes} quotes`);
      assert.ok(buys > 1000 && sells > 1000, `both sides trade: ${buys} buys, ${sells} sells`);
    });

    function checkTick(r: KisRecord, prev: KisRecord | undefined, date: string, time: string): void {
      const price = num(r, 'STCK_PRPR');
      const vrss = num(r, 'PRDY_VRSS');
      const prevClose = price - vrss;
      assert.ok(isOnTickGrid(price), `price ${price} on the grid`);
      assert.equal(str(r, 'PRDY_VRSS_SIGN'), signOf(vrss));
      close2(num(r, 'PRDY_CTRT'), (vrss / prevClose) * 100, 'PRDY_CTRT');
      const vol = num(r, 'ACML_VOL'), value = num(r, 'ACML_TR_PBMN');
      close2(num(r, 'WGHN_AVRG_STCK_PRC'), value / vol, 'VWAP');
      const buyQty = num(r, 'SHNU_CNTG_SMTN'), sellQty = num(r, 'SELN_CNTG_SMTN');
      assert.equal(buyQty + sellQty, vol, 'buy + sell quantity = volume');
      close2(num(r, 'CTTR'), sellQty > 0 ? (buyQty / sellQty) * 100 : 0, 'CTTR');
      close2(num(r, 'SHNU_RATE'), (buyQty / vol) * 100, 'SHNU_RATE');
      assert.equal(num(r, 'NTBY_CNTG_CSNU'), num(r, 'SHNU_CNTG_CSNU') - num(r, 'SELN_CNTG_CSNU'));
      close2(num(r, 'PRDY_SMNS_HOUR_ACML_VOL_RATE'), (vol / num(r, 'PRDY_SMNS_HOUR_ACML_VOL')) * 100, '전일 동시간 비율');
      const open = num(r, 'STCK_OPRC'), high = num(r, 'STCK_HGPR'), low = num(r, 'STCK_LWPR');
      assert.ok(low <= price && price <= high && low <= open && open <= high, `OHLC ${open}/${high}/${low} vs ${price}`);
      for (const [k, ref] of [['OPRC', open], ['HGPR', high], ['LWPR', low]] as const) {
        assert.equal(num(r, `${k}_VRSS_PRPR`), price - ref, `${k}_VRSS_PRPR`);
        assert.equal(str(r, `${k}_VRSS_PRPR_SIGN`), signOf(price - ref), `${k}_VRSS_PRPR_SIGN`);
        assert.ok(str(r, `${k}_HOUR`) <= time, `${k}_HOUR not in the future`);
      }
      const side = str(r, 'CCLD_DVSN' in r ? 'CCLD_DVSN' : 'CNTG_CLS_CODE');
      assert.equal(price, side === '1' ? num(r, 'ASKP1') : num(r, 'BIDP1'), `체결구분 ${side} matches the side hit`);
      assert.ok(num(r, 'ASKP1') > num(r, 'BIDP1'));
      assert.ok(num(r, 'CNTG_VOL') > 0 && num(r, 'ASKP_RSQN1') > 0 && num(r, 'BIDP_RSQN1') > 0);
      assert.ok(num(r, 'TOTAL_ASKP_RSQN') >= num(r, 'ASKP_RSQN1') && num(r, 'TOTAL_BIDP_RSQN') >= num(r, 'BIDP_RSQN1'));
      assert.equal(str(r, 'BSOP_DATE'), date);
      assert.equal(str(r, 'STCK_CNTG_HOUR'), time);
      assert.equal(str(r, 'MRKT_TRTM_CLS_CODE'), '');
      if (prev !== undefined) {
        assert.ok(vol >= num(prev, 'ACML_VOL') + num(r, 'CNTG_VOL'), 'cumulative volume grows by at least this trade');
        assert.ok(value > num(prev, 'ACML_TR_PBMN'));
        assert.equal(num(r, 'PRDY_VRSS') - num(r, 'STCK_PRPR'), num(prev, 'PRDY_VRSS') - num(prev, 'STCK_PRPR'), 'previous close is fixed');
        assert.ok(high >= num(prev, 'STCK_HGPR') && low <= num(prev, 'STCK_LWPR'));
        assert.equal(open, num(prev, 'STCK_OPRC'));
      }
    }

    function checkQuote(r: KisRecord, trId: TrId, lastTrade: number | undefined): void {
      let totalAsk = 0, totalBid = 0;
      for (let i = 1; i <= 10; i++) {
        const ask = num(r, `ASKP${i}`), bid = num(r, `BIDP${i}`);
        assert.ok(isOnTickGrid(ask) && isOnTickGrid(bid), `level ${i} on the grid`);
        if (i > 1) {
          assert.equal(ask, tickUp(num(r, `ASKP${i - 1}`)), 'asks ascend tick by tick');
          assert.equal(bid, tickDown(num(r, `BIDP${i - 1}`)), 'bids descend tick by tick');
        }
        const aq = num(r, `ASKP_RSQN${i}`), bq = num(r, `BIDP_RSQN${i}`);
        assert.ok(aq > 0 && bq > 0, 'quantities positive');
        totalAsk += aq;
        totalBid += bq;
      }
      assert.equal(num(r, 'ASKP1'), tickUp(num(r, 'BIDP1')), 'one-tick spread');
      assert.equal(num(r, 'TOTAL_ASKP_RSQN'), totalAsk);
      assert.equal(num(r, 'TOTAL_BIDP_RSQN'), totalBid);
      if (lastTrade !== undefined) {
        assert.ok(num(r, 'BIDP1') <= lastTrade && lastTrade <= num(r, 'ASKP1'), `last trade ${lastTrade} within the touch`);
      }
      assert.equal(str(r, 'HOUR_CLS_CODE'), '0');
      assert.equal(TR_TABLES[trId].fields.length, trId === 'H0STASP0' ? 59 : 65);
    }
  });

  it('is deterministic for a seed and differs between seeds', () => {
    const run = (seed: number): string[] => {
      const m = new MarketModel(seed);
      const out: string[] = [];
      for (let i = 0; i < 200; i++) {
        const clock = marketClock(FRIDAY_10H + i * 250, 'always');
        out.push(m.record(TR_TABLES[i % 2 ? 'H0STASP0' : 'H0UNCNT0'], '005930', clock)!);
      }
      return out;
    };
    assert.deepEqual(run(3), run(3));
    assert.notDeepEqual(run(3), run(4));
  });

  it('gives no NXT or 통합 data for a code NXT does not trade (KRX streams it), and none when the venue is closed', () => {
    const m = new MarketModel(1);
    const now = marketClock(FRIDAY_10H, 'always');
    const nonNxt = UNIVERSE.filter((s) => !s.nxtTradable);
    assert.ok(nonNxt.length >= 20);
    for (const s of nonNxt) {
      for (let i = 0; i < 20; i++) {
        for (const trId of ['H0NXCNT0', 'H0UNCNT0', 'H0NXASP0', 'H0UNASP0'] as const) assert.equal(m.record(TR_TABLES[trId], s.code, now), null, `${trId} ${s.code}`);
      }
      assert.notEqual(m.record(TR_TABLES.H0STCNT0, s.code, now), null, `H0STCNT0 ${s.code}`);
      assert.notEqual(m.record(TR_TABLES.H0STASP0, s.code, now), null, `H0STASP0 ${s.code}`);
    }
    const tradable = UNIVERSE.find((s) => s.nxtTradable && s.market === 'KOSDAQ')!;
    assert.notEqual(m.record(TR_TABLES.H0UNCNT0, tradable.code, now), null);
    assert.notEqual(m.record(TR_TABLES.H0UNASP0, tradable.code, now), null);
    // 18:00 KST: KRX closed, NXT after-market open.
    const evening = marketClock(FRIDAY_10H + 8 * 3_600_000, 'kst');
    assert.equal(m.record(TR_TABLES.H0STCNT0, '005930', evening), null);
    const nxt = m.record(TR_TABLES.H0NXCNT0, '005930', evening);
    assert.ok(nxt !== null);
    assert.equal(parseRecord('H0NXCNT0', nxt)['NEW_MKOP_CLS_CODE'], '30');
    assert.notEqual(m.record(TR_TABLES.H0UNCNT0, '005930', evening), null);
  });
});

describe('marketSession (doc §8)', () => {
  const at = (h: number, m: number, s = 0, dayOffset = 0): number => FRIDAY_10H + dayOffset * 86_400_000 + ((h - 10) * 3600 + m * 60 + s) * 1000;
  const hhmm = (ms: number): string => new Date(ms + 9 * 3_600_000).toISOString().slice(11, 16);

  it('opens KRX 09:00–15:30 on weekdays', () => {
    assert.equal(marketSession('KRX', at(8, 59, 59)).open, false);
    assert.equal(hhmm(marketSession('KRX', at(8, 59, 59)).nextOpen), '09:00');
    const open = marketSession('KRX', at(9, 0));
    assert.deepEqual([open.open, open.label, open.nextOpen, hhmm(open.closesAt!)], [true, 'regular', at(9, 0), '15:30']);
    assert.equal(marketSession('KRX', at(15, 30)).open, false);
  });

  it('knows the NXT pre-, main and after-market and the gaps between them', () => {
    assert.equal(marketSession('NXT', at(8, 0)).label, 'pre-market');
    assert.equal(marketSession('NXT', at(8, 50)).open, false);
    assert.equal(marketSession('NXT', at(9, 0, 10)).open, false, 'main market starts 09:00:30');
    assert.equal(marketSession('NXT', at(9, 0, 30)).label, 'main');
    assert.equal(marketSession('NXT', at(15, 30)).open, false);
    assert.equal(hhmm(marketSession('NXT', at(15, 30)).nextOpen), '15:40');
    assert.equal(marketSession('NXT', at(19, 59)).label, 'after-market');
    assert.equal(marketSession('UN', at(15, 25)).label, 'regular', '통합 is open while either venue is');
    assert.equal(marketSession('UN', at(8, 55)).open, false);
  });

  it('is closed on weekends and opens on Monday', () => {
    const saturdayNoon = at(12, 0, 0, 1);
    const s = marketSession('KRX', saturdayNoon);
    assert.equal(s.open, false);
    assert.equal(kstDate(s.nextOpen), '20260727');
    assert.equal(hhmm(s.nextOpen), '09:00');
    assert.equal(hhmm(marketSession('UN', at(21, 0)).nextOpen), '08:00');
    assert.equal(kstDate(marketSession('UN', at(21, 0)).nextOpen), '20260727', 'Friday night → Monday');
  });
});
