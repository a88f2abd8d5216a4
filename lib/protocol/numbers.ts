/** Powers of ten that are exact doubles (10^0 … 10^22). */
export const POW10: readonly number[] = Array.from({ length: 23 }, (_, i) => 10 ** i);

/** Digits beyond this many may not fit a double exactly; such values take the careful path. */
const FAST_DIGITS = 15;

/**
 * Parse the numeric text in `s[a, b)` without allocating a substring.
 *
 * Returns `null` for an empty field, `NaN` for text that is not a plain decimal number
 * (optional sign, digits, at most one `.`; surrounding spaces allowed), or the number.
 * A value with more than 15 significant digits is returned as a number only when that is exact
 * (a safe integer); otherwise its exact text is returned as a string, so digits are never lost
 * silently (doc §9.11).
 *
 * `m / 10^k` with both operands exact is the correctly rounded value of the decimal, i.e. the
 * same double `parseFloat` gives.
 */
export function parseNumeric(s: string, a: number, b: number): number | string | null {
  while (a < b && s.charCodeAt(a) === 32) a++;
  while (b > a && s.charCodeAt(b - 1) === 32) b--;
  if (a === b) return null;
  let i = a;
  let c = s.charCodeAt(i);
  let neg = false;
  if (c === 45 /* - */) { neg = true; i++; } else if (c === 43 /* + */) { i++; }
  let m = 0, digits = 0, fracDigits = 0, dot = false;
  for (; i < b; i++) {
    c = s.charCodeAt(i) - 48;
    if (c >= 0 && c <= 9) {
      m = m * 10 + c;
      if (m !== 0) digits++;
      if (dot) fracDigits++;
    } else if (c === -2 /* . */ && !dot) {
      dot = true;
    } else {
      return NaN;
    }
  }
  const signLen = neg || s.charCodeAt(a) === 43 ? 1 : 0;
  if (b - a === signLen + (dot ? 1 : 0)) return NaN; // "-", ".", "-." : no digits at all
  // Past 10^22 the power of ten is no longer an exact double (e.g. 0.000…001 with 23+ decimals).
  if (digits > FAST_DIGITS || fracDigits >= POW10.length) return carefulNumeric(s.slice(a, b), dot, digits);
  const v = fracDigits === 0 ? m : m / POW10[fracDigits]!;
  // No negative zero: "-0" and "-0.00" are 0, as in the compiled record parser.
  return neg && v !== 0 ? -v : v;
}

function carefulNumeric(text: string, hasDot: boolean, digits: number): number | string {
  const n = Number(text);
  // Up to 15 significant digits a double holds the value exactly enough to print it back.
  if (digits <= FAST_DIGITS) return n === 0 ? 0 : n;
  if (!hasDot && Number.isSafeInteger(n)) return n;
  return text;
}
