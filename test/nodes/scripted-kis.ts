/**
 * A scripted KIS server for the kis-realtime runtime tests: the approval endpoint and the WebSocket
 * with acks like KIS, and records sent only when a test asks (`push`), built from the protocol
 * tables with chosen values. It serves any TR of the tables, so each TR family can be tested
 * before the simulator streams it, and a test can send exactly the 장운영정보 event it needs.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { isNumericType, type FieldDef } from '../../lib/protocol/field-def';
import { isTrId, TR_TABLES, type TrId } from '../../lib/protocol/tr-tables';
import type { ReceivedRequest } from '../../lib/simulator/types';
import { SENTINEL } from './support';

export interface ScriptedKis {
  readonly restUrl: string;
  readonly wsUrl: string;
  readonly requests: ReceivedRequest[];
  /** Registrations (`TR|key`) currently held by any connection. */
  registrations(): string[];
  /** Send one frame of `trId` with one record per entry (values by field name; the rest plausible defaults). Returns the sockets reached. */
  push(trId: TrId, key: string, records: readonly Readonly<Record<string, string>>[]): number;
  stop(): Promise<void>;
}

/** A plausible wire value for a field nobody chose. */
function defaultValue(field: FieldDef): string {
  if (field.type === 'time') return '093000';
  if (field.type === 'date') return '20261201';
  if (field.type === 'sign') return '2';
  if (field.type === 'yn') return 'N';
  if (field.type === 'dec' || field.type === 'sdec' || field.type === 'num') return '1.25';
  if (isNumericType(field.type)) return '100';
  return '';
}

export function recordText(trId: TrId, key: string, values: Readonly<Record<string, string>>): string {
  const table = TR_TABLES[trId];
  return table.fields.map((f) => values[f.name] ?? (f.name === table.keyField ? key : defaultValue(f))).join('^');
}

export async function startScriptedKis(): Promise<ScriptedKis> {
  const approvals = new Set<string>();
  const conns = new Map<WebSocket, Set<string>>();
  const requests: ReceivedRequest[] = [];
  let nextId = 1;
  const http = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const json = (status: number, o: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(o));
      if (req.method !== 'POST' || req.url !== '/oauth2/Approval') return json(404, {});
      const b = JSON.parse(body) as { appkey?: string; secretkey?: string };
      if (b.appkey !== SENTINEL.appKey || b.secretkey !== SENTINEL.appSecret) return json(403, { error_code: 'EGW00103', error_description: 'invalid' });
      const key = randomUUID();
      approvals.add(key);
      return json(200, { approval_key: key });
    });
  });
  const wss = new WebSocketServer({ server: http });
  wss.on('connection', (ws) => {
    const regs = new Set<string>();
    const id = nextId++;
    conns.set(ws, regs);
    ws.on('close', () => conns.delete(ws));
    ws.on('message', (data) => {
      let m: { header?: { tr_id?: string; approval_key?: string; tr_type?: string }; body?: { input?: { tr_id?: string; tr_key?: string } } };
      try { m = JSON.parse(data.toString()) as typeof m; } catch { return; }
      if (m.header?.tr_id === 'PINGPONG') return;
      const trId = m.body?.input?.tr_id ?? '', trKey = m.body?.input?.tr_key ?? '', trType = m.header?.tr_type ?? '';
      const reg = `${trId}|${trKey}`;
      let answered: string;
      if (!approvals.has(m.header?.approval_key ?? '')) answered = 'OPSP0011';
      else if (!isTrId(trId)) answered = 'OPSP8991';
      else if (trType === '1') answered = regs.has(reg) ? 'OPSP0002' : 'OPSP0000';
      else answered = regs.has(reg) ? 'OPSP0001' : 'OPSP0003';
      if (answered === 'OPSP0000') regs.add(reg);
      if (answered === 'OPSP0001') regs.delete(reg);
      requests.push({ at: performance.now(), sessionId: id, trType, trId, trKey, answered });
      ws.send(JSON.stringify({ header: { tr_id: trId, tr_key: trKey, encrypt: 'N' }, body: { rt_cd: answered.startsWith('OPSP000') ? '0' : '1', msg_cd: answered, msg1: answered } }));
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const port = (http.address() as AddressInfo).port;
  const ping = setInterval(() => {
    for (const ws of conns.keys()) ws.send(JSON.stringify({ header: { tr_id: 'PINGPONG', datetime: '20261201093000' } }));
  }, 1000);
  return {
    restUrl: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}/tryitout`,
    requests,
    registrations: () => [...new Set([...conns.values()].flatMap((r) => [...r]))],
    push(trId, key, records) {
      const text = `0|${trId}|${String(records.length).padStart(3, '0')}|${records.map((r) => recordText(trId, key, r)).join('^')}`;
      let n = 0;
      for (const [ws, regs] of conns) if (regs.has(`${trId}|${key}`)) { ws.send(text); n++; }
      return n;
    },
    async stop() {
      clearInterval(ping);
      for (const ws of conns.keys()) ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
