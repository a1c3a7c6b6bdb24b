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

/** Integer micro-dollars of `amount` units at `rate` USD per unit. */
export const toMicros = (amount: number, rate: number): number => Math.round(amount * rate * 1e6);

/** Dollars of integer micro-dollars, for silver columns. */
export const fromMicros = (micros: number): number => micros / 1e6;
