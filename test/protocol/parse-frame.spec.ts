import { strict as assert } from 'node:assert';
import { encryptPayload, type AesKey } from '../../lib/protocol/crypto';
import { isNumericType } from '../../lib/protocol/field-def';
import { FrameParser, parseFrame, type DataFrame, type FrameError, type ParsedFrame } from '../../lib/protocol/parse-frame';
import type { KisRecord } from '../../lib/protocol/record-parser';
import { TR_IDS, TR_TABLES, type TrId } from '../../lib/protocol/tr-tables';
import { flat, frameText, generateFrame, recordValues } from '../fixtures/frames';
import { Prng } from '../fixtures/prng';

// Real frames captured by third-party clients (doc §5.7).
const REAL_TICK_1 = '0|H0STCNT0|001|005930^112616^62700^2^400^0.64^62700.41^62700^63000^62300^62700^62600^125^9694968^607878273600^25807^15918^-9889^93.01^4614191^4291558^1^0.45^63.03^090013^3^0^090646^5^-300^100741^2^400^20230324^20^N^71292^244009^2795345^2044512^0.16^5367918^180.61^0^^62700';
const REAL_TICK_2 = '0|H0STCNT0|001|005930^115214^250500^5^-19500^-7.22^257548.62^266000^266500^248500^250500^250000^2^11701513^3013709268750^113664^103131^-10533^60.51^7129195^4313943^1^0.37^73.08^090025^5^-15500^090025^5^-16000^114825^2^2000^20260724^20^N^8930^67892^101158^466092^0.20^8331745^140.44^0^^266000';
const REAL_QUOTE = '0|H0STASP0|001|005930^120755^0^71500^71600^71700^71800^71900^72000^72100^72200^72300^72400^71400^71300^71200^71100^71000^70900^70800^70700^70600^70500^224894^232186^146088^104734^149529^164939^70009^113786^95478^118801^255687^363921^204942^342566^471139^207546^245925^295307^144386^423045^1420444^2954464^0^0^0^0^326405^-72000^5^-100.00^7504606^1^1^0^0^0';
/** 2026-07-24 12:00:00 KST. */
const NOW = Date.UTC(2026, 6, 24, 3, 0, 0);
/** Doc §4.3 test vector. */
const VECTOR_KEY: AesKey = { key: 'abcdefghijklmnopabcdefghijklmnop', iv: '0123456789abcdef' };
const VECTOR_PLAIN = 'myhtsid^1234567801^0000012345^0000000000^02^0^00^0^005930^10^71500^093015^0^2^2^06010^10^HONG GILDONG^0^1^Y^^^^SAMSUNG^71500';
const VECTOR_CIPHER = 'E3SF1qGt5S2QgNu9hOPZnnLX2R1UAzpRFmdGGhqO6si8RESrv+b0jpdTO1BAoCLRSAKeuJ20JURJ3q/V1/J2t6gHWJgWN9uq1+9L8qo4LYJbFyMIF8gRbOPDP7/00qaxzmASN1LNOXb7V8gBW+J61RB4rCKTsOt0V+DuufT3XCE=';

function data(frame: ParsedFrame): DataFrame {
  if (frame.type !== 'data') assert.fail(`expected data, got ${JSON.stringify(frame)}`);
  return frame;
}

function error(frame: ParsedFrame): FrameError {
  if (frame.type !== 'error') assert.fail(`expected an error, got ${frame.type}`);
  return frame;
}

function only(frame: ParsedFrame): KisRecord {
  const d = data(frame);
  assert.equal(d.records.length, 1);
  return d.records[0] as KisRecord;
}

/** One tick payload with the named fields replaced. */
function tickWith(values: Record<string, string>, trId: TrId = 'H0STCNT0'): string {
  const fields = TR_TABLES[trId].fields;
  const base = REAL_TICK_2.slice(REAL_TICK_2.lastIndexOf('|') + 1).split('^');
  for (const [name, v] of Object.entries(values)) {
    const i = fields.findIndex((f) => f.name === name);
    assert.ok(i >= 0, name);
    base[i] = v;
  }
  return `0|${trId}|001|${base.join('^')}`;
}

describe('protocol: parseFrame', () => {
  describe('real frames (doc §5.7)', () => {
    it('types every field of a real 체결 record', () => {
      const rec = only(parseFrame(REAL_TICK_2, { now: NOW }));
      assert.deepEqual(rec, {
        MKSC_SHRN_ISCD: '005930', STCK_CNTG_HOUR: '115214', STCK_PRPR: 250500, PRDY_VRSS_SIGN: '5', PRDY_VRSS: -19500, PRDY_CTRT: -7.22,
        WGHN_AVRG_STCK_PRC: 257548.62, STCK_OPRC: 266000, STCK_HGPR: 266500, STCK_LWPR: 248500, ASKP1: 250500, BIDP1: 250000,
        CNTG_VOL: 2, ACML_VOL: 11701513, ACML_TR_PBMN: 3013709268750, SELN_CNTG_CSNU: 113664, SHNU_CNTG_CSNU: 103131,
        NTBY_CNTG_CSNU: -10533, CTTR: 60.51, SELN_CNTG_SMTN: 7129195, SHNU_CNTG_SMTN: 4313943, CCLD_DVSN: '1', SHNU_RATE: 0.37,
        PRDY_VOL_VRSS_ACML_VOL_RATE: 73.08, OPRC_HOUR: '090025', OPRC_VRSS_PRPR_SIGN: '5', OPRC_VRSS_PRPR: -15500,
        HGPR_HOUR: '090025', HGPR_VRSS_PRPR_SIGN: '5', HGPR_VRSS_PRPR: -16000, LWPR_HOUR: '114825', LWPR_VRSS_PRPR_SIGN: '2',
        LWPR_VRSS_PRPR: 2000, BSOP_DATE: '20260724', NEW_MKOP_CLS_CODE: '20', TRHT_YN: 'N', ASKP_RSQN1: 8930, BIDP_RSQN1: 67892,
        TOTAL_ASKP_RSQN: 101158, TOTAL_BIDP_RSQN: 466092, VOL_TNRT: 0.2, PRDY_SMNS_HOUR_ACML_VOL: 8331745,
        PRDY_SMNS_HOUR_ACML_VOL_RATE: 140.44, HOUR_CLS_CODE: '0', MRKT_TRTM_CLS_CODE: '', VI_STND_PRC: 266000,
        timestamp: '2026-07-24T11:52:14+09:00', epochMs: Date.UTC(2026, 6, 24, 2, 52, 14),
      });
    });

    it('stamps a 체결 record with its own business date, not the arrival day', () => {
      const rec = only(parseFrame(REAL_TICK_1, { now: NOW }));
      assert.equal(rec.timestamp, '2023-03-24T11:26:16+09:00');
      assert.equal(rec.epochMs, Date.parse('2023-03-24T11:26:16+09:00'));
      assert.equal(rec.ACML_TR_PBMN, 607878273600);
      assert.equal(rec.NTBY_CNTG_CSNU, -9889);
      assert.equal(rec.OPRC_VRSS_PRPR, 0);
    });

    it('types a real 호가 record and stamps it with the KST arrival day', () => {
      const rec = only(parseFrame(REAL_QUOTE, { now: NOW }));
      assert.equal(rec.ASKP1, 71500);
      assert.equal(rec.ASKP10, 72400);
      assert.equal(rec.BIDP10, 70500);
      assert.equal(rec.TOTAL_ASKP_RSQN, 1420444);
      assert.equal(rec.ANTC_CNTG_VRSS, -72000);
      assert.equal(rec.ANTC_CNTG_VRSS_SIGN, '5');
      assert.equal(rec.ANTC_CNTG_PRDY_CTRT, -100);
      assert.equal(rec.STCK_DEAL_CLS_CODE, '0');
      assert.equal(rec.HOUR_CLS_CODE, '0');
      assert.equal(rec.timestamp, '2026-07-24T12:07:55+09:00');
      assert.equal(rec.epochMs, Date.parse('2026-07-24T12:07:55+09:00'));
      let askSum = 0;
      for (let i = 1; i <= 10; i++) askSum += rec[`ASKP_RSQN${i}`] as number;
      assert.equal(askSum, rec.TOTAL_ASKP_RSQN, 'the doc relation holds on the typed values');
    });

    it('gives numbers for numeric fields and strings for all others, on every TR', () => {
      const rng = new Prng(7);
      for (const trId of TR_IDS) {
        const key = TR_TABLES[trId].encrypted ? VECTOR_KEY : undefined;
        const frame = parseFrame(generateFrame(rng, trId, 2, {}, key), { now: NOW, keys: new Map([[trId, VECTOR_KEY]]) });
        for (const rec of data(frame).records) {
          for (const f of TR_TABLES[trId].fields) {
            const v = rec[f.name];
            if (isNumericType(f.type)) assert.ok(typeof v === 'number' || v === null, `${trId}.${f.name} = ${JSON.stringify(v)}`);
            else assert.equal(typeof v, 'string', `${trId}.${f.name}`);
          }
          assert.equal(Object.keys(rec).length, TR_TABLES[trId].fields.length + 2);
          assert.match(String(rec.timestamp), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+09:00$/);
          assert.equal(rec.epochMs, Date.parse(String(rec.timestamp)));
        }
      }
    });
  });

  describe('field values', () => {
    it('keeps empty numeric fields null and empty text fields empty, never 0', () => {
      const empty = TR_TABLES.H0STCNT0.fields.map(() => '').join('^');
      const rec = only(parseFrame(`0|H0STCNT0|001|${empty}`, { now: NOW }));
      for (const f of TR_TABLES.H0STCNT0.fields) assert.equal(rec[f.name], isNumericType(f.type) ? null : '', f.name);
      assert.equal(rec.timestamp, null, 'no time, no timestamp');
      assert.equal(rec.epochMs, null);
    });

    it('keeps the sign of signed deltas and rates, and never yields -0', () => {
      const rec = only(parseFrame(tickWith({ PRDY_VRSS: '-1', PRDY_CTRT: '-0.01', OPRC_VRSS_PRPR: '-0', LWPR_VRSS_PRPR: '-0.00', NTBY_CNTG_CSNU: '+12' }), { now: NOW }));
      assert.equal(rec.PRDY_VRSS, -1);
      assert.equal(rec.PRDY_CTRT, -0.01);
      assert.ok(Object.is(rec.OPRC_VRSS_PRPR, 0), 'no negative zero');
      assert.ok(Object.is(rec.LWPR_VRSS_PRPR, 0), 'no negative zero (decimal)');
      assert.equal(rec.NTBY_CNTG_CSNU, 12);
    });

    it('reads signed integers exactly: a lone sign is bad, a decimal or a 16-digit value takes the general path', () => {
      const rec = only(parseFrame(tickWith({ PRDY_VRSS: '-123456789012345', NTBY_CNTG_CSNU: '-9007199254740993', OPRC_VRSS_PRPR: '-5.5', HGPR_VRSS_PRPR: '', LWPR_VRSS_PRPR: '0042' }), { now: NOW }));
      assert.equal(rec.PRDY_VRSS, -123_456_789_012_345);
      assert.equal(rec.NTBY_CNTG_CSNU, '-9007199254740993', 'beyond 2^53: the exact text');
      assert.equal(rec.OPRC_VRSS_PRPR, -5.5);
      assert.equal(rec.HGPR_VRSS_PRPR, null);
      assert.equal(rec.LWPR_VRSS_PRPR, 42);
      const bad = parseFrame(tickWith({ PRDY_VRSS: '-' }), { now: NOW });
      assert.equal(bad.type, 'error');
      assert.equal(bad.type === 'error' ? bad.code : '', 'bad-value');
    });

    it('reads a frame with Korean text exactly, even characters one of whose bytes is "^" or a digit', () => {
      // 걞 is U+AC5E and 갰 U+AC30: read byte-wise as Latin-1 they would be '^' and '0'.
      const rec = only(parseFrame('0|H0STMKO0|001|396300^Y^걞갰 거래정지^^311^^^58^N^N', { now: NOW }));
      assert.deepEqual([rec.MKSC_SHRN_ISCD, rec.TRHT_YN, rec.TR_SUSP_REAS_CNTT, rec.MKOP_CLS_CODE, rec.ISCD_STAT_CLS_CODE], ['396300', 'Y', '걞갰 거래정지', '', '58']);
      const tick = parseFrame(tickWith({ STCK_PRPR: '7걞0' }), { now: NOW });
      assert.equal(tick.type === 'error' ? tick.code : tick.type, 'bad-value', 'a Korean character in a number is bad, not a field end');
    });

    it('turns rates into decimals in the unit KIS sends (percent stays percent)', () => {
      const rec = only(parseFrame(tickWith({ PRDY_CTRT: '29.99', CTTR: '100.00', SHNU_RATE: '.5', VOL_TNRT: '7.' }), { now: NOW }));
      assert.deepEqual([rec.PRDY_CTRT, rec.CTTR, rec.SHNU_RATE, rec.VOL_TNRT], [29.99, 100, 0.5, 7]);
    });

    it('parses 13-digit values exactly', () => {
      const rec = only(parseFrame(tickWith({ ACML_TR_PBMN: '9999999999999', ACML_VOL: '1234567890123' }), { now: NOW }));
      assert.equal(rec.ACML_TR_PBMN, 9_999_999_999_999);
      assert.equal(rec.ACML_VOL, 1_234_567_890_123);
    });

    it('keeps values beyond 2^53 (and over-long decimals) as their exact text', () => {
      const rec = only(parseFrame(tickWith({
        ACML_TR_PBMN: '9007199254740993', ACML_VOL: '9007199254740991', CNTG_VOL: '00000000000000000042',
        WGHN_AVRG_STCK_PRC: '1234567890.1234567', SELN_CNTG_SMTN: '123456789012345678901234567890',
      }), { now: NOW }));
      assert.equal(rec.ACML_TR_PBMN, '9007199254740993');
      assert.equal(rec.ACML_VOL, 9007199254740991, 'the largest safe integer stays a number');
      assert.equal(rec.CNTG_VOL, 42, 'leading zeros are not significant digits');
      assert.equal(rec.WGHN_AVRG_STCK_PRC, '1234567890.1234567');
      assert.equal(rec.SELN_CNTG_SMTN, '123456789012345678901234567890');
    });

    it('accepts surrounding spaces in numeric fields and keeps text fields verbatim', () => {
      const rec = only(parseFrame(tickWith({ STCK_PRPR: '  250500 ', MKSC_SHRN_ISCD: ' 005930 ' }), { now: NOW }));
      assert.equal(rec.STCK_PRPR, 250500);
      assert.equal(rec.MKSC_SHRN_ISCD, ' 005930 ');
    });

    it('names the record and field of a value that is not a number', () => {
      const err = error(parseFrame(tickWith({ CNTG_VOL: '12a' }), { now: NOW }));
      assert.equal(err.code, 'bad-value');
      assert.equal(err.trId, 'H0STCNT0');
      assert.match(err.message, /record 1 field 12 \(CNTG_VOL\)/);
      for (const junk of ['1e5', '0x10', '1,000', '--1', '-', '.', '1.2.3', 'NaN', 'Infinity', '\t1']) {
        assert.equal(error(parseFrame(tickWith({ STCK_PRPR: junk }), { now: NOW })).code, 'bad-value', junk);
      }
    });
  });

  describe('multi-record frames', () => {
    it('returns every record of a COUNT > 1 체결 frame, in order', () => {
      const rng = new Prng(11);
      const records = [0, 1, 2, 3].map(() => recordValues(rng, 'H0UNCNT0'));
      const frame = data(parseFrame(flat(frameText('H0UNCNT0', records)), { now: NOW }));
      assert.equal(frame.records.length, 4);
      frame.records.forEach((rec, i) => {
        assert.equal(rec.MKSC_SHRN_ISCD, records[i]?.[0]);
        assert.equal(rec.STCK_CNTG_HOUR, records[i]?.[1]);
        assert.equal(rec.STCK_PRPR, Number(records[i]?.[2]));
        assert.equal(rec.VI_STND_PRC, Number(records[i]?.[45]));
        assert.equal(rec.CNTG_CLS_CODE, records[i]?.[21], 'NXT/통합 name of field 21');
        assert.equal(rec.CCLD_DVSN, undefined);
      });
    });

    it('returns every record of a COUNT > 1 호가 frame (65 fields on NXT)', () => {
      const rng = new Prng(12);
      const records = [0, 1, 2].map(() => recordValues(rng, 'H0NXASP0'));
      const frame = data(parseFrame(frameText('H0NXASP0', records), { now: NOW }));
      assert.equal(frame.fieldsPerRecord, 65);
      frame.records.forEach((rec, i) => {
        assert.equal(rec.BSOP_HOUR, records[i]?.[1]);
        assert.equal(rec.NMID_CLS_CODE, records[i]?.[64]);
        assert.equal(rec.KMID_PRC, Number(records[i]?.[59]));
      });
    });

    it('rejects a frame whose field total is not COUNT records', () => {
      const payload = REAL_TICK_2.slice(15);
      const err = error(parseFrame(`0|H0STCNT0|002|${payload}^${payload.split('^').slice(0, 45).join('^')}`, { now: NOW }));
      assert.equal(err.code, 'field-count');
      assert.match(err.message, /91 fields do not split into 2 record\(s\) of 46 \(expected 92\)/);
      const short = error(parseFrame(`0|H0STCNT0|003|${payload}^${payload}`, { now: NOW }));
      assert.equal(short.code, 'field-count');
    });

    it('does not allocate for an absurd COUNT', () => {
      assert.equal(error(parseFrame(`0|H0STCNT0|999999|${REAL_TICK_2.slice(15)}`)).code, 'field-count');
    });
  });

  describe('forward compatibility: KIS appends fields', () => {
    it('keeps values beyond the longest known layout of a single record as FIELD_<i>', () => {
      // 49 values: no known 체결 layout; read with the 47-field one (MARKET_CLS_CODE), 2 extras.
      const frame = data(parseFrame(`${REAL_TICK_2}^X^^-5`, { now: NOW }));
      assert.equal(frame.fieldsPerRecord, 49);
      assert.equal(frame.variant, null, 'an unknown layout is not passed off as a known one');
      const rec = frame.records[0] as KisRecord;
      assert.deepEqual([rec.MARKET_CLS_CODE, rec.FIELD_47, rec.FIELD_48], ['X', '', '-5']);
      assert.equal(rec.FIELD_46, undefined);
      assert.equal(rec.VI_STND_PRC, 266000);
      assert.equal(rec.timestamp, '2026-07-24T11:52:14+09:00');
    });

    it('reads a multi-record frame of the 2026-09 체결 layout (47 fields) with its exact names', () => {
      const rng = new Prng(13);
      const records = [0, 1, 2].map((i) => [...recordValues(rng, 'H0STCNT0'), String(i + 1)]);
      const frame = data(parseFrame(frameText('H0STCNT0', records), { now: NOW }));
      assert.equal(frame.fieldsPerRecord, 47);
      assert.equal(frame.variant?.id, '2026-09-47');
      frame.records.forEach((rec, i) => {
        assert.equal(rec.MKSC_SHRN_ISCD, records[i]?.[0]);
        assert.equal(rec.STCK_PRPR, Number(records[i]?.[2]));
        assert.equal(rec.MARKET_CLS_CODE, String(i + 1));
        assert.equal(rec.FIELD_46, undefined);
      });
    });

    it('reports an unknown layout once per TR and count through FrameParser.onLayoutChange, a known variant once through onVariant', () => {
      const parser = new FrameParser();
      const seen: [string, number, number][] = [];
      const variants: string[] = [];
      parser.onLayoutChange = (trId, known, got) => seen.push([trId, known, got]);
      parser.onVariant = (trId, variant) => variants.push(`${trId} ${variant.id}`);
      parser.parse(REAL_TICK_2, NOW);
      parser.parse(`${REAL_TICK_2}^X`, NOW);
      parser.parse(`${REAL_TICK_2}^Y`, NOW);
      parser.parse(`${REAL_QUOTE}^Z`, NOW);
      parser.parse(`${REAL_TICK_2}^X^Y`, NOW);
      parser.parse(`${REAL_TICK_2}^X^Z`, NOW);
      assert.deepEqual(seen, [['H0STASP0', 59, 60], ['H0STCNT0', 47, 48]]);
      assert.deepEqual(variants, ['H0STCNT0 2026-09-47']);
    });
  });

  describe('line ends and bad records (robustness)', () => {
    it('parses the last field of a frame that ends in CRLF or LF', () => {
      for (const end of ['\r\n', '\n', '\r', '\r\n\r\n']) {
        const frame = data(parseFrame(REAL_TICK_2 + end, { now: NOW }));
        assert.equal(frame.fieldsPerRecord, 46, JSON.stringify(end));
        assert.equal(frame.records[0]?.VI_STND_PRC, 266000, JSON.stringify(end));
      }
      const quote = data(parseFrame(`${REAL_QUOTE}\r\n`, { now: NOW }));
      assert.equal(quote.records[0]?.STCK_DEAL_CLS_CODE, '0');
    });

    it('keeps the good records of a multi-record frame and reports the bad one alongside', () => {
      const good = tickWith({}).slice(15);
      const bad = tickWith({ CNTG_VOL: '12a' }).slice(15);
      const frame = data(parseFrame(`0|H0STCNT0|003|${good}^${bad}^${good}`, { now: NOW }));
      assert.equal(frame.records.length, 2);
      assert.equal(frame.errors?.length, 1);
      const err = frame.errors?.[0];
      assert.equal(err?.code, 'bad-value');
      assert.equal(err?.record, 2);
      assert.equal(err?.field, 12);
      assert.equal(err?.fieldName, 'CNTG_VOL');
      assert.match(err?.message ?? '', /record 2 field 12 \(CNTG_VOL\)/);
      assert.equal(data(parseFrame(`0|H0STCNT0|002|${good}^${good}`, { now: NOW })).errors, undefined);
      // No good record at all: the frame is the error, as before.
      const all = error(parseFrame(`0|H0STCNT0|002|${bad}^${bad}`, { now: NOW }));
      assert.equal(all.code, 'bad-value');
      assert.equal(all.record, 1);
    });
  });

  describe('timestamps', () => {
    it('falls back to the arrival day when a 체결 record has an empty date', () => {
      assert.equal(only(parseFrame(tickWith({ BSOP_DATE: '' }), { now: NOW })).timestamp, '2026-07-24T11:52:14+09:00');
    });

    it('puts a 23:59:59 호가 that arrives just after midnight on the previous day', () => {
      const quote = REAL_QUOTE.replace('^120755^', '^235959^');
      const justAfterMidnight = Date.parse('2026-07-25T00:00:01+09:00');
      assert.equal(only(parseFrame(quote, { now: justAfterMidnight })).timestamp, '2026-07-24T23:59:59+09:00');
      const midday = Date.parse('2026-07-25T12:00:00+09:00');
      assert.equal(only(parseFrame(quote, { now: midday })).timestamp, '2026-07-25T23:59:59+09:00');
    });

    it('uses the KST day, not the UTC day, of the arrival time', () => {
      // 2026-07-24 23:30 UTC is already 2026-07-25 08:30 KST.
      const rec = only(parseFrame(REAL_QUOTE.replace('^120755^', '^083000^'), { now: Date.UTC(2026, 6, 24, 23, 30) }));
      assert.equal(rec.timestamp, '2026-07-25T08:30:00+09:00');
    });

    it('gives null for an impossible date or time instead of rolling it over', () => {
      const impossible: [string, string][] = [['20260231', '093000'], ['20261301', '093000'], ['2026072', '093000'], ['20260724', '246000'], ['20260724', '096000'], ['20260724', '09300']];
      for (const [date, time] of impossible) {
        const rec = only(parseFrame(tickWith({ BSOP_DATE: date, STCK_CNTG_HOUR: time }), { now: NOW }));
        assert.equal(rec.timestamp, null, `${date} ${time}`);
        assert.equal(rec.epochMs, null, `${date} ${time}`);
        assert.equal(rec.BSOP_DATE, date, 'the KIS string is kept as is');
      }
      assert.equal(only(parseFrame(tickWith({ BSOP_DATE: '20240229' }), { now: NOW })).timestamp, '2024-02-29T11:52:14+09:00');
    });

    it('does not carry a timestamp over from the previous record', () => {
      const good = tickWith({}).slice(15);
      const bad = tickWith({ STCK_CNTG_HOUR: '999999' }).slice(15);
      const frame = data(parseFrame(`0|H0STCNT0|003|${good}^${bad}^${good}`, { now: NOW }));
      assert.deepEqual(frame.records.map((r) => r.timestamp), ['2026-07-24T11:52:14+09:00', null, '2026-07-24T11:52:14+09:00']);
    });
  });

  describe('errors', () => {
    const cases: [string, string, string][] = [
      ['', 'empty', 'empty message'],
      ['x|H0STCNT0|001|a', 'not-a-frame', 'not a KIS frame'],
      ['2|H0STCNT0|001|a', 'not-a-frame', 'not a KIS frame'],
      ['01|H0STCNT0|001|a', 'not-a-frame', 'encryption flag'],
      ['0|H0STCNT0|001', 'truncated', 'fewer than 4'],
      ['0', 'truncated', 'fewer than 4'],
      ['0|H0XXCNT0|001|a', 'unknown-tr', 'H0XXCNT0'],
      ['0|H0XXANC0|001|a', 'unknown-tr', 'H0XXANC0'],
      ['0|H0STCNT0|000|a', 'bad-count', '"000"'],
      ['0|H0STCNT0|0a1|a', 'bad-count', '"0a1"'],
      ['0|H0STCNT0||a', 'bad-count', 'record count'],
      ['0|H0STCNT0|1234567|a', 'bad-count', 'record count'],
      ['0|H0STCNT0|001|a^b', 'field-count', '2 fields do not split into 1 record(s) of 46'],
      ['1|H0STCNI0|001|abc', 'no-key', 'before its key'],
      ['{"header":', 'bad-json', 'not valid JSON'],
      ['{"body":{}}', 'bad-control', 'no header'],
      ['{"header":{"tr_id":"H0STCNT0"}}', 'bad-control', 'no body.msg_cd'],
      ['[1,2]', 'not-a-frame', 'not a KIS frame'],
    ];
    for (const [text, code, words] of cases) {
      it(`${JSON.stringify(text.slice(0, 24))} → ${code}`, () => {
        const err = error(parseFrame(text, { now: NOW }));
        assert.equal(err.code, code);
        assert.ok(err.message.includes(words), err.message);
      });
    }

    it('never throws for a non-string argument', () => {
      assert.equal(error(parseFrame(undefined as unknown as string)).code, 'empty');
      assert.equal(error(parseFrame(Buffer.from('0|H0STCNT0|001|a') as unknown as string)).code, 'empty');
    });
  });

  describe('control messages (doc §3)', () => {
    it('reads a subscribe ack with its AES key material', () => {
      const ack = '{"header":{"tr_id":"H0STCNI0","tr_key":"myhtsid","encrypt":"Y"},"body":{"rt_cd":"0","msg_cd":"OPSP0000","msg1":"SUBSCRIBE SUCCESS","output":{"iv":"0123456789abcdef","key":"abcdefghijklmnopabcdefghijklmnop"}}}';
      const frame = parseFrame(ack);
      assert.equal(frame.type, 'control');
      if (frame.type !== 'control') return;
      assert.deepEqual(
        [frame.trId, frame.trKey, frame.rtCd, frame.msgCd, frame.msg1, frame.encrypt, frame.aes, frame.info.severity],
        ['H0STCNI0', 'myhtsid', '0', 'OPSP0000', 'SUBSCRIBE SUCCESS', true, VECTOR_KEY, 'ok'],
      );
    });

    it('reads an error ack without output, and OPSP0002 as benign', () => {
      const max = parseFrame('{"header":{"tr_id":"H0STCNT0","tr_key":"005930","encrypt":"N"},"body":{"rt_cd":"1","msg_cd":"OPSP0008","msg1":"MAX SUBSCRIBE OVER"}}');
      assert.ok(max.type === 'control' && max.aes === null && max.info.severity === 'fatal' && !max.encrypt);
      const again = parseFrame('{"header":{"tr_id":"H0STCNT0","tr_key":"005930","encrypt":"N"},"body":{"rt_cd":"1","msg_cd":"OPSP0002","msg1":"ALREADY IN SUBSCRIBE"}}');
      assert.ok(again.type === 'control' && again.info.severity === 'benign');
    });

    it('recognises PINGPONG and keeps the raw text for the echo', () => {
      const ping = '{"header":{"tr_id":"PINGPONG","datetime":"20260605093000"}}';
      assert.deepEqual(parseFrame(ping), { type: 'pingpong', raw: ping });
    });
  });

  describe('encrypted frames (doc §4.3)', () => {
    it('decrypts the doc test vector into the 26 체결통보 fields', () => {
      assert.equal(encryptPayload(VECTOR_PLAIN, VECTOR_KEY), VECTOR_CIPHER, 'our encryption reproduces the vector');
      const parser = new FrameParser();
      parser.setKey('H0STCNI0', VECTOR_KEY);
      const frame = data(parser.parse(`1|H0STCNI0|001|${VECTOR_CIPHER}`, NOW));
      assert.equal(frame.encrypted, true);
      const rec = frame.records[0] as KisRecord;
      assert.deepEqual(
        [rec.CUST_ID, rec.ACNT_NO, rec.ODER_NO, rec.SELN_BYOV_CLS, rec.STCK_SHRN_ISCD, rec.CNTG_QTY, rec.CNTG_UNPR, rec.STCK_CNTG_HOUR, rec.CNTG_YN, rec.ACNT_NAME, rec.ORD_COND_PRC, rec.ORD_EXG_GB, rec.POPUP_YN, rec.FILLER, rec.CRDT_LOAN_DATE, rec.CNTG_ISNM40, rec.ODER_PRC],
        ['myhtsid', '1234567801', '0000012345', '02', '005930', 10, 71500, '093015', '2', 'HONG GILDONG', 0, '1', 'Y', '', '', 'SAMSUNG', 71500],
      );
      assert.equal(rec.timestamp, '2026-07-24T09:30:15+09:00');
    });

    it('reports a missing or wrong key without leaking key material', () => {
      const parser = new FrameParser();
      assert.equal(error(parser.parse(`1|H0STCNI0|001|${VECTOR_CIPHER}`, NOW)).code, 'no-key');
      const wrong: AesKey = { key: 'zyxwvutsrqponmlkzyxwvutsrqponmlk', iv: 'fedcba9876543210' };
      parser.setKey('H0STCNI0', wrong);
      const err = error(parser.parse(`1|H0STCNI0|001|${VECTOR_CIPHER}`, NOW));
      assert.equal(err.code, 'decrypt-failed');
      assert.ok(!err.message.includes(wrong.key) && !err.message.includes(wrong.iv));
      parser.setKey('H0STCNI0', VECTOR_KEY);
      assert.equal(parser.parse(`1|H0STCNI0|001|${VECTOR_CIPHER}`, NOW).type, 'data');
      parser.clearKeys();
      assert.equal(error(parser.parse(`1|H0STCNI0|001|${VECTOR_CIPHER}`, NOW)).code, 'no-key');
    });

    it('decrypts a multi-record encrypted frame', () => {
      const rng = new Prng(21);
      const records = [0, 1].map(() => recordValues(rng, 'H0STCNI9'));
      const frame = data(parseFrame(frameText('H0STCNI9', records, VECTOR_KEY), { now: NOW, keys: new Map([['H0STCNI9', VECTOR_KEY]]) }));
      assert.deepEqual(frame.records.map((r) => r.ODER_NO), records.map((r) => r[2]));
      assert.equal(frame.records[1]?.ACNT_NAME, '홍길동', 'UTF-8 text survives decryption');
    });
  });
});
