import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { TR_TABLES, type TrId } from '../../lib/protocol/tr-tables';
import { extractDocNames, type DocNames } from './support/doc-names';
import { REPO_ROOT, sharedDocText } from './support/doc-fixture';

/** Field names of the TRs beyond 체결/호가/체결통보 as the doc (§5.4, §12) lists them, committed. */
function loadNames(): DocNames {
  const json = JSON.parse(readFileSync(resolve(REPO_ROOT, 'test/fixtures/kis-doc-trs.json'), 'utf8')) as { trs: DocNames };
  return json.trs;
}

/** Which layout of our table each doc list is: the primary one, or a named variant. */
function ourNames(key: string): readonly string[] {
  if (key === 'H0UNMKO0_DOC') return TR_TABLES.H0UNMKO0.variants.find((v) => v.id === 'doc-10-nocode')?.fields.map((f) => f.name) ?? [];
  return TR_TABLES[key as TrId].fields.map((f) => f.name);
}

describe('protocol: the new TR tables against the doc (§5.4, §12)', () => {
  const doc = loadNames();

  for (const key of Object.keys(doc)) {
    it(`${key}: the field names, in order, of the documented layout`, () => {
      assert.deepEqual(ourNames(key), doc[key]);
    });
  }

  it('covers every TR beyond the original eight that the doc lists by name', () => {
    assert.equal(Object.keys(doc).length, 21);
  });

  it('ELW 호가 H0EWASP0: 73 fields, 0–44 the 호가 fields, the LP book by position (doc §12.7)', () => {
    const names = TR_TABLES.H0EWASP0.fields.map((f) => f.name);
    assert.equal(names.length, 73);
    assert.deepEqual(names.slice(0, 45), TR_TABLES.H0STASP0.fields.slice(0, 45).map((f) => f.name));
    assert.deepEqual(names.slice(45, 50), ['ANTC_CNPR', 'ANTC_CNQN', 'ANTC_CNTG_VRSS_SIGN', 'ANTC_CNTG_VRSS', 'ANTC_CNTG_PRDY_CTRT']);
    assert.equal(names[50], 'LP_ASKP_RSQN1');
    assert.equal(names[60], 'LP_BIDP_RSQN1');
    assert.deepEqual(names.slice(70), ['LP_TOTAL_ASKP_RSQN', 'LP_TOTAL_BIDP_RSQN', 'ANTC_VOL']);
  });

  it('matches a fresh extraction of ../shared/kis-protocol.md', function () {
    const md = sharedDocText();
    if (md === null) this.skip(); // the shared doc only exists in the development checkout
    assert.deepEqual(extractDocNames(md), doc, 'test/fixtures/kis-doc-trs.json has drifted from the doc');
  });
});

describe('docs/protocol/realtime-trs.md covers every TR and layout of the tables', () => {
  const page = readFileSync(resolve(REPO_ROOT, 'docs/protocol/realtime-trs.md'), 'utf8');
  it('names every TR id, every layout id and every field of the TRs beyond the original eight', () => {
    for (const t of Object.values(TR_TABLES)) {
      assert.ok(page.includes('`' + t.trId + '`'), t.trId);
      if (t.kind === 'tick' || t.kind === 'quote' || t.kind === 'notice') continue;
      for (const v of t.variants) {
        assert.ok(page.includes('`' + v.id + '`'), `${t.trId} ${v.id}`);
        for (const f of v.fields) assert.ok(page.includes('`' + f.name + '`'), `${t.trId} ${f.name}`);
      }
    }
  });
});
