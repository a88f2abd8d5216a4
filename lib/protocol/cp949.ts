/**
 * CP949 (Windows code page 949, "unified Hangul code"), the encoding of KIS's master files
 * (docs/protocol/master-files.md §Encoding).
 *
 * CP949 = EUC-KR (KS X 1001: lead and trail bytes 0xA1–0xFE, 2,350 Hangul syllables, symbols,
 * Hanja) + the 8,822 remaining modern syllables in the extension area (lead 0x81–0xC6, trail
 * 0x41–0x5A, 0x61–0x7A, 0x81–0xFE; from lead 0xA1 on only trails up to 0xA0). The extension
 * holds those syllables in Unicode order, which is how it is computed here.
 *
 * Why not just `new TextDecoder('euc-kr')`: the WHATWG standard defines that label as CP949, but
 * Node (measured on 20.20.2, ICU 78.2) decodes strict EUC-KR: an extension pair such as 0x81 0x41
 * (갂) comes out as a dropped lead byte plus the letter `A`, silently corrupting the name and every
 * position after it. So Node's decoder is used only to read the KS X 1001 table, pair by pair,
 * once; the extension is computed; decoding and encoding use the two tables.
 */

const KS_SIZE = 94;
const SYLLABLE_FIRST = 0xac00;
const SYLLABLE_LAST = 0xd7a3;
/** Extension trails per lead: 0x81–0xA0 take 178 (A–Z, a–z, 0x81–0xFE), 0xA1–0xC6 take 84 (…, 0x81–0xA0). */
const EXT_WIDE = 178;
const EXT_NARROW = 84;
const EXT_WIDE_LEADS = 32;
const REPLACEMENT = 0xfffd;

interface Tables {
  /** KS X 1001: (lead − 0xA1) × 94 + (trail − 0xA1) → code point, 0 when unassigned. */
  readonly ks: Uint16Array;
  /** Extension index → code point. */
  readonly ext: Uint16Array;
  /** Code point → (lead << 8 | trail). */
  readonly encode: Map<number, number>;
}

let tables: Tables | null = null;

function trailIndex(trail: number): number {
  if (trail >= 0x41 && trail <= 0x5a) return trail - 0x41;
  if (trail >= 0x61 && trail <= 0x7a) return 26 + trail - 0x61;
  if (trail >= 0x81 && trail <= 0xfe) return 52 + trail - 0x81;
  return -1;
}

function trailOf(index: number): number {
  return index < 26 ? 0x41 + index : index < 52 ? 0x61 + index - 26 : 0x81 + index - 52;
}

function extIndex(lead: number, trail: number): number {
  const t = trailIndex(trail);
  if (t < 0) return -1;
  if (lead >= 0x81 && lead <= 0xa0) return (lead - 0x81) * EXT_WIDE + t;
  if (lead >= 0xa1 && lead <= 0xc6 && t < EXT_NARROW) return EXT_WIDE_LEADS * EXT_WIDE + (lead - 0xa1) * EXT_NARROW + t;
  return -1;
}

function buildTables(): Tables {
  const ks = new Uint16Array(KS_SIZE * KS_SIZE);
  const encode = new Map<number, number>();
  const inKs = new Set<number>();
  const strict = new TextDecoder('euc-kr', { fatal: true });
  const pair = new Uint8Array(2);
  for (let lead = 0xa1; lead <= 0xfe; lead++) {
    for (let trail = 0xa1; trail <= 0xfe; trail++) {
      pair[0] = lead;
      pair[1] = trail;
      let s: string;
      try {
        s = strict.decode(pair);
      } catch {
        continue;
      }
      if (s.length !== 1) continue;
      const cp = s.charCodeAt(0);
      ks[(lead - 0xa1) * KS_SIZE + (trail - 0xa1)] = cp;
      if (!encode.has(cp)) encode.set(cp, (lead << 8) | trail);
      inKs.add(cp);
    }
  }
  const ext = new Uint16Array(EXT_WIDE_LEADS * EXT_WIDE + 38 * EXT_NARROW);
  let index = 0;
  for (let cp = SYLLABLE_FIRST; cp <= SYLLABLE_LAST; cp++) {
    if (inKs.has(cp)) continue;
    ext[index] = cp;
    const lead = index < EXT_WIDE_LEADS * EXT_WIDE ? 0x81 + Math.floor(index / EXT_WIDE) : 0xa1 + Math.floor((index - EXT_WIDE_LEADS * EXT_WIDE) / EXT_NARROW);
    const t = index < EXT_WIDE_LEADS * EXT_WIDE ? index % EXT_WIDE : (index - EXT_WIDE_LEADS * EXT_WIDE) % EXT_NARROW;
    encode.set(cp, (lead << 8) | trailOf(t));
    index++;
  }
  return { ks, ext, encode };
}

function tablesOf(): Tables {
  tables ??= buildTables();
  return tables;
}

/** Decode CP949 bytes; an invalid sequence becomes U+FFFD (never throws). */
export function decodeCp949(bytes: Uint8Array): string {
  let ascii = true;
  for (let i = 0; i < bytes.length; i++) if (bytes[i]! >= 0x80) ascii = false;
  if (ascii) return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('latin1');
  const { ks, ext } = tablesOf();
  const out: number[] = [];
  for (let i = 0; i < bytes.length; i++) {
    const lead = bytes[i]!;
    if (lead < 0x80) {
      out.push(lead);
      continue;
    }
    const trail = i + 1 < bytes.length ? bytes[i + 1]! : -1;
    let cp = 0;
    if (lead >= 0xa1 && lead <= 0xfe && trail >= 0xa1 && trail <= 0xfe) cp = ks[(lead - 0xa1) * KS_SIZE + (trail - 0xa1)]!;
    else if (trail >= 0) {
      const x = extIndex(lead, trail);
      if (x >= 0 && x < ext.length) cp = ext[x]!;
    }
    if (cp !== 0) {
      out.push(cp);
      i++;
    } else {
      out.push(REPLACEMENT);
      // An ASCII byte after a bad lead is a character of its own (WHATWG's rule); anything else is eaten.
      if (trail >= 0x80) i++;
    }
  }
  let s = '';
  for (let i = 0; i < out.length; i += 4096) s += String.fromCharCode(...out.slice(i, i + 4096));
  return s;
}

/** Encode text as CP949; a character CP949 cannot represent becomes `?`. */
export function encodeCp949(text: string): Buffer {
  const out: number[] = [];
  let encode: Map<number, number> | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) {
      out.push(c);
      continue;
    }
    encode ??= tablesOf().encode;
    const code = encode.get(c);
    if (code === undefined) out.push(0x3f);
    else out.push(code >> 8, code & 0xff);
  }
  return Buffer.from(out);
}
