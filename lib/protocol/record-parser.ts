import { isNumericType, type FieldDef } from './field-def';
import type { KstStamper } from './kst';
import { parseNumeric, POW10 } from './numbers';
import type { TrTable } from './tr-tables';

/** A typed field value: numbers for numeric fields, KIS strings otherwise, null for an empty number. */
export type FieldValue = string | number | null;

/**
 * One parsed record, keyed by the official field names (doc §5), plus:
 * - `timestamp`: ISO-8601 in KST (`2026-07-24T11:52:14+09:00`), from the business date and time
 *   (or the KST arrival day for TRs without a date); null when the time field is invalid;
 * - `epochMs`: the same instant in epoch milliseconds (what dashboards want).
 * Values KIS appends beyond the known layout arrive as `FIELD_<index>` strings.
 */
export interface KisRecord {
  [field: string]: FieldValue;
  timestamp: string | null;
  epochMs: number | null;
}

/** Where a record parse stopped; reused across calls so the hot path allocates nothing for it. */
export interface RecordCursor {
  /** Position just after the record's last known field (after its `^`, or length + 1 at the end). */
  pos: number;
  /** Index of the field that failed, or -1. */
  badField: number;
  /** True when the record ran out of fields before the known layout was complete. */
  truncated: boolean;
}

/**
 * Parses one record of a TR starting at `start` of `s`, reading its characters from `codes` =
 * `charCodes(s)` (char-codes.ts: the same text as code units, a 0 after the end). Returns null
 * on failure (see cursor).
 */
export type RecordParser = (s: string, start: number, cursor: RecordCursor, stamper: KstStamper, arrivalMs: number, codes: Uint16Array) => KisRecord | null;

/** The general path for a numeric field the inline fast path did not take: `parseNumeric` on the whole field. */
function SLOW_NUMBER(i: number): string {
  return `else { p = s.indexOf('^', st); if (p < 0) p = len; c = p < len ? 94 : NaN; v = N(s, st, p); if (v !== v) { cur.truncated = false; cur.badField = ${i}; return null; } }`;
}

/**
 * Compile a record parser for one TR table, once (at module load). The generated function walks
 * the record's code units (B = charCodes(s); one past the end reads 0, neither a digit nor `^`),
 * accumulating numeric fields as it scans for the `^` that ends them, slicing only text fields,
 * and ends in one object literal of a fixed shape: no split, no regex, no per-field loop over
 * descriptors, no closure per frame. Anything unusual in a numeric field (spaces, more than 15
 * digits, junk) drops to `parseNumeric` for that field alone.
 *
 * `fields` is one of the table's layouts (default: its primary one). A TR without a time field
 * (장운영정보, 회원사, ETF NAV) is stamped with the arrival time.
 */
export function compileRecordParser(table: TrTable, fields: readonly FieldDef[] = table.fields): RecordParser {
  const n = fields.length;
  const lines: string[] = ['var len = s.length, p = start, c, st, m, k, d, v, neg;'];
  fields.forEach((field: FieldDef, i: number) => {
    const last = i === n - 1;
    // After a field, p must sit on its '^' (or, for the record's last field, at the end).
    const end = last
      ? `if (p < len && c !== 94) { cur.truncated = false; cur.badField = ${i}; return null; }`
      : `if (c !== 94) { cur.truncated = p >= len; cur.badField = ${i}; return null; }`;
    if (field.type === 'int') {
      // The commonest type (prices, volumes): digits only. A sign, a dot, spaces, more than 15
      // digits or junk all end the fast loop away from '^' and take the general path below.
      lines.push(
        `st = p; c = B[p]; m = 0;`,
        `while (c >= 48 && c <= 57) { m = m * 10 + (c - 48); p++; c = B[p]; }`,
        `if ((c === 94 || p >= len) && p - st <= 15) v = p === st ? null : m;`,
        SLOW_NUMBER(i),
        `var v${i} = v;`,
      );
    } else if (field.type === 'sint') {
      // A signed integer: the int loop after an optional '-'. Anything else takes the general path.
      lines.push(
        `st = p; c = B[p]; m = 0; neg = c === 45; if (neg) { p++; c = B[p]; } d = p;`,
        `while (c >= 48 && c <= 57) { m = m * 10 + (c - 48); p++; c = B[p]; }`,
        `if ((c === 94 || p >= len) && p > d && p - d <= 15) v = neg && m !== 0 ? -m : m;`,
        `else if (p === st && (c === 94 || p >= len)) v = null;`,
        SLOW_NUMBER(i),
        `var v${i} = v;`,
      );
    } else if (isNumericType(field.type)) {
      lines.push(
        `st = p; c = B[p]; m = 0; k = 0; neg = c === 45; if (neg) { p++; c = B[p]; }`,
        `d = p; while (c >= 48 && c <= 57) { m = m * 10 + (c - 48); p++; c = B[p]; } d = p - d;`,
        `if (c === 46) { p++; c = B[p]; k = p; while (c >= 48 && c <= 57) { m = m * 10 + (c - 48); p++; c = B[p]; } k = p - k; }`,
        `if ((c === 94 || p >= len) && d + k > 0 && d + k <= 15) { v = k === 0 ? m : m / P[k]; if (neg && v !== 0) v = -v; }`,
        `else if (p === st && (c === 94 || p >= len)) v = null;`,
        SLOW_NUMBER(i),
        `var v${i} = v;`,
      );
    } else {
      lines.push(`st = p; c = B[p]; while (c !== 94 && p < len) { p++; c = B[p]; }`, `var v${i} = s.slice(st, p);`);
    }
    lines.push(end, 'p++;');
  });
  lines.push('cur.pos = p; cur.badField = -1; cur.truncated = false;');
  const timeIdx = table.timeField === null ? -1 : fields.findIndex((fd) => fd.name === table.timeField);
  if (table.timeField !== null && timeIdx < 0) throw new Error(`${table.trId}: time field ${table.timeField} missing`);
  const dateIdx = table.dateField === null ? -1 : fields.findIndex((fd) => fd.name === table.dateField);
  if (table.dateField !== null && dateIdx < 0) throw new Error(`${table.trId}: date field ${table.dateField} missing`);
  if (timeIdx < 0) {
    lines.push('var tm = K.arrivalTime(now); var iso = K.stamp(K.dateFor(tm, now), tm);');
  } else if (dateIdx >= 0) {
    // A record whose date field is empty falls back to the arrival day, like a TR without a date.
    lines.push(`var iso = K.stamp(v${dateIdx} === '' ? K.dateFor(v${timeIdx}, now) : v${dateIdx}, v${timeIdx});`);
  } else {
    lines.push(`var iso = K.stamp(K.dateFor(v${timeIdx}, now), v${timeIdx});`);
  }
  const props = fields.map((field, i) => `${JSON.stringify(field.name)}: v${i}`);
  props.push('timestamp: iso', 'epochMs: K.epochMs');
  lines.push(`return {${props.join(', ')}};`);
  // Generated from our own static tables, never from input.
  const factory = new Function('N', 'P', `return function parse_${table.trId}_${fields.length}(s, start, cur, K, now, B) {\n${lines.join('\n')}\n};`) as (
    num: typeof parseNumeric,
    pow10: readonly number[],
  ) => RecordParser;
  return factory(parseNumeric, POW10);
}
