/**
 * kis-config and the data nodes applying the session's failure policy, in a Node-RED runtime
 * against the hostile KIS: a configuration error stops with one node.error and a red badge, the
 * log tells "cannot connect yet" from "connection lost", the badges of waits and of the connect
 * ceiling, and status texts redacted by kis-config itself. Badge texts are checked through the
 * real en-US and ko catalogs (the test helper's RED._ returns keys).
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { clearApprovalKeyCache } from '../../lib/session/approval';
import { resetConnectGates } from '../../lib/session/connect-gate';
import type { SessionState } from '../../lib/session/types';
import { statusFor, type Translate } from '../../nodes/status';
import type { KisConfigNode, UserFacts } from '../../nodes/types';
import configModule = require('../../nodes/kis-config');
import tickModule = require('../../nodes/kis-tick');
import quoteModule = require('../../nodes/kis-quote');
import { startHostileKis, type HostileKis } from '../support/hostile-kis';
import { callsOf, configNode, credsFor, dataNode, delay, helper, helperNode, lastStatus, SENTINEL, TAB, until } from './support';

helper.init(require.resolve('node-red'));
const MODULES = [configModule, tickModule, quoteModule] as unknown as ((RED: never) => void)[];
const SETTINGS = { nodeCloseTimeout: 500, kisConfigApprovalTimeoutMs: 300, kisConfigJitter: 0, kisConfigMarketClock: false };

function catalog(lang: 'en-US' | 'ko'): Translate {
  const root = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'nodes', 'locales', lang, 'kis-config.json'), 'utf8')) as Record<string, unknown>;
  return (key, params) => {
    const value = key.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], root);
    if (typeof value !== 'string') return key;
    return value.replace(/__(\w+)__/g, (_m, name: string) => String(params?.[name] ?? ''));
  };
}
const FACTS: UserFacts = { codes: 1, exchange: 'KRX', refused: null, problem: null };

describe('nodes/the failure policy in the badges and logs', function () {
  this.timeout(20000);
  let kis: HostileKis;

  before(() => helper.startServer());
  after(() => helper.stopServer());
  beforeEach(async () => {
    clearApprovalKeyCache();
    resetConnectGates();
    kis = await startHostileKis({ credentials: SENTINEL });
    helper.settings(SETTINGS);
  });
  afterEach(async () => {
    await helper.unload();
    await kis.stop();
    helper.settings({});
  });

  const flow = () => [TAB, configNode({ restUrl: kis.restUrl, wsUrl: kis.wsUrl, reconnectInitialMs: 50, reconnectMaxMs: 200 }), dataNode('kis-tick', 't1', { codes: '005930' }), helperNode()];

  it('a wrong app key stops: red badge with the EGW code, exactly one node.error, one approval call', async () => {
    kis.approval = { kind: 'status', status: 403, body: JSON.stringify({ error_code: 'EGW00103', error_description: '유효하지 않은 AppKey입니다.' }) };
    await helper.load(MODULES, flow(), credsFor());
    const t1 = helper.getNode('t1');
    await until('red badge', () => lastStatus(t1)?.fill === 'red', 5000);
    await delay(500);
    assert.match(String(lastStatus(t1)?.text), /^EGW00103 /);
    assert.equal(callsOf(t1, 'error').length, 1, 'one node.error for catch nodes');
    assert.equal(kis.stats.approvalCalls.length, 1, 'not retried');
    const warns = callsOf(helper.getNode('c1'), 'warn').map((c) => String(c[0]));
    assert.ok(warns.some((w) => w.startsWith('kis-config.log.failed-config')), warns.join('\n'));
  });

  it('says "cannot connect yet", not "connection lost", when no connection was made', async () => {
    kis.approval = { kind: 'status', status: 500, body: '' };
    await helper.load(MODULES, flow(), credsFor());
    const c1 = helper.getNode('c1');
    await until('a warning', () => callsOf(c1, 'warn').length > 0, 5000);
    const warns = callsOf(c1, 'warn').map((c) => String(c[0]));
    assert.ok(warns[0]?.startsWith('kis-config.log.retrying'), warns.join('\n'));
    assert.ok(!warns.some((w) => w.startsWith('kis-config.log.reconnecting')));
    assert.ok(!warns.some((w) => /HTTP 500 HTTP 500/.test(w)), 'no doubled code');
  });

  it('kis-config redacts status texts itself (a reason echoing the app key)', async () => {
    await helper.load(MODULES, flow(), credsFor());
    const c1 = helper.getNode('c1') as unknown as KisConfigNode;
    const st = c1.statusFor({ state: 'failed', reason: `KIS said ${SENTINEL.appKey} and ${SENTINEL.appSecret}` }, FACTS);
    assert.ok(!String(st.text).includes(SENTINEL.appKey.slice(0, 12)) && !String(st.text).includes(SENTINEL.appSecret.slice(0, 12)), String(st.text));
    assert.match(String(st.text), /\*\*\*/);
  });

  it('badges name what the session waits for, in en-US and ko', () => {
    const en = catalog('en-US'), ko = catalog('ko');
    const failed: SessionState = { state: 'failed', reason: 'x', code: 'EGW00103', cause: 'config' };
    assert.deepEqual(statusFor(failed, FACTS, null, ko), { fill: 'red', shape: 'ring', text: 'EGW00103 앱키 또는 시크릿이 올바르지 않습니다' });
    assert.equal(statusFor(failed, FACTS, null, en).text, 'EGW00103 app key or secret invalid');
    const wait = (waiting: 'ceiling' | 'rate-limit' | 'in-use' | 'backoff', code?: string): SessionState => ({ state: 'reconnecting', retry: 3, maxRetries: 0, delayMs: 41_500, reason: 'r', waiting, ...(code !== undefined && { code }) });
    assert.equal(statusFor(wait('ceiling', 'CEILING'), FACTS, null, en).text, 'connect limit reached · retry in 42 s');
    assert.equal(statusFor(wait('ceiling', 'CEILING'), FACTS, null, ko).text, '접속 한도 도달 · 42초 후 재시도');
    assert.equal(statusFor(wait('rate-limit', 'EGW00133'), FACTS, null, en).text, 'KIS rate limit · retry in 42 s');
    assert.equal(statusFor(wait('in-use', 'OPSP8996'), FACTS, null, ko).text, '앱키 사용 중 · 42초 후 재시도');
    assert.equal(statusFor(wait('backoff', 'HTTP 500'), FACTS, null, en).text, 'reconnecting 3/∞ · HTTP 500 KIS server error');
    assert.equal(statusFor(wait('backoff'), FACTS, null, ko).text, '재접속 중 3/∞');
  });
});
