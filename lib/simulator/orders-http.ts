/**
 * The simulator's order endpoint: POST /sim/orders places, cancels or modifies an order of the
 * configured account (its notices then stream on 체결통보), GET lists the working orders. Loopback
 * callers only; not part of KIS's API (docs/protocol/notices.md).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { OrderClock, OrderEngine, OrderRequest } from './orders';

const MAX_ORDER_BODY = 16 * 1024;

function isLoopback(address: string | undefined): boolean {
  return address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** Read `{code, side, qty, price?, condition?}` (or `{action: 'cancel'|'modify', orderNo, price?, qty?}`); a text on error. */
export function readOrderCommand(body: unknown):
  | { readonly action: 'place'; readonly order: OrderRequest }
  | { readonly action: 'cancel'; readonly orderNo: string }
  | { readonly action: 'modify'; readonly orderNo: string; readonly price?: number; readonly qty?: number }
  | string {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'the body must be a JSON object';
  const b = body as Record<string, unknown>;
  const action = b.action ?? 'place';
  const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : undefined);
  if (action === 'cancel' || action === 'modify') {
    if (typeof b.orderNo !== 'string' || !/^\d{1,10}$/.test(b.orderNo)) return 'orderNo must be the order number (digits)';
    const orderNo = b.orderNo.padStart(10, '0');
    if (action === 'cancel') return { action, orderNo };
    const price = num(b.price), qty = num(b.qty);
    if ((b.price !== undefined && price === undefined) || (b.qty !== undefined && (qty === undefined || qty === 0))) return 'price and qty must be non-negative integers';
    return { action, orderNo, ...(price !== undefined && { price }), ...(qty !== undefined && { qty }) };
  }
  if (action !== 'place') return 'action is place, cancel or modify';
  if (typeof b.code !== 'string' || !/^[0-9A-Z]{6,7}$/.test(b.code)) return 'code must be a stock code such as 005930';
  if (b.side !== 'buy' && b.side !== 'sell') return 'side must be buy or sell';
  const qty = num(b.qty);
  if (qty === undefined || qty === 0) return 'qty must be a positive integer';
  const price = b.price === undefined ? 0 : num(b.price);
  if (price === undefined) return 'price must be a non-negative integer (0 = market order)';
  const condition = b.condition ?? 'none';
  if (condition !== 'none' && condition !== 'ioc' && condition !== 'fok') return 'condition must be none, ioc or fok';
  return { action: 'place', order: { code: b.code, side: b.side, qty, price, condition } };
}

export const ORDERS_PATH = '/sim/orders';

/**
 * POST /sim/orders (place, cancel, modify) and GET /sim/orders (working orders), loopback
 * callers only. Returns false for any other path, so the REST API answers it.
 */
export function handleOrdersHttp(req: IncomingMessage, res: ServerResponse, engine: OrderEngine, clock: () => OrderClock): boolean {
  if ((req.url ?? '').split('?')[0] !== ORDERS_PATH) return false;
  if (!isLoopback(req.socket.remoteAddress)) {
    reply(res, 403, { error: 'the order endpoint answers loopback callers only' });
    req.resume();
    return true;
  }
  if (req.method === 'GET') {
    reply(res, 200, { htsId: engine.htsId, working: engine.workingOrders() });
    req.resume();
    return true;
  }
  if (req.method !== 'POST') {
    reply(res, 405, { error: 'POST an order, or GET the working orders' });
    req.resume();
    return true;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  req.on('data', (c: Buffer) => {
    size += c.length;
    if (size <= MAX_ORDER_BODY) chunks.push(c);
  });
  req.on('error', () => res.destroy());
  req.on('end', () => {
    let body: unknown;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return reply(res, 400, { error: 'the body is not JSON' });
    }
    const cmd = size > MAX_ORDER_BODY ? 'the body is too large' : readOrderCommand(body);
    if (typeof cmd === 'string') return reply(res, 400, { error: cmd });
    const now = clock();
    const result = cmd.action === 'place' ? engine.place(cmd.order, now) : cmd.action === 'cancel' ? engine.cancel(cmd.orderNo, now) : engine.modify(cmd.orderNo, { ...(cmd.price !== undefined && { price: cmd.price }), ...(cmd.qty !== undefined && { qty: cmd.qty }) }, now);
    reply(res, 200, result);
  });
  return true;
}
