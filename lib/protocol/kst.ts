/** Korea Standard Time is UTC+9 all year (no daylight saving). */
export const KST_OFFSET_MS = 9 * 3_600_000;
const DAY_MS = 86_400_000;

function pad2(n: number): string {
  return n < 10 ? '0' + n : String(n);
}

/** The KST calendar date of an instant, as KIS writes it (YYYYMMDD). */
export function kstDate(epochMs: number): string {
  const d = new Date(epochMs + KST_OFFSET_MS);
  return String(d.getUTCFullYear()) + pad2(d.getUTCMonth() + 1) + pad2(d.getUTCDate());
}

/** The KST wall-clock time of an instant (HHMMSS). */
export function kstTime(epochMs: number): string {
  const d = new Date(epochMs + KST_OFFSET_MS);
  return pad2(d.getUTCHours()) + pad2(d.getUTCMinutes()) + pad2(d.getUTCSeconds());
}

/** Seconds since KST midnight of an instant. */
export function kstSecondOfDay(epochMs: number): number {
  return Math.floor((((epochMs + KST_OFFSET_MS) % DAY_MS) + DAY_MS) % DAY_MS / 1000);
}

function digitsAt(s: string, at: number, n: number): number {
  let v = 0;
  for (let i = at; i < at + n; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

/** Epoch ms of KST midnight of a YYYYMMDD date, or NaN when it is not a valid date. */
export function kstMidnight(date: string): number {
  if (date.length !== 8) return NaN;
  const y = digitsAt(date, 0, 4), m = digitsAt(date, 4, 2), d = digitsAt(date, 6, 2);
  if (y < 0 || m < 1 || m > 12 || d < 1 || d > 31) return NaN;
  const ms = Date.UTC(y, m - 1, d) - KST_OFFSET_MS;
  // Reject dates such as 20260231 that Date.UTC silently rolls over.
  return kstDate(ms) === date ? ms : NaN;
}

/** Milliseconds since midnight of an HHMMSS time, or NaN when it is not a valid time. */
export function timeOfDayMs(time: string): number {
  if (time.length !== 6) return NaN;
  const h = digitsAt(time, 0, 2), m = digitsAt(time, 2, 2), s = digitsAt(time, 4, 2);
  if (h < 0 || h > 23 || m < 0 || m > 59 || s < 0 || s > 59) return NaN;
  return ((h * 60 + m) * 60 + s) * 1000;
}

/** `YYYY-MM-DDTHH:MM:SS+09:00` from a KIS date and time (both already validated). */
export function isoKst(date: string, time: string): string {
  return date.slice(0, 4) + '-' + date.slice(4, 6) + '-' + date.slice(6, 8) + 'T' +
    time.slice(0, 2) + ':' + time.slice(2, 4) + ':' + time.slice(4, 6) + '+09:00';
}

/** `SS+09:00` for every second, and `HH:MM:` per minute of the day (built on first use). */
const SECOND_SUFFIX: readonly string[] = Array.from({ length: 60 }, (_, sec) => pad2(sec) + '+09:00');
const MINUTE_PART: (string | undefined)[] = new Array<string | undefined>(1440).fill(undefined);

function minutePart(minuteOfDay: number): string {
  let part = MINUTE_PART[minuteOfDay];
  if (part === undefined) {
    part = pad2(Math.floor(minuteOfDay / 60)) + ':' + pad2(minuteOfDay % 60) + ':';
    MINUTE_PART[minuteOfDay] = part;
  }
  return part;
}

/**
 * Turns (date, time) pairs into timestamps, memoising the last day and the last second: at
 * market rates most records share both, so the hot path usually does two string compares.
 */
export class KstStamper {
  private lastDate = '';
  private lastMidnight = NaN;
  /** `YYYY-MM-DDT` of lastDate, so a new second costs two concatenations and no slicing. */
  private lastDatePrefix = '';
  /** null = nothing memoised (an empty time is a real input and must not match a reset). */
  private lastTime: string | null = null;
  private lastIso: string | null = null;
  private lastEpoch: number | null = null;
  private arrivalDayStart = NaN;
  private arrivalDate = '';
  /** The second (epoch s) and HHMMSS of the last arrival stamped by arrivalTime. */
  private arrivalSecond = NaN;
  private arrivalHhmmss = '';

  /** Epoch ms of the last stamp (null when the date or time was invalid). */
  epochMs: number | null = null;

  /** Stamp a record; returns the ISO string (or null) and leaves the epoch in `epochMs`. */
  stamp(date: string, time: string): string | null {
    if (date !== this.lastDate) {
      this.lastDate = date;
      this.lastMidnight = kstMidnight(date);
      this.lastDatePrefix = date.slice(0, 4) + '-' + date.slice(4, 6) + '-' + date.slice(6, 8) + 'T';
      this.lastTime = null;
    }
    if (time !== this.lastTime) {
      this.lastTime = time;
      const tod = timeOfDayMs(time);
      if (tod !== tod || this.lastMidnight !== this.lastMidnight) {
        this.lastIso = null;
        this.lastEpoch = null;
      } else {
        // Same text as isoKst(date, time), from cached parts.
        const second = tod / 1000;
        this.lastIso = this.lastDatePrefix + minutePart(Math.floor(second / 60)) + SECOND_SUFFIX[second % 60]!;
        this.lastEpoch = this.lastMidnight + tod;
      }
    }
    this.epochMs = this.lastEpoch;
    return this.lastIso;
  }

  /**
   * The business date for a record that carries only a time (호가, 체결통보): the KST day it
   * arrived on, except that a time more than 12 h after the arrival time-of-day belongs to the
   * previous day (a 23:59:59 record that arrives at 00:00:01).
   */
  /** kstTime(arrivalMs), memoised per second: for TRs whose records carry no time of their own. */
  arrivalTime(arrivalMs: number): string {
    const second = Math.floor(arrivalMs / 1000);
    if (second !== this.arrivalSecond) {
      this.arrivalSecond = second;
      this.arrivalHhmmss = kstTime(arrivalMs);
    }
    return this.arrivalHhmmss;
  }

  dateFor(time: string, arrivalMs: number): string {
    const dayStart = Math.floor((arrivalMs + KST_OFFSET_MS) / DAY_MS) * DAY_MS - KST_OFFSET_MS;
    if (dayStart !== this.arrivalDayStart) {
      this.arrivalDayStart = dayStart;
      this.arrivalDate = kstDate(dayStart);
    }
    const tod = timeOfDayMs(time);
    if (tod === tod && tod - (arrivalMs - dayStart) > 12 * 3_600_000) return kstDate(dayStart - DAY_MS);
    return this.arrivalDate;
  }
}
