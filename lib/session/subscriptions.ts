/** Client-side checks of a subscribe() and the handle it returns. */
import { isValidTrKey } from '../protocol/tr-keys';
import { isTrId, TR_TABLES, type TrId, type TrKeyType } from '../protocol/tr-tables';
import type { Registration } from './registry';
import { CLIENT_ERROR_CODES, type RecordSink, type SubscriptionHandle } from './types';

/** What a refused tr_key should have been, per key type (lib/protocol/tr-keys.ts has the rules). */
const KEY_WHAT: Readonly<Record<TrKeyType, string>> = {
  stock: 'stock code (6 characters such as 005930, or 7 such as Q500001)',
  etf: 'ETF code (6 characters such as 069500)',
  index: 'index code (4 digits such as 0001)',
  elw: 'ELW code (6 characters such as 57JN53)',
  'hts-id': 'HTS ID (1–16 letters or digits)',
};

/** Why (trId, trKey) cannot be subscribed on this server, or null. */
export function refusalOf(trId: string, trKey: string, server: 'real' | 'paper' | undefined): { code: string; message: string } | null {
  if (!isTrId(trId)) return { code: CLIENT_ERROR_CODES.UNKNOWN_TR, message: `unknown TR id ${JSON.stringify(String(trId).slice(0, 16))}` };
  const table = TR_TABLES[trId];
  if (!isValidTrKey(table.keyType, trKey)) {
    return { code: CLIENT_ERROR_CODES.BAD_CODE, message: `${JSON.stringify(String(trKey).slice(0, 20))} is not a valid ${KEY_WHAT[table.keyType]}` };
  }
  if (server !== undefined && !(server === 'paper' ? table.paper : table.real)) {
    return { code: CLIENT_ERROR_CODES.NOT_ON_SERVER, message: `${trId} (${table.en}) is not served by the ${server === 'paper' ? 'paper (모의투자)' : 'real (실전)'} server` };
  }
  return null;
}

/** What subscribe() returns; unsubscribe() drops exactly this one reference. */
export class Handle implements SubscriptionHandle {
  private done = false;
  constructor(
    private readonly release: (registration: Registration, sink: RecordSink) => void,
    private readonly registration: Registration | null,
    private readonly sink: RecordSink,
    readonly trId: TrId,
    readonly trKey: string,
  ) {}

  unsubscribe(): void {
    if (this.done) return;
    this.done = true;
    if (this.registration !== null) this.release(this.registration, this.sink);
  }
}
