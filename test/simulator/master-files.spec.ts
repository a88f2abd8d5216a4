/**
 * The simulator's stock master: its files parse with KIS's own published recipe (decode CP949,
 * cut the tail from the end of the line including `\n`, KIS's field widths), list its universe
 * with 기준가 on the tick grid, and a code outside the universe behaves like a code that does not
 * exist on KIS: acknowledged, then silence (docs/protocol/master-files.md).
 */
import assert from 'node:assert/strict';
import { decodeCp949 } from '../../lib/protocol/cp949';
import { MASTER_FILES } from '../../lib/protocol/master-file';
import { readZip } from '../../lib/protocol/zip';
import { startSimulator } from '../../lib/simulator';
import { feedFor, isinCheckDigit, isinOf } from '../../lib/simulator/master-files';
import { TR_TABLES } from '../../lib/protocol/tr-tables';
import { krxTickSize } from '../../lib/simulator/tick-size';
import { UNIVERSE } from '../../lib/simulator/universe';
import type { RunningSimulator } from '../../lib/simulator/types';
import { approvalKey, sleep, TestClient } from './support';

/** KIS's `field_specs` (stocks_info/kis_kospi_code_mst.py, kis_kosdaq_code_mst.py) and the columns used here. */
const KIS_RECIPE = {
  KOSPI: { tail: 228, specs: [2, 1, 4, 4, 4, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 9, 5, 5, 1, 1, 1, 2, 1, 1, 1, 2, 2, 2, 3, 1, 3, 12, 12, 8, 15, 21, 2, 7, 1, 1, 1, 1, 1, 9, 9, 9, 5, 9, 8, 9, 3, 1, 1, 1], group: 0, price: 31, halt: 34, managed: 36 },
  KOSDAQ: { tail: 222, specs: [2, 1, 4, 4, 4, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 9, 5, 5, 1, 1, 1, 2, 1, 1, 1, 2, 2, 2, 3, 1, 3, 12, 12, 8, 15, 21, 2, 7, 1, 1, 1, 1, 9, 9, 9, 5, 9, 8, 9, 3, 1, 1, 1], group: 0, price: 26, halt: 29, managed: 31 },
} as const;

interface OtaRow { code: string; isin: string; name: string; cols: string[] }

/** What KIS's Python parser does: text lines including `\n`, head = row[0:len-228], tail = row[-228:], fixed widths. */
function parseLikeKis(text: string, market: 'KOSPI' | 'KOSDAQ'): OtaRow[] {
  const r = KIS_RECIPE[market];
  return text.split(/(?<=\n)/).filter((row) => row.trim() !== '').map((row) => {
    const head = row.slice(0, row.length - r.tail);
    const tail = row.slice(-r.tail);
    const cols: string[] = [];
    let p = 0;
    for (const w of r.specs) {
      cols.push(tail.slice(p, p + w).trim());
      p += w;
    }
    assert.equal(tail.slice(p), '\n', 'the tail ends with the line end');
    return { code: head.slice(0, 9).trimEnd(), isin: head.slice(9, 21).trimEnd(), name: head.slice(21).trim(), cols };
  });
}

describe('simulator: stock master files', function () {
  this.timeout(20000);
  let sim: RunningSimulator;
  before(async () => {
    sim = await startSimulator({ seed: 3, rate: 50 });
  });
  after(() => sim.stop());

  async function get(path: string): Promise<Buffer> {
    const res = await fetch(sim.restUrl + path);
    assert.equal(res.status, 200, path);
    assert.equal(res.headers.get('content-type'), 'application/zip');
    return Buffer.from(await res.arrayBuffer());
  }

  it('serves KIS\'s files at KIS\'s paths, parsed with KIS\'s own recipe: the whole universe, 기준가 on the tick grid', async () => {
    for (const market of ['KOSPI', 'KOSDAQ'] as const) {
      const spec = market === 'KOSPI' ? MASTER_FILES.kospi : MASTER_FILES.kosdaq;
      const [member, ...more] = readZip(await get(spec.path));
      assert.equal(more.length, 0);
      assert.equal(member!.name, spec.member);
      const rows = parseLikeKis(decodeCp949(member!.data), market);
      const expected = UNIVERSE.filter((l) => l.market === market);
      assert.deepEqual(rows.map((r) => r.code), expected.map((l) => l.code));
      const r = KIS_RECIPE[market];
      for (const [i, row] of rows.entries()) {
        const l = expected[i]!;
        assert.equal(row.name, l.name);
        assert.match(row.isin, /^KR7[0-9A-Z]{6}00\d$/);
        assert.equal(row.cols[r.group], l.etfIndex === undefined ? 'ST' : 'EF', `${l.code}: 증권그룹 (ETFs EF)`);
        const price = Number(row.cols[r.price]);
        assert.ok(price > 0 && price % krxTickSize(price) === 0, `${l.code} 기준가 ${price} on the tick grid`);
        assert.ok(Math.abs(price - l.basePrice) <= krxTickSize(l.basePrice), `${l.code} 기준가 ${price} ≈ ${l.basePrice}`);
        assert.equal(row.cols[r.halt], 'N');
        assert.equal(row.cols[r.managed], 'N');
      }
      if (market === 'KOSPI') assert.equal(rows.find((x) => x.code === '069500')?.cols[r.group], 'EF', 'KODEX 200 is listed as an ETF');
    }
  });

  it('NXT\'s copies list exactly the universe\'s NXT-tradable codes', async () => {
    const codes: string[] = [];
    for (const spec of [MASTER_FILES.nxtKospi, MASTER_FILES.nxtKosdaq]) {
      const [member] = readZip(await get(spec.path));
      codes.push(...parseLikeKis(decodeCp949(member!.data), spec.market as 'KOSPI' | 'KOSDAQ').map((r) => r.code));
    }
    assert.deepEqual(codes.sort(), UNIVERSE.filter((l) => l.nxtTradable).map((l) => l.code).sort());
    assert.ok(codes.length > 0 && codes.length < UNIVERSE.length);
  });

  it('ISINs carry ISO 6166 check digits (삼성전자 KR7005930003)', () => {
    assert.equal(isinOf('005930'), 'KR7005930003');
    assert.equal(isinOf('000660'), 'KR7000660001');
    assert.equal(isinCheckDigit('US037833100'), 5); // Apple, US0378331005
  });

  it('a family that throws for a key gives a silent feed (the server keeps running), not an exception', () => {
    const feed = feedFor(TR_TABLES.H0EWCNT0, '57JN53', () => {
      throw new Error('no such listing');
    });
    assert.equal(feed.next({} as Parameters<typeof feed.next>[0]), null);
    const real = feedFor(TR_TABLES.H0STCNT0, '005930', () => ({ pace: 'rate', next: () => 'record' }));
    assert.equal(real.next({} as Parameters<typeof real.next>[0]), 'record');
  });

  it('a well-formed code outside the universe: SUBSCRIBE SUCCESS, then no data; a listed one streams', async () => {
    const key = await approvalKey(sim);
    const client = await TestClient.open(sim.wsUrl);
    try {
      const ack = await client.request(key, 'H0STCNT0', '999990');
      assert.ok(ack.type === 'control' && ack.msgCd === 'OPSP0000', JSON.stringify(ack));
      await client.request(key, 'H0STCNT0', '005930');
      await client.next((t) => t.startsWith('0|H0STCNT0|') && t.includes('005930^'), 5000);
      await sleep(500);
      const data = client.texts.filter((t) => t.startsWith('0|'));
      assert.ok(data.length > 0);
      assert.equal(data.filter((t) => t.includes('999990')).length, 0, 'no record for a code that does not exist');
      // A malformed key is still refused outright.
      const bad = await client.request(key, 'H0STCNT0', 'ABCDEFG');
      assert.ok(bad.type === 'control' && bad.msgCd === 'OPSP8992', JSON.stringify(bad));
    } finally {
      await client.close();
    }
  });
});
