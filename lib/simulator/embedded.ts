/**
 * The simulator started in-process for the config node's "simulator" server choice: started on
 * the first acquire, shared by every user, stopped when the last one releases it.
 */
import { startSimulator } from './server';
import type { RunningSimulator, SimulatorOptions } from './types';

/** Demo settings: a few records a second per subscription, the market always open. */
export const EMBEDDED_SIMULATOR_OPTIONS: SimulatorOptions = Object.freeze({ rate: 2, hours: 'always' });

let users = 0;
let starting: Promise<RunningSimulator> | null = null;

/** Get the shared simulator, starting it if this is the first user. Concurrent calls share one start. */
export async function acquireEmbeddedSimulator(): Promise<RunningSimulator> {
  users++;
  if (starting === null) {
    starting = startSimulator(EMBEDDED_SIMULATOR_OPTIONS);
    // A failed start must not poison later attempts.
    starting.catch(() => {
      starting = null;
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
 * Give back one acquire; the last release stops the simulator. The argument is accepted for
 * callers that pass the instance they hold; the count is what matters. Extra releases are ignored.
 */
export async function releaseEmbeddedSimulator(_sim?: RunningSimulator): Promise<void> {
  if (users === 0) return;
  users--;
  if (users > 0 || starting === null) return;
  const current = starting;
  starting = null;
  const sim = await current.catch(() => null);
  // Someone acquired again while we were waiting: they started a new instance; stop ours anyway.
  if (sim !== null) await sim.stop();
}
