/**
 * 장운영정보 → badge: the phase a 장운영정보 record announced replaces the calendar's clock in the
 * badges until the next announcement, the end of the KST day, or the calendar's own state flips.
 */
import assert from 'node:assert/strict';
import { kstMidnight } from '../../lib/protocol/kst';
import { MarketObserver } from '../../nodes/market-observer';
import { statusFor } from '../../nodes/status';
import type { MarketClock, UserFacts } from '../../nodes/types';

const t = (key: string, p?: Record<string, string | number>): string => (p === undefined ? key : `${key} ${JSON.stringify(p)}`);
const facts: UserFacts = { codes: 2, exchange: 'KRX', refused: null, problem: null };
const connected = { state: 'connected', registrations: 2 } as const;
const at = (hh: number, mm: number, date = '20261201'): number => kstMidnight(date) + (hh * 60 + mm) * 60_000;
const OPEN: MarketClock = { open: true, opensAt: null };
const CLOSED: MarketClock = { open: false, opensAt: '09:00' };

describe('nodes: the market phase announced by 장운영정보 drives the badges', () => {
  it('without an announcement the calendar clock is shown as it is', () => {
    const o = new MarketObserver();
    assert.equal(o.clockFor('KRX', at(10, 0), OPEN), OPEN);
    assert.equal(o.clockFor('KRX', at(10, 0), null), null);
  });

  it('an announced auction, halt or close replaces the clock (also where there is no calendar, e.g. the simulator)', () => {
    const o = new MarketObserver();
    assert.equal(o.observe('KRX', 'halted', at(10, 0), OPEN), true);
    assert.deepEqual(o.clockFor('KRX', at(10, 1), OPEN), { open: false, opensAt: null, phase: 'halted' });
    assert.equal(o.clockFor('NXT', at(10, 1), OPEN), OPEN, 'another venue is not affected');
    assert.equal(o.observe('KRX', 'halted', at(10, 2), OPEN), false, 'the same phase again changes nothing');
    o.observe('KRX', 'open', at(10, 20), OPEN);
    assert.deepEqual(o.clockFor('KRX', at(10, 21), OPEN), { open: true, opensAt: null, phase: 'open' });
    o.observe('UN', 'auction', at(15, 20), null);
    assert.deepEqual(o.clockFor('UN', at(15, 21), null), { open: false, opensAt: null, phase: 'auction' });
  });

  it('the announcement expires when the calendar flips or the KST day ends', () => {
    const o = new MarketObserver();
    o.observe('KRX', 'auction', at(8, 55), CLOSED);
    assert.equal(o.clockFor('KRX', at(8, 58), CLOSED)?.phase, 'auction');
    assert.equal(o.clockFor('KRX', at(9, 1), OPEN), OPEN, 'the calendar opened: back to the calendar');
    o.observe('KRX', 'closed', at(15, 30), null);
    assert.equal(o.clockFor('KRX', at(23, 59), null)?.phase, 'closed');
    assert.equal(o.clockFor('KRX', at(0, 1, '20261202'), null), null, 'a new KST day forgets it');
  });

  it('the badge reads the announced phase: auction blue dot, halted yellow ring, closed blue ring', () => {
    assert.deepEqual(statusFor(connected, facts, { open: false, opensAt: null, phase: 'auction' }, t), { fill: 'blue', shape: 'dot', text: 'kis-config.status.market-auction {"n":2}' });
    assert.deepEqual(statusFor(connected, facts, { open: false, opensAt: null, phase: 'halted' }, t), { fill: 'yellow', shape: 'ring', text: 'kis-config.status.market-halted {"n":2}' });
    assert.deepEqual(statusFor(connected, facts, { open: false, opensAt: null, phase: 'closed' }, t), { fill: 'blue', shape: 'ring', text: 'kis-config.status.market-closed {"n":2}' });
    assert.equal(statusFor(connected, facts, { open: true, opensAt: null, phase: 'open' }, t).fill, 'green');
  });
});
