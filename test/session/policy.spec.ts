import { strict as assert } from 'node:assert';
import {
  ackRetryDelayMs,
  approvalFailure,
  approvalTimeoutMs,
  backoffMs,
  ceilingWaitMs,
  decide,
  POLICY_DEFAULTS,
  subscribeAckVerdict,
  wasHealthy,
  type PolicyOptions,
} from '../../lib/session/policy';

const O: PolicyOptions = { initialDelayMs: 1000, maxDelayMs: 60_000, jitter: 0, inUseDelayMs: 30_000, rateLimitDelayMs: 61_000, healthyAfterMs: 60_000, ceiling: { perMinute: 6, perHour: 60 } };

describe('session/policy (pure)', () => {
  it('has the documented defaults: healthy after 60 s, 6 connects a minute, 60 an hour', () => {
    assert.equal(POLICY_DEFAULTS.healthyAfterMs, 60_000);
    assert.deepEqual({ ...POLICY_DEFAULTS.ceiling }, { perMinute: 6, perHour: 60 });
  });

  it('counts a connection as healthy only after it stayed up healthyAfterMs', () => {
    assert.equal(wasHealthy(59_999, O), false);
    assert.equal(wasHealthy(60_000, O), true);
  });

  it('backs off exponentially in the streak, capped, jitter only shortening', () => {
    assert.deepEqual([1, 2, 3, 4, 7, 8, 50].map((n) => backoffMs(n, O)), [1000, 2000, 4000, 8000, 60_000, 60_000, 60_000]);
    assert.equal(backoffMs(3, { ...O, jitter: 0.2 }, () => 1), 3200);
    assert.equal(backoffMs(3, { ...O, jitter: 0.2 }, () => 0), 4000);
    assert.equal(backoffMs(0, O), 1000);
  });

  it('stops on configuration errors, waits on rate limits and OPSP8996, backs off on the rest', () => {
    assert.deepEqual(decide({ kind: 'config' }, 1, O), { action: 'stop' });
    assert.deepEqual(decide({ kind: 'rate-limit', waitMs: 61_000 }, 1, O), { action: 'retry', delayMs: 61_000 });
    assert.deepEqual(decide({ kind: 'rate-limit', waitMs: 1000 }, 8, O), { action: 'retry', delayMs: 60_000 }, 'never shorter than the streak backoff');
    assert.deepEqual(decide({ kind: 'in-use' }, 1, O), { action: 'retry', delayMs: 30_000 });
    assert.deepEqual(decide({ kind: 'transient' }, 3, O), { action: 'retry', delayMs: 4000 });
    assert.deepEqual(decide({ kind: 'key-expired' }, 1, O), { action: 'retry', delayMs: 0 });
    assert.deepEqual(decide({ kind: 'key-expired' }, 2, O), { action: 'retry', delayMs: 2000 }, 'a second OPSP0011 in a row backs off');
  });

  it('sorts approval failures by the EGW code first, the HTTP status second', () => {
    assert.deepEqual(approvalFailure({ status: 403, code: 'EGW00103' }, O), { kind: 'config' });
    assert.deepEqual(approvalFailure({ status: 403, code: 'EGW00105' }, O), { kind: 'config' });
    assert.deepEqual(approvalFailure({ status: 403, code: 'EGW00133' }, O), { kind: 'rate-limit', waitMs: 61_000 }, '403 is not always a credential error');
    assert.deepEqual(approvalFailure({ status: 500, code: 'EGW00201' }, O), { kind: 'rate-limit', waitMs: 1000 });
    assert.deepEqual(approvalFailure({ status: 500, code: 'EGW00201', retryAfterMs: 5000 }, O), { kind: 'rate-limit', waitMs: 5000 });
    assert.deepEqual(approvalFailure({ status: 500, code: 'EGW00002' }, O), { kind: 'transient' });
    assert.deepEqual(approvalFailure({ status: 500, code: 'EGW99999' }, O), { kind: 'transient' }, 'unknown codes do not stop');
    assert.deepEqual(approvalFailure({ status: 429 }, O), { kind: 'rate-limit', waitMs: 61_000 });
    assert.deepEqual(approvalFailure({ status: 429, retryAfterMs: 7000 }, O), { kind: 'rate-limit', waitMs: 7000 });
    assert.deepEqual(approvalFailure({ status: 404 }, O), { kind: 'config' });
    assert.deepEqual(approvalFailure({ status: 503 }, O), { kind: 'transient' });
    assert.deepEqual(approvalFailure({}, O), { kind: 'transient' }, 'network errors and timeouts');
  });

  it('lengthens the approval timeout after timeouts in a row (a slow KIS still connects)', () => {
    assert.deepEqual([0, 1, 2, 3, 9].map((n) => approvalTimeoutMs(30_000, n)), [30_000, 60_000, 120_000, 120_000, 120_000]);
  });

  it('re-sends an unacknowledged subscribe with backoff', () => {
    assert.deepEqual([1, 2, 3].map((n) => ackRetryDelayMs(n, O)), [1000, 2000, 4000]);
  });

  it('keeps connects under the per-minute and per-hour ceilings', () => {
    const c = { perMinute: 3, perHour: 5 };
    assert.deepEqual(ceilingWaitMs([], 0, c), { waitMs: 0, window: null });
    assert.deepEqual(ceilingWaitMs([0, 10_000], 20_000, c), { waitMs: 0, window: null });
    assert.deepEqual(ceilingWaitMs([0, 10_000, 20_000], 30_000, c), { waitMs: 30_000, window: 'minute' }, 'the oldest must leave the minute');
    assert.deepEqual(ceilingWaitMs([0, 10_000, 20_000], 60_001, c), { waitMs: 0, window: null });
    const hour = [0, 100_000, 200_000, 300_000, 400_000];
    assert.deepEqual(ceilingWaitMs(hour, 500_000, c), { waitMs: 3_100_000, window: 'hour' });
    assert.deepEqual(ceilingWaitMs([...hour].reverse(), 500_000, c), { waitMs: 3_100_000, window: 'hour' }, 'order does not matter');
  });

  it('treats OPSP0002 as success and only definite refusals as final', () => {
    assert.equal(subscribeAckVerdict('OPSP0000'), 'live');
    assert.equal(subscribeAckVerdict('OPSP0002'), 'live');
    assert.equal(subscribeAckVerdict('OPSP0007'), 'resend');
    assert.equal(subscribeAckVerdict('OPSP0008'), 'refuse');
    assert.equal(subscribeAckVerdict('OPSP8992'), 'refuse');
    assert.equal(subscribeAckVerdict('OPSP0011'), 'new-key');
    assert.equal(subscribeAckVerdict('OPSP8996'), 'in-use');
  });
});
