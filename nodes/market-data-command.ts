/**
 * The input msg of the market-data nodes, understood: `{action, codes, exchange?}` or a string /
 * array of codes (= replace). Pure, so it is tested without a runtime.
 */
import { isExchange, type Exchange } from '../lib/protocol/exchange';
import { isValidStockCode, splitCodes } from '../lib/protocol/stock-codes';

export type SubscriptionAction = 'subscribe' | 'unsubscribe' | 'replace';

/** An input msg, understood: what to do with which codes (already split, not yet validated). */
export interface SubscriptionCommand {
  readonly action: SubscriptionAction;
  readonly codes: readonly string[];
  readonly exchange: Exchange | null;
}

function codesOf(value: unknown): string[] | null {
  if (typeof value === 'string') return splitCodes(value);
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return splitCodes(value.join(' '));
  return null;
}

/** Read an input msg payload; a string is the catalog key of what is wrong with it. */
export function parseCommand(payload: unknown): SubscriptionCommand | string {
  const shorthand = codesOf(payload);
  if (shorthand !== null) return { action: 'replace', codes: shorthand, exchange: null };
  if (typeof payload !== 'object' || payload === null) return 'kis-config.errors.bad-command';
  const p = payload as { action?: unknown; codes?: unknown; exchange?: unknown };
  const action = p.action ?? 'replace';
  if (action !== 'subscribe' && action !== 'unsubscribe' && action !== 'replace') return 'kis-config.errors.bad-action';
  const codes = p.codes === undefined ? [] : codesOf(p.codes);
  if (codes === null) return 'kis-config.errors.bad-command';
  if (p.exchange !== undefined && !isExchange(p.exchange)) return 'kis-config.errors.bad-exchange';
  return { action, codes, exchange: p.exchange ?? null };
}

/** Split codes into valid and invalid ones (by default KIS short-code syntax, see stock-codes.ts). */
export function partitionCodes(codes: readonly string[], isValid: (code: string) => boolean = isValidStockCode): { valid: string[]; invalid: string[] } {
  const valid: string[] = [];
  const invalid: string[] = [];
  for (const c of codes) (isValid(c) ? valid : invalid).push(c);
  return { valid, invalid };
}
