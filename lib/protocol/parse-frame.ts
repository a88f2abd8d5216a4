import { decryptPayload, type AesKey } from './crypto';
import { KstStamper } from './kst';
import { opspInfo, type OpspCode } from './opsp';
import { compileRecordParser, type KisRecord, type RecordCursor, type RecordParser } from './record-parser';
import { TR_IDS, TR_TABLES, type TrId, type TrTable } from './tr-tables';

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
}

/** Pipe-delimited real-time data (doc §4). */
export interface DataFrame {
  readonly type: 'data';
  readonly trId: TrId;
  readonly table: TrTable;
  readonly encrypted: boolean;
  /** Every record of the frame, in order (COUNT of them). */
  readonly records: KisRecord[];
  /** Fields per record on the wire; more than the table's when KIS appended fields. */
  readonly fieldsPerRecord: number;
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

/** Everything the hot path needs per TR, compiled once. */
interface TrEntry {
  readonly trId: TrId;
  readonly table: TrTable;
  readonly parser: RecordParser;
}

const TR_ID_LENGTH = 8;
/** A slot per TR from characters 2, 4, 6 and 7 of its id (see trSlot); checked for collisions at load. */
const TR_SLOTS: readonly (TrEntry | undefined)[] = buildTrSlots();

function trSlot(s: string, a: number): number {
  return (s.charCodeAt(a + 2) * 7 + s.charCodeAt(a + 4) * 3 + s.charCodeAt(a + 6) * 5 + s.charCodeAt(a + 7)) & 127;
}

function buildTrSlots(): (TrEntry | undefined)[] {
  const slots = new Array<TrEntry | undefined>(128).fill(undefined);
  for (const trId of TR_IDS) {
    if (trId.length !== TR_ID_LENGTH) throw new Error(`${trId}: TR ids are ${TR_ID_LENGTH} characters`);
    const slot = trSlot(trId, 0);
    if (slots[slot] !== undefined) throw new Error(`${trId} collides with ${slots[slot]?.trId} in the TR lookup`);
    slots[slot] = { trId, table: TR_TABLES[trId], parser: compileRecordParser(TR_TABLES[trId]) };
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

function fail(code: FrameErrorCode, message: string, trId?: string): FrameError {
  return trId === undefined ? { type: 'error', code, message } : { type: 'error', code, message, trId };
}

/**
 * Classify and parse one raw text message from the KIS WebSocket.
 * Never throws; a message that cannot be used yields a `FrameError` naming what is wrong, and a
 * data frame is either returned whole (every record, every field typed) or not at all.
 */
export function parseFrame(text: string, options?: ParseOptions): ParsedFrame {
  if (typeof text !== 'string' || text.length === 0) return fail('empty', 'empty message');
  const c = text.charCodeAt(0);
  if (c === 48 /* 0 */ || c === 49 /* 1 */) return parseDataFrame(text, options);
  if (c === 123 /* { */) return parseControl(text);
  return fail('not-a-frame', `not a KIS frame (starts with ${JSON.stringify(text.slice(0, 8))})`);
}

function parseDataFrame(text: string, options: ParseOptions | undefined): DataFrame | FrameError {
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
  const { trId, table, parser } = entry;
  const count = parseCount(text, p2 + 1, p3);
  if (count < 1) return fail('bad-count', `${trId}: record count ${JSON.stringify(text.slice(p2 + 1, Math.min(p3, p2 + 9)))} is not a positive number`, trId);
  const encrypted = c1(text);
  let s = text;
  let start = p3 + 1;
  if (encrypted) {
    const key = options?.keys?.get(trId);
    if (key === undefined) return fail('no-key', `${trId}: encrypted frame arrived before its key (no subscribe ack yet)`, trId);
    try {
      s = decryptPayload(text.slice(start), key);
    } catch {
      return fail('decrypt-failed', `${trId}: payload did not decrypt with the key from the subscribe ack`, trId);
    }
    start = 0;
  }
  const now = options?.now ?? Date.now();
  return parseRecords(s, start, trId, table, parser, count, encrypted, now);
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

function parseRecords(
  s: string, start: number, trId: TrId, table: TrTable, parser: RecordParser, count: number, encrypted: boolean, now: number,
): DataFrame | FrameError {
  const known = table.fields.length;
  // COUNT × known fields need at least that many minus one `^`: a shorter payload (or a junk
  // COUNT such as 999999) is a layout error, found without allocating COUNT slots.
  if (s.length - start < count * known - 1) return layoutOrError(s, start, trId, table, parser, count, encrypted, now);
  const records: KisRecord[] = new Array<KisRecord>(count);
  let p = start;
  // Fast path: exactly COUNT × known fields, one pass.
  for (let i = 0; i < count; i++) {
    const rec = parser(s, p, cursor, stamper, now);
    // Any failure takes the slow path: with appended fields, record 2 onwards starts at the
    // wrong offset here, so a "bad value" may only be a shifted layout. The slow path counts
    // the fields first and reports field-count or bad-value for the real layout.
    if (rec === null) return layoutOrError(s, start, trId, table, parser, count, encrypted, now);
    records[i] = rec;
    p = cursor.pos;
  }
  if (p === s.length + 1) return { type: 'data', trId, table, encrypted, records, fieldsPerRecord: known };
  return layoutOrError(s, start, trId, table, parser, count, encrypted, now);
}

function badValue(trId: string, table: TrTable, recordIndex: number, field: number): FrameError {
  const name = table.fields[field]?.name ?? `#${field}`;
  return fail('bad-value', `${trId}: record ${recordIndex + 1} field ${field} (${name}) is not a number`, trId);
}

/**
 * Slow path, taken only when the fast path did not end exactly at the end of the payload: count
 * the fields and accept the frame if it splits evenly into COUNT records of at least the known
 * field count (KIS appended fields: keep them as FIELD_<i>); otherwise report the mismatch.
 */
function layoutOrError(
  s: string, start: number, trId: TrId, table: TrTable, parser: RecordParser, count: number, encrypted: boolean, now: number,
): DataFrame | FrameError {
  const known = table.fields.length;
  let total = 1;
  for (let i = s.indexOf('^', start); i >= 0; i = s.indexOf('^', i + 1)) total++;
  const stride = total / count;
  if (total % count !== 0 || stride < known) {
    return fail('field-count', `${trId}: ${total} fields do not split into ${count} record(s) of ${known}${count > 1 ? ` (expected ${count * known})` : ''}`, trId);
  }
  const records: KisRecord[] = new Array<KisRecord>(count);
  let p = start;
  for (let i = 0; i < count; i++) {
    const rec = parser(s, p, cursor, stamper, now);
    if (rec === null) return badValue(trId, table, i, cursor.badField);
    p = cursor.pos;
    for (let j = known; j < stride; j++) {
      let e = s.indexOf('^', p);
      if (e < 0) e = s.length;
      rec[`FIELD_${j}`] = s.slice(p, e);
      p = e + 1;
    }
    records[i] = rec;
  }
  return { type: 'data', trId, table, encrypted, records, fieldsPerRecord: stride };
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
  /** Called once per TR the first time its records arrive with a new field count. */
  onLayoutChange: ((trId: TrId, known: number, seen: number) => void) | null = null;

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
    if (frame.type === 'data' && frame.fieldsPerRecord !== frame.table.fields.length && this.layouts.get(frame.trId) !== frame.fieldsPerRecord) {
      this.layouts.set(frame.trId, frame.fieldsPerRecord);
      this.onLayoutChange?.(frame.trId, frame.table.fields.length, frame.fieldsPerRecord);
    }
    return frame;
  }
}
