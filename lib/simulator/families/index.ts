/**
 * Which family serves which kind of TR: the server's whole dispatch. A TR kind without an entry
 * is not served (OPSP8991). Adding a family is one line here.
 */
import type { TrKind, TrTable } from '../../protocol/tr-tables';
import type { TrFamily } from './family';
import { noticeFamily } from './notice';
import { quoteFamily } from './quote';
import { tickFamily } from './tick';

export const FAMILIES: Readonly<Partial<Record<TrKind, TrFamily>>> = {
  tick: tickFamily,
  quote: quoteFamily,
  notice: noticeFamily,
};

export function familyOf(table: TrTable): TrFamily | undefined {
  return FAMILIES[table.kind];
}

export type { Feed, Pace, TrFamily } from './family';
