/** Shared helpers of the session integration tests: sessions that record everything they say. */
import type { KisRecord } from '../../../lib/protocol/record-parser';
import type { TrId } from '../../../lib/protocol/tr-tables';
import { KisSession } from '../../../lib/session/session';
import type { KisSessionOptions, RecordSink, SessionState, SubscriptionError } from '../../../lib/session/types';

/** Small timings so the suite is fast; jitter 0 so delays are exact. */
export const FAST = Object.freeze({
  pacingMs: 20,
  ackTimeoutMs: 500,
  approvalTimeoutMs: 300,
  idleTimeoutMs: 400,
  healthyAfterMs: 300,
  forceCloseMs: 500,
  connectCeiling: { perMinute: 1000, perHour: 10_000 },
  reconnect: { initialDelayMs: 50, maxDelayMs: 200, jitter: 0, inUseDelayMs: 400 },
});

/** Everything any session of a test file said: the secret scan reads it. */
export const transcript: string[] = [];

export interface Recorded {
  readonly session: KisSession;
  readonly states: SessionState[];
  readonly logs: { level: string; text: string }[];
}

export function newSession(options: KisSessionOptions): Recorded {
  const logs: { level: string; text: string }[] = [];
  const session = new KisSession({
    ...options,
    log: (level, text) => {
      logs.push({ level, text });
      transcript.push(`log ${level}: ${text}`);
    },
  });
  const states: SessionState[] = [];
  session.on('state', (s) => {
    states.push(s);
    transcript.push(`state: ${JSON.stringify(s)}`);
  });
  return { session, states, logs };
}

export class Sink implements RecordSink {
  readonly records: KisRecord[] = [];
  readonly errors: SubscriptionError[] = [];
  subscribed = 0;
  onRecord(record: KisRecord): void {
    this.records.push(record);
  }
  onSubscriptionError(error: SubscriptionError): void {
    this.errors.push(error);
    transcript.push(`error: ${JSON.stringify(error)}`);
  }
  onSubscribed(_trId: TrId, _trKey: string): void {
    this.subscribed++;
  }
  codes(): string[] {
    return [...new Set(this.records.map((r) => String(r.MKSC_SHRN_ISCD)))];
  }
}

export async function waitFor(what: string, predicate: () => boolean, timeoutMs = 3000): Promise<void> {
  const t0 = Date.now();
  while (!predicate()) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

export function waitState(rec: Recorded, state: SessionState['state'], timeoutMs = 3000, after = 0): Promise<SessionState> {
  return waitFor(`state ${state} (seen: ${rec.states.slice(after).map((s) => s.state).join(',')})`, () => rec.states.slice(after).some((s) => s.state === state), timeoutMs).then(
    () => rec.states.slice(after).find((s) => s.state === state) as SessionState,
  );
}

/** Records counted from now on. */
export function growth(sink: Sink): () => number {
  const n = sink.records.length;
  return () => sink.records.length - n;
}

/** Every approval REST call (time) and every approval key issued, seen through a fetch wrapper. */
export const approvalSpy = { calls: [] as number[], keys: [] as string[] };

/** Wrap globalThis.fetch for the secret scan; returns the function that restores it. */
export function installFetchSpy(): () => void {
  const original = globalThis.fetch;
  globalThis.fetch = async (input: Parameters<typeof fetch>[0], init?: RequestInit): Promise<Response> => {
    const isApproval = String(input instanceof Request ? input.url : input).endsWith('/oauth2/Approval');
    if (isApproval) approvalSpy.calls.push(performance.now());
    const res = await original(input, init);
    if (isApproval && res.ok) {
      try {
        const key = (JSON.parse(await res.clone().text()) as { approval_key?: unknown }).approval_key;
        if (typeof key === 'string') approvalSpy.keys.push(key);
      } catch {
        // not JSON: the session reports it
      }
    }
    return res;
  };
  return () => {
    globalThis.fetch = original;
  };
}
