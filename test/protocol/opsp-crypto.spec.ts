import { strict as assert } from 'node:assert';
import { decryptPayload, encryptPayload, isUsableAesKey, type AesKey } from '../../lib/protocol/crypto';
import { describeOpsp, OPSP_CODES, opspInfo } from '../../lib/protocol/opsp';
import { loadDocFixture } from './support/doc-fixture';

describe('protocol: OPSP codes (doc §3.3)', () => {
  const doc = loadDocFixture();

  it('lists every msg_cd of the doc, and no other', () => {
    assert.deepEqual(OPSP_CODES.map((c) => c.code), doc.opsp.map((c) => c.code));
  });

  for (const entry of loadDocFixture().opsp) {
    it(`${entry.code}: msg1 as the doc lists it, en/ko meaning, rt_cd`, () => {
      const info = opspInfo(entry.code);
      assert.equal(info.code, entry.code);
      assert.ok(entry.msg1.includes(info.msg1), `${info.msg1} is not one of ${JSON.stringify(entry.msg1)}`);
      assert.ok(info.en.length > 5 && info.ko.length > 1, 'has an English and a Korean meaning');
      assert.match(info.ko, /[가-힣]/, 'the Korean meaning is Korean');
      if (entry.rtCd !== null) assert.equal(info.rtCd, entry.rtCd);
      assert.ok(['ok', 'benign', 'retryable', 'fatal'].includes(info.severity));
    });
  }

  it('classifies the codes a client acts on', () => {
    const sev = (code: string): string => opspInfo(code).severity;
    assert.deepEqual(
      ['OPSP0000', 'OPSP0001', 'OPSP0002', 'OPSP0003', 'OPSP0007', 'OPSP0008', 'OPSP0011', 'OPSP8991', 'OPSP8992', 'OPSP8996', 'OPSP9999'].map(sev),
      ['ok', 'ok', 'benign', 'benign', 'retryable', 'fatal', 'retryable', 'fatal', 'fatal', 'retryable', 'fatal'],
    );
    assert.deepEqual(OPSP_CODES.filter((c) => c.rtCd === '0').map((c) => c.code), ['OPSP0000', 'OPSP0001']);
  });

  it('reports an unknown code as fatal with the text the server sent', () => {
    const info = opspInfo('OPSP4242', 'SOMETHING NEW');
    assert.deepEqual([info.code, info.severity, info.rtCd, info.en, info.ko], ['OPSP4242', 'fatal', '1', 'SOMETHING NEW', 'SOMETHING NEW']);
    assert.equal(opspInfo('OPSP4242').en, 'Unknown KIS response code');
  });

  it('describes a code in one line, in English or Korean', () => {
    assert.equal(describeOpsp('OPSP0008'), 'OPSP0008 Registration limit (41 per session) exceeded');
    assert.equal(describeOpsp('OPSP0008', 'ko'), 'OPSP0008 실시간 등록 한도(세션당 41건) 초과');
  });
});

describe('protocol: AES-256-CBC (doc §4.3)', () => {
  const key: AesKey = { key: 'abcdefghijklmnopabcdefghijklmnop', iv: '0123456789abcdef' };
  const plain = 'myhtsid^1234567801^0000012345^0000000000^02^0^00^0^005930^10^71500^093015^0^2^2^06010^10^HONG GILDONG^0^1^Y^^^^SAMSUNG^71500';
  const cipher = 'E3SF1qGt5S2QgNu9hOPZnnLX2R1UAzpRFmdGGhqO6si8RESrv+b0jpdTO1BAoCLRSAKeuJ20JURJ3q/V1/J2t6gHWJgWN9uq1+9L8qo4LYJbFyMIF8gRbOPDP7/00qaxzmASN1LNOXb7V8gBW+J61RB4rCKTsOt0V+DuufT3XCE=';

  it('decrypts the doc test vector', () => {
    assert.equal(decryptPayload(cipher, key), plain);
    assert.equal(plain.split('^').length, 26);
  });

  it('encrypts to the doc test vector, and round-trips Korean text', () => {
    assert.equal(encryptPayload(plain, key), cipher);
    assert.equal(decryptPayload(encryptPayload('홍길동^삼성전자', key), key), '홍길동^삼성전자');
  });

  it('uses key and iv as raw UTF-8, not base64 or hex (doc §9.12)', () => {
    assert.ok(isUsableAesKey(key));
    assert.equal(isUsableAesKey({ key: Buffer.from(key.key).toString('base64'), iv: key.iv }), false);
    assert.equal(isUsableAesKey({ key: key.key, iv: '0123456789abcde' }), false);
    assert.equal(isUsableAesKey({ key: 'ㄱ'.repeat(11), iv: key.iv }), false, '33 UTF-8 bytes');
  });

  it('throws on a wrong key or corrupted data (parseFrame turns that into decrypt-failed)', () => {
    assert.throws(() => decryptPayload(cipher, { key: 'zyxwvutsrqponmlkzyxwvutsrqponmlk', iv: key.iv }));
    assert.throws(() => decryptPayload(cipher.slice(0, 40), key));
  });
});
