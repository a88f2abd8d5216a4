import { decryptPayload, type AesKey } from './crypto';
import { KstStamper } from './kst';
import { opspInfo, type OpspCode } from './opsp';
import { charCodes } from './char-codes';
import { compileRecordParser, type KisRecord, type RecordCursor, type RecordParser } from './record-parser';
import { TR_IDS, TR_TABLES, type LayoutVariant, type TrId, type TrTable } from './tr-tables';

/** Why a text message could not be used. */
export type FrameErrorCode =
  | 'empty' // zero-length message
  | 'not-a-frame' // first character is neither `{` nor `0`/`1`
  | 'bad-json' // starts with `{` but is not JSON
  | 'bad-control' // JSON without the header/body shape of an ack or PINGPONG
  | 'truncated' // fewer than the four `|` parts of a data frame
  | 'bad-count' // COUNT is not a positive number
  | 'unknown-tr' // a TR id we have no field table for
  | 'no-key' // an encrypted frame arrived before its key (from the subscribe ack)
  | 'decrypt-failed' // the payload did not decrypt with the key we have
  | 'field-count' // the payload does not split into COUNT records of at least the known field count
  | 'bad-value'; // a numeric field holds something that is not a number

export interface FrameError {
  readonly type: 'error';
  readonly code: FrameErrorCode;
  /** Human-readable, names what is wrong; never contains key material. */
  readonly message: string;
  readonly trId?: string;
  /** For `bad-value`: the 1-based record of the frame and the 0-based field that failed, and its name. */
  readonly record?: number;
  readonly field?: number;
  readonly fieldName?: string;
}

/** Pipe-delimited real-time data (doc §4). */
export interface DataFrame {
  readonly type: 'data';
  readonly trId: TrId;
  readonly table: TrTable;
  readonly encrypted: boolean;
  /** Every good record of the frame, in order (COUNT of them unless `errors` lists bad ones). */
  readonly records: KisRecord[];
  /** Fields per record on the wire (the layout variant's count, or more when KIS appended fields). */
  readonly fieldsPerRecord: number;
  /**
   * The known layout the records were read with (docs/protocol/realtime-trs.md, layout drift), or null
   * for an unknown field count: then the longest known layout shorter than the records was used
   * and the values beyond it are kept as FIELD_<i> strings.
   */
  readonly variant: LayoutVariant | null;
  /**
   * Records of a multi-record frame that held a bad value (`bad-value`, one per record, with
   * `record`/`field` set); the other records are in `records`. Absent when every record was good.
   */
  readonly errors?: readonly FrameError[];
}

/** A subscribe / unsubscribe acknowledgement or error (doc §3.1, §3.3). */
export interface ControlFrame {
  readonly type: 'control';
  readonly trId: string;
  readonly trKey: string;
  readonly rtCd: string;
  readonly msgCd: string;
  readonly msg1: string;
  /** `header.encrypt === "Y"`: data for this TR will arrive encrypted. */
  readonly encrypt: boolean;
  /** AES key material from `body.output`, when present. */
  readonly aes: AesKey | null;
  readonly info: OpspCode;
}

/** The server's application-level keep-alive; answer by echoing `raw` as a text frame (doc §3.2). */
export interface PingPongFrame {
  readonly type: 'pingpong';
  readonly raw: string;
}

export type ParsedFrame = DataFrame | ControlFrame | PingPongFrame | FrameError;

export interface ParseOptions {
  /** Arrival time (epoch ms) for records that carry no date; default Date.now(). */
  readonly now?: number;
  /** AES keys per TR id, from the subscribe acks (needed only for encrypted frames). */
  readonly keys?: { get(trId: string): AesKey | undefined };
}

/** One known layout of a TR with its compiled parser. */
interface VariantEntry {
  readonly variant: LayoutVariant;
  readonly parser: RecordParser;
  readonly length: number;
  /** Field 0 is a Y/N flag (H0UNMKO0 as documented: no code): told apart by content from a layout of the same length. */
  readonly flagFirst: boolean;
}

/** Everything the hot path needs per TR, compiled once. */
interface TrEntry {
  readonly trId: TrId;
  readonly table: TrTable;
  readonly parser: RecordParser;
  /** Every known layout, shortest first. */
  readonly variants: readonly VariantEntry[];
  /** Known layouts by field count. */
  readonly byLength: ReadonlyMap<number, readonly VariantEntry[]>;
  /** Two layouts share a field count: every record's field 0 is checked against the hinted layout. */
  readonly ties: boolean;
  /** The layout the last frame of this TR had: tried first (a hint only; results never depend on it). */
  hint: VariantEntry;
}

const TR_ID_LENGTH = 8;
/** A slot per TR from characters 3–7 of its id (see trSlot); checked for collisions at load. */
const TR_SLOTS: readonly (TrEntry | undefined)[] = buildTrSlots();

function trSlot(s: string, a: number): number {
  return (s.charCodeAt(a + 3) + s.charCodeAt(a + 4) + s.charCodeAt(a + 5) * 3 + s.charCodeAt(a + 6) * 31 + s.charCodeAt(a + 7)) & 127;
}

function compileEntry(trId: TrId): TrEntry {
  const table = TR_TABLES[trId];
  const variants = table.variants
    .map((variant) => ({ variant, parser: compileRecordParser(table, variant.fields), length: variant.fields.length, flagFirst: variant.fields[0]?.type === 'yn' }))
    .sort((a, b) => a.length - b.length);
  const byLength = new Map<number, VariantEntry[]>();
  for (const ve of variants) byLength.set(ve.length, [...(byLength.get(ve.length) ?? []), ve]);
  const primary = variants.find((ve) => ve.variant === table.variants[0]) as VariantEntry;
  const ties = [...byLength.values()].some((list) => list.length > 1);
  return { trId, table, parser: primary.parser, variants, byLength, ties, hint: primary };
}

function buildTrSlots(): (TrEntry | undefined)[] {
  const slots = new Array<TrEntry | undefined>(128).fill(undefined);
  for (const trId of TR_IDS) {
    if (trId.length !== TR_ID_LENGTH) throw new Error(`${trId}: TR ids are ${TR_ID_LENGTH} characters`);
    const slot = trSlot(trId, 0);
    if (slots[slot] !== undefined) throw new Error(`${trId} collides with ${slots[slot]?.trId} in the TR lookup`);
    slots[slot] = compileEntry(trId);
  }
  return slots;
}

/**
 * The TR of the id at `s[a, b)`, without slicing it out: the hot path then hands on our own
 * (internalised) TR id string and skips a keyed lookup with a fresh string per frame.
 */
function lookupTr(s: string, a: number, b: number): TrEntry | undefined {
  if (b - a !== TR_ID_LENGTH) return undefined;
  const entry = TR_SLOTS[trSlot(s, a)];
  return entry !== undefined && s.startsWith(entry.trId, a) ? entry : undefined;
}
const stamper = new KstStamper();
const cursor: RecordCursor = { pos: 0, badField: -1, truncated: false };

/** Trailing CR/LF (some gateways and test tools add one) ends no field: cut it before parsing. */
function trimLineEnd(s: string): string {
  let end = s.length;
  while (end > 0) {
    const c = s.charCodeAt(end - 1);
    if (c !== 10 && c !== 13) break;
    end--;
  }
  return end === s.length ? s : s.slice(0, end);
}

function fail(code: FrameErrorCode, message: string, trId?: string): FrameError {
  return trId === undefined ? { type: 'error', code, message } : { type: 'error', code, message, trId };
}

/**
 * Classify and parse one raw text message from the KIS WebSocket.
 * Never throws; a message that cannot be used yields a `FrameError` naming what is wrong. A data
 * frame keeps every good record, every field typed; a record with a bad value is reported in
 * `errors` (and a frame with no good record is the error itself). A trailing CR/LF is ignored.
 */
export function parseFrame(text: string, options?: ParseOptions): ParsedFrame {
  if (typeof text !== 'string' || text.length === 0) return fail('empty', 'empty message');
  const c = text.charCodeAt(0);
  if (c === 48 /* 0 */ || c === 49 /* 1 */) return parseDataFrame(text, options);
  if (c === 123 /* { */) return parseControl(text);
  return fail('not-a-frame', `not a KIS frame (starts with ${JSON.stringify(text.slice(0, 8))})`);
}

function parseDataFrame(raw: string, options: ParseOptions | undefined): DataFrame | FrameError {
  const text = trimLineEnd(raw);
  const p1 = text.indexOf('|');
  const p2 = p1 < 0 ? -1 : text.indexOf('|', p1 + 1);
  const p3 = p2 < 0 ? -1 : text.indexOf('|', p2 + 1);
  if (p3 < 0) return fail('truncated', 'data frame has fewer than 4 "|"-separated parts');
  if (p1 !== 1) return fail('not-a-frame', 'encryption flag must be a single "0" or "1"');
  const entry = lookupTr(text, p1 + 1, p2);
  if (entry === undefined) {
    const shown = text.slice(p1 + 1, Math.min(p2, p1 + 17));
    return fail('unknown-tr', `unknown TR id ${JSON.stringify(shown)}`, shown);
  }
  const trId = entry.trId;
  const count = parseCount(text, p2 + 1, p3);
  if (count < 1) return fail('bad-count', `${trId}: record count ${JSON.stringify(text.slice(p2 + 1, Math.min(p3, p2 + 9)))} is not a positive number`, trId);
  const encrypted = c1(text);
  let s = text;
  let start = p3 + 1;
  if (encrypted) {
    const key = options?.keys?.get(trId);
    if (key === undefined) return fail('no-key', `${trId}: encrypted frame arrived before its key (no subscribe ack yet)`, trId);
    try {
      s = trimLineEnd(decryptPayload(text.slice(start), key));
    } catch {
      return fail('decrypt-failed', `${trId}: payload did not decrypt with the key from the subscribe ack`, trId);
    }
    start = 0;
  }
  const now = options?.now ?? Date.now();
  return parseRecords(s, start, entry, count, encrypted, now);
}

function c1(text: string): boolean {
  return text.charCodeAt(0) === 49;
}

function parseCount(text: string, a: number, b: number): number {
  if (b - a < 1 || b - a > 6) return -1;
  let n = 0;
  for (let i = a; i < b; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

function parseRecords(s: string, start: number, entry: TrEntry, count: number, encrypted: boolean, now: number): DataFrame | FrameError {
  const hint = entry.hint;
  // COUNT × fields need at least that many minus one `^`: a shorter payload (or a junk COUNT such
  // as 999999) never reaches the fast path, so it allocates no COUNT slots.
  if (s.length - start < count * hint.length - 1) return layoutOrError(s, start, entry, count, encrypted, now);
  const records: KisRecord[] = new Array<KisRecord>(count);
  const codes = charCodes(s);
  const parser = hint.parser;
  let p = start;
  // Fast path: exactly COUNT records of the layout the last frame had, one pass.
  for (let i = 0; i < count; i++) {
    // Two layouts of this count (H0UNMKO0): the record's field 0 must fit the hinted one.
    if (entry.ties && isFlagAt(s, p) !== hint.flagFirst) return layoutOrError(s, start, entry, count, encrypted, now);
    // Records left but the text is used up (a parser must not read past the 0 after the end).
    if (p > s.length) return layoutOrError(s, start, entry, count, encrypted, now);
    const rec = parser(s, p, cursor, stamper, now, codes);
    // Any failure takes the slow path: with another layout, record 2 onwards starts at the wrong
    // offset here, so a "bad value" may only be a shifted layout. The slow path counts the fields
    // first and reads every record by the layout the count names.
    if (rec === null) return layoutOrError(s, start, entry, count, encrypted, now);
    records[i] = rec;
    p = cursor.pos;
  }
  if (p === s.length + 1) return { type: 'data', trId: entry.trId, table: entry.table, encrypted, records, fieldsPerRecord: hint.length, variant: hint.variant };
  return layoutOrError(s, start, entry, count, encrypted, now);
}

function badValue(trId: string, fields: readonly { readonly name: string }[], recordIndex: number, field: number): FrameError {
  const name = fields[field]?.name ?? `#${field}`;
  return {
    type: 'error', code: 'bad-value', message: `${trId}: record ${recordIndex + 1} field ${field} (${name}) is not a number`, trId,
    record: recordIndex + 1, field, fieldName: name,
  };
}

/** Position just after `n` fields from `p` (the start of the next record). */
function skipFields(s: string, p: number, n: number): number {
  for (let k = 0; k < n; k++) {
    const e = s.indexOf('^', p);
    if (e < 0) return s.length + 1;
    p = e + 1;
  }
  return p;
}

/** The field starting at `p` is exactly `Y` or `N`. */
function isFlagAt(s: string, p: number): boolean {
  const c = s.charCodeAt(p);
  return (c === 89 || c === 78) && (p + 1 === s.length || s.charCodeAt(p + 1) === 94);
}

/** Of two layouts with the same count, the one whose field 0 is a Y/N flag when the record's field 0 is `Y` or `N`. */
function byContent(list: readonly VariantEntry[], s: string, p: number): VariantEntry {
  if (list.length === 1) return list[0] as VariantEntry;
  const flag = isFlagAt(s, p);
  return list.find((ve) => ve.flagFirst === flag) ?? (list[0] as VariantEntry);
}

/**
 * Slow path, taken when the fast path did not end exactly at the end of the payload: count the
 * fields, and read COUNT records of the layout that count names (docs/protocol/realtime-trs.md,
 * layout drift). An unknown count above a known layout is read with the longest shorter one, the
 * rest kept as FIELD_<i> (variant null); one below every layout, or not a multiple of COUNT, is a
 * field-count error. A record with a bad value is left out and reported in `errors`; the frame is
 * an error only when no record was good.
 */
function layoutOrError(s: string, start: number, entry: TrEntry, count: number, encrypted: boolean, now: number): DataFrame | FrameError {
  const { trId, table } = entry;
  const known = table.fields.length;
  let total = 1;
  for (let i = s.indexOf('^', start); i >= 0; i = s.indexOf('^', i + 1)) total++;
  const stride = total / count;
  const exact = total % count === 0 ? entry.byLength.get(stride) : undefined;
  let list: readonly VariantEntry[] | undefined = exact;
  if (list === undefined && total % count === 0) {
    for (const ve of entry.variants) if (ve.length < stride) list = [ve];
  }
  if (list === undefined) {
    const shortest = entry.variants[0]?.length ?? known;
    const of = shortest === known ? `${known}` : `${known} (or another known layout)`;
    return fail('field-count', `${trId}: ${total} fields do not split into ${count} record(s) of ${of}${count > 1 ? ` (expected ${count * known})` : ''}`, trId);
  }
  const codes = charCodes(s);
  const records: KisRecord[] = [];
  let errors: FrameError[] | undefined;
  let used: VariantEntry = list[0] as VariantEntry;
  let p = start;
  for (let i = 0; i < count; i++) {
    const ve = byContent(list, s, p);
    used = ve;
    const rec = ve.parser(s, p, cursor, stamper, now, codes);
    if (rec === null) {
      (errors ??= []).push(badValue(trId, ve.variant.fields, i, cursor.badField));
      p = skipFields(s, p, stride);
      continue;
    }
    p = cursor.pos;
    for (let j = ve.length; j < stride; j++) {
      let e = s.indexOf('^', p);
      if (e < 0) e = s.length;
      rec[`FIELD_${j}`] = s.slice(p, e);
      p = e + 1;
    }
    records.push(rec);
  }
  if (records.length === 0 && errors !== undefined) return errors[0] as FrameError;
  if (exact !== undefined) entry.hint = used;
  const frame: DataFrame = { type: 'data', trId, table, encrypted, records, fieldsPerRecord: stride, variant: exact !== undefined ? used.variant : null };
  return errors === undefined ? frame : { ...frame, errors };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '';
}

function parseControl(text: string): ControlFrame | PingPongFrame | FrameError {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return fail('bad-json', 'control message is not valid JSON');
  }
  if (!isObject(json) || !isObject(json.header)) return fail('bad-control', 'control message has no header');
  const header = json.header;
  const trId = str(header.tr_id);
  if (trId === 'PINGPONG') return { type: 'pingpong', raw: text };
  const body = json.body;
  if (!isObject(body) || typeof body.msg_cd !== 'string') return fail('bad-control', `control message for ${JSON.stringify(trId.slice(0, 16))} has no body.msg_cd`);
  const output = body.output;
  let aes: AesKey | null = null;
  if (isObject(output) && typeof output.key === 'string' && typeof output.iv === 'string') aes = { key: output.key, iv: output.iv };
  return {
    type: 'control',
    trId,
    trKey: str(header.tr_key),
    rtCd: str(body.rt_cd),
    msgCd: body.msg_cd,
    msg1: str(body.msg1),
    encrypt: header.encrypt === 'Y',
    aes,
    info: opspInfo(body.msg_cd, str(body.msg1)),
  };
}

/**
 * A parser with memory: holds the AES keys of the current connection and reports a changed
 * record layout (KIS appended fields) once per TR instead of on every frame.
 */
export class FrameParser {
  private readonly keys = new Map<string, AesKey>();
  private readonly layouts = new Map<string, number>();
  private readonly variantsSeen = new Set<string>();
  /**
   * Called once per TR and field count when records arrive with a count no known layout has
   * (`known` = the count of the layout used, `seen` = the count on the wire; the rest arrive as FIELD_<n>).
   */
  onLayoutChange: ((trId: TrId, known: number, seen: number) => void) | null = null;
  /** Called once per TR and known layout other than the primary one, the first time records arrive in it. */
  onVariant: ((trId: TrId, variant: LayoutVariant) => void) | null = null;

  setKey(trId: string, key: AesKey): void {
    this.keys.set(trId, key);
  }

  /** Forget every key (after a disconnect; new acks bring new keys, doc §6.5). */
  clearKeys(): void {
    this.keys.clear();
  }

  /** Reused for every frame: the hot path allocates no options object. */
  private readonly options: { keys: Map<string, AesKey>; now: number } = { keys: this.keys, now: 0 };

  parse(text: string, now?: number): ParsedFrame {
    this.options.now = now ?? Date.now();
    const frame = parseFrame(text, this.options);
    if (frame.type !== 'data') return frame;
    const variant = frame.variant;
    if (variant === null) {
      if (this.layouts.get(frame.trId) !== frame.fieldsPerRecord) {
        this.layouts.set(frame.trId, frame.fieldsPerRecord);
        const known = frame.table.variants.filter((x) => x.fields.length < frame.fieldsPerRecord).reduce((m, x) => Math.max(m, x.fields.length), 0);
        this.onLayoutChange?.(frame.trId, known, frame.fieldsPerRecord);
      }
    } else if (variant !== frame.table.variants[0]) {
      const key = frame.trId + ' ' + variant.id;
      if (!this.variantsSeen.has(key)) {
        this.variantsSeen.add(key);
        this.onVariant?.(frame.trId, variant);
      }
    }
    return frame;
  }
}
