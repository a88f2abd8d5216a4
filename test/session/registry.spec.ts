import { strict as assert } from 'node:assert';
import { parseFrame, type DataFrame } from '../../lib/protocol/parse-frame';
import type { KisRecord } from '../../lib/protocol/record-parser';
import { KNOWN_STOCKS } from '../../lib/protocol/stock-codes';
import type { TrId } from '../../lib/protocol/tr-tables';
import { SubscriptionRegistry } from '../../lib/session/registry';
import type { RecordSink, SubscriptionError } from '../../lib/session/types';
import { frameText, recordValues } from '../fixtures/frames';
import { Prng } from '../fixtures/prng';

class CollectingSink implements RecordSink {
  readonly records: KisRecord[] = [];
  readonly errors: SubscriptionError[] = [];
  onRecord(record: KisRecord): void {
    this.records.push(record);
  }
  onSubscriptionError(error: SubscriptionError): void {
    this.errors.push(error);
  }
}

const stock = (code: string) => {
  const s = KNOWN_STOCKS.find((k) => k.code === code);
  if (s === undefined) throw new Error(code);
  return s;
};

function frameOf(trId: TrId, codes: string[], rng = new Prng(7)): DataFrame {
  const text = frameText(trId, codes.map((c) => recordValues(rng, trId, { stock: stock(c) })));
  const f = parseFrame(text, { keys: new Map([[trId, { key: 'abcdefghijklmnopabcdefghijklmnop', iv: '0123456789abcdef' }]]) });
  if (f.type !== 'data') throw new Error(`fixture frame did not parse: ${JSON.stringify(f)}`);
  return f;
}

describe('session/SubscriptionRegistry', () => {
  it('shares one registration per (TR, code) and counts references', () => {
    const reg = new SubscriptionRegistry(41);
    const a = new CollectingSink(), b = new CollectingSink();
    const ra = reg.add('H0STCNT0', '005930', a);
    const rb = reg.add('H0STCNT0', '005930', b);
    assert.ok('registration' in ra && 'registration' in rb);
    assert.equal(ra.created, true);
    assert.equal(rb.created, false);
    assert.equal(ra.registration, rb.registration);
    assert.equal(reg.size, 1);
    assert.equal(reg.references(), 2);
    // Same code on another TR is another registration (another KIS slot).
    const rq = reg.add('H0STASP0', '005930', a);
    assert.ok('registration' in rq && rq.created);
    assert.equal(reg.size, 2);

    assert.equal(reg.removeSink(ra.registration, a), false, 'b still holds it');
    assert.equal(reg.size, 2);
    assert.equal(reg.removeSink(ra.registration, a), false, 'a second removal of the same sink is a no-op');
    assert.equal(reg.removeSink(ra.registration, b), true, 'last reference gone');
    assert.equal(reg.get('H0STCNT0', '005930'), undefined);
    assert.equal(reg.size, 1);
  });

  it('refuses the registration past the limit but still lets sinks join existing ones', () => {
    const reg = new SubscriptionRegistry(41);
    const sink = new CollectingSink();
    const codes = KNOWN_STOCKS.slice(0, 21).map((s) => s.code);
    for (const c of codes) assert.ok('registration' in reg.add('H0STCNT0', c, sink));
    for (const c of codes.slice(0, 20)) assert.ok('registration' in reg.add('H0STASP0', c, sink));
    assert.equal(reg.size, 41);
    const over = reg.add('H0STASP0', codes[20] as string, sink);
    assert.deepEqual(over, { limit: 41 });
    assert.equal(reg.size, 41);
    const join = reg.add('H0STCNT0', codes[0] as string, new CollectingSink());
    assert.ok('registration' in join && !join.created);
    // Freeing one slot makes room again.
    const first = reg.get('H0STCNT0', codes[1] as string);
    assert.ok(first !== undefined);
    reg.delete(first);
    assert.ok('registration' in reg.add('H0STASP0', codes[20] as string, sink));
  });

  it('dispatches each record of a multi-record frame to the registration of its own code', () => {
    const reg = new SubscriptionRegistry(41);
    const samsung = new CollectingSink(), samsung2 = new CollectingSink(), hynix = new CollectingSink(), quotes = new CollectingSink();
    reg.add('H0STCNT0', '005930', samsung);
    reg.add('H0STCNT0', '005930', samsung2);
    reg.add('H0STCNT0', '000660', hynix);
    reg.add('H0STASP0', '005930', quotes);
    const frame = frameOf('H0STCNT0', ['005930', '000660', '005930', '035720']);
    assert.equal(reg.dispatch(frame), 3, '035720 has no registration');
    assert.deepEqual(samsung.records.map((r) => r.MKSC_SHRN_ISCD), ['005930', '005930']);
    assert.equal(samsung.records[0], frame.records[0]);
    assert.equal(samsung.records[1], frame.records[2]);
    assert.deepEqual(samsung2.records, samsung.records);
    assert.notEqual(samsung2.records[0], samsung.records[0], 'a second sink gets its own object, not the shared one');
    assert.deepEqual(hynix.records.map((r) => r.MKSC_SHRN_ISCD), ['000660']);
    assert.equal(quotes.records.length, 0, 'H0STASP0 gets nothing from an H0STCNT0 frame');
    assert.equal(reg.dispatch(frameOf('H0NXCNT0', ['005930'])), 0, 'no registration of that TR');
  });

  it('sends 체결통보 records to every registration of the TR (the frame has no tr_key)', () => {
    const reg = new SubscriptionRegistry(41);
    const n = new CollectingSink(), other = new CollectingSink();
    reg.add('H0STCNI0', 'myhtsid', n);
    reg.add('H0STCNI0', 'otherid', other);
    const frame = frameOf('H0STCNI0', ['005930', '000660']);
    assert.equal(reg.dispatch(frame), 2);
    assert.equal(n.records.length, 2);
    assert.deepEqual(other.records, n.records);
    assert.notEqual(other.records[0], n.records[0], 'each registration gets its own record objects');
  });

  it('keeps dispatching when a sink throws or unsubscribes from inside onRecord', () => {
    const reg = new SubscriptionRegistry(41);
    const thrown: unknown[] = [];
    reg.onSinkError = (err) => thrown.push(err);
    const after = new CollectingSink();
    let registration: ReturnType<SubscriptionRegistry['get']>;
    const leaver: RecordSink = {
      onRecord: () => {
        if (registration !== undefined) reg.removeSink(registration, leaver);
      },
      onSubscriptionError: () => undefined,
    };
    const bad: RecordSink = { onRecord: () => { throw new Error('boom'); }, onSubscriptionError: () => undefined };
    reg.add('H0STCNT0', '005930', leaver);
    reg.add('H0STCNT0', '005930', bad);
    reg.add('H0STCNT0', '005930', after);
    registration = reg.get('H0STCNT0', '005930');
    reg.dispatch(frameOf('H0STCNT0', ['005930', '005930']));
    assert.equal(after.records.length, 2, 'the sink after the leaver and the thrower got both records');
    assert.equal(thrown.length, 2);
    assert.equal(registration?.sinks.length, 2);
  });
});
