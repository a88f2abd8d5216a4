/**
 * The message flow of KIS's own Python clients (open-trading-api `examples_user/kis_auth.py`
 * KISWebSocket, and `legacy/websocket/python/ws_domestic_overseas_all.py`), replayed in
 * TypeScript because their dependencies (websockets, pandas, pycryptodome) are not installed
 * here: access token first, then the approval key, then one socket with the subscriptions sent
 * one by one, PINGPONG answered with a WebSocket pong control frame carrying the text, and each
 * data frame split on `|` and `^` into the TR's column list.
 */
import { strict as assert } from 'node:assert';
import { createDecipheriv } from 'node:crypto';
import WebSocket from 'ws';
import { TR_TABLES, type TrId } from '../../lib/protocol/tr-tables';
import { startSimulator } from '../../lib/simulator/server';
import type { RunningSimulator, SimulatorOptions } from '../../lib/simulator/types';
import { sleep } from './support';

/** kis_auth.aes_cbc_base64_dec: AES-256-CBC, key and iv as UTF-8 text, base64 cipher text, PKCS#7 padding. */
function decryptAes(base64: string, key: string, iv: string): string {
  const d = createDecipheriv('aes-256-cbc', Buffer.from(key, 'utf8'), Buffer.from(iv, 'utf8'));
  return Buffer.concat([d.update(Buffer.from(base64, 'base64')), d.final()]).toString('utf8');
}

interface SampleRun {
  readonly ws: WebSocket;
  readonly acks: Record<string, unknown>[];
  readonly rows: Map<string, number>;
  readonly pings: number;
  readonly closed: Promise<number>;
}

async function officialClient(sim: RunningSimulator, subs: readonly [TrId, string][]): Promise<SampleRun> {
  const post = async (path: string, body: Record<string, string>): Promise<Record<string, unknown>> => {
    const res = await fetch(`${sim.restUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    assert.equal(res.status, 200, path);
    return (await res.json()) as Record<string, unknown>;
  };
  // kis_auth.auth(): tokenP with appsecret; reads access_token and access_token_token_expired.
  const token = await post('/oauth2/tokenP', { grant_type: 'client_credentials', appkey: sim.appKey, appsecret: sim.appSecret });
  assert.ok(typeof token['access_token'] === 'string' && /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/.test(String(token['access_token_token_expired'])));
  // kis_auth.auth_ws(): Approval with secretkey.
  const approvalKey = String((await post('/oauth2/Approval', { grant_type: 'client_credentials', appkey: sim.appKey, secretkey: sim.appSecret }))['approval_key']);
  const ws = new WebSocket(`${sim.wsUrl.replace(/\/tryitout$/, '')}/tryitout`);
  const run = { ws, acks: [] as Record<string, unknown>[], rows: new Map<string, number>(), pings: 0, closed: new Promise<number>((r) => ws.once('close', r)) };
  ws.on('message', (data: WebSocket.RawData) => {
    const raw = data.toString();
    if (raw[0] === '0' || raw[0] === '1') {
      const d1 = raw.split('|');
      assert.ok(d1.length >= 4, 'data not found...');
      const columns = TR_TABLES[d1[1] as TrId].fields.length;
      // Encrypted (체결통보): the samples decrypt with the key/iv of the TR's ack (aes_cbc_base64_dec) first.
      const ack = raw[0] === '1' ? run.acks.find((a) => a['tr_id'] === d1[1] && typeof a['output'] === 'object') : undefined;
      const keys = ack?.['output'] as { key?: string; iv?: string } | undefined;
      if (raw[0] === '1') assert.ok(keys?.key !== undefined && keys.iv !== undefined, `${d1[1]}: an encrypted frame before its ack's key`);
      const text = raw[0] === '1' ? decryptAes(d1[3]!, keys!.key!, keys!.iv!) : d1[3]!;
      const values = text.split('^');
      // pandas.read_csv(sep="^", names=columns) reads `count` rows of `columns` values.
      assert.equal(values.length, Number(d1[2]) * columns, `${d1[1]} rows of ${columns} columns`);
      run.rows.set(d1[1]!, (run.rows.get(d1[1]!) ?? 0) + Number(d1[2]));
      return;
    }
    const msg = JSON.parse(raw) as { header: Record<string, string>; body?: Record<string, unknown> };
    if (msg.header['tr_id'] === 'PINGPONG') {
      run.pings++;
      ws.pong(raw); // `await ws.pong(raw)` in both samples: a control frame, not a text echo
      return;
    }
    run.acks.push({ ...msg.body, tr_id: msg.header['tr_id'], tr_key: msg.header['tr_key'] });
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  for (const [trId, trKey] of subs) {
    ws.send(JSON.stringify({ header: { approval_key: approvalKey, custtype: 'P', tr_type: '1', 'content-type': 'utf-8' }, body: { input: { tr_id: trId, tr_key: trKey } } }));
    await sleep(20); // the samples sleep between requests (smart_sleep / 0.5 s)
  }
  return run;
}

describe("KIS's official sample flow against the simulator", function () {
  let sim: RunningSimulator;
  const start = async (o: SimulatorOptions): Promise<RunningSimulator> => (sim = await startSimulator({ rate: 50, ...o }));
  afterEach(async () => sim?.stop());

  it('gets a token, an approval key, acks and rows of the documented column counts', async () => {
    await start({});
    const run = await officialClient(sim, [['H0STASP0', '005930'], ['H0STCNT0', '005930'], ['H0UNCNT0', '000660']]);
    await sleep(300);
    assert.deepEqual(run.acks.map((a) => [a['tr_id'], a['rt_cd'], a['msg1']]), [
      ['H0STASP0', '0', 'SUBSCRIBE SUCCESS'], ['H0STCNT0', '0', 'SUBSCRIBE SUCCESS'], ['H0UNCNT0', '0', 'SUBSCRIBE SUCCESS'],
    ]);
    for (const trId of ['H0STASP0', 'H0STCNT0', 'H0UNCNT0']) assert.ok((run.rows.get(trId) ?? 0) > 0, trId);
    run.ws.close();
  });

  it("acks every TR id of KIS's domestic-stock example (none refused as unknown); past 41 registrations MAX SUBSCRIBE OVER", async () => {
    await start({});
    // examples_user/domestic_stock/domestic_stock_examples_ws.py, in its order, with its codes.
    const two = ['005930', '000660'];
    const plan: [TrId, readonly string[]][] = [
      ['H0STASP0', two], ['H0NXASP0', two], ['H0UNASP0', two], ['H0STCNT0', two], ['H0STCNI0', ['myhtsid']], ['H0NXCNT0', two], ['H0UNCNT0', two],
      ['H0STANC0', two], ['H0NXANC0', ['005930', '000660', '005380']], ['H0UNANC0', two], ['H0UPCNT0', ['0001', '0128']], ['H0UPANC0', ['0001']],
      ['H0UPPGM0', ['0001', '0128']], ['H0STMKO0', ['417450', '308100']], ['H0NXMKO0', ['006220']], ['H0UNMKO0', ['158430']], ['H0STMBC0', two],
      ['H0NXMBC0', two], ['H0UNMBC0', two], ['H0STOAA0', ['023460']], ['H0STOUP0', ['023460', '199480', '462860', '440790', '000660']],
      ['H0STOAC0', ['023460']], ['H0STPGM0', two], ['H0NXPGM0', ['032640', '010950']], ['H0UNPGM0', two],
    ];
    const subs = plan.flatMap(([trId, keys]) => keys.map((k) => [trId, k] as [TrId, string]));
    assert.equal(new Set(plan.map(([trId]) => trId)).size, 25);
    const run = await officialClient(sim, subs);
    const t0 = Date.now();
    while (run.acks.length < subs.length && Date.now() - t0 < 10_000) await sleep(20);
    assert.equal(run.acks.length, subs.length);
    const codes = run.acks.map((a) => a['msg_cd']);
    assert.ok(!codes.includes('OPSP8991'), 'no TR id refused');
    assert.deepEqual(codes.slice(0, 41), new Array(41).fill('OPSP0000'));
    assert.deepEqual(codes.slice(41), new Array(subs.length - 41).fill('OPSP0008'));
    await sleep(300);
    for (const trId of ['H0STCNT0', 'H0UNASP0', 'H0STMBC0', 'H0UPCNT0', 'H0UPPGM0'] as const) assert.ok((run.rows.get(trId) ?? 0) > 0, `${trId} streams`);
    run.ws.close();
  });

  it('drops a client that answers PINGPONG only with a pong control frame, by default', async () => {
    await start({ pingIntervalMs: 60, pingTimeoutMs: 200 });
    const run = await officialClient(sim, [['H0STCNT0', '005930']]);
    assert.equal(await run.closed, 1006, 'closed without a close frame after the no-echo timeout');
    assert.ok(run.pings >= 1);
  });

  it('keeps that client with acceptControlPong', async () => {
    await start({ pingIntervalMs: 60, pingTimeoutMs: 200, acceptControlPong: true });
    const run = await officialClient(sim, [['H0STCNT0', '005930']]);
    await sleep(700);
    assert.equal(run.ws.readyState, WebSocket.OPEN);
    assert.ok(run.pings >= 5, `${run.pings} PINGPONGs answered by pong frames`);
    run.ws.close();
    await run.closed;
  });
});
