/**
 * Reads the field names of the TRs beyond 체결/호가/체결통보 out of kis-protocol.md (§5.4 inline lists,
 * the §12 tables and lists), into the shape of test/fixtures/kis-doc-trs.json: per TR the documented
 * primary layout's names in order. Where the doc gives a layout only in words (ELW 호가), only the
 * parts it spells out are extracted, with `null` for a position it leaves to the reader.
 */
import { section } from './doc-extract';

export type DocNames = Readonly<Record<string, readonly (string | null)[]>>;

/** `0:\`A\`, 1:\`B\`, …` pairs of one line, from index `from`, checked to be consecutive. */
function inline(line: string, from = 0): string[] {
  const pairs = [...line.matchAll(/(\d+):`([A-Za-z0-9_]+)`/g)].map((m) => [Number(m[1]), m[2] ?? ''] as const);
  const start = pairs.findIndex(([i]) => i === from);
  const out: string[] = [];
  for (let k = start; k >= 0 && k < pairs.length; k++) {
    const [i, name] = pairs[k] as readonly [number, string];
    if (i !== from + out.length) break;
    out.push(name);
  }
  return out;
}

/** Rows `| n | \`NAME\` | …` of a table; `col` = the cell holding the name. */
function rows(text: string, col = 1): string[] {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    if (out.length > 0 && !line.startsWith('|')) break; // the first table only
    const cells = line.split('|').slice(1, -1).map((c) => c.trim());
    if (!/^\d+$/.test(cells[0] ?? '')) continue;
    if (Number(cells[0]) !== out.length) continue;
    const m = /^`([A-Za-z0-9_]+)`$/.exec(cells[col] ?? '');
    if (m !== null) out.push(m[1] ?? '');
  }
  return out;
}

/** The two-column 88-field table of §12.6 (`| # | field | 한글명 | type | # | field | …`). */
function twoColumn(text: string): string[] {
  const left: string[] = [], right: string[] = [];
  for (const line of text.split('\n')) {
    const c = line.split('|').slice(1, -1).map((x) => x.trim());
    if (c.length < 8 || !/^\d+$/.test(c[0] ?? '') || !/^\d+$/.test(c[4] ?? '')) continue;
    left[Number(c[0])] = (c[1] ?? '').replace(/`/g, '');
    right[Number(c[4])] = (c[5] ?? '').replace(/`/g, '');
  }
  return [...left, ...right.slice(left.length)];
}

/** The line holding `marker`, joined with its indented continuation lines. */
function line(text: string, marker: string): string {
  const lines = text.split('\n');
  const i = lines.findIndex((x) => x.includes(marker));
  if (i < 0) throw new Error(`doc has no line with ${marker}`);
  let out = lines[i] ?? '';
  for (let k = i + 1; k < lines.length && /^ {2}\S/.test(lines[k] ?? ''); k++) out += ' ' + (lines[k] ?? '');
  return out;
}

export function extractDocNames(md: string): DocNames {
  const s54 = section(md, '### 5.4');
  const anc = rows(section(md, '### 12.1'));
  const mko = rows(section(md, '### 12.2'));
  const ancKrx = inline(line(s54, '`H0STANC0`: 0:'));
  const oaa = inline(line(s54, '**시간외 단일가**'));
  const mbc = inline(line(s54, '**회원사**'));
  const pgm = rows(section(md, '### 12.4'));
  const s126 = section(md, '### 12.6');
  const up = rows(s126);
  const uppgm = twoColumn(s126);
  const s127 = section(md, '### 12.7');
  const elwTick = [...anc.slice(0, 40), ...inline(line(s127, '**`H0EWCNT0` (63)**'), 40)];
  const elwExp = [...anc.slice(0, 40), ...inline(line(s127, '**`H0EWANC0` (59)**'), 40)];
  const nav = rows(section(md, '### 12.8'));
  return {
    H0STANC0: ancKrx, H0NXANC0: anc, H0UNANC0: anc,
    H0STMKO0: mko, H0NXMKO0: mko, H0UNMKO0_DOC: mko.slice(1),
    H0STMBC0: mbc, H0NXMBC0: mbc, H0UNMBC0: mbc,
    H0STPGM0: pgm, H0NXPGM0: pgm, H0UNPGM0: pgm,
    H0STOUP0: anc.slice(0, 43), H0STOAC0: anc.slice(0, 43), H0STOAA0: oaa,
    H0UPCNT0: up, H0UPANC0: up, H0UPPGM0: uppgm,
    H0EWCNT0: elwTick, H0EWANC0: elwExp, H0STNAV0: nav,
  };
}
