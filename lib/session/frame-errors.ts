/**
 * Counts messages the session could not use (per kind and TR) and decides when to log them: the
 * first of each (kind, TR) at once, then at most one summary line per `intervalMs` per (kind, TR)
 * with the number seen since the last line. Nothing is dropped silently: every one is counted and
 * reaches the session's 'frameError' event.
 */
export interface FrameErrorTally {
  /** Total of this (kind, TR) on this session. */
  readonly count: number;
  /** The line to log now, or null (rate-limited). */
  readonly logLine: string | null;
}

interface Entry {
  count: number;
  /** Count at the last logged line. */
  logged: number;
  lastLogAt: number;
}

export class FrameErrorCounter {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly intervalMs: number) {}

  record(kind: string, trId: string | undefined, message: string, now: number): FrameErrorTally {
    const id = `${kind}|${trId ?? ''}`;
    let e = this.entries.get(id);
    if (e === undefined) {
      e = { count: 0, logged: 0, lastLogAt: -Infinity };
      this.entries.set(id, e);
    }
    e.count++;
    if (now - e.lastLogAt < this.intervalMs) return { count: e.count, logLine: null };
    const since = e.count - e.logged;
    e.logged = e.count;
    e.lastLogAt = now;
    const tail = e.count === 1 ? '' : ` (${since} like it since the last report, ${e.count} in all)`;
    return { count: e.count, logLine: `ignored a message: ${message}${tail}` };
  }

  /** Counts per `kind|TR` (diagnostics). */
  counts(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [id, e] of this.entries) out[id] = e.count;
    return out;
  }

  total(): number {
    let n = 0;
    for (const e of this.entries.values()) n += e.count;
    return n;
  }
}
