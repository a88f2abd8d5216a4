/**
 * Relation checks over thousands of records of the TRs beyond 체결/호가: 예상체결, 장운영정보,
 * 회원사, 프로그램매매, 시간외 단일가 and 업종지수, against the streams the same market sends.
 * Sessions are set directly (a test day), so the checks do not depend on today's date.
 */
import { strict as assert } from 'node:assert';
import { parseFrame, type DataFrame } from '../../lib/protocol/parse-frame';
import type { KisRecord } from '../../lib/protocol/record-parser';
import { TR_TABLES, type TrId } from '../../lib/protocol/tr-tables';
import { clockFor, type MarketClock } from '../../lib/simulator/clock';
import { MEMBERS } from '../../lib/simulator/flows';
import { indexDef } from '../../lib/simulator/indices';
import { MarketModel } from '../../lib/simulator/market';
import { ALWAYS_CONTINUOUS } from '../../lib/simulator/sessions';
import { isOnTickGrid } from '../../lib/simulator/tick-size';
import { Prng } from '../fixtures/prng';
import { at, testClock } from './test-day';

const clockAt = (t: number): MarketClock => testClock(t, true);

function parse(trId: TrId, rec: string): KisRecord {
  const f = parseFrame(`0|${trId}|001|${rec}`);
  assert.equal(f.type, 'data', `${trId}: ${JSON.stringify(f)}`);
  const d = f as DataFrame;
  assert.equal(rec.split('^').length, TR_TABLES[trId].fields.length, `${trId} field count`);
  return d.records[0]!;
}
const num = (r: KisRecord, k: string): number => {
  const v = r[k];
  assert.equal(typeof v, 'number', `${k} = ${JSON.stringify(v)}`);
  return v as number;
};
const close2 = (a: number, b: number, what: string): void => assert.ok(Math.abs(a - b) <= 0.0051, `${what}: ${a} vs ${b}`);

describe('simulator 예상체결 (H0STANC0 / H0NXANC0 / H0UNANC0)', function () {
  this.timeout(180_000);
  it('streams only during the calls, ACML_TR_PBMN = ACML_VOL × price, converging on the open and the close', () => {
    const model = new MarketModel(31);
    const codes = ['005930', '000660', '247540'];
    const last = new Map<string, KisRecord>();
    let n = 0;
    const check = (t: number): void => {
      const clock = clockAt(t);
      for (const code of codes) {
        for (const trId of ['H0STANC0', 'H0UNANC0', 'H0NXANC0'] as const) {
          const rec = model.record(TR_TABLES[trId], code, clock);
          const s = clock.sessions;
          const calling = (s.krx === 'opening-auction' && t >= s.expectedFrom) || s.krx === 'closing-auction';
          if (trId === 'H0NXANC0' || !calling) {
            assert.equal(rec, null, `${trId} ${code} at ${clock.time}: nothing outside a call (NXT: outside a VI)`);
            continue;
          }
          assert.ok(rec !== null, `${trId} ${code} at ${clock.time}`);
          const r = parse(trId, rec);
          n++;
          const p = num(r, 'STCK_PRPR');
          assert.ok(isOnTickGrid(p));
          assert.equal(num(r, 'ACML_TR_PBMN'), num(r, 'ACML_VOL') * p, 'value = qty × price');
          assert.equal(r['HOUR_CLS_CODE'], s.krx === 'opening-auction' ? 'B' : 'A');
          assert.equal(num(r, 'PRDY_VRSS'), p - model.market(code).profile.prevClose);
          assert.equal(r['STCK_CNTG_HOUR'], clock.time);
          const prev = last.get(trId + code);
          if (prev !== undefined && prev['HOUR_CLS_CODE'] === r['HOUR_CLS_CODE']) {
            assert.ok(num(r, 'ACML_VOL') >= num(prev, 'ACML_VOL'));
            assert.equal(num(r, 'CNTG_VOL'), num(r, 'ACML_VOL') - num(prev, 'ACML_VOL'), 'CNTG_VOL = change of the expected quantity');
          }
          if (s.krx === 'opening-auction') assert.equal(num(r, 'STCK_OPRC'), 0, 'no open yet');
          last.set(trId + code, r);
        }
      }
    };
    for (let t = at(8, 45); t < at(9, 0); t += 300) check(t);
    for (const code of codes) {
      const open = parse('H0STCNT0', model.record(TR_TABLES.H0STCNT0, code, clockAt(at(9, 0, 0, 100)))!);
      assert.equal(num(open, 'STCK_OPRC'), num(last.get('H0STANC0' + code)!, 'STCK_PRPR'), `${code}: open = last KRX expected`);
      assert.equal(num(open, 'STCK_OPRC'), num(last.get('H0UNANC0' + code)!, 'STCK_PRPR'), `${code}: open = last 통합 expected`);
    }
    for (let t = at(9, 0, 1); t < at(9, 5); t += 300) check(t);
    for (let t = at(15, 20); t < at(15, 30); t += 300) check(t);
    for (const code of codes) {
      const close = parse('H0STCNT0', model.record(TR_TABLES.H0STCNT0, code, clockAt(at(15, 30, 0, 100)))!);
      assert.equal(num(close, 'STCK_PRPR'), num(last.get('H0STANC0' + code)!, 'STCK_PRPR'), `${code}: close = last expected`);
    }
    assert.ok(n >= 12_000, `${n} expected records`);
  });

  it('publishes a VI call with HOUR_CLS_CODE C, on NXT too for a code NXT trades, after 장운영정보 announced it', () => {
    const model = new MarketModel(32);
    const clock = clockFor(at(10, 0), ALWAYS_CONTINUOUS);
    const mko = (trId: 'H0STMKO0' | 'H0NXMKO0'): KisRecord | null => {
      const rec = model.record(TR_TABLES[trId], '005930', clock);
      return rec === null ? null : parse(trId, rec);
    };
    assert.equal(mko('H0STMKO0'), null, 'nothing to announce yet');
    assert.equal(mko('H0NXMKO0'), null);
    assert.equal(model.record(TR_TABLES.H0STANC0, '005930', clock), null);
    model.market('005930').triggerVi();
    assert.equal(model.record(TR_TABLES.H0STCNT0, '005930', clock), null, 'the triggering trade does not print');
    const on = mko('H0STMKO0')!;
    assert.deepEqual([on['VI_CLS_CODE'], on['TRHT_YN'], on['MKSC_SHRN_ISCD']], ['Y', 'N', '005930']);
    assert.equal(mko('H0NXMKO0')!['VI_CLS_CODE'], 'Y');
    for (const trId of ['H0STANC0', 'H0NXANC0', 'H0UNANC0'] as const) {
      const r = parse(trId, model.record(TR_TABLES[trId], '005930', clock)!);
      assert.equal(r['HOUR_CLS_CODE'], 'C', trId);
    }
    const after = clockFor(at(10, 2, 31), ALWAYS_CONTINUOUS);
    assert.ok(model.record(TR_TABLES.H0STCNT0, '005930', after) !== null);
    const off = parse('H0STMKO0', model.record(TR_TABLES.H0STMKO0, '005930', after)!);
    assert.equal(off['VI_CLS_CODE'], 'N');
    assert.equal(model.record(TR_TABLES.H0STANC0, '005930', after), null, 'nothing after the VI call');
  });
});

describe('simulator 장운영정보 (H0STMKO0 / H0NXMKO0 / H0UNMKO0)', function () {
  this.timeout(180_000);
  it('announces each KRX session change once, in order, and halts with TRHT_YN Y / 58', () => {
    const model = new MarketModel(33);
    const seen: string[] = [];
    for (let t = at(8, 20); t < at(15, 40); t += 5000) {
      const clock = clockAt(t);
      for (let rec = model.record(TR_TABLES.H0STMKO0, '000660', clock); rec !== null; rec = model.record(TR_TABLES.H0STMKO0, '000660', clock)) {
        seen.push(String(parse('H0STMKO0', rec)['MKOP_CLS_CODE']));
      }
    }
    assert.deepEqual(seen, ['110', '112', '121', '129']);
    const m = model.market('035720');
    const clock = clockFor(at(11, 0), ALWAYS_CONTINUOUS);
    assert.equal(model.record(TR_TABLES.H0UNMKO0, '035720', clock), null);
    m.setHalt(true, '투자주의 환기', clock);
    const halt = parse('H0UNMKO0', model.record(TR_TABLES.H0UNMKO0, '035720', clock)!);
    assert.deepEqual([halt['TRHT_YN'], halt['ISCD_STAT_CLS_CODE'], halt['TR_SUSP_REAS_CNTT']], ['Y', '58', '투자주의 환기']);
    for (const trId of ['H0STCNT0', 'H0UNCNT0', 'H0STASP0'] as const) assert.equal(model.record(TR_TABLES[trId], '035720', clock), null, `${trId} halted`);
    m.setHalt(false, '', clock);
    const resume = parse('H0UNMKO0', model.record(TR_TABLES.H0UNMKO0, '035720', clock)!);
    assert.deepEqual([resume['TRHT_YN'], resume['TR_SUSP_REAS_CNTT']], ['N', '(null)']);
    assert.ok(model.record(TR_TABLES.H0STCNT0, '035720', clock) !== null, 'trading again');
  });
});

describe('simulator 회원사 and 프로그램매매 aggregates', function () {
  this.timeout(180_000);
  it('add up over the day: cumulative, ranked, within the venue volume, increments per stream', () => {
    const model = new MarketModel(34);
    const pick = new Prng(3);
    const streams: [TrId, string][] = [['H0STMBC0', '005930'], ['H0UNMBC0', '000660'], ['H0STPGM0', '005930'], ['H0UNPGM0', '000660'], ['H0NXPGM0', '035720'], ['H0STCNT0', '005930']];
    const memberTotals = new Map<string, number>();
    /** What each stream's previous record showed, per side and member. */
    const shown = new Map<string, Map<string, number>>();
    const lastPgm = new Map<string, KisRecord>();
    let mbc = 0, pgm = 0;
    let t = at(9, 30);
    for (let i = 0; i < 8000; i++) {
      t += pick.int(10, 300);
      const clock = clockFor(t, ALWAYS_CONTINUOUS);
      const [trId, code] = streams[pick.int(0, streams.length - 1)]!;
      const rec = model.record(TR_TABLES[trId], code, clock);
      assert.ok(rec !== null, `${trId} ${code}`);
      const r = parse(trId, rec);
      const venue = TR_TABLES[trId].venue!;
      const st = model.market(code).stats[venue];
      if (TR_TABLES[trId].kind === 'member') {
        mbc++;
        const before = shown.get(trId) ?? new Map<string, number>();
        const now = new Map<string, number>();
        shown.set(trId, now);
        for (const side of ['SELN', 'SHNU'] as const) {
          const qty = [1, 2, 3, 4, 5].map((k) => num(r, `TOTAL_${side}_QTY${k}`));
          for (let k = 1; k < 5; k++) assert.ok(qty[k - 1]! >= qty[k]!, `${side} ranked`);
          assert.ok(qty.reduce((a, b) => a + b, 0) <= st.acmlVol, 'top five within the volume');
          for (let k = 1; k <= 5; k++) {
            const no = String(r[`${side}_MBCR_NO${k}`]);
            const member = MEMBERS.find((x) => x.no === no)!;
            assert.equal(r[side === 'SELN' ? `SELN2_MBCR_NAME${k}` : `BYOV_MBCR_NAME${k}`], member.name);
            assert.equal(r[`${side}_MBCR_GLOB_YN_${k}`], member.foreign ? 'Y' : 'N');
            close2(num(r, `${side}_MBCR_RLIM${k}`), (qty[k - 1]! / st.acmlVol) * 100, 'share of the volume');
            const key = `${trId}|${side}|${no}`;
            assert.ok(qty[k - 1]! >= (memberTotals.get(key) ?? 0), 'a member total never shrinks');
            memberTotals.set(key, qty[k - 1]!);
            const prev = before.get(side + no);
            if (prev !== undefined) assert.equal(num(r, `${side}_QTY_ICDC${k}`), qty[k - 1]! - prev, 'increment since this stream\'s previous record');
            now.set(side + no, qty[k - 1]!);
          }
        }
        assert.equal(num(r, 'GLOB_NTBY_QTY'), num(r, 'GLOB_TOTAL_SHNU_QTY') - num(r, 'GLOB_TOTAL_SELN_QTY'));
      } else if (TR_TABLES[trId].kind === 'program') {
        pgm++;
        assert.equal(num(r, 'NTBY_CNQN'), num(r, 'SHNU_CNQN') - num(r, 'SELN_CNQN'));
        assert.equal(num(r, 'NTBY_TR_PBMN'), num(r, 'SHNU_TR_PBMN') - num(r, 'SELN_TR_PBMN'));
        assert.equal(num(r, 'WHOL_NTBY_QTY'), num(r, 'SHNU_RSQN') - num(r, 'SELN_RSQN'));
        assert.ok(num(r, 'SELN_CNQN') + num(r, 'SHNU_CNQN') <= st.acmlVol, 'program volume within the venue volume');
        assert.equal(r['STCK_CNTG_HOUR'], clock.time);
        const prev = lastPgm.get(trId);
        if (prev !== undefined) {
          for (const k of ['SELN_CNQN', 'SELN_TR_PBMN', 'SHNU_CNQN', 'SHNU_TR_PBMN']) assert.ok(num(r, k) >= num(prev, k), `${k} cumulative`);
        }
        lastPgm.set(trId, r);
      }
    }
    assert.ok(mbc > 2000 && pgm > 3000, `${mbc} 회원사, ${pgm} 프로그램매매 records`);
    const finalPgm = lastPgm.get('H0STPGM0')!;
    assert.ok(num(finalPgm, 'SELN_CNQN') > 0 && num(finalPgm, 'SHNU_CNQN') > 0, 'program trading on both sides');
  });
});

describe('simulator 업종지수 (H0UPCNT0 / H0UPANC0 / H0UPPGM0)', function () {
  this.timeout(180_000);
  it('moves with its members: the value is their cap-weighted price average, counts and volumes add up', () => {
    const model = new MarketModel(35);
    const pick = new Prng(4);
    let t = at(9, 10);
    let last: KisRecord | undefined;
    for (let i = 0; i < 4000; i++) {
      t += pick.int(10, 300);
      const clock = clockFor(t, ALWAYS_CONTINUOUS);
      const code = ['0001', '1001', '2001'][i % 3]!;
      // Other streams of members move the same market.
      if (i % 5 === 0) model.record(TR_TABLES.H0STCNT0, '005930', clock);
      const r = parse('H0UPCNT0', model.record(TR_TABLES.H0UPCNT0, code, clock)!);
      const def = indexDef(code, model.seed);
      let numer = 0, denom = 0, vol = 0, up = 0, down = 0, flat = 0;
      for (const c of def.members) {
        const m = model.market(c);
        const p = m.lastPrice > 0 ? m.lastPrice : m.profile.prevClose;
        numer += m.profile.listedShares * p;
        denom += m.profile.listedShares * m.profile.prevClose;
        vol += m.stats.KRX.acmlVol;
        if (p > m.profile.prevClose) up++;
        else if (p < m.profile.prevClose) down++;
        else flat++;
      }
      const value = (def.base * numer) / denom;
      close2(num(r, 'PRPR_NMIX'), value, `${code} value from its members`);
      close2(num(r, 'BSTP_NMIX_PRDY_VRSS'), value - def.base, 'vs previous close');
      close2(num(r, 'PRDY_CTRT'), ((value - def.base) / def.base) * 100, 'PRDY_CTRT');
      assert.equal(num(r, 'ACML_VOL'), Math.round(vol / 1000), 'thousand shares');
      assert.deepEqual([num(r, 'ASCN_ISSU_CNT') + num(r, 'UPLM_ISSU_CNT'), num(r, 'DOWN_ISSU_CNT') + num(r, 'LSLM_ISSU_CNT'), num(r, 'STNR_ISSU_CNT')], [up, down, flat]);
      assert.ok(num(r, 'NMIX_LWPR') <= num(r, 'PRPR_NMIX') + 0.005 && num(r, 'PRPR_NMIX') <= num(r, 'NMIX_HGPR') + 0.005);
      close2(num(r, 'OPRC_VRSS_NMIX_PRPR'), num(r, 'OPRC_NMIX') - def.base, 'open − previous close');
      if (code === '0001') {
        if (last !== undefined) assert.ok(num(r, 'ACML_VOL') >= num(last, 'ACML_VOL'));
        last = r;
      }
    }
  });

  it('sums its members\' program trading (H0UPPGM0) and publishes expected values only during the calls (H0UPANC0)', () => {
    const model = new MarketModel(36);
    let t = at(10, 0);
    let r: KisRecord | undefined;
    for (let i = 0; i < 3000; i++) r = parse('H0UPPGM0', model.record(TR_TABLES.H0UPPGM0, '2001', clockFor((t += 50), ALWAYS_CONTINUOUS))!);
    const p = r!;
    const k = (n: string): number => num(p, n);
    assert.equal(k('TOTAL_SELN_QTY') >= k('ARBT_SMTN_SELN_VOL'), true);
    assert.ok(Math.abs(k('ARBT_SMTN_SELN_VOL') + k('NABT_SMTN_SELN_VOL') - k('TOTAL_SELN_QTY')) <= 2, 'arbitrage + non-arbitrage = total (rounding)');
    assert.ok(Math.abs(k('WHOL_ENTM_SELN_VOL') + k('WHOL_ONSL_SELN_VOL') - k('TOTAL_SELN_QTY')) <= 2, 'customer + proprietary = total');
    assert.ok(Math.abs(k('SHNU_CNTG_SMTN') - k('TOTAL_SELN_QTY') - k('WHOL_NTBY_QTY')) <= 2, 'net = buy − sell');
    assert.ok(k('TOTAL_SELN_QTY') + k('SHNU_CNTG_SMTN') <= k('ACML_VOL') + 2, 'program within the volume');
    assert.ok(k('TOTAL_SELN_QTY') > 0);
    assert.equal(model.record(TR_TABLES.H0UPANC0, '0001', clockAt(at(10, 0))), null, 'no expected index in continuous trading');
    const e = model.record(TR_TABLES.H0UPANC0, '0001', clockAt(at(8, 55)));
    assert.ok(e !== null, 'expected index during the opening call');
    const er = parse('H0UPANC0', e);
    assert.equal(er['BSTP_CLS_CODE'], '0001');
    assert.ok(num(er, 'PRPR_NMIX') > 0);
  });
});

describe('simulator 시간외 단일가 (H0STOUP0 / H0STOAC0 / H0STOAA0)', function () {
  this.timeout(180_000);
  it('streams only in its 10-minute calls, each match printed once at its expected price', () => {
    const model = new MarketModel(37);
    const codes = ['005930', '035720'];
    const lastExpected = new Map<string, number>();
    let oup = 0, oac = 0, oaa = 0;
    for (let t = at(15, 0); t < at(18, 30); t += 1500) {
      const clock = clockAt(t);
      const inSession = clock.sessions.krx === 'overtime-auction';
      for (const code of codes) {
        const up = model.record(TR_TABLES.H0STOUP0, code, clock);
        if (up !== null) {
          oup++;
          const r = parse('H0STOUP0', up);
          assert.equal(num(r, 'STCK_PRPR'), lastExpected.get(code), 'the match is the last expected price');
          assert.match(String(r['STCK_CNTG_HOUR']), /^1[678][0-5]000$/, 'at a 10-minute mark');
        }
        const ac = model.record(TR_TABLES.H0STOAC0, code, clock);
        const aa = model.record(TR_TABLES.H0STOAA0, code, clock);
        if (!inSession) {
          assert.equal(ac, null, `no 시간외 expected price at ${clock.time}`);
          assert.equal(aa, null);
          continue;
        }
        assert.ok(ac !== null && aa !== null);
        oac++;
        oaa++;
        const e = parse('H0STOAC0', ac);
        const q = parse('H0STOAA0', aa);
        assert.equal(num(q, 'ANTC_CNPR'), num(e, 'STCK_PRPR'));
        assert.equal(num(e, 'ACML_TR_PBMN'), num(e, 'ACML_VOL') * num(e, 'STCK_PRPR'));
        lastExpected.set(code, num(e, 'STCK_PRPR'));
        assert.equal(model.record(TR_TABLES.H0STCNT0, code, clock), null, 'no regular trade in 시간외 단일가');
      }
    }
    assert.equal(oup, 2 * 12, 'one match per call per code (12 calls 16:00–18:00)');
    assert.ok(oac > 1000 && oaa > 1000, `${oac} expected, ${oaa} book records`);
  });
});
