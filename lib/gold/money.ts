// Exact rounding of integer micro-dollar amounts for gold output. Sums stay integer
// micro-dollars inside the engine; rounding happens once, here, half away from zero.

/** Micro-dollars to USD rounded to cents, half away from zero: 10_785_000 → 10.79. */
export function roundCents(micros: number): number {
  const sign = micros < 0 ? -1 : 1;
  const cents = Math.floor((Math.abs(micros) + 5000) / 10000);
  return cents === 0 ? 0 : (sign * cents) / 100;
}

/** `num / den` rounded to the nearest integer, half away from zero; `den` must be non-zero. */
function divRound(num: bigint, den: bigint): bigint {
  if (den < 0n) { num = -num; den = -den; }
  const neg = num < 0n;
  const q = ((neg ? -num : num) * 2n + den) / (den * 2n);
  return neg ? -q : q;
}

const big = (n: number): bigint => BigInt(Math.round(n));

/** Mean of `sumMicros` over `count` items, in USD rounded to cents (exact, no float error). */
export function meanCents(sumMicros: number, count: number): number {
  const cents = Number(divRound(big(sumMicros), big(count) * 10000n));
  return cents === 0 ? 0 : cents / 100;
}

/** `num / den` rounded to 4 decimals, half away from zero, from integer operands. */
export function ratio4(num: number | bigint, den: number | bigint): number {
  const n = typeof num === 'bigint' ? num : big(num);
  const d = typeof den === 'bigint' ? den : big(den);
  const q = Number(divRound(n * 10000n, d));
  return q === 0 ? 0 : q / 10000;
}
