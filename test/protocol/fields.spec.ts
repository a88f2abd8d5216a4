import { strict as assert } from 'node:assert';
import { isNumericType, type FieldType } from '../../lib/protocol/field-def';
import { NOTICE_FIELDS, QUOTE_FIELDS_KRX, QUOTE_FIELDS_NXT_UN, TICK_FIELDS_KRX, TICK_FIELDS_NXT_UN } from '../../lib/protocol/fields';
import { isTrId, TR_IDS, TR_TABLES, trTable } from '../../lib/protocol/tr-tables';
import { extractDoc } from './support/doc-extract';
import { loadDocFixture, sharedDocText } from './support/doc-fixture';

/** Field counts of the primary layouts, from the doc's quick summary table (H0STNAV0: 8, H0UNMKO0: 10; see §12). */
const DOC_COUNTS: Readonly<Record<string, number>> = {
  H0STCNT0: 46, H0NXCNT0: 46, H0UNCNT0: 46, H0STASP0: 59, H0NXASP0: 65, H0UNASP0: 65, H0STCNI0: 26, H0STCNI9: 26,
  H0STANC0: 45, H0NXANC0: 46, H0UNANC0: 46, H0STMKO0: 11, H0NXMKO0: 11, H0UNMKO0: 10, H0STOUP0: 43, H0STOAC0: 43, H0STOAA0: 54,
  H0STPGM0: 11, H0NXPGM0: 11, H0UNPGM0: 11, H0STMBC0: 78, H0NXMBC0: 78, H0UNMBC0: 78, H0UPCNT0: 30, H0UPANC0: 30, H0UPPGM0: 88,
  H0EWCNT0: 63, H0EWASP0: 73, H0EWANC0: 59, H0STNAV0: 8,
};
const FIELD_TYPES: readonly FieldType[] = ['str', 'int', 'sint', 'dec', 'sdec', 'num', 'time', 'date', 'sign', 'enum', 'yn'];

describe('protocol: TR field tables against the doc (§5.1–§5.3)', () => {
  const doc = loadDocFixture();

  it('knows every TR of the doc summary table, and every TR of the doc fixture', () => {
    assert.deepEqual([...TR_IDS].sort(), Object.keys(DOC_COUNTS).sort());
    for (const trId of Object.keys(doc.trs)) assert.ok(isTrId(trId), trId);
  });

  for (const trId of TR_IDS) {
    describe(`${trId} (layouts)`, () => {
      const table = TR_TABLES[trId];
      it(`has a primary layout of ${DOC_COUNTS[trId]} fields, listed first among its variants`, () => {
        assert.equal(table.fields.length, DOC_COUNTS[trId]);
        assert.equal(table.variants[0]?.fields, table.fields);
      });
      it('has unique names, known types and en/ko names in every layout', () => {
        for (const variant of table.variants) {
          assert.equal(new Set(variant.fields.map((f) => f.name)).size, variant.fields.length, variant.id);
          for (const f of variant.fields) {
            assert.ok(FIELD_TYPES.includes(f.type), `${variant.id} ${f.name}: type ${f.type}`);
            assert.ok(f.en.length > 0 && f.ko.length > 0, `${variant.id} ${f.name}: no English or Korean name`);
          }
        }
      });
      it('names a key, time and date field of the right types (key = field 0 of the primary layout)', () => {
        const byName = new Map(table.fields.map((f) => [f.name, f]));
        assert.equal(byName.get(table.keyField)?.type, 'str');
        assert.equal(table.fields[0]?.name, table.keyField);
        if (table.timeField !== null) assert.equal(byName.get(table.timeField)?.type, 'time');
        if (table.dateField !== null) assert.equal(byName.get(table.dateField)?.type, 'date');
      });
    });
  }

  for (const trId of Object.keys(doc.trs) as (typeof TR_IDS)[number][]) {
    describe(trId, () => {
      const table = TR_TABLES[trId];
      const expected = doc.trs[trId] ?? [];

      it(`has ${DOC_COUNTS[trId]} fields, as the doc's summary says`, () => {
        assert.equal(table.fields.length, DOC_COUNTS[trId]);
        assert.equal(expected.length, DOC_COUNTS[trId]);
      });

      it('has every field name in the doc order', () => {
        assert.deepEqual(table.fields.map((f) => f.name), expected.map((f) => f.name));
      });

      it('types every field as the doc does', () => {
        const mismatches = table.fields.map((f, i) => [i, f.name, f.type, expected[i]?.type]).filter(([, , a, b]) => a !== b);
        assert.deepEqual(mismatches, []);
      });

      it('carries the Korean name of every field', () => {
        const mismatches = table.fields.map((f, i) => [i, f.ko, expected[i]?.ko]).filter(([, a, b]) => a !== b);
        assert.deepEqual(mismatches, []);
      });

      it('has unique names, known types and an English meaning for every field', () => {
        assert.equal(new Set(table.fields.map((f) => f.name)).size, table.fields.length);
        for (const f of table.fields) {
          assert.ok(FIELD_TYPES.includes(f.type), `${f.name}: type ${f.type}`);
          assert.ok(f.en.length > 0, `${f.name}: no English meaning`);
        }
      });

      it('names a key, time and (optional) date field that exist with the right types', () => {
        const byName = new Map(table.fields.map((f) => [f.name, f]));
        assert.equal(byName.get(table.keyField)?.type, 'str');
        if (table.timeField !== null) assert.equal(byName.get(table.timeField)?.type, 'time');
        if (table.dateField !== null) assert.equal(byName.get(table.dateField)?.type, 'date');
        assert.equal(table.fields[0]?.name, table.keyField, 'the key is field 0 of every record (doc §4.1)');
      });
    });
  }

  it('differs between KRX and NXT/통합 체결 only in the name of field 21 (doc §5.5)', () => {
    const diff = TICK_FIELDS_KRX.map((f, i) => (f.name === TICK_FIELDS_NXT_UN[i]?.name ? null : [i, f.name, TICK_FIELDS_NXT_UN[i]?.name])).filter((d) => d !== null);
    assert.deepEqual(diff, [[21, 'CCLD_DVSN', 'CNTG_CLS_CODE']]);
  });

  it('makes NXT/통합 호가 the KRX list plus the six mid-price fields (doc §5.5)', () => {
    assert.deepEqual(QUOTE_FIELDS_NXT_UN.slice(0, 59), [...QUOTE_FIELDS_KRX]);
    assert.deepEqual(QUOTE_FIELDS_NXT_UN.slice(59).map((f) => f.name), ['KMID_PRC', 'KMID_TOTAL_RSQN', 'KMID_CLS_CODE', 'NMID_PRC', 'NMID_TOTAL_RSQN', 'NMID_CLS_CODE']);
  });

  it('uses the 2025 26-field 체결통보 layout, not the old 23-field one (doc §5.3)', () => {
    assert.equal(NOTICE_FIELDS.length, 26);
    assert.deepEqual(NOTICE_FIELDS.slice(18, 22).map((f) => f.name), ['ORD_COND_PRC', 'ORD_EXG_GB', 'POPUP_YN', 'FILLER']);
  });

  it('marks encryption, venues and paper support per TR (doc §1.1, §4.3, §9.9)', () => {
    const flags = TR_IDS.map((id) => [id, TR_TABLES[id].kind, TR_TABLES[id].venue, TR_TABLES[id].encrypted, TR_TABLES[id].paper, TR_TABLES[id].real]);
    assert.deepEqual(flags.slice(0, 8), [
      ['H0STCNT0', 'tick', 'KRX', false, true, true],
      ['H0NXCNT0', 'tick', 'NXT', false, false, true],
      ['H0UNCNT0', 'tick', 'UN', false, false, true],
      ['H0STASP0', 'quote', 'KRX', false, true, true],
      ['H0NXASP0', 'quote', 'NXT', false, false, true],
      ['H0UNASP0', 'quote', 'UN', false, false, true],
      ['H0STCNI0', 'notice', null, true, false, true],
      ['H0STCNI9', 'notice', null, true, true, false],
    ]);
    assert.deepEqual(TR_IDS.slice(0, 8).map((id) => TR_TABLES[id].dateField), ['BSOP_DATE', 'BSOP_DATE', 'BSOP_DATE', null, null, null, null, null]);
    // Every TR beyond them: plain, real server only ("모의투자 미지원", doc §12.0).
    for (const id of TR_IDS.slice(8)) assert.deepEqual([id, TR_TABLES[id].encrypted, TR_TABLES[id].paper, TR_TABLES[id].real], [id, false, false, true]);
  });

  it('looks TR ids up without being fooled by prototype names', () => {
    assert.equal(trTable('H0STCNT0'), TR_TABLES.H0STCNT0);
    assert.equal(trTable('H0STANC0'), TR_TABLES.H0STANC0);
    for (const bad of ['', 'h0stcnt0', 'H0XXANC0', 'toString', '__proto__', 'constructor']) {
      assert.equal(isTrId(bad), false, bad);
      assert.equal(trTable(bad), undefined, bad);
    }
  });

  it('treats exactly int, sint, dec, sdec and num as numeric', () => {
    assert.deepEqual(FIELD_TYPES.filter(isNumericType), ['int', 'sint', 'dec', 'sdec', 'num']);
  });

  describe('the committed fixture against ../shared/kis-protocol.md', () => {
    const md = sharedDocText();

    it('matches a fresh extraction of the doc (field lists and OPSP codes)', function () {
      if (md === null) this.skip(); // the shared doc only exists in the development checkout
      const fresh = extractDoc(md);
      assert.deepEqual(fresh.trs, doc.trs, 'test/fixtures/kis-doc.json has drifted from §5.1–§5.3');
      assert.deepEqual(fresh.opsp, doc.opsp, 'test/fixtures/kis-doc.json has drifted from §3.3');
    });

    it('agrees with the field counts listed in the doc summary table', function () {
      if (md === null) this.skip();
      for (const trId of Object.keys(doc.trs) as (typeof TR_IDS)[number][]) {
        const row = new RegExp(`^\\| \`${trId}\` \\|.*\\| \\*\\*(\\d+)\\*\\* \\|`, 'm').exec(md);
        assert.ok(row !== null, `${trId} missing from the summary table`);
        assert.equal(Number(row[1]), TR_TABLES[trId].fields.length, trId);
      }
    });
  });
});
