import { strict as assert } from 'node:assert';
import { backoffDelay, resolveReconnect } from '../../lib/session/backoff';
import { RECONNECT_DEFAULTS } from '../../lib/session/types';
import { Prng } from '../fixtures/prng';

describe('session/backoff', () => {
  it('defaults to 1 s doubling up to 60 s, retry forever, up to 20 % shorter by jitter, 30 s after OPSP8996', () => {
    assert.deepEqual(resolveReconnect(undefined), RECONNECT_DEFAULTS);
    assert.deepEqual({ ...RECONNECT_DEFAULTS }, { initialDelayMs: 1000, maxDelayMs: 60000, maxRetries: 0, jitter: 0.2, inUseDelayMs: 30000 });
  });

  it('doubles from the initial delay and stops at the cap (no jitter)', () => {
    const o = resolveReconnect({ jitter: 0 });
    const delays = [1, 2, 3, 4, 5, 6, 7, 8, 50, 5000].map((n) => backoffDelay(n, o));
    assert.deepEqual(delays, [1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000, 60000]);
  });

  it('jitter only shortens: delays within [base × (1 − jitter), base], never above the cap', () => {
    const o = resolveReconnect({ initialDelayMs: 100, maxDelayMs: 1600, jitter: 0.5 });
    const rng = new Prng(42);
    const seen = new Set<number>();
    for (let n = 1; n <= 8; n++) {
      const base = Math.min(1600, 100 * 2 ** (n - 1));
      for (let i = 0; i < 200; i++) {
        const d = backoffDelay(n, o, () => rng.next());
        assert.ok(d >= base * 0.5 - 1 && d <= base, `retry ${n}: ${d}`);
        seen.add(d);
      }
    }
    assert.ok(seen.size > 100, 'jitter actually varies the delay');
    assert.equal(backoffDelay(1, o, () => 0), 100);
    assert.equal(backoffDelay(1, o, () => 0.999999), 50);
    assert.equal(backoffDelay(3, o, () => 0), 400);
    assert.equal(backoffDelay(3, o, () => 0.5), 300);
  });

  it('clamps nonsense options', () => {
    const o = resolveReconnect({ initialDelayMs: -5, maxDelayMs: 0, maxRetries: -3, jitter: 7 });
    assert.equal(o.initialDelayMs, 1);
    assert.ok(o.maxDelayMs >= o.initialDelayMs);
    assert.equal(o.maxRetries, 0);
    assert.equal(o.jitter, 0.5);
    assert.equal(resolveReconnect({ maxRetries: undefined }).maxRetries, 0, 'undefined does not override a default');
  });
});
