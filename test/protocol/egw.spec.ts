import { strict as assert } from 'node:assert';
import { describeEgw, EGW_CODES, egwInfo, isEgwCode } from '../../lib/protocol/egw';

describe('protocol/egw', () => {
  it('knows the codes of the OAuth endpoints with en and ko meanings', () => {
    for (const code of ['EGW00102', 'EGW00103', 'EGW00104', 'EGW00105', 'EGW00115', 'EGW00116', 'EGW00133', 'EGW00201']) {
      const info = egwInfo(code);
      assert.equal(info.code, code);
      assert.ok(info.en.length > 5 && info.ko.length > 3 && info.message.length > 3, code);
    }
    assert.equal(new Set(EGW_CODES.map((c) => c.code)).size, EGW_CODES.length, 'no code twice');
    for (const c of EGW_CODES) assert.ok(isEgwCode(c.code), c.code);
  });

  it('sorts them by what fixes them', () => {
    assert.equal(egwInfo('EGW00103').kind, 'config');
    assert.equal(egwInfo('EGW00105').kind, 'config');
    assert.equal(egwInfo('EGW00133').kind, 'rate-limit');
    assert.ok((egwInfo('EGW00133').waitMs ?? 0) >= 60_000, 'one token a minute');
    assert.equal(egwInfo('EGW00201').kind, 'rate-limit');
    assert.equal(egwInfo('EGW00001').kind, 'retry');
    assert.equal(egwInfo('EGW00123').kind, 're-auth');
    assert.equal(egwInfo('EGW77777').kind, 'retry', 'unknown: not a reason to stop');
  });

  it('describes a code in en and ko', () => {
    assert.match(describeEgw('EGW00103'), /^EGW00103 The app key or secret is not valid/);
    assert.match(describeEgw('EGW00103', 'ko'), /^EGW00103 앱키 또는 시크릿이 올바르지 않습니다/);
  });
});
