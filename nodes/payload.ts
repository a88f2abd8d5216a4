/**
 * The `compact` payload: the fields most flows use, by their official names so a flow can switch
 * between full and compact without renaming anything. The lists name fields of the TR tables and
 * are checked against them when this module loads; the projection is compiled once per TR.
 */
import type { KisRecord } from '../lib/protocol/record-parser';
import { TR_TABLES, type TrId } from '../lib/protocol/tr-tables';
import type { MarketKind } from '../lib/protocol/exchange';
import type { DataKind } from '../lib/protocol/route';

/** Per kind, the compact field list (common to every venue of that kind). */
export const COMPACT_FIELDS: Readonly<Record<MarketKind, readonly string[]>> = Object.freeze({
  tick: ['STCK_CNTG_HOUR', 'STCK_PRPR', 'PRDY_VRSS_SIGN', 'PRDY_VRSS', 'PRDY_CTRT', 'CNTG_VOL', 'ACML_VOL', 'ASKP1', 'BIDP1', 'STCK_OPRC', 'STCK_HGPR', 'STCK_LWPR'],
  quote: [
    'BSOP_HOUR',
    'ASKP1', 'ASKP2', 'ASKP3', 'ASKP4', 'ASKP5',
    'BIDP1', 'BIDP2', 'BIDP3', 'BIDP4', 'BIDP5',
    'ASKP_RSQN1', 'ASKP_RSQN2', 'ASKP_RSQN3', 'ASKP_RSQN4', 'ASKP_RSQN5',
    'BIDP_RSQN1', 'BIDP_RSQN2', 'BIDP_RSQN3', 'BIDP_RSQN4', 'BIDP_RSQN5',
    'TOTAL_ASKP_RSQN', 'TOTAL_BIDP_RSQN', 'ACML_VOL',
  ],
});

/** True for the kinds that have a compact payload (체결, 호가). */
export function hasCompactPayload(kind: DataKind): kind is MarketKind {
  return Object.prototype.hasOwnProperty.call(COMPACT_FIELDS, kind);
}

/** Fields every payload ends with (added by the record parser). */
const STAMP_FIELDS = ['timestamp', 'epochMs'] as const;

export type Projector = (record: KisRecord) => Record<string, KisRecord[string]>;

const projectors = new Map<TrId, Projector>();

/** The compact projection of a TR, compiled on first use into one object literal of a fixed shape. */
export function compactProjector(trId: TrId): Projector {
  let p = projectors.get(trId);
  if (p === undefined) {
    const table = TR_TABLES[trId];
    if (table.kind === 'notice' || !hasCompactPayload(table.kind)) throw new Error(`${trId}: no compact payload for ${table.kind}`);
    const known = new Set(table.fields.map((f) => f.name));
    const names = [...COMPACT_FIELDS[table.kind], ...STAMP_FIELDS];
    for (const name of COMPACT_FIELDS[table.kind]) if (!known.has(name)) throw new Error(`${trId}: compact field ${name} is not in the table`);
    // Generated from our own static lists (validated above), never from input.
    const body = `return {${names.map((n) => `${JSON.stringify(n)}: r[${JSON.stringify(n)}]`).join(', ')}};`;
    p = new Function('r', body) as Projector;
    projectors.set(trId, p);
  }
  return p;
}

/** The field names of a compact payload, for the help text and tests. */
export function compactFieldNames(kind: MarketKind): readonly string[] {
  return [...COMPACT_FIELDS[kind], ...STAMP_FIELDS];
}
