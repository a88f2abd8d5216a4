/**
 * A minimal KIS server for the session tests (REST approval + WebSocket), written while the real
 * simulator (lib/simulator) was still under construction. It offers the subset of the simulator's
 * `RunningSimulator` contract the session tests use, so a test can run against either.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { KNOWN_STOCKS } from '../../../lib/protocol/stock-codes';
import { isTrId, TR_TABLES } from '../../../lib/protocol/tr-tables';
import type { ReceivedRequest } from '../../../lib/simulator/types';
import { frameText, recordValues } from '../../fixtures/frames';
import { Prng } from '../../fixtures/prng';

export interface FakeKisOptions {
  readonly pingIntervalMs?: number;
  readonly dataIntervalMs?: number;
  readonly maxRegistrations?: number;
}

export interface FakeKis {
  readonly restUrl: string;
  readonly wsUrl: string;
  readonly appKey: string;
  readonly appSecret: string;
  readonly faults: {
    dropAll(opts?: { clean?: boolean }): void;
    goSilent(on: boolean): void;
    approval(mode: 'ok' | '500' | '403' | 'timeout'): void;
    holdSlot(ms: number): void;
    refuseNext(msgCd: string, match?: { trId?: string; trKey?: string }): void;
    /** Every issued approval key expires now: OPSP0011 until a new one is issued. */
    expireApprovals(): void;
  };
  stats(): { openSockets: number; approvalsIssued: number; requests: readonly ReceivedRequest[] };
  stop(): Promise<void>;
}

interface Conn {
  readonly id: number;
  readonly ws: WebSocket;
  readonly regs: Set<string>;
  appKey: string | null;
}

export async function startFakeKis(options: FakeKisOptions = {}): Promise<FakeKis> {
  const appKey = 'PSfakeKisAppKey000000000000000000001';
  const appSecret = 'fake-kis-secret/'.padEnd(180, 'x');
  const approvals = new Map<string, string>();
  let issued = 0;
  const conns = new Set<Conn>();
  const requests: ReceivedRequest[] = [];
  const refusals: { msgCd: string; trId?: string; trKey?: string }[] = [];
  const hanging: ServerResponse[] = [];
  let approvalMode: 'ok' | '500' | '403' | 'timeout' = 'ok';
  let silent = false;
  let holdMs = 0;
  let heldUntil = 0;
  let nextId = 1;
  const rng = new Prng(3);
  const max = options.maxRegistrations ?? 41;

  const http = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const json = (status: number, o: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(o));
      if (req.method !== 'POST' || req.url !== '/oauth2/Approval') return json(404, {});
      if (approvalMode === 'timeout') return void hanging.push(res);
      if (approvalMode === '500') return json(500, { error_code: 'EGW00500', error_description: 'internal error' });
      const b = JSON.parse(body) as { appkey?: string; secretkey?: string };
      if (approvalMode === '403' || b.appkey !== appKey || b.secretkey !== appSecret) return json(403, { error_code: 'EGW00103', error_description: '유효하지 않은 AppKey입니다.' });
      const key = randomUUID();
      approvals.set(key, appKey);
      issued++;
      return json(200, { approval_key: key });
    });
  });
  const wss = new WebSocketServer({ server: http });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const port = (http.address() as AddressInfo).port;

  const ack = (c: Conn, trId: string, trKey: string, msgCd: string, output = false) =>
    c.ws.send(JSON.stringify({
      header: { tr_id: trId, tr_key: trKey, encrypt: isTrId(trId) && TR_TABLES[trId].encrypted ? 'Y' : 'N' },
      body: { rt_cd: msgCd === 'OPSP0000' || msgCd === 'OPSP0001' ? '0' : '1', msg_cd: msgCd, msg1: msgCd, ...(output && { output: { iv: '0123456789abcdef', key: 'abcdefghijklmnopabcdefghijklmnop' } }) },
    }));

  wss.on('connection', (ws) => {
    const c: Conn = { id: nextId++, ws, regs: new Set(), appKey: null };
    conns.add(c);
    ws.on('close', () => {
      conns.delete(c);
    });
    ws.on('message', (data) => {
      const text = data.toString();
      let m: { header?: { tr_id?: string; approval_key?: string; tr_type?: string }; body?: { input?: { tr_id?: string; tr_key?: string } } };
      try { m = JSON.parse(text) as typeof m; } catch { return; }
      if (m.header?.tr_id === 'PINGPONG') return;
      const trId = m.body?.input?.tr_id ?? '', trKey = m.body?.input?.tr_key ?? '', trType = m.header?.tr_type ?? '';
      let answered: string;
      const owner = approvals.get(m.header?.approval_key ?? '');
      const refusal = refusals.findIndex((r) => (r.trId === undefined || r.trId === trId) && (r.trKey === undefined || r.trKey === trKey));
      if (owner === undefined) answered = 'OPSP0011';
      else if ((Date.now() < heldUntil || [...conns].some((o) => o !== c && o.appKey === owner)) && c.appKey === null) answered = 'OPSP8996';
      else if (trType === '1' && refusal >= 0) answered = refusals.splice(refusal, 1)[0]?.msgCd ?? 'OPSP9999';
      else if (trType === '1') answered = c.regs.has(`${trId}|${trKey}`) ? 'OPSP0002' : c.regs.size >= max ? 'OPSP0008' : 'OPSP0000';
      else answered = c.regs.has(`${trId}|${trKey}`) ? 'OPSP0001' : 'OPSP0003';
      if (owner !== undefined && answered !== 'OPSP8996') c.appKey = owner;
      if (answered === 'OPSP0000') c.regs.add(`${trId}|${trKey}`);
      if (answered === 'OPSP0001') c.regs.delete(`${trId}|${trKey}`);
      requests.push({ at: performance.now(), sessionId: c.id, trType, trId, trKey, answered });
      if (silent) return; // like the simulator: a silent server answers nothing
      ack(c, trId, trKey, answered, answered === 'OPSP0000');
    });
  });

  const ping = setInterval(() => {
    if (silent) return;
    for (const c of conns) c.ws.send(JSON.stringify({ header: { tr_id: 'PINGPONG', datetime: '20260724093000' } }));
  }, options.pingIntervalMs ?? 200);
  const data = setInterval(() => {
    if (silent) return;
    for (const c of conns) {
      for (const reg of c.regs) {
        const [trId, code] = reg.split('|') as [string, string];
        const stock = KNOWN_STOCKS.find((s) => s.code === code);
        if (!isTrId(trId) || stock === undefined || TR_TABLES[trId].encrypted) continue;
        c.ws.send(frameText(trId, [recordValues(rng, trId, { stock })]));
      }
    }
  }, options.dataIntervalMs ?? 20);

  return {
    restUrl: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}/tryitout`,
    appKey,
    appSecret,
    faults: {
      dropAll(opts) {
        for (const c of conns) {
          if (opts?.clean === false) {
            c.ws.terminate();
            if (holdMs > 0) heldUntil = Date.now() + holdMs;
          } else c.ws.close(1000, 'bye');
        }
      },
      goSilent(on) { silent = on; },
      approval(mode) { approvalMode = mode; },
      holdSlot(ms) { holdMs = ms; },
      refuseNext(msgCd, match) { refusals.push({ msgCd, ...match }); },
      expireApprovals() { approvals.clear(); },
    },
    stats: () => ({ openSockets: conns.size, approvalsIssued: issued, requests: [...requests] }),
    async stop() {
      clearInterval(ping);
      clearInterval(data);
      for (const r of hanging) r.destroy();
      for (const c of conns) c.ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
