/**
 * Which family serves which kind of TR: the server's whole dispatch. A TR kind without an entry
 * is not served (OPSP8991). Adding a family is one line here.
 */
import type { TrKind, TrTable } from '../../protocol/tr-tables';
import { elwExpectedFamily, elwQuoteFamily, elwTickFamily } from './elw';
import { etfNavFamily } from './etf-nav';
import { expectedFamily } from './expected';
import type { TrFamily } from './family';
import { indexExpectedFamily, indexProgramFamily, indexTickFamily } from './index-feeds';
import { marketStatusFamily } from './market-status';
import { memberFamily } from './member';
import { overtimeExpectedFamily, overtimeQuoteFamily, overtimeTickFamily } from './overtime';
import { programFamily } from './program';
import { orderNoticeFamily } from './notice';
import { quoteFamily } from './quote';
import { tickFamily } from './tick';

export const FAMILIES: Readonly<Partial<Record<TrKind | string, TrFamily>>> = {
  tick: tickFamily,
  quote: quoteFamily,
  notice: orderNoticeFamily,
  expected: expectedFamily,
  'market-status': marketStatusFamily,
  member: memberFamily,
  program: programFamily,
  'overtime-tick': overtimeTickFamily,
  'overtime-quote': overtimeQuoteFamily,
  'overtime-expected': overtimeExpectedFamily,
  'index-tick': indexTickFamily,
  'index-expected': indexExpectedFamily,
  'index-program': indexProgramFamily,
  'elw-tick': elwTickFamily,
  'elw-quote': elwQuoteFamily,
  'elw-expected': elwExpectedFamily,
  'etf-nav': etfNavFamily,
};

export function familyOf(table: TrTable): TrFamily | undefined {
  return FAMILIES[table.kind];
}

export type { Feed, Pace, TrFamily } from './family';
