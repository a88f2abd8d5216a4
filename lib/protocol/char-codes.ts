/**
 * A frame's text as UTF-16 code units, for the compiled record parsers: reading a `Uint16Array`
 * in a loop is much cheaper than `String.prototype.charCodeAt`, which re-checks the string's
 * representation on every call. Element i is `s.charCodeAt(i)` for every string (Korean text and
 * lone surrogates included), so the parsers read the same characters either way.
 *
 * One scratch array, reused for every frame: the parse is synchronous and keeps no reference.
 * After the text comes a 0, so a parser reading one past the end sees neither a digit nor `^`.
 */
let units = new Uint16Array(8192);
let bytes = Buffer.from(units.buffer);

export function charCodes(s: string): Uint16Array {
  const len = s.length;
  if (units.length <= len) {
    units = new Uint16Array(Math.max(len + 1, units.length * 2));
    bytes = Buffer.from(units.buffer);
  }
  bytes.write(s, 0, 'utf16le');
  units[len] = 0;
  return units;
}
