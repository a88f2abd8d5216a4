/**
 * A scripted hostile KIS for tests: REST approval + WebSocket on 127.0.0.1, written from the
 * protocol reference (docs/protocol/session.md, docs/protocol/oauth-egw.md), separate from the
 * simulator. Its job is to misbehave on cue: approval answering HTML, 4xx/5xx, 429, slowly or never;
 * acks late, missing, out of order, without tr_key, with any msg_cd; closing after each ack;
 * ignoring the client's close frame; binary frames; any raw text; an upgrade that never completes.
 *
 * The WebSocket side is a minimal RFC 6455 server written here (not the `ws` package), so it can
 * do what a well-behaved library never would (not answer a close frame, keep a socket half-open)
 * and see everything the client sends, control frames included.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type ApprovalMode =
  | { readonly kind: 'ok'; readonly delayMs?: number }
  | { readonly kind: 'status'; readonly status: number; readonly body: string; readonly headers?: Record<string, string> }
  | { readonly kind: 'hang' };

/** How to answer one subscribe / unsubscribe. */
export interface AckPlan {
  /** msg_cd to answer (default OPSP0000, OPSP0002 when already registered, OPSP0001 for unsubscribe). */
  readonly msgCd?: string;
  /** Answer after this long. */
  readonly delayMs?: number;
  /** Do not answer at all. */
  readonly omit?: boolean;
  /** Answer with an empty tr_key (and tr_id), as KIS does for requests it cannot parse. */
  readonly noTrKey?: boolean;
  /** msg1 text (e.g. echoing a secret). */
  readonly msg1?: string;
  /** Close the socket right after the answer with this code (and `closeReason`). */
  readonly thenClose?: number;
  readonly closeReason?: string;
}

export interface HostileRequest {
  readonly at: number;
  readonly conn: number;
  readonly trType: string;
  readonly trId: string;
  readonly trKey: string;
  readonly approvalKey: string;
}

export interface HostileKisOptions {
  readonly pingIntervalMs?: number;
  /** Send PINGPONG as a binary frame. */
  readonly binaryPing?: boolean;
  /** The app key and secret it accepts (default: random ones). */
  readonly credentials?: { readonly appKey: string; readonly appSecret: string };
}

export interface HostileKis {
  readonly restUrl: string;
  readonly wsUrl: string;
  readonly appKey: string;
  readonly appSecret: string;
  /** Every approval key issued so far. */
  readonly issued: string[];
  approval: ApprovalMode;
  /** Decides the answer to each request (default: the plain KIS answer). */
  plan: (req: HostileRequest) => AckPlan;
  /** Do not answer the client's close frame, nor close the TCP socket. */
  ignoreClose: boolean;
  /** Never complete the WebSocket upgrade. */
  hangUpgrade: boolean;
  /** Send nothing at all (no PINGPONG, no acks): a half-open connection. */
  silent: boolean;
  pingIntervalMs: number;
  binaryPing: boolean;
  readonly stats: {
    readonly requests: HostileRequest[];
    readonly approvalCalls: number[];
    /** Times a WebSocket upgrade completed. */
    readonly connects: number[];
    open: number;
    maxOpen: number;
    /** PINGPONG echoes received as text frames. */
    textEchoes: number;
    /** WebSocket ping / pong control frames received from the client. */
    pingFrames: number;
    pongFrames: number;
    closeFramesReceived: number;
  };
  /** Send to every open socket. */
  sendText(text: string): void;
  sendBinary(text: string): void;
  /** Close every socket with a close frame (code, reason), then end the TCP socket. */
  closeAll(code: number, reason?: string): void;
  /** Destroy every socket without a close frame (the client sees 1006). */
  destroyAll(): void;
  stop(): Promise<void>;
}

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

function frame(opcode: number, payload: Buffer): Buffer {
  const len = payload.length;
  const head = len < 126 ? Buffer.from([0x80 | opcode, len]) : len < 65536 ? Buffer.from([0x80 | opcode, 126, len >> 8, len & 255]) : Buffer.alloc(10);
  if (len >= 65536) {
    head[0] = 0x80 | opcode;
    head[1] = 127;
    head.writeBigUInt64BE(BigInt(len), 2);
  }
  return Buffer.concat([head, payload]);
}

interface Conn {
  readonly id: number;
  readonly socket: Socket;
  readonly regs: Set<string>;
  buffer: Buffer;
  open: boolean;
  closeSent: boolean;
}

export async function startHostileKis(options: HostileKisOptions = {}): Promise<HostileKis> {
  const appKey = options.credentials?.appKey ?? `PShostile${randomUUID().replace(/-/g, '').slice(0, 27)}`;
  const appSecret = options.credentials?.appSecret ?? `hostile-secret/${randomUUID()}`.padEnd(180, 'y');
  const conns = new Set<Conn>();
  const hanging: ServerResponse[] = [];
  const pendingUpgrades = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let nextId = 1;
  const later = (ms: number, fn: () => void): void => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
  };

  const kis: HostileKis = {
    restUrl: '',
    wsUrl: '',
    appKey,
    appSecret,
    issued: [],
    approval: { kind: 'ok' },
    plan: () => ({}),
    ignoreClose: false,
    hangUpgrade: false,
    silent: false,
    pingIntervalMs: options.pingIntervalMs ?? 100,
    binaryPing: options.binaryPing ?? false,
    stats: { requests: [], approvalCalls: [], connects: [], open: 0, maxOpen: 0, textEchoes: 0, pingFrames: 0, pongFrames: 0, closeFramesReceived: 0 },
    sendText: (text) => {
      for (const c of conns) write(c, 0x1, Buffer.from(text));
    },
    sendBinary: (text) => {
      for (const c of conns) write(c, 0x2, Buffer.from(text));
    },
    closeAll: (code, reason = '') => {
      for (const c of conns) sendClose(c, code, reason, true);
    },
    destroyAll: () => {
      for (const c of conns) c.socket.destroy();
    },
    stop: async () => {
      for (const t of timers) clearTimeout(t);
      for (const r of hanging) r.destroy();
      for (const s of pendingUpgrades) s.destroy();
      for (const c of conns) c.socket.destroy();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };

  function write(c: Conn, opcode: number, payload: Buffer): void {
    if (c.open && !c.socket.destroyed) c.socket.write(frame(opcode, payload));
  }

  function sendClose(c: Conn, code: number, reason: string, end: boolean): void {
    if (!c.open || c.closeSent) return;
    const payload = Buffer.alloc(2 + Buffer.byteLength(reason));
    payload.writeUInt16BE(code, 0);
    payload.write(reason, 2);
    write(c, 0x8, payload);
    c.closeSent = true;
    if (end) later(20, () => c.socket.end());
  }

  function ack(c: Conn, req: HostileRequest, p: AckPlan, msgCd: string): void {
    const header = p.noTrKey === true ? { tr_id: '', tr_key: '', encrypt: 'N' } : { tr_id: req.trId, tr_key: req.trKey, encrypt: 'N' };
    const body = { rt_cd: msgCd === 'OPSP0000' || msgCd === 'OPSP0001' ? '0' : '1', msg_cd: msgCd, msg1: p.msg1 ?? msgCd, ...(msgCd === 'OPSP0000' && { output: { iv: '0123456789abcdef', key: 'abcdefghijklmnopabcdefghijklmnop' } }) };
    write(c, 0x1, Buffer.from(JSON.stringify({ header, body })));
    if (p.thenClose !== undefined) sendClose(c, p.thenClose, p.closeReason ?? '', true);
  }

  function onText(c: Conn, text: string): void {
    let m: { header?: { tr_id?: string; approval_key?: string; tr_type?: string }; body?: { input?: { tr_id?: string; tr_key?: string } } };
    try {
      m = JSON.parse(text) as typeof m;
    } catch {
      return;
    }
    if (m.header?.tr_id === 'PINGPONG') {
      kis.stats.textEchoes++;
      return;
    }
    const req: HostileRequest = { at: performance.now(), conn: c.id, trType: m.header?.tr_type ?? '', trId: m.body?.input?.tr_id ?? '', trKey: m.body?.input?.tr_key ?? '', approvalKey: m.header?.approval_key ?? '' };
    kis.stats.requests.push(req);
    const id = `${req.trId}|${req.trKey}`;
    const p = kis.plan(req);
    const valid = kis.issued.includes(req.approvalKey);
    const msgCd = p.msgCd ?? (!valid ? 'OPSP0011' : req.trType === '1' ? (c.regs.has(id) ? 'OPSP0002' : 'OPSP0000') : c.regs.has(id) ? 'OPSP0001' : 'OPSP0003');
    if (msgCd === 'OPSP0000') c.regs.add(id);
    if (msgCd === 'OPSP0001') c.regs.delete(id);
    if (p.omit === true || kis.silent) return;
    if (p.delayMs !== undefined) later(p.delayMs, () => ack(c, req, p, msgCd));
    else ack(c, req, p, msgCd);
  }

  function onData(c: Conn, chunk: Buffer): void {
    c.buffer = Buffer.concat([c.buffer, chunk]);
    for (;;) {
      const b = c.buffer;
      if (b.length < 2) return;
      const opcode = (b[0] as number) & 0x0f;
      let len = (b[1] as number) & 0x7f;
      let offset = 2;
      if (len === 126) {
        if (b.length < 4) return;
        len = b.readUInt16BE(2);
        offset = 4;
      } else if (len === 127) {
        if (b.length < 10) return;
        len = Number(b.readBigUInt64BE(2));
        offset = 10;
      }
      const masked = ((b[1] as number) & 0x80) !== 0;
      const maskAt = offset;
      if (masked) offset += 4;
      if (b.length < offset + len) return;
      const payload = Buffer.from(b.subarray(offset, offset + len));
      if (masked) for (let i = 0; i < payload.length; i++) payload[i] = (payload[i] as number) ^ (b[maskAt + (i % 4)] as number);
      c.buffer = b.subarray(offset + len);
      if (opcode === 0x1 || opcode === 0x2) onText(c, payload.toString('utf8'));
      else if (opcode === 0x9) kis.stats.pingFrames++;
      else if (opcode === 0xa) kis.stats.pongFrames++;
      else if (opcode === 0x8) {
        kis.stats.closeFramesReceived++;
        if (!kis.ignoreClose) {
          sendClose(c, payload.length >= 2 ? payload.readUInt16BE(0) : 1000, '', false);
          c.socket.end();
        }
      }
    }
  }

  const http = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      if (req.url !== '/oauth2/Approval') return void res.writeHead(404, { 'content-type': 'text/html' }).end('<html>not found</html>');
      kis.stats.approvalCalls.push(performance.now());
      const mode = kis.approval;
      if (mode.kind === 'hang') return void hanging.push(res);
      if (mode.kind === 'status') return void res.writeHead(mode.status, { 'content-type': 'application/json', ...mode.headers }).end(mode.body);
      const answer = (): void => {
        let b: { appkey?: string; secretkey?: string } = {};
        try {
          b = JSON.parse(body) as typeof b;
        } catch {
          // a wrong body is a wrong key
        }
        if (b.appkey !== appKey) return void res.writeHead(403, { 'content-type': 'application/json' }).end(JSON.stringify({ error_code: 'EGW00103', error_description: '유효하지 않은 AppKey입니다.' }));
        if (b.secretkey !== appSecret) return void res.writeHead(403, { 'content-type': 'application/json' }).end(JSON.stringify({ error_code: 'EGW00105', error_description: '유효하지 않은 AppSecret입니다.' }));
        const key = randomUUID();
        kis.issued.push(key);
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ approval_key: key }));
      };
      if (mode.delayMs !== undefined) {
        hanging.push(res);
        later(mode.delayMs, answer);
      } else answer();
    });
  });

  http.on('upgrade', (req: IncomingMessage, socket: Socket) => {
    if (kis.hangUpgrade) {
      pendingUpgrades.add(socket);
      socket.on('close', () => pendingUpgrades.delete(socket));
      return;
    }
    const accept = createHash('sha1').update(`${String(req.headers['sec-websocket-key'])}${GUID}`).digest('base64');
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
    const c: Conn = { id: nextId++, socket, regs: new Set(), buffer: Buffer.alloc(0), open: true, closeSent: false };
    conns.add(c);
    kis.stats.connects.push(Date.now());
    kis.stats.open++;
    kis.stats.maxOpen = Math.max(kis.stats.maxOpen, kis.stats.open);
    socket.on('data', (chunk: Buffer) => onData(c, chunk));
    socket.on('error', () => undefined);
    // The client's FIN: it is gone, whatever this server does with its own half.
    socket.on('end', () => socket.destroy());
    socket.on('close', () => {
      if (!conns.delete(c)) return;
      c.open = false;
      kis.stats.open--;
    });
  });

  // PINGPONG every pingIntervalMs (changeable while running).
  let lastPing = 0;
  const pingLoop = setInterval(() => {
    const now = Date.now();
    if (kis.silent || now - lastPing < kis.pingIntervalMs) return;
    lastPing = now;
    const text = JSON.stringify({ header: { tr_id: 'PINGPONG', datetime: '20261201093000' } });
    for (const c of conns) write(c, kis.binaryPing ? 0x2 : 0x1, Buffer.from(text));
  }, 5);
  const stopPing = kis.stop;
  kis.stop = async () => {
    clearInterval(pingLoop);
    await stopPing();
  };

  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const port = (http.address() as AddressInfo).port;
  return Object.assign(kis, { restUrl: `http://127.0.0.1:${port}`, wsUrl: `ws://127.0.0.1:${port}/tryitout` });
}
