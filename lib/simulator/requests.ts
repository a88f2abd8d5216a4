/**
 * Reading one subscribe/unsubscribe text frame (docs/protocol/wire.md): the structural checks,
 * in the order the real server applies them, as a pure function. The checks that need state
 * (approval key, app-key slot, registrations) are the server's.
 */
import type { CustType } from '../protocol/messages';

export interface RequestFields {
  /** Empty when absent (echoed back in the ack as KIS does). */
  readonly trType: string;
  readonly trId: string;
  readonly trKey: string;
}

export type ReadRequest =
  | (RequestFields & { readonly ok: false; readonly msgCd: string })
  | (RequestFields & { readonly ok: true; readonly trType: '1' | '2'; readonly custType: CustType; readonly approvalKey: string });

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const str = (o: unknown, k: string): string | undefined => (isPlainObject(o) && typeof o[k] === 'string' ? (o[k] as string) : undefined);

/** Is this parsed message the client's PINGPONG echo (parsed, not byte-compared: clients re-serialise it)? */
export function isPingPongEcho(msg: unknown): boolean {
  return isPlainObject(msg) && isPlainObject(msg['header']) && msg['header']['tr_id'] === 'PINGPONG' && msg['body'] === undefined;
}

export function readRequest(msg: unknown): ReadRequest {
  const header = isPlainObject(msg) ? msg['header'] : undefined;
  const body = isPlainObject(msg) ? msg['body'] : undefined;
  const input = isPlainObject(body) ? body['input'] : undefined;
  const fields: RequestFields = { trType: str(header, 'tr_type') ?? '', trId: str(input, 'tr_id') ?? '', trKey: str(input, 'tr_key') ?? '' };
  const fail = (msgCd: string): ReadRequest => ({ ...fields, ok: false, msgCd });
  if (!isPlainObject(msg)) return fail('OPSP9999');
  if (!isPlainObject(header)) return fail('OPSP9998');
  if (!isPlainObject(body)) return fail('OPSP9992');
  if (!isPlainObject(input)) return fail('OPSP9991');
  const trType = fields.trType;
  if (trType !== '1' && trType !== '2') return fail('OPSP8997');
  const custType = header['custtype'];
  if (custType === undefined) return fail('OPSP9997');
  if (custType !== 'P' && custType !== 'B') return fail('OPSP8998');
  return { ...fields, ok: true, trType, custType, approvalKey: str(header, 'approval_key') ?? '' };
}
