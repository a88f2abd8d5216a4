/**
 * Listens to a running Node-RED's editor channel (/comms): what the debug sidebar and the node status
 * badges would show. Lets the example tests check "this flow produces msgs" the way a user sees it.
 */
import WebSocket from 'ws';

/** One debug-sidebar entry. `msg` is the debug node's rendering (JSON text for objects). */
export interface DebugEntry {
  readonly id: string;
  readonly topic?: string;
  readonly msg: string;
  readonly format: string;
  readonly at: number;
}

export interface StatusEntry {
  readonly id: string;
  readonly fill?: string;
  readonly shape?: string;
  readonly text?: string;
  readonly at: number;
}

export interface CommsListener {
  readonly debug: DebugEntry[];
  readonly status: StatusEntry[];
  /** Resolves with the debug entries of `nodeId` once there are at least `count`; rejects after `timeoutMs`. */
  waitForDebug(nodeId: string, count?: number, timeoutMs?: number, where?: (e: DebugEntry) => boolean): Promise<DebugEntry[]>;
  close(): Promise<void>;
}

interface CommsMessage {
  readonly topic: string;
  readonly data: Record<string, unknown>;
}

export async function listenComms(baseUrl: string): Promise<CommsListener> {
  const ws = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/comms`);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const debug: DebugEntry[] = [];
  const status: StatusEntry[] = [];
  ws.on('message', (raw) => {
    const parsed = JSON.parse(raw.toString()) as CommsMessage | CommsMessage[];
    for (const m of Array.isArray(parsed) ? parsed : [parsed]) {
      if (m.topic === 'debug') {
        const d = m.data;
        debug.push({ id: String(d['id']), topic: d['topic'] as string | undefined, msg: String(d['msg']), format: String(d['format']), at: Date.now() });
      } else if (m.topic.startsWith('status/')) {
        const d = m.data as { fill?: string; shape?: string; text?: string };
        status.push({ id: m.topic.slice('status/'.length), ...d, at: Date.now() });
      }
    }
  });
  ws.send(JSON.stringify({ subscribe: 'debug' }));
  ws.send(JSON.stringify({ subscribe: 'status/#' }));

  const waitForDebug = async (nodeId: string, count = 1, timeoutMs = 15000, where: (e: DebugEntry) => boolean = () => true): Promise<DebugEntry[]> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hits = debug.filter((e) => e.id === nodeId && where(e));
      if (hits.length >= count) return hits;
      if (Date.now() > deadline) {
        const seen = [...new Set(debug.map((e) => e.id))].join(', ') || 'none';
        throw new Error(`debug node ${nodeId}: ${hits.length}/${count} msgs within ${timeoutMs} ms (debug msgs seen from: ${seen})`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  const close = (): Promise<void> =>
    new Promise((resolve) => {
      if (ws.readyState === WebSocket.CLOSED) return resolve();
      ws.once('close', () => resolve());
      ws.close();
    });
  return { debug, status, waitForDebug, close };
}
