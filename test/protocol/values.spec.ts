import { strict as assert } from 'node:assert';
import { isoKst, kstDate, kstMidnight, kstSecondOfDay, kstTime, KstStamper, KST_OFFSET_MS, timeOfDayMs } from '../../lib/protocol/kst';
import { parseNumeric, POW10 } from '../../lib/protocol/numbers';
import { isValidStockCode, KNOWN_STOCKS, knownStock, splitCodes } from '../../lib/protocol/stock-codes';

function num(text: string): number | string | null {
  return parseNumeric(`^${text}^`, 1, text.length + 1);
}

describe('protocol: numbers.parseNumeric', () => {
  it('parses plain integers and decimals like parseFloat', () => {
    for (const t of ['0', '7', '250500', '-19500', '0.64', '-7.22', '257548.62', '100.00', '999999999999999', '0.000001', '12345.678901']) {
      assert.equal(num(t), parseFloat(t), t);
    }
  });

  it('accepts a leading + and a bare leading or trailing dot', () => {
    assert.deepEqual(['+5', '.5', '5.', '-.25', '+0.5'].map(num), [5, 0.5, 5, -0.25, 0.5]);
  });

  it('returns null for an empty field (also only spaces) and trims spaces', () => {
    assert.deepEqual(['', ' ', '   ', ' 12 ', '  -3.5'].map(num), [null, null, null, 12, -3.5]);
  });

  it('returns NaN for anything that is not a plain decimal', () => {
    for (const t of ['-', '+', '.', '-.', '1.2.3', '1e5', '0x1F', '1,000', '--1', '+-1', '12a', 'a12', 'NaN', 'Infinity', '\t1', '1\n', '١٢']) {
      assert.ok(Number.isNaN(num(t) as number), JSON.stringify(t));
    }
  });

  it('never returns negative zero', () => {
    for (const t of ['-0', '-0.00', '-000', '-.0']) assert.ok(Object.is(num(t), 0), t);
  });

  it('keeps every digit: safe integers as numbers, the rest as exact text', () => {
    assert.equal(num('3013709268750'), 3013709268750);
    assert.equal(num('9007199254740991'), 9007199254740991);
    assert.equal(num('-9007199254740991'), -9007199254740991);
    assert.equal(num('9007199254740992'), '9007199254740992', '2^53 itself is not a safe integer');
    assert.equal(num('9007199254740993'), '9007199254740993');
    assert.equal(num('1234567890.123456789'), '1234567890.123456789');
    assert.equal(num('0000000000000000000012'), 12, 'leading zeros do not count');
    assert.equal(num('0.0000000000000000000000012'), 1.2e-24, 'tiny but short decimals stay numbers');
  });

  it('reads only the [a, b) window of a longer string', () => {
    assert.equal(parseNumeric('xx123yy', 2, 5), 123);
    assert.equal(parseNumeric('123', 1, 1), null);
  });

  it('exposes exact powers of ten', () => {
    assert.equal(POW10.length, 23);
    POW10.forEach((p, i) => assert.equal(p, Number(`1e${i}`)));
  });
});

describe('protocol: KST helpers', () => {
  const t = Date.UTC(2026, 6, 24, 2, 52, 14); // 2026-07-24 11:52:14 KST

  it('formats instants as KST date and time', () => {
    assert.equal(KST_OFFSET_MS, 9 * 3_600_000);
    assert.equal(kstDate(t), '20260724');
    assert.equal(kstTime(t), '115214');
    assert.equal(kstSecondOfDay(t), 11 * 3600 + 52 * 60 + 14);
    assert.equal(kstDate(Date.UTC(2026, 6, 24, 15, 0, 0)), '20260725', '15:00 UTC is midnight KST');
    assert.equal(kstSecondOfDay(Date.UTC(1969, 11, 31, 14, 59, 59)), 23 * 3600 + 59 * 60 + 59, 'before the epoch too');
  });

  it('kstMidnight accepts real dates and rejects impossible ones', () => {
    assert.equal(kstMidnight('20260724'), Date.UTC(2026, 6, 23, 15));
    assert.equal(kstMidnight('20240229'), Date.UTC(2024, 1, 28, 15));
    for (const bad of ['20260231', '20250229', '21000229', '20261301', '20260001', '20260700', '20260732', '2026072', '202607245', '2026-7-4', 'abcdefgh', '']) {
      assert.ok(Number.isNaN(kstMidnight(bad)), bad);
    }
    assert.ok(!Number.isNaN(kstMidnight('20000229')), '2000 is a leap year');
  });

  it('timeOfDayMs accepts 000000–235959 only', () => {
    assert.equal(timeOfDayMs('000000'), 0);
    assert.equal(timeOfDayMs('235959'), 86_399_000);
    for (const bad of ['240000', '236000', '235960', '12345', '1234567', '12:345', '']) assert.ok(Number.isNaN(timeOfDayMs(bad)), bad);
  });

  it('isoKst builds the ISO-8601 string', () => {
    assert.equal(isoKst('20260724', '093015'), '2026-07-24T09:30:15+09:00');
  });

  it('KstStamper stamps (date, time) and leaves the epoch in epochMs', () => {
    const s = new KstStamper();
    assert.equal(s.stamp('20260724', '115214'), '2026-07-24T11:52:14+09:00');
    assert.equal(s.epochMs, t);
    assert.equal(s.stamp('20260724', '115214'), '2026-07-24T11:52:14+09:00', 'memoised');
    assert.equal(s.stamp('20260231', '115214'), null);
    assert.equal(s.epochMs, null);
    assert.equal(s.stamp('20260724', '115214'), '2026-07-24T11:52:14+09:00', 'recovers after an invalid date');
    assert.equal(s.stamp('20260725', ''), null, 'an empty time after a date change is not the previous time');
    assert.equal(s.epochMs, null);
  });

  it('dateFor gives the arrival KST day, and the previous day across midnight', () => {
    const s = new KstStamper();
    const at = (iso: string): number => Date.parse(iso);
    assert.equal(s.dateFor('120755', at('2026-07-24T12:08:00+09:00')), '20260724');
    assert.equal(s.dateFor('235959', at('2026-07-25T00:00:01+09:00')), '20260724', 'a late record after midnight');
    assert.equal(s.dateFor('000001', at('2026-07-25T00:00:02+09:00')), '20260725');
    assert.equal(s.dateFor('125959', at('2026-07-25T00:59:59+09:00')), '20260725', 'exactly 12 h ahead of arrival → same day');
    assert.equal(s.dateFor('130000', at('2026-07-25T00:59:59+09:00')), '20260724', 'more than 12 h ahead of arrival → previous day');
    assert.equal(s.dateFor('', at('2026-01-01T00:00:01+09:00')), '20260101', 'an invalid time takes the arrival day');
    assert.equal(s.dateFor('235959', at('2026-01-01T00:00:01+09:00')), '20251231', 'across a year');
  });
});

describe('protocol: stock codes', () => {
  it('accepts 6-char codes (digits, or letters after a leading digit) and 7-char ETN codes', () => {
    for (const ok of ['005930', '000660', '0009K0', '00104K', 'Q500001', 'Q57001A']) assert.ok(isValidStockCode(ok), ok);
  });

  it('refuses anything else', () => {
    for (const bad of ['', '5930', '05930', '0059300', 'A05930', '005930 ', ' 005930', '00593a', 'q500001', '5500001', 'Q50000', 'Q5000011', '００５９３０', '005-30']) {
      assert.equal(isValidStockCode(bad), false, JSON.stringify(bad));
    }
  });

  it('splits user text into trimmed, upper-cased, unique codes', () => {
    assert.deepEqual(splitCodes(' 005930, 000660\n005930;q500001\t  0009k0 ,, '), ['005930', '000660', 'Q500001', '0009K0']);
    assert.deepEqual(splitCodes(''), []);
  });

  it('knows valid, unique well-known codes with plausible prices', () => {
    assert.equal(new Set(KNOWN_STOCKS.map((s) => s.code)).size, KNOWN_STOCKS.length);
    for (const s of KNOWN_STOCKS) {
      assert.ok(isValidStockCode(s.code), s.code);
      assert.ok(Number.isInteger(s.price) && s.price > 0, s.code);
    }
    assert.equal(knownStock('005930')?.name, '삼성전자');
    assert.equal(knownStock('999999'), undefined);
  });
});
