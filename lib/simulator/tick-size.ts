/**
 * KRX 호가가격단위 (tick size) since 2023-01-25, the same for KOSPI and KOSDAQ:
 * < 2,000: 1 · < 5,000: 5 · < 20,000: 10 · < 50,000: 50 · < 200,000: 100 · < 500,000: 500 · else 1,000.
 */
export function krxTickSize(price: number): number {
  if (price < 2000) return 1;
  if (price < 5000) return 5;
  if (price < 20000) return 10;
  if (price < 50000) return 50;
  if (price < 200000) return 100;
  if (price < 500000) return 500;
  return 1000;
}

/** True when `price` is a valid KRX price (on the grid of its band). */
export function isOnTickGrid(price: number): boolean {
  return Number.isInteger(price) && price > 0 && price % krxTickSize(price) === 0;
}

/** The next valid price above `price` (which must be on the grid). */
export function tickUp(price: number): number {
  return price + krxTickSize(price);
}

/** The next valid price below `price` (which must be on the grid); the band below decides the step. */
export function tickDown(price: number): number {
  return price - krxTickSize(price - 1);
}

/** The largest grid price ≤ `price`. */
export function snapDown(price: number): number {
  const p = Math.max(1, Math.floor(price));
  return p - (p % krxTickSize(p));
}

/** The smallest grid price ≥ `price`. */
export function snapUp(price: number): number {
  const p = snapDown(price);
  return p >= price ? p : tickUp(p);
}

/** KRX 호가가격단위 of an ELW: 5 KRW at every price (docs/protocol/realtime-trs.md, ELW). */
export const ELW_TICK = 5;

/** The largest ELW price (5-KRW grid, at least one tick) ≤ `price`. */
export function elwSnapDown(price: number): number {
  return Math.max(ELW_TICK, Math.floor(price / ELW_TICK) * ELW_TICK);
}
