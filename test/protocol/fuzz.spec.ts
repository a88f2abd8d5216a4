import { strict as assert } from 'node:assert';
import type { AesKey } from '../../lib/protocol/crypto';
import { FrameParser, parseFrame, type ParsedFrame } from '../../lib/protocol/parse-frame';
import { TR_IDS, TR_TABLES, type TrId } from '../../lib/protocol/tr-tables';
import { flat, generateFrame } from '../fixtures/frames';
import { Prng } from '../fixtures/prng';
import { loadDocFixture } from './support/doc-fixture';
import { referenceParse, type RefResult, type RefTr } from './support/reference';

/**
 * Property test: thousands of generated frames, mutated (truncated, extra or missing `^`, wrong
 * COUNT, wrong TR, flipped flag, binary junk, appended fields, corrupted ciphertext), go through
 * parseFrame. It must never throw, and its answer must equal a naive split-based reference parser
 * that takes field names and types from the doc fixture: the same error code, or the same records
 * field for field (so never a record with the wrong number of fields or shifted values).
 */
const FRAMES = 4000;
const SEED = 20260724;
const KEY: AesKey = { key: 'abcdefghijklmnopabcdefghijklmnop', iv: '0123456789abcdef' };
const KEYS: ReadonlyMap<string, AesKey> = new Map([['H0STCNI0', KEY], ['H0STCNI9', KEY]]);
const NOWS = [Date.UTC(2026, 6, 24, 3, 0, 0), Date.parse('2026-07-25T00:00:01+09:00'), Date.parse('2026-12-31T23:59:59+09:00')];
/** '\uAC5E' 걞, '\uAC30' 갰 and '\u015E' Ş: one byte of each is '^' or '0' (a parser reading bytes must not take them for one). */
const JUNK = ['|', '^', '^^', '-', '.', '0', '9', ' ', '\u0000', '\uFFFD', '\uD800', '한', '\uAC5E', '\uAC30', '\u015E', '{', '1|', '|001|', '\n', 'e', '+'];

type Mutation = (rng: Prng, s: string) => string;
/** The TRs whose layouts the reference parser takes from the doc fixture. */
const FIXTURE_TRS: readonly TrId[] = TR_IDS.filter((id) => Object.prototype.hasOwnProperty.call(loadDocFixture().trs, id));
/**
 * The other TRs, with their layouts from the TR tables (names checked against the doc by the
 * doc-names spec): here the fuzz checks the frame machinery (variants, ties, extras, bad records)
 * on every new layout.
 */
const MORE_TRS: Readonly<Record<string, RefTr>> = Object.fromEntries(
  TR_IDS.filter((id) => !FIXTURE_TRS.includes(id)).map((id) => {
    const t = TR_TABLES[id];
    return [id, { layouts: t.variants.map((v) => v.fields.map((f) => ({ name: f.name, type: f.type, ko: f.ko }))), date: t.dateField, time: t.timeField }];
  }),
);

function at(rng: Prng, s: string): number {
  return rng.int(0, s.length);
}

function replaceHeader(s: string, part: number, value: string): string {
  const parts = s.split('|');
  if (parts.length < 4) return s;
  parts[part] = value;
  return parts.join('|');
}

function caretPositions(s: string): number[] {
  const out: number[] = [];
  for (let i = s.indexOf('^'); i >= 0; i = s.indexOf('^', i + 1)) out.push(i);
  return out;
}

const MUTATIONS: Readonly<Record<string, Mutation>> = {
  truncate: (rng, s) => s.slice(0, at(rng, s)),
  extraCaret: (rng, s) => { const i = at(rng, s); return s.slice(0, i) + '^' + s.slice(i); },
  dropCaret: (rng, s) => { const c = caretPositions(s); if (c.length === 0) return s; const i = rng.pick(c); return s.slice(0, i) + s.slice(i + 1); },
  wrongCount: (rng, s) => replaceHeader(s, 2, rng.pick(['000', '001', '002', '003', '005', '010', '0a1', '', '1234567', '999999', ' 01', '-01'])),
  wrongTr: (rng, s) => replaceHeader(s, 1, rng.pick([...TR_IDS, 'H0XXANC0', 'H0XXCNT0', '', 'PINGPONG', 'h0stcnt0'])),
  flag: (rng, s) => rng.pick(['0', '1', '2', 'x', '']) + s.slice(1),
  junk: (rng, s) => { const i = at(rng, s); return s.slice(0, i) + rng.pick(JUNK) + s.slice(i); },
  overwrite: (rng, s) => { const i = at(rng, s); const n = rng.int(1, 6); return s.slice(0, i) + rng.pick(JUNK).repeat(n) + s.slice(i + n); },
  bytes: (rng, s) => { const i = at(rng, s); const b = Buffer.alloc(rng.int(1, 12)); for (let k = 0; k < b.length; k++) b[k] = rng.int(0, 255); return s.slice(0, i) + b.toString('utf8') + s.slice(i); },
  appendFields: (rng, s) => s + '^x'.repeat(rng.int(1, 3)),
  blankField: (rng, s) => { const c = caretPositions(s); if (c.length < 2) return s; const k = rng.int(0, c.length - 2); return s.slice(0, (c[k] ?? 0) + 1) + s.slice(c[k + 1] ?? 0); },
  prefix: (rng, s) => rng.pick(['', ' ', '{', '[', '\uFEFF']) + s,
};
const NAMES = Object.keys(MUTATIONS);

/** A valid frame, possibly with every record extended by the same number of extra fields. */
function baseFrame(rng: Prng): { text: string; trId: TrId } {
  const trId = rng.chance(0.6) ? rng.pick(FIXTURE_TRS) : rng.pick(TR_IDS);
  const count = rng.pick([1, 1, 1, 2, 3, 5]);
  const encrypt = TR_TABLES[trId].encrypted && rng.chance(0.8);
  const fields = rng.pick(TR_TABLES[trId].variants).fields;
  const text = generateFrame(rng, trId, count, { edgeRate: rng.pick([0, 0.02, 0.1]), date: rng.pick(['20260724', '20260725', '']), fields }, encrypt ? KEY : undefined);
  return { text, trId };
}

function check(text: string, now: number, got: ParsedFrame, want: RefResult): void {
  const where = `frame ${JSON.stringify(text.slice(0, 160))}`;
  if (want.type === 'json') {
    assert.ok(got.type === 'control' || got.type === 'pingpong' || (got.type === 'error' && (got.code === 'bad-json' || got.code === 'bad-control')), where);
    return;
  }
  if (want.type === 'error') {
    assert.equal(got.type, 'error', where);
    if (got.type === 'error') {
      assert.equal(got.code, want.code, `${where}: ${got.message}`);
      assert.ok(got.message.length > 0 && !got.message.includes(KEY.key) && !got.message.includes(KEY.iv), where);
    }
    return;
  }
  if (got.type !== 'data') assert.fail(`${where} (now ${now}): expected data, got ${JSON.stringify(got)}`);
  assert.equal(got.trId, want.trId, where);
  assert.equal(got.encrypted, want.encrypted, where);
  assert.equal(got.fieldsPerRecord, want.fieldsPerRecord, where);
  assert.equal(got.records.length, want.records.length, where);
  assert.equal(got.errors?.length ?? 0, want.badRecords, `${where}: bad records reported`);
  assert.equal(got.variant !== null, want.knownLayout, `${where}: known layout`);
  got.records.forEach((rec, i) => {
    assert.equal(Object.keys(rec).length, got.fieldsPerRecord + 2, `${where}: record ${i} has the wrong number of fields`);
    assert.deepStrictEqual(rec, want.records[i], `${where}: record ${i}`);
  });
}

describe('protocol: parseFrame against thousands of mutated frames', function () {
  this.timeout(30000);
  const doc = loadDocFixture();

  it(`never throws and always agrees with the reference parser (${FRAMES} frames, seed ${SEED})`, () => {
    const rng = new Prng(SEED);
    const outcomes = new Map<string, number>();
    const used = new Map<string, number>();
    const newTrs = new Set<string>();
    for (let n = 0; n < FRAMES; n++) {
      let { text } = baseFrame(rng);
      const steps = rng.pick([0, 1, 1, 1, 2, 3]);
      for (let k = 0; k < steps; k++) {
        const name = rng.pick(NAMES);
        used.set(name, (used.get(name) ?? 0) + 1);
        text = (MUTATIONS[name] as Mutation)(rng, text);
      }
      text = flat(text);
      const now = rng.pick(NOWS);
      let got: ParsedFrame;
      try {
        got = parseFrame(text, { now, keys: KEYS });
      } catch (e) {
        assert.fail(`parseFrame threw ${String(e)} for ${JSON.stringify(text.slice(0, 200))}`);
      }
      check(text, now, got, referenceParse(text, now, doc.trs, KEYS, MORE_TRS));
      if (got.type === 'data') newTrs.add(got.trId);
      const label = got.type === 'error' ? got.code : got.type !== 'data' ? got.type : got.variant === null ? 'data+extra' : got.variant !== got.table.variants[0] ? 'data+variant' : got.errors !== undefined ? 'data+bad' : 'data';
      outcomes.set(label, (outcomes.get(label) ?? 0) + 1);
    }
    // The generator must actually reach every outcome, or the property proves little.
    for (const label of ['data', 'data+extra', 'data+variant', 'data+bad', 'truncated', 'not-a-frame', 'unknown-tr', 'bad-count', 'field-count', 'bad-value', 'no-key', 'decrypt-failed']) {
      assert.ok((outcomes.get(label) ?? 0) >= 10, `only ${outcomes.get(label) ?? 0} frames ended as ${label}: ${JSON.stringify([...outcomes])}`);
    }
    for (const name of NAMES) assert.ok((used.get(name) ?? 0) >= 100, `mutation ${name} ran ${used.get(name) ?? 0} times`);
    assert.deepEqual(TR_IDS.filter((id) => !newTrs.has(id)), [], 'every TR parsed at least once');
  });

  it('keeps FrameParser usable after any garbage (keys, layouts, callbacks)', () => {
    const rng = new Prng(SEED + 1);
    const parser = new FrameParser();
    parser.setKey('H0STCNI0', KEY);
    const layouts: string[] = [];
    parser.onLayoutChange = (trId, known, seen) => layouts.push(`${trId}:${known}->${seen}`);
    for (let n = 0; n < 500; n++) {
      const junk = Buffer.alloc(rng.int(0, 64));
      for (let k = 0; k < junk.length; k++) junk[k] = rng.int(0, 255);
      assert.doesNotThrow(() => parser.parse(junk.toString('latin1'), NOWS[0]));
      assert.doesNotThrow(() => parser.parse(`0|H0STCNT0|001|${junk.toString('utf8')}`, NOWS[0]));
    }
    const ok = parser.parse(generateFrame(rng, 'H0STCNI0', 2, {}, KEY), NOWS[0]);
    assert.equal(ok.type, 'data');
    assert.ok(layouts.every((l) => /^H0\w+:\d+->\d+$/.test(l)));
  });
});
