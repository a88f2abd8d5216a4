import type { TrId, Venue } from './tr-tables';

/**
 * What a user picks in the node: a venue, or SOR.
 * SOR (Smart Order Routing) is an order-routing choice with no real-time TR of its own (doc §7):
 * we map it to the 통합 (UN) TRs, the consolidated view of both venues SOR routes between.
 */
export type Exchange = Venue | 'SOR';
export const EXCHANGES: readonly Exchange[] = ['UN', 'KRX', 'NXT', 'SOR'];
export type MarketKind = 'tick' | 'quote';

const TR_BY_EXCHANGE: Readonly<Record<Exchange, Readonly<Record<MarketKind, TrId>>>> = {
  KRX: { tick: 'H0STCNT0', quote: 'H0STASP0' },
  NXT: { tick: 'H0NXCNT0', quote: 'H0NXASP0' },
  UN: { tick: 'H0UNCNT0', quote: 'H0UNASP0' },
  SOR: { tick: 'H0UNCNT0', quote: 'H0UNASP0' },
};

export function isExchange(value: unknown): value is Exchange {
  return value === 'KRX' || value === 'NXT' || value === 'UN' || value === 'SOR';
}

/** The TR id that streams `kind` for `exchange` (SOR → 통합). */
export function trIdFor(kind: MarketKind, exchange: Exchange): TrId {
  return TR_BY_EXCHANGE[exchange][kind];
}

/** The venue whose data actually flows for an exchange selection. */
export function venueOf(exchange: Exchange): Venue {
  return exchange === 'SOR' ? 'UN' : exchange;
}
