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
  | { readonly type: 'data'; readonly trId: string; readonly encrypted: boolean; readonly fieldsPerRecord: number; readonly records: Record<string, FieldValue>[] };

const NUMERIC = new Set(['int', 'sint', 'dec', 'sdec', 'num']);
/** Date and time fields per TR kind (doc §5.1–5.3; 호가 and 체결통보 carry no date). */
const STAMP_FIELDS: Readonly<Record<string, { date: string | null; time: string }>> = {
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

export function referenceParse(text: string, now: number, trs: Readonly<Record<string, readonly DocField[]>>, keys: ReadonlyMap<string, AesKey>): RefResult {
  const err = (code: string): RefResult => ({ type: 'error', code });
  if (text === '') return err('empty');
  if (text[0] === '{') return { type: 'json' };
  if (text[0] !== '0' && text[0] !== '1') return err('not-a-frame');
  const parts = text.split('|');
  if (parts.length < 4) return err('truncated');
  const [flag, trId, countText] = parts as [string, string, string];
  let payload = parts.slice(3).join('|');
  if (flag.length !== 1) return err('not-a-frame');
  const fields = Object.prototype.hasOwnProperty.call(trs, trId) ? trs[trId] : undefined;
  const stampFields = STAMP_FIELDS[trId];
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
  const values = payload.split('^');
  const known = fields.length;
  if (values.length % count !== 0 || values.length / count < known) return err('field-count');
  const stride = values.length / count;
  const records: Record<string, FieldValue>[] = [];
  for (let r = 0; r < count; r++) {
    const rec: Record<string, FieldValue> = {};
    for (let i = 0; i < stride; i++) {
      const raw = values[r * stride + i] ?? '';
      const field = fields[i];
      if (field === undefined) {
        rec[`FIELD_${i}`] = raw;
      } else if (NUMERIC.has(field.type)) {
        const v = refNumber(raw);
        if (v === BAD) return err('bad-value');
        rec[field.name] = v;
      } else {
        rec[field.name] = raw;
      }
    }
    const time = String(rec[stampFields.time]);
    const date = stampFields.date === null || rec[stampFields.date] === '' ? refDateFor(time, now) : String(rec[stampFields.date]);
    const [iso, epoch] = refStamp(date, time);
    rec.timestamp = iso;
    rec.epochMs = epoch;
    records.push(rec);
  }
  return { type: 'data', trId, encrypted, fieldsPerRecord: stride, records };
}
