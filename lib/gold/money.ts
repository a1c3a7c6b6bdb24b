// Exact arithmetic on integer micro-dollar amounts for gold. A sum stays a Number while it
// is a safe integer, where double addition is exact, and becomes a BigInt beyond 2^53, so it
// is exact at any count of rows while the common case pays one integer check per addition.
// Rounding happens once, here, half away from zero.

/**
 * An integer number of micro-dollars: a Number while it is a safe integer, else a BigInt.
 * (A single record's amount may be a Number above 2^53; it is still an integer, and exact
 * as BigInt(n).)
 */
export type Micros = number | bigint;

/** `a + b`, exactly; the result is a Number exactly when it is a safe integer. */
export function addMicros(a: Micros, b: Micros): Micros {
  if (typeof a === 'number' && typeof b === 'number') {
    // Integers in doubles add exactly whenever the exact sum is a safe integer, and a sum
    // rounded by the addition is never one.
    const sum = a + b;
    if (Number.isSafeInteger(sum)) return sum;
  }
  return narrow(BigInt(a) + BigInt(b));
}

/** `a − b`, exactly; as addMicros. (Negation keeps a safe integer safe: the range is symmetric.) */
export const subMicros = (a: Micros, b: Micros): Micros => addMicros(a, typeof b === 'bigint' ? -b : -b);

/** A BigInt back to a Number when it is a safe integer, so each value has one form. */
function narrow(n: bigint): Micros {
  return n >= -9007199254740991n && n <= 9007199254740991n ? Number(n) : n;
}

/** Exact BigInt of integer micros (or of a count). */
export const bigMicros = (n: Micros): bigint => (typeof n === 'bigint' ? n : BigInt(Math.round(n)));

/**
 * Columns of micros ready for Arquero's `op.sum`: Numbers when the absolute values of all of
 * them together stay a safe integer (so no sum or difference of them can round), otherwise
 * every value as a BigInt, which `op.sum` adds exactly. Columns that are summed or
 * subtracted together must be converted together.
 */
export function exactColumns<K extends string>(cols: Record<K, Micros[]>): Record<K, Micros[]> {
  let total = 0;
  for (const col of Object.values(cols) as Micros[][]) {
    for (const v of col) {
      if (typeof v === 'bigint' || !Number.isSafeInteger((total += Math.abs(v)))) {
        const out = {} as Record<K, Micros[]>;
        for (const k of Object.keys(cols) as K[]) out[k] = cols[k].map(bigMicros);
        return out;
      }
    }
  }
  return cols;
}

/** Zero of the kind of `sample`, a value of a column made by exactColumns, so it adds to the others. */
export const zeroLike = (sample: unknown): Micros => (typeof sample === 'bigint' ? 0n : 0);

/** Cents of a non-negative safe integer of micros, half up, in integer steps only. */
function centsOf(abs: number): number {
  const rest = abs % 10000;
  return (abs - rest) / 10000 + (rest >= 5000 ? 1 : 0);
}

/**
 * Micro-dollars to USD rounded to cents, half away from zero: 10_785_000 → 10.79. Exact
 * while the cents fit a double exactly (below 2^53 cents, about 90 trillion USD); beyond,
 * the nearest double to the exact cents.
 */
export function roundCents(micros: Micros): number {
  let cents: number;
  if (typeof micros === 'number' && Number.isSafeInteger(micros)) {
    cents = micros < 0 ? -centsOf(-micros) : centsOf(micros);
  } else {
    const m = bigMicros(micros);
    cents = Number(m < 0n ? -((-m + 5000n) / 10000n) : (m + 5000n) / 10000n);
  }
  return cents === 0 ? 0 : cents / 100;
}

/** `num / den` rounded to the nearest integer, half away from zero; `den` must be non-zero. */
function divRound(num: bigint, den: bigint): bigint {
  if (den < 0n) { num = -num; den = -den; }
  const neg = num < 0n;
  const q = ((neg ? -num : num) * 2n + den) / (den * 2n);
  return neg ? -q : q;
}

/** Mean of `sumMicros` over `count` items, in USD rounded to cents (exact, no float error). */
export function meanCents(sumMicros: Micros, count: number): number {
  const cents = Number(divRound(bigMicros(sumMicros), bigMicros(count) * 10000n));
  return cents === 0 ? 0 : cents / 100;
}

/** `num / den` rounded to 4 decimals, half away from zero, from integer operands. */
export function ratio4(num: Micros, den: Micros): number {
  const q = Number(divRound(bigMicros(num) * 10000n, bigMicros(den)));
  return q === 0 ? 0 : q / 10000;
}
