import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { kstDate } from '../../lib/protocol/kst';
import { clockText, isTradingDay, nextOpen, sessionAt, sessionsOn, SESSION_RULES } from '../../lib/protocol/market-calendar';
import { marketSession } from '../../lib/protocol/market-hours';
import { marketClockOf } from '../../nodes/market-clock';
import type { Venue } from '../../lib/protocol/tr-tables';
import { REPO_ROOT } from './support/doc-fixture';

/** An instant in KST. */
function kst(date: string, time: string): number {
  return Date.parse(`${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}T${time}+09:00`);
}

describe('protocol: market calendar (docs/protocol/market-calendar.md)', () => {
  it('knows the KRX sessions of a day before the 2026-09-14 change, 시간외 단일가 included', () => {
    const day = '20260911'; // Friday, the last 시간외 단일가 session
    assert.deepEqual(sessionsOn('KRX', day).map((r) => r.kind).sort(), ['after-hours-single-price', 'closing-auction', 'opening-auction', 'post-close-price', 'pre-open-close-price', 'regular']);
    assert.equal(sessionAt('KRX', kst(day, '17:59:59')).session?.kind, 'after-hours-single-price');
    assert.equal(sessionAt('KRX', kst(day, '18:00:00')).session, null);
    assert.equal(sessionAt('KRX', kst(day, '19:00:00')).session, null);
  });

  it('switches KRX to the 16:00–20:00 after-market from 2026-09-14 (dated in the table)', () => {
    const day = '20260914'; // Monday
    assert.equal(sessionAt('KRX', kst(day, '17:00')).session?.kind, 'after-market');
    assert.equal(sessionAt('KRX', kst(day, '19:59:59')).session?.kind, 'after-market');
    assert.equal(sessionAt('KRX', kst(day, '20:00')).session, null);
    assert.ok(!sessionsOn('KRX', day).some((r) => r.kind === 'after-hours-single-price'));
    assert.equal(marketSession('KRX', kst(day, '17:00')).label, 'after-market', 'the simulator trades KRX in the after-market');
    assert.equal(marketSession('KRX', kst('20260911', '17:00')).open, false, 'but not in 시간외 단일가 (a call auction)');
  });

  it('names overlapping sessions in priority order and gives their end', () => {
    const s = sessionAt('KRX', kst('20261201', '08:35'));
    assert.equal(s.session?.kind, 'opening-auction');
    assert.deepEqual(s.all.map((r) => r.kind), ['opening-auction', 'pre-open-close-price']);
    assert.equal(s.endsAt, kst('20261201', '09:00'));
    assert.equal(sessionAt('UN', kst('20261201', '08:10')).session?.kind, 'pre-market', '통합: NXT when KRX has none');
    assert.equal(sessionAt('UN', kst('20261201', '09:00:10')).session?.kind, 'regular', '통합: KRX first');
  });

  it('knows the NXT sessions and gaps, and the next open across a weekend', () => {
    assert.equal(sessionAt('NXT', kst('20261201', '08:55')).session, null);
    assert.equal(nextOpen('NXT', kst('20261201', '08:55')), kst('20261201', '09:00:30'));
    assert.equal(sessionAt('NXT', kst('20261201', '15:35')).session?.kind, 'after-market-auction');
    const fridayNight = kst('20261204', '21:00');
    assert.equal(kstDate(nextOpen('KRX', fridayNight)), '20261207');
    assert.equal(nextOpen('KRX', fridayNight), kst('20261207', '08:30'));
    assert.equal(nextOpen('UN', fridayNight), kst('20261207', '08:00'));
    assert.equal(isTradingDay('20261205'), false);
    assert.deepEqual(sessionsOn('KRX', '20261206'), []);
  });

  it('is one table of well-formed rules with sources', () => {
    for (const r of SESSION_RULES) {
      assert.ok(r.start < r.end && r.end <= 24 * 3600, `${r.venue} ${r.kind}`);
      assert.ok(r.ko.length > 0 && r.en.length > 0 && r.source.length > 0, `${r.venue} ${r.kind}`);
      if (r.from !== null && r.until !== null) assert.ok(r.from <= r.until);
    }
    assert.equal(clockText(9 * 3600 + 30), '09:00:30');
  });
});

describe('README hours table and the badge say the same thing', () => {
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('<!-- BEGIN GENERATED:hours -->'), readme.indexOf('<!-- END GENERATED:hours -->'));
  /** The rows as the README states them: venue, [start, end) seconds, from/until dates. */
  const rows = [...section.matchAll(/^\| (KRX|NXT) \| (\d\d:\d\d(?::\d\d)?)–(\d\d:\d\d(?::\d\d)?) \|[^\n]*\| (—|[^|]*) \| [^|]* \|$/gm)].map((m) => {
    const sec = (t: string): number => t.split(':').map(Number).reduce((a, x, i) => a + x * [3600, 60, 1][i]!, 0);
    const dated = m[4] ?? '';
    const since = /since (\d{4})-(\d\d)-(\d\d)/.exec(dated), until = /until (\d{4})-(\d\d)-(\d\d)/.exec(dated);
    return {
      venue: m[1] as 'KRX' | 'NXT', start: sec(m[2] ?? ''), end: sec(m[3] ?? ''),
      from: since === null ? null : since.slice(1).join(''), until: until === null ? null : until.slice(1).join(''),
    };
  });

  it('lists every session of the calendar', () => {
    assert.equal(rows.length, SESSION_RULES.length);
  });

  it('says the badge shows "market closed" only outside these sessions', () => {
    assert.match(readme, /`market closed · opens …` exactly when the chosen\s+exchange is in \*\*none\*\* of these sessions/);
  });

  it('badge open ⇔ some README row covers the instant, every 5 minutes of two weeks around the 2026-09-14 change', () => {
    const readmeOpen = (venue: Venue, t: number): boolean => {
      const date = kstDate(t);
      if (!isTradingDay(date)) return false;
      const second = (t - kst(date, '00:00')) / 1000;
      const venues = venue === 'UN' ? ['KRX', 'NXT'] : [venue];
      return rows.some((r) => venues.includes(r.venue) && second >= r.start && second < r.end && (r.from === null || date >= r.from) && (r.until === null || date <= r.until));
    };
    const mismatches: string[] = [];
    for (let t = kst('20260907', '00:00'); t < kst('20260921', '00:00'); t += 5 * 60_000) {
      for (const venue of ['KRX', 'NXT', 'UN'] as const) {
        if (marketClockOf(venue, t).open !== readmeOpen(venue, t)) mismatches.push(`${venue} ${new Date(t).toISOString()}`);
      }
    }
    assert.deepEqual(mismatches.slice(0, 5), []);
  });

  it('a closed badge names the next session start', () => {
    assert.deepEqual(marketClockOf('KRX', kst('20261201', '07:00')), { open: false, opensAt: '08:30' });
    assert.deepEqual(marketClockOf('KRX', kst('20261201', '17:00')), { open: true, opensAt: null });
    assert.deepEqual(marketClockOf('KRX', kst('20261201', '15:35')), { open: false, opensAt: '15:40' });
  });
});
