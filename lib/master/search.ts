/**
 * The searchable index of a stock master: lookup by code, and search by code, Korean name,
 * English name or 초성 (the initial consonants: `ㅅㅅㅈㅈ` finds 삼성전자). Pure and built once per
 * download; a query scans at most a few thousand short names.
 */
import type { MasterMarket } from '../protocol/master-file';

/** What the editor and the nodes know about one code. */
export interface StockInfo {
  readonly code: string;
  readonly name: string;
  /** From the package's own list of well-known stocks; KIS's master has Korean names only. */
  readonly nameEn?: string;
  readonly market: MasterMarket;
  /** 증권그룹구분코드 (ST, EF, RT …). */
  readonly group: string;
  readonly suspended: boolean;
  readonly managed: boolean;
  /** In NXT's master copy; undefined when the NXT files could not be read. */
  readonly nxt: boolean | undefined;
}

const SYLLABLE_FIRST = 0xac00;
const SYLLABLE_LAST = 0xd7a3;
/** Hangul compatibility jamo of the 19 initial consonants, in syllable order. */
const INITIALS = 'ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ';
const INITIAL_SET = new Set(INITIALS);

/** The 초성 of one character, or the character itself when it is not a Hangul syllable. */
function initialOf(ch: string): string {
  const c = ch.charCodeAt(0);
  if (c < SYLLABLE_FIRST || c > SYLLABLE_LAST) return ch;
  return INITIALS[Math.floor((c - SYLLABLE_FIRST) / 588)]!;
}

/** 초성 of a name: `삼성전자` → `ㅅㅅㅈㅈ`; other characters unchanged. */
export function choseong(text: string): string {
  let out = '';
  for (const ch of text) out += initialOf(ch);
  return out;
}

function normal(text: string): string {
  return text.normalize('NFC').toLowerCase().replace(/\s+/g, '');
}

/**
 * Does `name` contain `query`, where a bare initial consonant in the query matches any syllable
 * starting with it (`삼ㅅ` matches 삼성)? Returns the position of the first match or -1.
 */
function matchAt(name: string, nameInitials: string, query: string): number {
  const n = name.length;
  const m = query.length;
  outer: for (let i = 0; i + m <= n; i++) {
    for (let j = 0; j < m; j++) {
      const q = query[j]!;
      if (name[i + j] === q) continue;
      if (INITIAL_SET.has(q) && nameInitials[i + j] === q) continue;
      continue outer;
    }
    return i;
  }
  return -1;
}

interface Entry {
  readonly info: StockInfo;
  readonly name: string;
  readonly initials: string;
  readonly nameEn: string;
}

export interface SearchHit extends StockInfo {
  /** Lower is better. */
  readonly rank: number;
}

export class StockIndex {
  private readonly byCode = new Map<string, Entry>();
  private readonly entries: Entry[] = [];

  constructor(stocks: Iterable<StockInfo>) {
    for (const info of stocks) {
      if (this.byCode.has(info.code)) continue;
      const name = normal(info.name);
      const entry: Entry = { info, name, initials: choseong(name), nameEn: normal(info.nameEn ?? '') };
      this.byCode.set(info.code, entry);
      this.entries.push(entry);
    }
  }

  get size(): number {
    return this.entries.length;
  }

  get(code: string): StockInfo | undefined {
    return this.byCode.get(code)?.info;
  }

  /** Best matches first: exact code, code prefix, name prefix, name (or 초성) inside, English name. */
  search(query: string, limit = 20): SearchHit[] {
    const q = normal(query);
    if (q === '') return [];
    const upper = q.toUpperCase();
    const hits: SearchHit[] = [];
    for (const e of this.entries) {
      let rank: number;
      const code = e.info.code;
      if (code === upper) rank = 0;
      else if (code.startsWith(upper)) rank = 1;
      else {
        const at = matchAt(e.name, e.initials, q);
        if (at === 0) rank = e.name.length === q.length ? 2 : 3;
        else if (at > 0) rank = 4;
        else if (e.nameEn !== '' && e.nameEn.startsWith(q)) rank = 5;
        else if (e.nameEn !== '' && e.nameEn.includes(q)) rank = 6;
        else continue;
      }
      // Shorter names first within a rank (삼성전자 before 삼성전자우), then by code.
      hits.push({ ...e.info, rank: rank * 1000 + Math.min(999, e.name.length) });
    }
    hits.sort((a, b) => a.rank - b.rank || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
    return hits.slice(0, Math.max(0, limit));
  }
}
