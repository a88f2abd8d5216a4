import type { FieldDef } from '../protocol/field-def';
import { LAYOUT_EDITIONS, layoutFor, TR_IDS, TR_TABLES, type LayoutEdition, type TrId, type TrKind, type TrTable } from '../protocol/tr-tables';

/** Where the value of one field comes from, given the generator's context. */
export type FieldSource<C> = (c: C) => string | number;

/**
 * Compile a record builder for a TR's field list (lib/protocol TR_TABLES, the only copy of the
 * layout): the value getters are looked up by field name once, so a record costs one getter call
 * and one concatenation per field. A field without a source fails at load, not on the wire.
 */
export function compileRecordBuilder<C>(fields: readonly FieldDef[], sources: Readonly<Record<string, FieldSource<C>>>, what: string): (c: C) => string {
  const getters: FieldSource<C>[] = fields.map((field) => {
    const source = sources[field.name];
    if (source === undefined) throw new Error(`simulator: no value source for ${what} field ${field.name}`);
    return source;
  });
  const n = getters.length;
  const first = getters[0]!;
  return (c: C): string => {
    let s = '' + first(c);
    for (let i = 1; i < n; i++) s += '^' + getters[i]!(c);
    return s;
  };
}

/** A record builder per TR of one kind and per layout edition. */
export type KindBuilders<C> = Readonly<Partial<Record<TrId, Readonly<Record<LayoutEdition, (c: C) => string>>>>>;

/**
 * Record builders for every TR of one kind, from the shared tables: one per layout edition
 * (`doc`, `2026-09`), each from the layout that edition's server sends (layoutFor).
 */
export function compileKindBuilders<C>(kind: TrKind, sources: Readonly<Record<string, FieldSource<C>>>): KindBuilders<C> {
  const out: Partial<Record<TrId, Readonly<Record<LayoutEdition, (c: C) => string>>>> = {};
  for (const trId of TR_IDS) {
    const t = TR_TABLES[trId];
    if (t.kind !== kind) continue;
    const byEdition = {} as Record<LayoutEdition, (c: C) => string>;
    for (const e of LAYOUT_EDITIONS) byEdition[e] = compileRecordBuilder(layoutFor(t, e).fields, sources, `${trId} (${e})`);
    out[trId] = byEdition;
  }
  return out;
}

/** The builder of a TR for a layout edition (throws for a TR the builders are not for: a wiring error). */
export function builderFor<C>(builders: KindBuilders<C>, table: TrTable, edition: LayoutEdition): (c: C) => string {
  const b = builders[table.trId];
  if (b === undefined) throw new Error(`simulator: no record builder for ${table.trId} (kind ${table.kind})`);
  return b[edition];
}

/** Two decimals, as KIS sends rates and averages. */
export function fix2(x: number): string {
  return (Math.round(x * 100) / 100).toFixed(2);
}

/** KIS 부호: 1 상한, 2 상승, 3 보합, 4 하한, 5 하락 (docs/protocol/realtime-trs.md). */
export function signCode(delta: number, atUpperLimit = false, atLowerLimit = false): string {
  if (atUpperLimit) return '1';
  if (atLowerLimit) return '4';
  return delta > 0 ? '2' : delta < 0 ? '5' : '3';
}
