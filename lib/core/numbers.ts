// Numbers as they arrive in the wild (SPEC 1.1): a JSON number or a numeric string.

const NUMERIC_RE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** The finite number a value holds, or NaN (junk like `"ten"`, booleans, objects, Infinity). */
export function readNumber(value: unknown): number {
  if (typeof value === 'number') return Number.isFinite(value) ? value : NaN;
  if (typeof value !== 'string') return NaN;
  const s = value.trim();
  if (!NUMERIC_RE.test(s)) return NaN;
  const n = Number(s);
  return Number.isFinite(n) ? n : NaN;
}

/**
 * Largest amount, tax, price or spend accepted (SPEC 2), in the record's own currency. With
 * FX rates at most 1e6, one record's micro-dollars stay finite (at most 1e21), so a single
 * bad value can never turn a sum into Infinity or NaN.
 */
export const MONEY_LIMIT = 1e9;

/** Integer micro-dollars of `amount` units at `rate` USD per unit. */
export const toMicros = (amount: number, rate: number): number => Math.round(amount * rate * 1e6);

/** Dollars of integer micro-dollars, for silver columns. */
export const fromMicros = (micros: number): number => micros / 1e6;
