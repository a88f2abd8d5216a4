/**
 * A frame's text as bytes, for the compiled record parsers' fast path: reading a `Uint8Array` in a
 * loop is cheaper than `String.prototype.charCodeAt`, which re-checks the string's representation on
 * every call. Only for ASCII text, where byte i is character i: a frame with any other character
 * (Korean text in a field, or a hostile server's junk) is parsed from the string instead.
 *
 * One scratch buffer, reused for every frame (the parser is synchronous and keeps no reference).
 * After the text comes a 0 byte, so a parser reading one past the end sees neither a digit nor `^`.
 */
let scratch: Buffer = Buffer.allocUnsafe(16_384);

export function asciiBytes(s: string): Uint8Array | null {
  const len = s.length;
  if (scratch.length <= len) scratch = Buffer.allocUnsafe(Math.max(len + 1, scratch.length * 2));
  // UTF-8 is one byte per character exactly when every character is ASCII.
  if (scratch.write(s, 0, 'utf8') !== len) return null;
  scratch[len] = 0;
  return scratch;
}
