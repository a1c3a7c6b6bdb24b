// Currency conversion to USD (SPEC 1.3): a rate table of USD per unit, the default or a user's.
import { AudicinError, type ErrorCode } from './errors.js';
import { show } from './fields.js';
import { readNumber } from './numbers.js';

/** The default table: USD 1, EUR 1.08, NGN 0.00065 (USD per unit). */
export const DEFAULT_FX: Readonly<Record<string, number>> = Object.freeze({ USD: 1, EUR: 1.08, NGN: 0.00065 });

/** Largest rate accepted, in USD per unit (SPEC 2): with amounts at most 1e9, micro-dollars stay finite. */
export const MAX_RATE = 1e6;

/** Trimmed, upper-cased code; absent or null means USD. Returns null for a non-string. */
export function normaliseCurrency(value: unknown): string | null {
  if (value === undefined || value === null) return 'USD';
  return typeof value === 'string' ? value.trim().toUpperCase() : null;
}

/** One entry of a rate table as written: where it is, its code and its rate. */
export interface FxEntry {
  /** How a person finds it: `entry 2`, `line 3`. */
  at: string;
  code: unknown;
  /** A number; text only from CSV, where every value is text. */
  rate: unknown;
  csv?: boolean;
}

/**
 * Checks a rate table as SPEC 2 says: codes of three letters after trimming and
 * upper-casing, each once; rates finite, > 0 and <= 1e6, written as plain numbers (a JSON
 * number, or text by the numeric-string rule); at least one entry. `where` names the file
 * or option in the one-line error, `code` is its error code.
 */
export function fxTable(entries: readonly FxEntry[], where: string, code: ErrorCode): Record<string, number> {
  const fail = (message: string): never => { throw new AudicinError(code, `${where}: ${message}`); };
  if (entries.length === 0) fail('expected at least one currency rate, got none');
  const table: Record<string, number> = {};
  for (const { at, code: raw, rate, csv } of entries) {
    const cur = typeof raw === 'string' ? raw.trim().toUpperCase() : '';
    if (!/^[A-Z]{3}$/.test(cur)) fail(`${at}: expected a currency code of three letters, got ${show(raw)}`);
    const n = typeof rate === 'number' || (csv === true && typeof rate === 'string') ? readNumber(rate) : NaN;
    if (!(n > 0 && n <= MAX_RATE)) {
      fail(`${at} ('${cur}'): expected a rate in USD per unit, a plain number > 0 and <= 1e6, got ${show(rate)}`);
    }
    if (Object.hasOwn(table, cur)) fail(`${at} ('${cur}'): expected each currency once, got ${cur} again`);
    table[cur] = n;
  }
  return table;
}

/** The entries of a JSON object or a library user's `fx` option, for fxTable. */
export const fxEntries = (fx: object): FxEntry[] =>
  Object.entries(fx).map(([code, rate], i) => ({ at: `entry ${i + 1}`, code, rate }));
