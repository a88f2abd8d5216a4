import { strict as assert } from 'node:assert';
import { isValidStockCode, KNOWN_STOCKS } from '../../lib/protocol/stock-codes';
import { TR_TABLES } from '../../lib/protocol/tr-tables';
import { familyOf } from '../../lib/simulator/families';
import { stockProfile } from '../../lib/simulator/price-process';
import { listing, namedListing, UNIVERSE } from '../../lib/simulator/universe';

describe('simulator stock universe', () => {
  it('lists unique, valid codes with a name, a market and a positive base price', () => {
    const codes = new Set<string>();
    for (const l of UNIVERSE) {
      assert.ok(isValidStockCode(l.code), l.code);
      assert.ok(!codes.has(l.code), `duplicate ${l.code}`);
      codes.add(l.code);
      assert.ok(l.name !== '' && l.nameEn !== '', l.code);
      assert.ok(l.market === 'KOSPI' || l.market === 'KOSDAQ');
      assert.ok(l.basePrice > 0);
    }
    assert.ok(UNIVERSE.length >= 60, `${UNIVERSE.length} listings`);
  });

  it("agrees with the editor's well-known stocks (names, prices, NXT flag)", () => {
    for (const s of KNOWN_STOCKS) {
      const l = namedListing(s.code);
      assert.ok(l !== undefined, s.code);
      assert.deepEqual([l.name, l.market, l.basePrice, l.nxtTradable], [s.name, s.market, s.price, s.nxt]);
      assert.equal(stockProfile(s.code, 1).nxt, s.nxt);
    }
  });

  it('makes most KOSDAQ names not NXT-tradable, like the real market', () => {
    const kosdaq = UNIVERSE.filter((l) => l.market === 'KOSDAQ');
    const tradable = kosdaq.filter((l) => l.nxtTradable).length;
    assert.ok(kosdaq.length >= 20 && tradable / kosdaq.length < 0.5, `${tradable} of ${kosdaq.length} KOSDAQ names NXT-tradable`);
  });

  it('gives any other valid code a stable generated listing', () => {
    const a = listing('123450', 1), b = listing('123450', 1);
    assert.deepEqual(a, b);
    assert.equal(a.name, 'SIM 123450');
    assert.equal(namedListing('123450'), undefined);
  });
});

describe('simulator TR families', () => {
  it('serve 체결, 호가 and 체결통보 of every venue from the shared tables', () => {
    const served = ['H0STCNT0', 'H0NXCNT0', 'H0UNCNT0', 'H0STASP0', 'H0NXASP0', 'H0UNASP0', 'H0STCNI0', 'H0STCNI9'] as const;
    for (const trId of served) assert.ok(familyOf(TR_TABLES[trId]) !== undefined, `${trId} has no family`);
  });
});
