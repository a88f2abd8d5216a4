import { strict as assert } from 'node:assert';
import { EXCHANGES, isExchange, trIdFor, venueOf, type Exchange, type MarketKind } from '../../lib/protocol/exchange';
import { APPROVAL_PATH, buildApprovalRequestBody, buildSubscribe, buildUnsubscribe } from '../../lib/protocol/messages';
import { TR_TABLES } from '../../lib/protocol/tr-tables';

describe('protocol: exchange selection (doc §7)', () => {
  it('maps every exchange and kind to the doc TR id, SOR to 통합', () => {
    const table: [Exchange, MarketKind, string][] = [
      ['KRX', 'tick', 'H0STCNT0'], ['KRX', 'quote', 'H0STASP0'],
      ['NXT', 'tick', 'H0NXCNT0'], ['NXT', 'quote', 'H0NXASP0'],
      ['UN', 'tick', 'H0UNCNT0'], ['UN', 'quote', 'H0UNASP0'],
      ['SOR', 'tick', 'H0UNCNT0'], ['SOR', 'quote', 'H0UNASP0'],
    ];
    for (const [exchange, kind, trId] of table) assert.equal(trIdFor(kind, exchange), trId, `${exchange} ${kind}`);
  });

  it('streams the venue the TR table names (SOR → UN)', () => {
    for (const ex of EXCHANGES) {
      assert.equal(venueOf(ex), ex === 'SOR' ? 'UN' : ex);
      for (const kind of ['tick', 'quote'] as const) {
        const t = TR_TABLES[trIdFor(kind, ex)];
        assert.equal(t.kind, kind);
        assert.equal(t.venue, venueOf(ex));
      }
    }
  });

  it('recognises exactly the four exchanges', () => {
    assert.deepEqual([...EXCHANGES].sort(), ['KRX', 'NXT', 'SOR', 'UN']);
    for (const ex of EXCHANGES) assert.ok(isExchange(ex));
    for (const bad of ['krx', 'J', 'NX', '', null, undefined, 1, {}]) assert.equal(isExchange(bad), false, String(bad));
  });
});

describe('protocol: request builders (doc §1.2, §2)', () => {
  const req = { approvalKey: 'a1b2c3d4-0000-4000-8000-000000000000', custType: 'P' as const, trId: 'H0STCNT0', trKey: '005930' };

  it('builds the subscribe frame exactly as doc §2 shows it', () => {
    assert.equal(
      buildSubscribe(req),
      '{"header":{"approval_key":"a1b2c3d4-0000-4000-8000-000000000000","custtype":"P","tr_type":"1","content-type":"utf-8"},"body":{"input":{"tr_id":"H0STCNT0","tr_key":"005930"}}}',
    );
  });

  it('builds the unsubscribe frame with tr_type "2" (never "0")', () => {
    const un = JSON.parse(buildUnsubscribe(req)) as { header: Record<string, unknown>; body: unknown };
    assert.equal(un.header.tr_type, '2');
    assert.deepEqual({ ...un, header: { ...un.header, tr_type: '1' } }, JSON.parse(buildSubscribe(req)));
  });

  it('escapes values rather than splicing them into the JSON', () => {
    const odd = JSON.parse(buildSubscribe({ ...req, trKey: 'a"b\\c', custType: 'B' })) as { header: { custtype: string }; body: { input: { tr_key: string } } };
    assert.equal(odd.body.input.tr_key, 'a"b\\c');
    assert.equal(odd.header.custtype, 'B');
  });

  it('builds the approval body with secretkey, not appsecret', () => {
    assert.equal(buildApprovalRequestBody('AK', 'SK'), '{"grant_type":"client_credentials","appkey":"AK","secretkey":"SK"}');
    assert.equal(APPROVAL_PATH, '/oauth2/Approval');
  });
});
