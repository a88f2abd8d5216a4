/** Opening and retiring the WebSocket of a session (break before make lives in connect-gate.ts). */
import WebSocket from 'ws';

export function textOf(data: WebSocket.RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}

export function noop(): void {
  // swallows late 'error' events of a retired socket
}

/** Resolves on the socket's 'close' event (also after terminate()). */
export function closedPromise(ws: WebSocket): Promise<void> {
  return new Promise<void>((resolve) => ws.once('close', () => resolve()));
}

/**
 * Close a socket we no longer use: a close frame, and destroyed after `forceCloseMs` when the
 * server does not answer it (or at once while it is still connecting).
 */
export function retire(ws: WebSocket, closed: Promise<void>, forceCloseMs: number): void {
  ws.on('error', noop);
  if (ws.readyState === WebSocket.CLOSED) return;
  const timer = setTimeout(() => ws.terminate(), forceCloseMs);
  void closed.then(() => clearTimeout(timer));
  if (ws.readyState === WebSocket.CONNECTING) ws.terminate();
  else if (ws.readyState === WebSocket.OPEN) ws.close(1000);
}
