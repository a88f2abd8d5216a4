import { strict as assert } from 'node:assert';
import { startSimulator } from '../../lib/simulator/server';
import type { RunningSimulator, SimulatorOptions } from '../../lib/simulator/types';

async function post(sim: RunningSimulator, path: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${sim.restUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json; charset=UTF-8' }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('simulator POST /oauth2/tokenP (access token)', () => {
  let sim: RunningSimulator;
  let now = Date.UTC(2026, 6, 24, 1, 0, 0); // 10:00:00 KST
  const start = async (o: SimulatorOptions = {}): Promise<RunningSimulator> => (sim = await startSimulator({ now: () => now, ...o }));
  const tokenBody = (): Record<string, string> => ({ grant_type: 'client_credentials', appkey: sim.appKey, appsecret: sim.appSecret });
  afterEach(async () => {
    await sim?.stop();
    now = Date.UTC(2026, 6, 24, 1, 0, 0);
  });

  it("answers KIS's JSON shape: a JWT-like Bearer token for one day, expiry in KST", async () => {
    await start();
    const r = await post(sim, '/oauth2/tokenP', tokenBody());
    assert.equal(r.status, 200);
    assert.deepEqual(Object.keys(r.body).sort(), ['access_token', 'access_token_token_expired', 'expires_in', 'token_type']);
    const token = String(r.body['access_token']);
    assert.match(token, /^eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    assert.ok(token.length >= 200, `token length ${token.length}`);
    assert.equal(r.body['token_type'], 'Bearer');
    assert.equal(r.body['expires_in'], 86400);
    assert.equal(r.body['access_token_token_expired'], '2026-07-25 10:00:00');
    const payload = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
    assert.ok(!JSON.stringify(payload).includes(sim.appKey) && !token.includes(sim.appSecret), 'the token names no credential');
    assert.equal(sim.stats().tokensIssued, 1);
  });

  it('refuses a second call within a minute (EGW00133), returns the same token within 6 h, a new one after', async () => {
    await start();
    const first = String((await post(sim, '/oauth2/tokenP', tokenBody())).body['access_token']);
    now += 30_000;
    const soon = await post(sim, '/oauth2/tokenP', tokenBody());
    assert.deepEqual([soon.status, soon.body['error_code']], [403, 'EGW00133']);
    now += 60_000;
    const again = await post(sim, '/oauth2/tokenP', tokenBody());
    assert.equal(again.body['access_token'], first, 'same token within 6 h');
    assert.equal(again.body['expires_in'], 86400 - 90, 'the remaining lifetime');
    now += 6 * 3_600_000;
    const fresh = await post(sim, '/oauth2/tokenP', tokenBody());
    assert.notEqual(fresh.body['access_token'], first);
    assert.equal(sim.stats().tokensIssued, 2);
  });

  it('checks grant type, app key and appsecret (not secretkey) with the OAuth error bodies', async () => {
    await start({ tokenMinIntervalMs: 0 });
    const cases: [Record<string, unknown> | string, string][] = [
      [{ ...tokenBody(), appsecret: 'wrong' }, 'EGW00105'],
      [{ grant_type: 'client_credentials', appkey: sim.appKey, secretkey: sim.appSecret }, 'EGW00104'],
      [{ ...tokenBody(), appkey: 'PSnotAKnownKey' }, 'EGW00103'],
      [{ ...tokenBody(), grant_type: 'password' }, 'EGW00116'],
      ['not json', 'EGW00115'],
    ];
    for (const [body, code] of cases) {
      const r = await post(sim, '/oauth2/tokenP', body);
      assert.deepEqual([r.status, r.body['error_code']], [403, code], JSON.stringify(body));
      assert.ok(!JSON.stringify(r.body).includes(sim.appSecret));
    }
    assert.equal(sim.stats().tokensIssued, 0);
  });

  it('revokes a token (POST /oauth2/revokeP), after which a new one is issued', async () => {
    await start({ tokenMinIntervalMs: 0 });
    const token = String((await post(sim, '/oauth2/tokenP', tokenBody())).body['access_token']);
    const bad = await post(sim, '/oauth2/revokeP', { appkey: sim.appKey, appsecret: sim.appSecret, token: 'nope' });
    assert.equal(bad.status, 403);
    const ok = await post(sim, '/oauth2/revokeP', { appkey: sim.appKey, appsecret: sim.appSecret, token });
    assert.deepEqual([ok.status, ok.body['code']], [200, '200']);
    assert.notEqual((await post(sim, '/oauth2/tokenP', tokenBody())).body['access_token'], token);
  });

  it('fails on demand like the approval endpoint', async () => {
    await start();
    sim.faults.approval('500');
    assert.equal((await post(sim, '/oauth2/tokenP', tokenBody())).status, 500);
    sim.faults.approval('ok');
    assert.equal((await post(sim, '/oauth2/tokenP', tokenBody())).status, 200);
  });

  it('still answers an unknown path with 404 naming what it serves', async () => {
    await start();
    const r = await post(sim, '/oauth2/token', tokenBody());
    assert.equal(r.status, 404);
    assert.match(String(r.body['error_description']), /\/oauth2\/tokenP/);
  });
});
