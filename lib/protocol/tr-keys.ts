import { isValidIndexCode } from './index-codes';
import { isValidStockCode } from './stock-codes';
import type { TrKeyType } from './tr-tables';

const ELW_CODE = /^[0-9A-Z]{6}$/;
const HTS_ID = /^[A-Za-z0-9_@.-]{1,16}$/;

/**
 * Whether `key` can be the `tr_key` of a TR with this key type (docs/protocol/realtime-trs.md):
 * stock and ETF codes by the stock-code rule, 4-digit index codes, 6-character ELW codes (digits
 * and capitals, e.g. 57JN53), HTS IDs of 1–16 letters, digits or `_@.-`.
 */
export function isValidTrKey(keyType: TrKeyType, key: string): boolean {
  switch (keyType) {
    case 'stock':
    case 'etf':
      return isValidStockCode(key);
    case 'index':
      return isValidIndexCode(key);
    case 'elw':
      return ELW_CODE.test(key);
    case 'hts-id':
      return HTS_ID.test(key);
  }
}
