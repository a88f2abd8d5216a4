/**
 * One KisSession per app key in the whole process (KIS allows one session per app key, doc §6.2):
 * every kis-config node with the same app key and the same settings shares it; the last release
 * stops it.
 */
import { createHash } from 'node:crypto';
import { KisSession } from './session';
import type { KisSessionOptions } from './types';

interface PoolEntry {
  readonly session: KisSession;
  /** Hash of what must match for sharing (server URLs and secret); never the secret itself. */
  readonly fingerprint: string;
  readonly owners: Set<string>;
}

const byAppKey = new Map<string, PoolEntry>();
const appKeyOf = new Map<string, string>();

function fingerprint(o: KisSessionOptions): string {
  return createHash('sha256').update(JSON.stringify([o.restUrl, o.wsUrl, o.appSecret, o.custType ?? 'P'])).digest('hex');
}

/**
 * The session for `options.appKey`, shared with every other owner of the same app key.
 * Throws when the app key is already in use with a different server or app secret (the message
 * names neither the key nor the secret). The session is not started: call `start()`.
 */
export function acquireSession(options: KisSessionOptions, owner: string): KisSession {
  const fp = fingerprint(options);
  const entry = byAppKey.get(options.appKey);
  const held = appKeyOf.get(owner);
  if (held !== undefined && held !== options.appKey) {
    throw new Error(`owner ${owner} already holds a KIS session for another app key; release it first`);
  }
  if (entry !== undefined) {
    if (entry.fingerprint !== fp) {
      throw new Error('this app key is already used by another kis-config with a different server or app secret; KIS allows one session per app key');
    }
    entry.owners.add(owner);
    appKeyOf.set(owner, options.appKey);
    return entry.session;
  }
  const session = new KisSession(options);
  byAppKey.set(options.appKey, { session, fingerprint: fp, owners: new Set([owner]) });
  appKeyOf.set(owner, options.appKey);
  return session;
}

/** Drop `owner`'s hold; the last owner's release stops the session (resolves when closed). */
export async function releaseSession(owner: string): Promise<void> {
  const appKey = appKeyOf.get(owner);
  if (appKey === undefined) return;
  appKeyOf.delete(owner);
  const entry = byAppKey.get(appKey);
  if (entry === undefined) return;
  entry.owners.delete(owner);
  if (entry.owners.size > 0) return;
  // Removed before stopping: a new acquire gets a new session, which waits for this one to close.
  byAppKey.delete(appKey);
  await entry.session.stop();
}

/** Sessions in the pool (diagnostics and tests). */
export function pooledSessionCount(): number {
  return byAppKey.size;
}
