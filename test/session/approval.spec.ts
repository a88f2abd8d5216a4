import { strict as assert } from 'node:assert';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  ApprovalError,
  clearApprovalKeyCache,
  getApprovalKey,
  hasCachedApprovalKey,
  invalidateApprovalKey,
  redactSecrets,
} from '../../lib/session/approval';

const APP_KEY = 'PSapprovalTestAppKey0000000000000001';
const APP_SECRET = 'approval-test-secret-'.padEnd(180, 'S');

type Mode = 'ok' | '403' | '500' | 'timeout' | 'echo-secret' | 'no-key';

interface Fake {
  server: Server;
  url: string;
  mode: Mode;
  calls: { path: string; body: unknown }[];
  issued: number;
  hanging: ServerResponse[];
}

async function startFake(): Promise<Fake> {
  const fake: Fake = { server: createServer(), url: '', mode: 'ok', calls: [], issued: 0, hanging: [] };
  fake.server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      fake.calls.push({ path: req.url ?? '', body: JSON.parse(body) });
      const json = (status: number, o: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(o));
      switch (fake.mode) {
        case 'ok': fake.issued++; return json(200, { approval_key: `approval-${fake.issued}-0000-4000-8000-000000000000` });
        case '403': return json(403, { error_code: 'EGW00103', error_description: '유효하지 않은 AppKey입니다.' });
        case '500': return json(500, { error_code: 'EGW00999', error_description: 'internal' });
        case 'echo-secret': return json(403, { error_code: 'EGW00105', error_description: `bad secret ${APP_SECRET} for ${APP_KEY}` });
        case 'no-key': return json(200, { hello: 1 });
        case 'timeout': fake.hanging.push(res); return undefined;
      }
    });
  });
  await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(fake.server.address() as AddressInfo).port}`;
  return fake;
}

async function stopFake(fake: Fake): Promise<void> {
  for (const r of fake.hanging) r.destroy();
  fake.server.closeAllConnections();
  await new Promise<void>((resolve) => fake.server.close(() => resolve()));
}

async function rejection(p: Promise<unknown>): Promise<ApprovalError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof ApprovalError, `expected ApprovalError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected a rejection');
}

function assertNoSecrets(text: string, ...keys: string[]): void {
  for (const k of [APP_KEY, APP_SECRET, ...keys]) assert.ok(!text.includes(k), `secret leaked into: ${text.slice(0, 120)}`);
}

describe('session/approval key', () => {
  let fake: Fake;
  beforeEach(async () => {
    clearApprovalKeyCache();
    fake = await startFake();
  });
  afterEach(async () => {
    clearApprovalKeyCache();
    await stopFake(fake);
  });

  const req = (extra: Partial<Parameters<typeof getApprovalKey>[0]> = {}) => ({ restUrl: fake.url, appKey: APP_KEY, appSecret: APP_SECRET, timeoutMs: 2000, ...extra });

  it('POSTs {grant_type, appkey, secretkey} to /oauth2/Approval and caches the key per server and app key', async () => {
    const k1 = await getApprovalKey(req());
    const k2 = await getApprovalKey(req());
    assert.equal(k1, k2);
    assert.equal(fake.calls.length, 1, 'second call served from the cache');
    assert.equal(fake.calls[0]?.path, '/oauth2/Approval');
    assert.deepEqual(fake.calls[0]?.body, { grant_type: 'client_credentials', appkey: APP_KEY, secretkey: APP_SECRET });
    assert.ok(hasCachedApprovalKey(fake.url, APP_KEY));
    assert.ok(!hasCachedApprovalKey(fake.url, 'another-app-key'));
    await getApprovalKey(req({ appKey: 'another-app-key' }));
    assert.equal(fake.calls.length, 2, 'another app key gets its own key');
  });

  it('shares one request between concurrent callers', async () => {
    const keys = await Promise.all([getApprovalKey(req()), getApprovalKey(req()), getApprovalKey(req())]);
    assert.equal(new Set(keys).size, 1);
    assert.equal(fake.calls.length, 1);
  });

  it('expires the cached key after 23 h', async () => {
    let now = 1_000_000;
    const k1 = await getApprovalKey(req({ now: () => now }));
    now += 22 * 3600_000;
    assert.equal(await getApprovalKey(req({ now: () => now })), k1);
    now += 1 * 3600_000 + 1;
    const k2 = await getApprovalKey(req({ now: () => now }));
    assert.notEqual(k2, k1);
    assert.equal(fake.calls.length, 2);
  });

  it('re-issues after invalidation (OPSP0011), but not when someone already renewed it', async () => {
    const k1 = await getApprovalKey(req());
    invalidateApprovalKey(fake.url, APP_KEY, 'some-older-key');
    assert.equal(await getApprovalKey(req()), k1, 'onlyIf did not match: kept');
    invalidateApprovalKey(fake.url, APP_KEY, k1);
    const k2 = await getApprovalKey(req());
    assert.notEqual(k2, k1);
    assert.equal(fake.calls.length, 2);
  });

  it('reports 403 as rejected with the gateway code, 500 as server, a hang as timeout; nothing cached', async () => {
    fake.mode = '403';
    const e403 = await rejection(getApprovalKey(req()));
    assert.equal(e403.kind, 'rejected');
    assert.equal(e403.status, 403);
    assert.equal(e403.code, 'EGW00103');
    assert.match(e403.message, /HTTP 403.*EGW00103/);
    fake.mode = '500';
    const e500 = await rejection(getApprovalKey(req()));
    assert.equal(e500.kind, 'server');
    assert.equal(e500.status, 500);
    fake.mode = 'timeout';
    const t0 = Date.now();
    const eTo = await rejection(getApprovalKey(req({ timeoutMs: 150 })));
    assert.equal(eTo.kind, 'timeout');
    assert.ok(Date.now() - t0 < 1500);
    fake.mode = 'no-key';
    assert.equal((await rejection(getApprovalKey(req()))).kind, 'bad-response');
    assert.ok(!hasCachedApprovalKey(fake.url, APP_KEY));
    for (const e of [e403, e500, eTo]) assertNoSecrets(`${e.message} ${e.stack ?? ''}`);
  });

  it('reports a refused connection as network and an abort as aborted', async () => {
    const port = (fake.server.address() as AddressInfo).port;
    await stopFake(fake);
    const eNet = await rejection(getApprovalKey(req({ restUrl: `http://127.0.0.1:${port}` })));
    assert.equal(eNet.kind, 'network');
    fake = await startFake();
    fake.mode = 'timeout';
    const ac = new AbortController();
    const p = getApprovalKey(req({ signal: ac.signal }));
    setTimeout(() => ac.abort(), 30);
    assert.equal((await rejection(p)).kind, 'aborted');
  });

  it('never repeats a credential the server echoes in its error text', async () => {
    fake.mode = 'echo-secret';
    const e = await rejection(getApprovalKey(req()));
    assertNoSecrets(e.message);
    assert.match(e.message, /bad secret \*\*\* for \*\*\*/);
    assert.equal(redactSecrets('a KEY1 b KEY1', ['KEY1', undefined, '']), 'a *** b ***');
  });
});
