import WebSocket from 'ws';
import { buildApprovalRequestBody, buildSubscribe, buildUnsubscribe } from '../../lib/protocol/messages';
import type { AesKey } from '../../lib/protocol/crypto';
import { parseFrame, type ParsedFrame } from '../../lib/protocol/parse-frame';
import type { RunningSimulator } from '../../lib/simulator/types';

/** POST /oauth2/Approval with a JSON body; returns status and parsed body. */
export async function approve(sim: RunningSimulator, body: string = buildApprovalRequestBody(sim.appKey, sim.appSecret)): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${sim.restUrl}/oauth2/Approval`, { method: 'POST', headers: { 'content-type': 'application/json; charset=UTF-8' }, body });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

export async function approvalKey(sim: RunningSimulator): Promise<string> {
  const r = await approve(sim);
  if (r.status !== 200) throw new Error(`approval failed: ${r.status}`);
  return r.body['approval_key'] as string;
}

/** A plain WebSocket client that keeps every message and parses it with the protocol core. */
export class TestClient {
  readonly ws: WebSocket;
  readonly texts: string[] = [];
  readonly keys = new Map<string, AesKey>();
  closeCode: number | null = null;
  private waiters: { pred: (t: string, f: ParsedFrame) => boolean; resolve: (f: ParsedFrame) => void }[] = [];
  readonly opened: Promise<void>;
  readonly closed: Promise<number>;
  /** Echo PINGPONG automatically (as clients must). */
  echoPing = true;

  constructor(url: string) {
    this.ws = new WebSocket(url);
    this.opened = new Promise((resolve, reject) => {
      this.ws.once('open', () => resolve());
      this.ws.once('error', reject);
    });
    this.closed = new Promise((resolve) => this.ws.once('close', (code) => { this.closeCode = code; resolve(code); }));
    this.ws.on('message', (data: WebSocket.RawData) => {
      const text = data.toString();
      this.texts.push(text);
      const f = parseFrame(text, { keys: this.keys });
      if (f.type === 'control' && f.aes !== null) this.keys.set(f.trId, f.aes);
      if (f.type === 'pingpong' && this.echoPing) this.ws.send(text);
      this.waiters = this.waiters.filter((w) => {
        if (!w.pred(text, f)) return true;
        w.resolve(f);
        return false;
      });
    });
  }

  static async open(url: string): Promise<TestClient> {
    const c = new TestClient(url);
    await c.opened;
    return c;
  }

  next(pred: (text: string, f: ParsedFrame) => boolean, timeoutMs = 3000): Promise<ParsedFrame> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('timed out waiting for a message')), timeoutMs);
      this.waiters.push({ pred, resolve: (f) => { clearTimeout(timer); resolve(f); } });
    });
  }

  /** Send a subscribe (tr_type 1) or unsubscribe (2) and wait for its ack. */
  async request(approval: string, trId: string, trKey: string, trType: '1' | '2' = '1'): Promise<ParsedFrame> {
    const ack = this.next((_t, f) => f.type === 'control' && f.trId === trId && f.trKey === trKey);
    const req = { approvalKey: approval, custType: 'P' as const, trId, trKey };
    this.ws.send(trType === '1' ? buildSubscribe(req) : buildUnsubscribe(req));
    return ack;
  }

  /** Send raw text and wait for the next control message. */
  async raw(text: string): Promise<ParsedFrame> {
    const ack = this.next((_t, f) => f.type === 'control');
    this.ws.send(text);
    return ack;
  }

  async close(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return;
    this.ws.close();
    await this.closed;
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
