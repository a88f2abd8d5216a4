/**
 * The simulator started in-process for the config node's "simulator" server choice: started on
 * the first acquire, shared by every user, stopped a while after the last one releases it.
 *
 * The grace period is what keeps the market across a Node-RED deploy: a deploy stops every
 * kis-config (the last release) and starts the new ones (a new acquire) a moment later. Stopping at
 * once would start a fresh simulator, and with it a fresh trading day (accumulated volume back to
 * the opening, the chart jumping); reusing the running one keeps prices, volume and port.
 */
import { startSimulator } from './server';
import type { RunningSimulator, SimulatorOptions } from './types';

/** Demo settings: a few records a second per subscription, the market always open. */
export const EMBEDDED_SIMULATOR_OPTIONS: SimulatorOptions = Object.freeze({ rate: 2, hours: 'always' });

/** How long the simulator outlives its last user (a deploy re-acquires well within it). */
export const EMBEDDED_SIMULATOR_LINGER_MS = 15_000;

let users = 0;
let starting: Promise<RunningSimulator> | null = null;
let lingerTimer: NodeJS.Timeout | null = null;

/** Get the shared simulator, starting it if none runs. Concurrent calls share one start. */
export async function acquireEmbeddedSimulator(): Promise<RunningSimulator> {
  users++;
  if (lingerTimer !== null) {
    clearTimeout(lingerTimer);
    lingerTimer = null;
  }
  if (starting === null) {
    const start = startSimulator(EMBEDDED_SIMULATOR_OPTIONS);
    starting = start;
    // A failed start must not poison later attempts.
    start.catch(() => {
      if (starting === start) starting = null;
    });
  }
  try {
    return await starting;
  } catch (err) {
    users--;
    throw err;
  }
}

/**
 * Give back one acquire; after the last release the simulator stops once `lingerMs` passed without a
 * new acquire (0: at once, awaited). The argument is accepted for callers that pass the instance they
 * hold; the count is what matters. Extra releases are ignored.
 */
export async function releaseEmbeddedSimulator(_sim?: RunningSimulator, lingerMs: number = EMBEDDED_SIMULATOR_LINGER_MS): Promise<void> {
  if (users === 0) return;
  users--;
  if (users > 0 || starting === null) return;
  if (lingerMs <= 0) return stopIdle();
  if (lingerTimer !== null) clearTimeout(lingerTimer);
  lingerTimer = setTimeout(() => {
    lingerTimer = null;
    void stopIdle();
  }, lingerMs);
  // The listening simulator keeps the process alive until the timer stops it (at most lingerMs).
  void _sim;
}

async function stopIdle(): Promise<void> {
  if (users > 0 || starting === null) return;
  const current = starting;
  starting = null;
  const sim = await current.catch(() => null);
  if (sim !== null) await sim.stop();
}
