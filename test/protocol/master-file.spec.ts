/**
 * The stock master parser, the zip reader and the CP949 codec on fixtures in KIS's exact format
 * (docs/protocol/master-files.md): the fixed-width tail after a variable-length Korean name,
 * CP949 extension syllables, line ends, and zips written by other tools.
 */
import assert from 'node:assert/strict';
import { decodeCp949, encodeCp949 } from '../../lib/protocol/cp949';
import { MASTER_TAIL_BYTES, MASTER_TAILS, parseMasterFile } from '../../lib/protocol/master-file';
import { isValidStockCode } from '../../lib/protocol/stock-codes';
import { readZip, writeZip } from '../../lib/protocol/zip';

/** KIS's own field widths (`field_specs` of stocks_info/kis_kospi_code_mst.py and kis_kosdaq_code_mst.py). */
const OTA_KOSPI_SPECS = [2, 1, 4, 4, 4, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 9, 5, 5, 1, 1, 1, 2, 1, 1, 1, 2, 2, 2, 3, 1, 3, 12, 12, 8, 15, 21, 2, 7, 1, 1, 1, 1, 1, 9, 9, 9, 5, 9, 8, 9, 3, 1, 1, 1];
const OTA_KOSDAQ_SPECS = [2, 1, 4, 4, 4, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 9, 5, 5, 1, 1, 1, 2, 1, 1, 1, 2, 2, 2, 3, 1, 3, 12, 12, 8, 15, 21, 2, 7, 1, 1, 1, 1, 9, 9, 9, 5, 9, 8, 9, 3, 1, 1, 1];
/** KONEX: OTA slices `row[-184:]` with these widths. */
const OTA_KONEX_SPECS = [2, 9, 5, 5, 1, 1, 1, 2, 1, 1, 1, 2, 2, 2, 3, 1, 3, 12, 12, 8, 15, 21, 2, 7, 1, 1, 1, 1, 9, 9, 9, 5, 9, 8, 9, 1, 1, 1];

/** A tail written by column index into KIS's widths (independent of the parser's layout table). */
function tail(specs: number[], values: Record<number, string>): Buffer {
  return Buffer.from(specs.map((w, i) => (values[i] ?? '').padStart(w, values[i] !== undefined && /^\d+$/.test(values[i]!) ? '0' : ' ').slice(0, w).padEnd(w, ' ')).join(''), 'latin1');
}

const SAMSUNG = Buffer.from([0xbb, 0xef, 0xbc, 0xba, 0xc0, 0xfc, 0xc0, 0xda]); // 삼성전자 in EUC-KR/CP949
const TTOM = Buffer.from([0x8c, 0x63]); // 똠: a CP949 extension syllable (not in KS X 1001)

function line(code: string, isin: string, name: Buffer, nameWidth: number | null, t: Buffer): Buffer {
  const pad = nameWidth === null ? Buffer.alloc(0) : Buffer.alloc(nameWidth - name.length, 0x20);
  return Buffer.concat([Buffer.from(code.padEnd(9) + isin, 'latin1'), name, pad, t]);
}

describe('protocol: stock master files', () => {
  it('has KIS\'s tail layouts: the widths of KIS\'s parsers, 227 / 221 / 184 bytes', () => {
    assert.deepEqual(MASTER_TAILS.KOSPI.map((f) => f.width), OTA_KOSPI_SPECS);
    assert.deepEqual(MASTER_TAILS.KOSDAQ.map((f) => f.width), OTA_KOSDAQ_SPECS);
    assert.deepEqual(MASTER_TAILS.KONEX.map((f) => f.width), OTA_KONEX_SPECS);
    assert.deepEqual(MASTER_TAIL_BYTES, { KOSPI: 227, KOSDAQ: 221, KONEX: 184 });
  });

  it('parses KOSPI lines whatever the width of the Korean name, CRLF or LF, last line without EOL', () => {
    // 기준가 is column 31, 거래정지 34, 관리종목 36, 시장경고 37 in KIS's KOSPI column list.
    const t1 = tail(OTA_KOSPI_SPECS, { 0: 'ST', 31: '71500', 32: '1', 34: 'N', 36: 'N', 37: '00' });
    const t2 = tail(OTA_KOSPI_SPECS, { 0: 'ST', 31: '1230', 34: 'Y', 36: 'Y', 37: '02' });
    const t3 = tail(OTA_KOSPI_SPECS, { 0: 'EF', 31: '35000', 34: 'N', 36: 'N' });
    const bytes = Buffer.concat([
      line('005930', 'KR7005930003', SAMSUNG, 40, t1), Buffer.from('\r\n'),
      line('123450', 'KR7123450001', Buffer.concat([TTOM, Buffer.from('SK'), SAMSUNG]), null, t2), Buffer.from('\n'), // name not padded
      Buffer.from('\n'), // blank line
      line('0009K0', 'KR70009K0001', Buffer.from('KODEX TEST 200'), 40, t3), // no EOL
    ]);
    const { records, skipped } = parseMasterFile(bytes, 'KOSPI');
    assert.equal(skipped, 0);
    assert.equal(records.length, 3);
    const [a, b, c] = records;
    assert.deepEqual(
      { code: a!.code, isin: a!.isin, name: a!.name, group: a!.group, basePrice: a!.basePrice, suspended: a!.suspended, managed: a!.managed, warning: a!.warning },
      { code: '005930', isin: 'KR7005930003', name: '삼성전자', group: 'ST', basePrice: 71500, suspended: false, managed: false, warning: '00' },
    );
    assert.equal(a!.fields['frml_mrkt_deal_qty_unit'], '00001');
    assert.equal(b!.name, '똠SK삼성전자', 'a CP949 extension syllable decodes (Node\'s euc-kr decoder would give "cSK…")');
    assert.equal(b!.basePrice, 1230);
    assert.equal(b!.suspended, true);
    assert.equal(b!.managed, true);
    assert.equal(b!.warning, '02');
    assert.equal(c!.code, '0009K0');
    assert.equal(c!.name, 'KODEX TEST 200');
    assert.equal(c!.group, 'EF');
  });

  it('reads KOSDAQ flags at KOSDAQ\'s own offsets (not KOSPI\'s)', () => {
    // KOSDAQ: 기준가 column 26, 거래정지 29, 관리종목 31; KOSPI's 관리종목 offset (62) is 우회상장 here.
    const t = tail(OTA_KOSDAQ_SPECS, { 0: 'ST', 26: '163400', 29: 'N', 31: 'Y', 35: 'Y' });
    const { records } = parseMasterFile(Buffer.concat([line('247540', 'KR7247540008', encodeCp949('에코프로비엠'), 40, t), Buffer.from('\n')]), 'KOSDAQ');
    assert.equal(records.length, 1);
    assert.equal(records[0]!.name, '에코프로비엠');
    assert.equal(records[0]!.basePrice, 163400);
    assert.equal(records[0]!.managed, true);
    assert.equal(records[0]!.suspended, false);
    assert.equal(records[0]!.fields['byps_lstn_yn'], 'Y');
  });

  it('parses KONEX lines and skips lines too short for a head and a tail', () => {
    const t = tail(OTA_KONEX_SPECS, { 0: 'KN', 1: '4500', 4: 'Y', 6: 'N' });
    const { records, skipped } = parseMasterFile(Buffer.concat([line('278990', 'KR7278990005', encodeCp949('코넥스테스트'), 40, t), Buffer.from('\nshort line\n')]), 'KONEX');
    assert.equal(skipped, 1);
    assert.equal(records[0]!.group, 'KN');
    assert.equal(records[0]!.basePrice, 4500);
    assert.equal(records[0]!.suspended, true);
  });
});

describe('protocol: CP949', () => {
  it('decodes KS X 1001 and the CP949 extension, and round-trips every modern syllable', () => {
    assert.equal(decodeCp949(SAMSUNG), '삼성전자');
    assert.equal(decodeCp949(Buffer.from([0x81, 0x41, 0x8c, 0x63, 0xc6, 0x52])), '갂똠힣');
    assert.equal(decodeCp949(Buffer.from([0xc6, 0x53, 0x41])), '\ufffdSA', 'an invalid pair: U+FFFD, the ASCII byte stays');
    for (let cp = 0xac00; cp <= 0xd7a3; cp++) {
      const s = String.fromCharCode(cp);
      assert.equal(decodeCp949(encodeCp949(s)), s, s);
    }
    assert.deepEqual([...encodeCp949('똠A')], [0x8c, 0x63, 0x41]);
  });
});

describe('protocol: zip container', () => {
  it('reads a zip written by Python\'s zipfile (deflated, with a directory entry)', () => {
    const zip = Buffer.from('UEsDBBQAAAAIAHtWgV3rQyS8HgAAAB8AAAAOAAAAa29zcGlfY29kZS5tc3QzMDC1NDZQUFDwDjI3ALMNDIx3v9+z68CfA7d4uQBQSwMEFAAAAAgAe1aBXQAAAAACAAAAAAAAAAQAAABkaXIvAwBQSwECFAMUAAAACAB7VoFd60MkvB4AAAAfAAAADgAAAAAAAAAAAAAAgAEAAAAAa29zcGlfY29kZS5tc3RQSwECFAMUAAAACAB7VoFdAAAAAAIAAAAAAAAABAAAAAAAAAAAABAA/UFKAAAAZGlyL1BLBQYAAAAAAgACAG4AAABuAAAAAAA=', 'base64');
    const entries = readZip(zip);
    assert.deepEqual(entries.map((e) => e.name), ['kospi_code.mst']);
    assert.equal(decodeCp949(entries[0]!.data), '005930   KR7005930003삼성전자\r\n');
  });

  it('reads a streamed zip (Info-ZIP from stdin: sizes only in the central directory)', () => {
    const zip = Buffer.from('UEsDBC0AAAAIAHtWgV2wsO7n//////////8BABQALQEAEAAdAAAAAAAAABwAAAAAAAAAMzAwtTQ2UFDwDjI3ADMNDIx3v9+z68CfA7e4AFBLAQIeAy0AAAAIAHtWgV2wsO7nHAAAAB0AAAABAAAAAAAAAAEAAACAEQAAAAAtUEsGBiwAAAAAAAAAHgMtAAAAAAAAAAAAAQAAAAAAAAABAAAAAAAAAC8AAAAAAAAATwAAAAAAAABQSwYHAAAAAH4AAAAAAAAAAQAAAFBLBQYAAAAAAQABAC8AAABPAAAAAAA=', 'base64');
    const [entry] = readZip(zip);
    assert.equal(decodeCp949(entry!.data), '005930  KR7005930003삼성전자\n');
  });

  it('round-trips its own archives and refuses corrupt ones with a clear error', () => {
    const data = Buffer.from('x'.repeat(1000) + '삼성');
    const zip = writeZip([{ name: 'a.mst', data }]);
    assert.deepEqual(readZip(zip)[0]!.data, data);
    assert.throws(() => readZip(Buffer.from('not a zip at all, not even close')), /zip: not a zip archive/);
    const bad = Buffer.from(zip);
    bad[40] = bad[40]! ^ 0xff; // inside the deflated body
    assert.throws(() => readZip(bad), /zip: /);
  });
});

describe('protocol: stock codes by KRX\'s rules', () => {
  it('accepts stock, ETF, preferred, new alphanumeric, ELW and ETN codes', () => {
    for (const ok of ['005930', '005935', '0009K0', '00104K', '900140', '57JN53', '58J297', '57001A', 'Q500001', 'Q57001A']) assert.ok(isValidStockCode(ok), ok);
  });

  it('refuses ABCDEFG and codes KRX does not issue', () => {
    for (const bad of ['ABCDEFG', 'Q00593A', 'Q005930', '0A5930', '00A930', '0059I0', '0059O0', '0059U0', '57IN53', 'J005930', 'A005930', '005930A', 'QQ50000']) {
      assert.equal(isValidStockCode(bad), false, bad);
    }
  });
});
