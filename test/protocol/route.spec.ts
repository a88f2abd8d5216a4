/**
 * The routing rule (lib/protocol/route.ts): which TR streams a kind of data for an exchange and a
 * code, with the 통합 → KRX rule for codes NXT does not trade; the data kinds derive from the tables.
 */
import assert from 'node:assert/strict';
import { EXCHANGES } from '../../lib/protocol/exchange';
import { indexCodeInfo, INDEX_CODES, isValidIndexCode } from '../../lib/protocol/index-codes';
import { phaseOfMarketOp } from '../../lib/protocol/market-op';
import { dataKinds, exchangesOf, isDataKind, isValidKey, knownNxtTradable, routeIn, routeTr, routesOf, type KindRoutes } from '../../lib/protocol/route';
import { KNOWN_STOCKS } from '../../lib/protocol/stock-codes';
import { TR_TABLES } from '../../lib/protocol/tr-tables';

describe('protocol: routing of market-data TRs', () => {
  it('the data kinds are exactly the non-notice kinds of the TR tables, each with its TR per venue', () => {
    const expected = new Map<string, Record<string, string>>();
    for (const t of Object.values(TR_TABLES)) {
      if (t.kind === 'notice') continue;
      const m = expected.get(t.kind) ?? {};
      m[t.venue ?? 'KRX'] ??= t.trId;
      expected.set(t.kind, m);
    }
    assert.deepEqual(dataKinds(), [...expected.keys()]);
    for (const [kind, trIds] of expected) assert.deepEqual({ ...routesOf(kind as never).trIds }, trIds);
    assert.ok(dataKinds().includes('tick') && dataKinds().includes('quote'));
    assert.equal(isDataKind('notice'), false);
    assert.equal(isDataKind('nonsense'), false);
  });

  it('kinds with three venues offer UN, KRX, NXT and SOR; a kind with one TR offers no exchange', () => {
    assert.deepEqual(exchangesOf('tick'), ['UN', 'KRX', 'NXT', 'SOR']);
    for (const kind of dataKinds()) {
      const venues = Object.keys(routesOf(kind).trIds);
      if (venues.length === 1) assert.deepEqual(exchangesOf(kind), [], kind);
    }
  });

  it('UN and SOR take the 통합 TR for an NXT-tradable code, the KRX TR for one NXT does not trade or that is unknown', () => {
    for (const x of ['UN', 'SOR'] as const) {
      assert.deepEqual(routeTr('tick', x, '005930', true), { trId: 'H0UNCNT0', venue: 'UN', routedTo: null, reason: null });
      assert.deepEqual(routeTr('tick', x, '263750', false), { trId: 'H0STCNT0', venue: 'KRX', routedTo: 'KRX', reason: 'not-nxt-tradable' });
      assert.deepEqual(routeTr('quote', x, '999990', undefined), { trId: 'H0STASP0', venue: 'KRX', routedTo: 'KRX', reason: 'nxt-unknown' });
    }
  });

  it('an explicit KRX or NXT choice is kept whatever the NXT flag', () => {
    for (const nxt of [true, false, undefined]) {
      assert.deepEqual(routeTr('tick', 'KRX', '263750', nxt), { trId: 'H0STCNT0', venue: 'KRX', routedTo: null, reason: null });
      assert.deepEqual(routeTr('quote', 'NXT', '263750', nxt), { trId: 'H0NXASP0', venue: 'NXT', routedTo: null, reason: null });
    }
  });

  it('without a flag the interim rule uses the nxt mark of the well-known stocks', () => {
    for (const s of KNOWN_STOCKS) {
      assert.equal(knownNxtTradable(s.code), s.nxt);
      assert.equal(routeTr('tick', 'UN', s.code).trId, s.nxt ? 'H0UNCNT0' : 'H0STCNT0', s.code);
    }
    assert.equal(knownNxtTradable('123450'), undefined);
    assert.equal(routeTr('tick', 'UN', '123450').trId, 'H0STCNT0');
  });

  it('index-keyed kinds and kinds with one TR are never re-routed', () => {
    const index: KindRoutes = { trIds: { KRX: 'H0STCNT0' }, key: 'index' };
    for (const x of EXCHANGES) assert.deepEqual(routeIn(index, x, undefined), { trId: 'H0STCNT0', venue: 'KRX', routedTo: null, reason: null });
    const three: KindRoutes = { trIds: { KRX: 'H0STCNT0', NXT: 'H0NXCNT0', UN: 'H0UNCNT0' }, key: 'index' };
    assert.equal(routeIn(three, 'UN', false).trId, 'H0UNCNT0');
  });

  it('routeIn is self-contained, so the dialog can run the same function', () => {
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    const copy = new Function(`return (${routeIn.toString()})`)() as typeof routeIn;
    for (const x of EXCHANGES) for (const nxt of [true, false, undefined]) assert.deepEqual(copy(routesOf('tick'), x, nxt), routeIn(routesOf('tick'), x, nxt));
  });

  it('keys: short codes for stock kinds; four-digit 업종코드 with names for the known indices', () => {
    assert.equal(isValidKey('tick', '005930'), true);
    assert.equal(isValidKey('tick', '0001'), false);
    for (const c of ['0001', '1001', '2001']) assert.equal(isValidIndexCode(c), true);
    for (const c of ['001', '00001', 'A001', '00 1', '']) assert.equal(isValidIndexCode(c), false);
    assert.match(indexCodeInfo('0001')?.en ?? '', /^KOSPI/);
    assert.match(indexCodeInfo('1001')?.en ?? '', /^KOSDAQ/);
    assert.equal(indexCodeInfo('2001')?.en, 'KOSPI 200');
    assert.equal(new Set(INDEX_CODES.map((x) => x.code)).size, INDEX_CODES.length);
  });

  it('장운영정보: market-wide MKOP_CLS_CODE values give a phase, others none', () => {
    assert.equal(phaseOfMarketOp('112'), 'open');
    assert.equal(phaseOfMarketOp('110'), 'auction');
    assert.equal(phaseOfMarketOp('129'), 'closed');
    assert.equal(phaseOfMarketOp('174'), 'halted');
    assert.equal(phaseOfMarketOp('AB1'), null);
    assert.equal(phaseOfMarketOp(''), null);
    assert.equal(phaseOfMarketOp(null), null);
  });
});
