/**
 * Which TR streams a (data kind, exchange, code): the one routing rule used by kis-tick, kis-quote
 * and kis-realtime (and, serialised, by their dialog). Pure; the choices derive from TR_TABLES, so a
 * TR family appears here as soon as its table exists.
 *
 * The 통합 rule (docs/protocol/routing.md): a 통합 (UN) TR acks but never sends data
 * for a stock NXT does not trade, so for exchange UN or SOR a code that is not known to be
 * NXT-tradable takes the KRX TR of the same kind. An explicit NXT choice is kept as it is.
 */
import { knownStock } from './stock-codes';
import { isValidTrKey } from './tr-keys';
import { TR_TABLES, type TrId, type TrKeyType, type TrKind, type TrTable, type Venue } from './tr-tables';
import type { Exchange } from './exchange';

/** Every kind of market data (all but 체결통보). */
export type DataKind = Exclude<TrKind, 'notice'>;

/** Why a code was routed to another venue than the chosen exchange's. */
export type RouteReason = 'not-nxt-tradable' | 'nxt-unknown';

export interface Route {
  readonly trId: TrId;
  /** The venue whose data the TR carries. */
  readonly venue: Venue;
  /** Set when the rule replaced the chosen exchange's TR (then = venue), else null. */
  readonly routedTo: Venue | null;
  readonly reason: RouteReason | null;
}

/** The TRs of one kind by venue, and its key kind. Plain data, so the dialog gets it as JSON. */
export interface KindRoutes {
  readonly trIds: Readonly<Partial<Record<Venue, TrId>>>;
  /** What the `tr_key` is (the tables' key type: stock, index, elw, etf). */
  readonly key: TrKeyType;
}

function buildRoutes(): ReadonlyMap<DataKind, KindRoutes> {
  const out = new Map<DataKind, { trIds: Partial<Record<Venue, TrId>>; key: TrKeyType }>();
  for (const table of Object.values(TR_TABLES) as TrTable[]) {
    if (table.kind === 'notice') continue;
    const kind = table.kind as DataKind;
    let entry = out.get(kind);
    if (entry === undefined) out.set(kind, (entry = { trIds: {}, key: table.keyType }));
    const venue = table.venue ?? 'KRX';
    if (entry.trIds[venue] === undefined) entry.trIds[venue] = table.trId;
  }
  for (const entry of out.values()) Object.freeze(entry.trIds);
  return out;
}

const ROUTES = buildRoutes();

/** Every market-data kind of the tables, in table order. */
export function dataKinds(): DataKind[] {
  return [...ROUTES.keys()];
}

export function isDataKind(value: unknown): value is DataKind {
  return typeof value === 'string' && ROUTES.has(value as DataKind);
}

export function routesOf(kind: DataKind): KindRoutes {
  const r = ROUTES.get(kind);
  if (r === undefined) throw new Error(`no TR table of kind ${kind}`);
  return r;
}

/** The exchanges a user can pick for a kind: none when the kind has a single TR (index, 시간외, ELW…). */
export function exchangesOf(kind: DataKind): Exchange[] {
  const { trIds } = routesOf(kind);
  if (Object.keys(trIds).length < 2) return [];
  const out: Exchange[] = [];
  if (trIds.UN !== undefined) out.push('UN');
  if (trIds.KRX !== undefined) out.push('KRX');
  if (trIds.NXT !== undefined) out.push('NXT');
  if (trIds.UN !== undefined) out.push('SOR');
  return out;
}

/**
 * The rule itself, over one kind's routes. Self-contained (no outer references) on purpose: the
 * dialog runs this very function, serialised by scripts/gen-docs.js, to count registrations.
 * `nxtTradable`: true / false from the stock master, undefined when unknown.
 */
export function routeIn(routes: KindRoutes, exchange: Exchange, nxtTradable: boolean | undefined): Route {
  const trIds = routes.trIds;
  const wanted: Venue = exchange === 'SOR' ? 'UN' : exchange;
  const venues = Object.keys(trIds) as Venue[];
  // A kind with one TR (or none for this venue) streams that TR, whatever the exchange.
  let venue: Venue = trIds[wanted] !== undefined ? wanted : trIds.KRX !== undefined ? 'KRX' : (venues[0] as Venue);
  let reason: RouteReason | null = null;
  if (venue === 'UN' && routes.key === 'stock' && nxtTradable !== true && trIds.KRX !== undefined) {
    venue = 'KRX';
    reason = nxtTradable === false ? 'not-nxt-tradable' : 'nxt-unknown';
  }
  return { trId: trIds[venue] as TrId, venue, routedTo: reason !== null ? venue : null, reason };
}

/**
 * Interim NXT flag until the stock master supplies one: the `nxt` mark of the well-known stocks,
 * undefined for every other code (which the rule then routes to KRX; see the routing doc).
 */
export function knownNxtTradable(code: string): boolean | undefined {
  return knownStock(code)?.nxt;
}

/** The TR (and venue) that streams `kind` of `code` for `exchange`; nxtTradable defaults to knownNxtTradable(code). */
export function routeTr(kind: DataKind, exchange: Exchange, code: string, nxtTradable: boolean | undefined = knownNxtTradable(code)): Route {
  return routeIn(routesOf(kind), exchange, nxtTradable);
}

/** Is `code` a valid `tr_key` for `kind` (short code, 업종코드 for the index TRs, ELW code …)? */
export function isValidKey(kind: DataKind, code: string): boolean {
  return isValidTrKey(routesOf(kind).key, code);
}

/** The TR tables of a kind (for docs and tests). */
export function tablesOf(kind: DataKind): TrTable[] {
  return (Object.values(TR_TABLES) as TrTable[]).filter((t) => t.kind === kind);
}

/** A kind's name, from its tables' names without the venue in brackets ("실시간 체결가 (KRX)" → "실시간 체결가"). */
export function kindNames(kind: DataKind): { ko: string; en: string } {
  const t = tablesOf(kind)[0];
  if (t === undefined) return { ko: kind, en: kind };
  const strip = (s: string): string => s.replace(/\s*\((KRX|NXT|통합|UN|integrated[^)]*)\)\s*$/, '').trim();
  return { ko: strip(t.ko), en: strip(t.en) };
}
