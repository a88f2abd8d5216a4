import { strict as assert } from 'node:assert';
import { isNumericType } from '../../lib/protocol/field-def';
import { FrameParser, parseFrame, type DataFrame, type ParsedFrame } from '../../lib/protocol/parse-frame';
import { LAYOUT_EDITIONS, layoutFor, TR_IDS, TR_TABLES, trIdOf, trIdsOfKind } from '../../lib/protocol/tr-tables';
import { isValidTrKey } from '../../lib/protocol/tr-keys';
import { INDEX_CODES, indexCodeInfo } from '../../lib/protocol/index-codes';
import { frameText, recordValues } from '../fixtures/frames';
import { Prng } from '../fixtures/prng';

const NOW = Date.parse('2026-07-24T11:52:14+09:00');

function data(frame: ParsedFrame): DataFrame {
  if (frame.type !== 'data') assert.fail(`expected data, got ${JSON.stringify(frame)}`);
  return frame;
}

describe('protocol: every TR and every known layout round-trips (docs/protocol/realtime-trs.md)', () => {
  for (const trId of TR_IDS) {
    const table = TR_TABLES[trId];
    for (const variant of table.variants) {
      it(`${trId} ${variant.id} (${variant.fields.length} fields): 1 and 3 records, typed, named, recognised`, () => {
        const rng = new Prng(trId.charCodeAt(2) * 1000 + variant.fields.length);
        for (const count of [1, 3]) {
          const records = Array.from({ length: count }, () => recordValues(rng, trId, { fields: variant.fields }));
          const frame = data(parseFrame(frameText(trId, records), { now: NOW, keys: new Map() }));
          assert.equal(frame.variant, variant);
          assert.equal(frame.fieldsPerRecord, variant.fields.length);
          assert.equal(frame.records.length, count);
          frame.records.forEach((rec, r) => {
            assert.equal(Object.keys(rec).length, variant.fields.length + 2);
            variant.fields.forEach((field, i) => {
              const raw = records[r]?.[i] ?? '';
              const want = isNumericType(field.type) ? (raw === '' ? null : Number(raw)) : raw;
              assert.equal(rec[field.name], want, `${field.name} = ${JSON.stringify(raw)}`);
            });
            assert.ok(rec.timestamp !== null && rec.timestamp.startsWith('2026-07-2'), `${trId}: stamped (${rec.timestamp})`);
          });
        }
      });
    }
  }

  it('stamps records of TRs without a time field with the KST arrival time', () => {
    const rng = new Prng(5);
    for (const trId of TR_IDS.filter((id) => TR_TABLES[id].timeField === null)) {
      const frame = data(parseFrame(frameText(trId, [recordValues(rng, trId)]), { now: NOW }));
      assert.equal(frame.records[0]?.timestamp, '2026-07-24T11:52:14+09:00', trId);
      assert.equal(frame.records[0]?.epochMs, NOW, trId);
    }
  });

  it('stamps each record without a time field with its own arrival second (not the previous record\'s)', () => {
    const rng = new Prng(6);
    for (const trId of TR_IDS.filter((id) => TR_TABLES[id].timeField === null)) {
      const times = [NOW, NOW + 999, NOW + 1000, NOW + 61_000, NOW - 3_600_000].map((now) => data(parseFrame(frameText(trId, [recordValues(rng, trId)]), { now })).records[0]?.timestamp);
      assert.deepEqual(times, ['2026-07-24T11:52:14+09:00', '2026-07-24T11:52:14+09:00', '2026-07-24T11:52:15+09:00', '2026-07-24T11:53:15+09:00', '2026-07-24T10:52:14+09:00'], trId);
    }
  });

  it('tells the two 10-field 장운영정보 통합 layouts apart by field 0 (code vs Y/N flag)', () => {
    const withCode = data(parseFrame('0|H0UNMKO0|001|003160^N^(null)^AB1^311^^^55^Y^', { now: NOW }));
    assert.equal(withCode.variant?.id, 'observed-10');
    assert.deepEqual([withCode.records[0]?.MKSC_SHRN_ISCD, withCode.records[0]?.VI_CLS_CODE, withCode.records[0]?.ISCD_STAT_CLS_CODE], ['003160', 'Y', '55']);
    const documented = data(parseFrame('0|H0UNMKO0|001|N^(null)^AB1^311^^^55^Y^^1', { now: NOW }));
    assert.equal(documented.variant?.id, 'doc-10-nocode');
    assert.equal(documented.records[0]?.MKSC_SHRN_ISCD, undefined, 'the documented layout carries no code');
    assert.deepEqual([documented.records[0]?.TRHT_YN, documented.records[0]?.VI_CLS_CODE, documented.records[0]?.EXCH_CLS_CODE], ['N', 'Y', '1']);
    const krx = data(parseFrame('0|H0STMKO0|001|396300^N^(null)^^311^^^55^N^N', { now: NOW }));
    assert.equal(krx.variant?.id, 'observed-10');
    assert.equal(krx.records[0]?.OVTM_VI_CLS_CODE, 'N');
  });

  it('reads the portal example frames of §12 with the right layout', () => {
    const anc = data(parseFrame('0|H0UPANC0|001|0001^085910^2607.71^2^15.85^5424^192338^5424^192338^0.61^0^439^201^251^201', { now: NOW }));
    assert.equal(anc.variant?.id, 'observed-15');
    assert.deepEqual([anc.records[0]?.PRPR_NMIX, anc.records[0]?.ASCN_ISSU_CNT, anc.records[0]?.LSLM_ISSU_CNT], [2607.71, 439, 201]);
    const nav = data(parseFrame('0|H0STNAV0|001|069500^37235.46^5^-381.26^-1.01^37646.25^37646.25^37202.10', { now: NOW }));
    assert.deepEqual([nav.records[0]?.NAV, nav.records[0]?.NAV_PRDY_VRSS, nav.records[0]?.LPRC_NAV], [37235.46, -381.26, 37202.1]);
    const pgm = data(parseFrame('0|H0STPGM0|001|005930^092237^1413444^109159646900^1189408^91931710200^-224036^-17227936700^65033^15475^-49558', { now: NOW }));
    const p = pgm.records[0];
    assert.equal(p?.NTBY_CNQN, Number(p?.SHNU_CNQN) - Number(p?.SELN_CNQN));
    assert.equal(p?.WHOL_NTBY_QTY, Number(p?.SHNU_RSQN) - Number(p?.SELN_RSQN));
    assert.equal(p?.timestamp, '2026-07-24T09:22:37+09:00');
  });

  it('reports an unknown field count of a new TR once, reading the known fields', () => {
    const parser = new FrameParser();
    const seen: string[] = [];
    parser.onLayoutChange = (trId, known, got) => seen.push(`${trId} ${known}->${got}`);
    const nav = '0|H0STNAV0|001|069500^37235.46^5^-381.26^-1.01^37646.25^37646.25^37202.10^X';
    const a = data(parser.parse(nav, NOW));
    parser.parse(nav, NOW);
    assert.equal(a.variant, null);
    assert.equal(a.records[0]?.FIELD_8, 'X');
    assert.deepEqual(seen, ['H0STNAV0 8->9']);
    assert.equal(parseFrame('0|H0STNAV0|001|069500^1', { now: NOW }).type, 'error');
  });

  it('gives the simulator one layout per edition, the primary one for doc', () => {
    for (const trId of TR_IDS) {
      const t = TR_TABLES[trId];
      assert.equal(layoutFor(t, 'doc').fields, t.fields, trId);
      for (const e of LAYOUT_EDITIONS) assert.ok(t.variants.includes(layoutFor(t, e)), `${trId} ${e}`);
    }
    assert.equal(layoutFor(TR_TABLES.H0STCNT0, '2026-09').fields.length, 47);
    assert.deepEqual(['H0STASP0', 'H0NXASP0', 'H0UNASP0'].map((id) => layoutFor(TR_TABLES[id as 'H0STASP0'], '2026-09').fields.length), [63, 62, 66]);
    assert.deepEqual(['H0STASP0', 'H0NXASP0', 'H0UNASP0'].map((id) => layoutFor(TR_TABLES[id as 'H0STASP0'], 'doc').fields.length), [59, 65, 65]);
  });

  it('finds TRs by kind and venue, and checks keys by key type', () => {
    assert.deepEqual(trIdsOfKind('expected'), ['H0STANC0', 'H0NXANC0', 'H0UNANC0']);
    assert.equal(trIdOf('market-status', 'UN'), 'H0UNMKO0');
    assert.equal(trIdOf('overtime-tick', 'NXT'), undefined);
    assert.ok(isValidTrKey('index', '0001') && !isValidTrKey('index', '005930') && !isValidTrKey('index', '01'));
    assert.ok(isValidTrKey('elw', '57JN53') && !isValidTrKey('elw', '57jn53') && !isValidTrKey('elw', '57JN5'));
    assert.ok(isValidTrKey('stock', '005930') && !isValidTrKey('stock', '0001'));
    assert.equal(indexCodeInfo('2001')?.en, 'KOSPI 200');
    assert.ok(INDEX_CODES.every((x) => isValidTrKey('index', x.code) && x.ko.length > 0 && x.en.length > 0));
  });
});
