/**
 * The one place where the nodes touch the session pool and the embedded simulator, so the rest of
 * nodes/ depends only on the contracts in lib/session/types.ts and lib/simulator/types.ts.
 */
import type { TrId } from '../lib/protocol/tr-tables';
import type { FrameError } from '../lib/protocol/parse-frame';
import type { KisSessionOptions, RecordSink, SessionState, SubscriptionHandle } from '../lib/session/types';
import type { RunningSimulator } from '../lib/simulator/types';
import * as pool from '../lib/session';
import * as embedded from '../lib/simulator';

/** What kis-config needs of a session. */
export interface SessionPort {
  readonly state: SessionState;
  on(event: 'state', listener: (state: SessionState) => void): unknown;
  off(event: 'state', listener: (state: SessionState) => void): unknown;
  on(event: 'frameError', listener: (error: FrameError) => void): unknown;
  off(event: 'frameError', listener: (error: FrameError) => void): unknown;
  subscribe(trId: TrId, trKey: string, sink: RecordSink): SubscriptionHandle;
  registrationCount(): number;
}

/**
 * The shared, started session of an app key (one per app key in the runtime) for `owner` (the
 * kis-config node id); throws when the app key is in use with another server or secret.
 */
export function acquire(options: KisSessionOptions, owner: string): SessionPort {
  const session = pool.acquireSession(options, owner);
  session.start();
  return session;
}

/** Drop the owner's hold; the last owner's release closes the socket. */
export function release(owner: string): Promise<void> {
  return pool.releaseSession(owner);
}

/** The embedded simulator, shared by every kis-config with server 'simulator'. */
export function acquireSimulator(): Promise<RunningSimulator> {
  return embedded.acquireEmbeddedSimulator();
}

export function releaseSimulator(sim: RunningSimulator): Promise<void> {
  return embedded.releaseEmbeddedSimulator(sim);
}
