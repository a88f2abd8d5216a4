/**
 * Reads the field lists (§5.1–§5.3) and the OPSP table (§3.3) out of kis-protocol.md, into the
 * shape of test/fixtures/kis-doc.json. The spec uses it to check that the committed fixture still
 * matches the doc whenever ../shared/kis-protocol.md sits next to the repository.
 */

export interface DocField {
  readonly name: string;
  readonly type: string;
  readonly ko: string;
}

export interface DocOpsp {
  readonly code: string;
  /** Every back-quoted msg1 variant the doc lists for the code. */
  readonly msg1: readonly string[];
  /** "0"/"1", or null where the doc leaves it open ("?"). */
  readonly rtCd: '0' | '1' | null;
}

export interface DocExtract {
  readonly trs: Readonly<Record<string, readonly DocField[]>>;
  readonly opsp: readonly DocOpsp[];
}

/** The text between a heading that starts with `start` and the next heading of the same or higher level. */
export function section(md: string, start: string): string {
  const lines = md.split('\n');
  const from = lines.findIndex((l) => l.startsWith(start));
  if (from < 0) throw new Error(`doc has no section "${start}"`);
  const level = /^#+/.exec(start)?.[0].length ?? 0;
  let to = from + 1;
  while (to < lines.length) {
    const m = /^(#+) /.exec(lines[to] ?? '');
    if (m !== null && (m[1] ?? '').length <= level) break;
    to++;
  }
  return lines.slice(from + 1, to).join('\n');
}

/** Table rows whose first cell is a number, split into trimmed cells. */
function numberedRows(text: string): string[][] {
  const rows: string[][] = [];
  for (const line of text.split('\n')) {
    if (!/^\| \d+ \|/.test(line)) continue;
    rows.push(line.split('|').slice(1, -1).map((c) => c.trim()));
  }
  rows.forEach((r, i) => {
    if (Number(r[0]) !== i) throw new Error(`doc table row ${i} is numbered ${r[0]}`);
  });
  return rows;
}

function unquote(cell: string | undefined): string {
  const m = /^`([^`]+)`$/.exec(cell ?? '');
  if (m === null) throw new Error(`expected a back-quoted field name, got ${JSON.stringify(cell)}`);
  return m[1] ?? '';
}

export function extractDoc(md: string): DocExtract {
  // §5.1 | # | KRX name | NXT/UN name ("same" or `NAME`) | 한글명 | type | …
  const tick = numberedRows(section(md, '### 5.1'));
  const tickKrx = tick.map((r) => ({ name: unquote(r[1]), type: r[4] ?? '', ko: r[3] ?? '' }));
  const tickNxt = tick.map((r) => ({ name: r[2] === 'same' ? unquote(r[1]) : unquote(r[2]), type: r[4] ?? '', ko: r[3] ?? '' }));
  // §5.2 | # | field | in (KRX+NXT+UN / NXT+UN only) | 한글명 | type | …
  const quote = numberedRows(section(md, '### 5.2'));
  const quoteAll = quote.map((r) => ({ name: unquote(r[1]), type: r[4] ?? '', ko: r[3] ?? '', krx: (r[2] ?? '').includes('KRX') }));
  const strip = ({ name, type, ko }: DocField): DocField => ({ name, type, ko });
  const quoteKrx = quoteAll.filter((f) => f.krx).map(strip);
  const quoteNxt = quoteAll.map(strip);
  // §5.3 | # | field | 한글명 (doc) | doc T/len | type | …
  const notice = numberedRows(section(md, '### 5.3')).map((r) => ({ name: unquote(r[1]), type: r[4] ?? '', ko: r[2] ?? '' }));

  const opsp: DocOpsp[] = [];
  for (const line of section(md, '### 3.3').split('\n')) {
    const cells = line.split('|').slice(1, -1).map((c) => c.trim());
    if (!/^OPSP\d{4}$/.test(cells[0] ?? '')) continue;
    const msg1 = [...(cells[1] ?? '').matchAll(/`([^`]+)`/g)].map((m) => m[1] ?? '');
    const rt = /^`?([01])`?/.exec(cells[3] ?? '');
    opsp.push({ code: cells[0] ?? '', msg1, rtCd: rt === null ? null : (rt[1] as '0' | '1') });
  }
  return {
    trs: {
      H0STCNT0: tickKrx,
      H0NXCNT0: tickNxt,
      H0UNCNT0: tickNxt,
      H0STASP0: quoteKrx,
      H0NXASP0: quoteNxt,
      H0UNASP0: quoteNxt,
      H0STCNI0: notice,
      H0STCNI9: notice,
    },
    opsp,
  };
}
