/**
 * A deliberately naive reference parser: `split('|')`, `split('^')`, regular expressions and
 * `Date` arithmetic, with the field names and types taken from the doc fixture rather than from
 * lib/protocol. The fuzz spec checks the compiled parser against it frame by frame.
 */
import { createDecipheriv } from 'node:crypto';
import type { AesKey } from '../../../lib/protocol/crypto';
import type { FieldValue } from '../../../lib/protocol/record-parser';
import type { DocField } from './doc-extract';

export type RefResult =
  | { readonly type: 'json' }
  | { readonly type: 'error'; readonly code: string }
  | {
    readonly type: 'data'; readonly trId: string; readonly encrypted: boolean; readonly fieldsPerRecord: number; readonly records: Record<string, FieldValue>[];
    /** Records left out for a bad value; the frame is an error only when no record is good. */
    readonly badRecords: number;
    /** The field count is one of the doc's layouts (else the extras are FIELD_<i>). */
    readonly knownLayout: boolean;
  };

const NUMERIC = new Set(['int', 'sint', 'dec', 'sdec', 'num']);

const MARKET_CLS: DocField = { name: 'MARKET_CLS_CODE', type: 'enum', ko: '장 구분 코드' };
/**
 * The newer layouts of doc §12.9, written out here from the doc's words (fields appended at the
 * end), independently of lib/protocol: per TR, the doc layout → the longer layouts built from it.
 */
const LATER_LAYOUTS: Readonly<Record<string, (base: readonly DocField[]) => DocField[][]>> = {
  H0STCNT0: (b) => [[...b, MARKET_CLS]],
  H0NXCNT0: (b) => [[...b, MARKET_CLS]],
  H0UNCNT0: (b) => [[...b, MARKET_CLS]],
  H0STASP0: (b) => {
    const mid = [...b, { name: 'MID_PRC', type: 'num', ko: '' }, { name: 'MIDP_TOTAL_RSQN', type: 'int', ko: '' }, { name: 'MIDP_CLS_CODE', type: 'enum', ko: '' }];
    return [mid, [...mid, MARKET_CLS]];
  },
  H0NXASP0: (b) => [[...b.slice(0, 59), ...b.slice(62)]],
  H0UNASP0: (b) => [[...b, { name: 'ANTC_EXCH_CLS_CODE', type: 'enum', ko: '' }]],
};

/**
 * A TR the doc fixture does not hold (the TRs beyond the original eight): its layouts and stamp
 * fields, handed in by the fuzz spec from the TR tables (their names are checked against the doc
 * by the doc-names spec; here only the frame machinery is under test).
 */
export interface RefTr {
  readonly layouts: readonly (readonly DocField[])[];
  readonly date: string | null;
  readonly time: string | null;
}

/** Every layout the reference accepts for a TR, by field count (several for one count: decided by field 0). */
function layoutsOf(trId: string, base: readonly DocField[], extra: RefTr | undefined): Map<number, (readonly DocField[])[]> {
  const all = extra !== undefined ? extra.layouts : [base, ...(LATER_LAYOUTS[trId]?.(base) ?? [])];
  const out = new Map<number, (readonly DocField[])[]>();
  for (const l of all) out.set(l.length, [...(out.get(l.length) ?? []), l]);
  return out;
}
/** Date and time fields per TR kind (doc §5.1–5.3; 호가 and 체결통보 carry no date). */
const STAMP_FIELDS: Readonly<Record<string, { date: string | null; time: string | null }>> = {
  H0STCNT0: { date: 'BSOP_DATE', time: 'STCK_CNTG_HOUR' },
  H0NXCNT0: { date: 'BSOP_DATE', time: 'STCK_CNTG_HOUR' },
  H0UNCNT0: { date: 'BSOP_DATE', time: 'STCK_CNTG_HOUR' },
  H0STASP0: { date: null, time: 'BSOP_HOUR' },
  H0NXASP0: { date: null, time: 'BSOP_HOUR' },
  H0UNASP0: { date: null, time: 'BSOP_HOUR' },
  H0STCNI0: { date: null, time: 'STCK_CNTG_HOUR' },
  H0STCNI9: { date: null, time: 'STCK_CNTG_HOUR' },
};
const BAD = Symbol('bad');
const H9 = 9 * 3_600_000;
const DAY = 86_400_000;

/** Plain decimal text → number; empty → null; >15 significant digits that a double cannot hold → the exact text. */
export function refNumber(raw: string): FieldValue | typeof BAD {
  const t = raw.replace(/^ +| +$/g, '');
  if (t === '') return null;
  const m = /^[+-]?(\d*)(?:\.(\d*))?$/.exec(t);
  if (m === null) return BAD;
  const digits = (m[1] ?? '') + (m[2] ?? '');
  if (digits === '') return BAD;
  const n = Number(t);
  if (digits.replace(/^0+/, '').length > 15) return m[2] === undefined && Number.isSafeInteger(n) ? n : t;
  return n === 0 ? 0 : n;
}

function daysIn(y: number, m: number): number {
  if (m === 2) return y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(m) ? 30 : 31;
}

function ymd(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10).replace(/-/g, '');
}

/** Milliseconds into the day of HHMMSS, or null. */
function refTod(time: string): number | null {
  const m = /^(\d\d)(\d\d)(\d\d)$/.exec(time);
  if (m === null) return null;
  const [h, mi, s] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return h < 24 && mi < 60 && s < 60 ? ((h * 60 + mi) * 60 + s) * 1000 : null;
}

/** The KST day a date-less record belongs to: the arrival day, or the day before for a time > 12 h ahead of arrival. */
export function refDateFor(time: string, now: number): string {
  const dayStartKst = Math.floor((now + H9) / DAY) * DAY; // KST midnight, on the UTC axis
  const tod = refTod(time);
  if (tod !== null && tod - (now + H9 - dayStartKst) > 12 * 3_600_000) return ymd(dayStartKst - DAY);
  return ymd(dayStartKst);
}

/** [ISO-8601 KST, epoch ms] or [null, null]. Years below 100 are not business dates. */
export function refStamp(date: string, time: string): [string | null, number | null] {
  const d = /^(\d{4})(\d\d)(\d\d)$/.exec(date);
  const tod = refTod(time);
  if (d === null || tod === null) return [null, null];
  const [y, mo, da] = [Number(d[1]), Number(d[2]), Number(d[3])];
  if (y < 100 || mo < 1 || mo > 12 || da < 1 || da > daysIn(y, mo)) return [null, null];
  const iso = `${d[1]}-${d[2]}-${d[3]}T${time.slice(0, 2)}:${time.slice(2, 4)}:${time.slice(4, 6)}+09:00`;
  return [iso, Date.UTC(y, mo - 1, da) - H9 + tod];
}

function refDecrypt(base64: string, k: AesKey): string | null {
  try {
    const d = createDecipheriv('aes-256-cbc', Buffer.from(k.key, 'utf8'), Buffer.from(k.iv, 'utf8'));
    return Buffer.concat([d.update(Buffer.from(base64, 'base64')), d.final()]).toString('utf8');
  } catch {
    return null;
  }
}

export function referenceParse(
  text: string, now: number, trs: Readonly<Record<string, readonly DocField[]>>, keys: ReadonlyMap<string, AesKey>, extra: Readonly<Record<string, RefTr>> = {},
): RefResult {
  const err = (code: string): RefResult => ({ type: 'error', code });
  if (text === '') return err('empty');
  if (text[0] === '{') return { type: 'json' };
  if (text[0] !== '0' && text[0] !== '1') return err('not-a-frame');
  const parts = text.split('|');
  if (parts.length < 4) return err('truncated');
  const [flag, trId, countText] = parts as [string, string, string];
  let payload = parts.slice(3).join('|');
  if (flag.length !== 1) return err('not-a-frame');
  const more = Object.prototype.hasOwnProperty.call(extra, trId) ? extra[trId] : undefined;
  const fields = Object.prototype.hasOwnProperty.call(trs, trId) ? trs[trId] : more?.layouts[0];
  const stampFields = STAMP_FIELDS[trId] ?? (more !== undefined ? { date: more.date, time: more.time } : undefined);
  if (fields === undefined || stampFields === undefined) return err('unknown-tr');
  if (!/^\d{1,6}$/.test(countText) || Number(countText) === 0) return err('bad-count');
  const count = Number(countText);
  const encrypted = flag === '1';
  if (encrypted) {
    const key = keys.get(trId);
    if (key === undefined) return err('no-key');
    const plain = refDecrypt(payload, key);
    if (plain === null) return err('decrypt-failed');
    payload = plain;
  }
  payload = payload.replace(/[\r\n]+$/, '');
  const values = payload.split('^');
  const layouts = layoutsOf(trId, fields, more);
  if (values.length % count !== 0) return err('field-count');
  const stride = values.length / count;
  let candidates = layouts.get(stride);
  const known = candidates !== undefined;
  if (candidates === undefined) {
    const shorter = [...layouts.keys()].filter((n) => n < stride).sort((a, b) => b - a)[0];
    if (shorter === undefined) return err('field-count');
    candidates = layouts.get(shorter) as (readonly DocField[])[];
  }
  const records: Record<string, FieldValue>[] = [];
  let bad = 0;
  for (let r = 0; r < count; r++) {
    const rec: Record<string, FieldValue> = {};
    let good = true;
    const first = values[r * stride] ?? '';
    const flag = first === 'Y' || first === 'N';
    const layout = candidates.find((l) => (l[0]?.type === 'yn') === flag) ?? (candidates[0] as readonly DocField[]);
    for (let i = 0; i < stride; i++) {
      const raw = values[r * stride + i] ?? '';
      const field = layout[i];
      if (field === undefined) {
        rec[`FIELD_${i}`] = raw;
      } else if (NUMERIC.has(field.type)) {
        const v = refNumber(raw);
        if (v === BAD) good = false;
        else rec[field.name] = v;
      } else {
        rec[field.name] = raw;
      }
    }
    if (!good) {
      bad++;
      continue;
    }
    const time = stampFields.time === null ? new Date(now + H9).toISOString().slice(11, 19).replace(/:/g, '') : String(rec[stampFields.time]);
    const date = stampFields.date === null || rec[stampFields.date] === '' ? refDateFor(time, now) : String(rec[stampFields.date]);
    const [iso, epoch] = refStamp(date, time);
    rec.timestamp = iso;
    rec.epochMs = epoch;
    records.push(rec);
  }
  if (records.length === 0) return err('bad-value');
  return { type: 'data', trId, encrypted, fieldsPerRecord: stride, records, badRecords: bad, knownLayout: known };
}
