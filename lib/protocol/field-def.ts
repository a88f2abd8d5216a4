/**
 * How one KIS field is typed (doc §5 legend).
 * - `str`, `enum`, `sign`, `yn`, `time` (HHMMSS), `date` (YYYYMMDD): kept as the KIS string.
 * - `int`, `sint`: integers (`sint` may carry a leading `-`), parsed to `number`; a value beyond
 *   Number.MAX_SAFE_INTEGER is kept as its exact decimal string instead of losing digits.
 * - `dec`, `sdec`, `num`: decimals (observed 2 dp), parsed to `number` in the unit KIS sends
 *   (percent fields stay percent: `-7.22` means −7.22 %).
 * Empty numeric fields become `null`; empty text fields stay `''`.
 */
export type FieldType = 'str' | 'int' | 'sint' | 'dec' | 'sdec' | 'num' | 'time' | 'date' | 'sign' | 'enum' | 'yn';

export interface FieldDef {
  /** Official field name, as the KIS sample code spells it. */
  readonly name: string;
  readonly type: FieldType;
  /** Korean name (한글명) from the official sample. */
  readonly ko: string;
  /** Short English meaning. */
  readonly en: string;
}

export function f(name: string, type: FieldType, ko: string, en: string): FieldDef {
  return { name, type, ko, en };
}

/** True for the field types that the parser turns into numbers. */
export function isNumericType(type: FieldType): boolean {
  return type === 'int' || type === 'sint' || type === 'dec' || type === 'sdec' || type === 'num';
}
