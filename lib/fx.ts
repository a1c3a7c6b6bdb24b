// Currency conversion to USD (SPEC 1.3): a rate table of USD per unit, the default or a user's.
import { readFile } from 'node:fs/promises';
import { AudicinError, fileError } from './errors.js';

/** The default table: USD 1, EUR 1.08, NGN 0.00065 (USD per unit). */
export const DEFAULT_FX: Readonly<Record<string, number>> = Object.freeze({ USD: 1, EUR: 1.08, NGN: 0.00065 });

/** Trimmed, upper-cased code; absent or null means USD. Returns null for a non-string. */
export function normaliseCurrency(value: unknown): string | null {
  if (value === undefined || value === null) return 'USD';
  return typeof value === 'string' ? value.trim().toUpperCase() : null;
}

/**
 * Reads a rate table from a JSON object file (`{"USD": 1, "GBP": 1.27}`) or a CSV with
 * header `currency,usd_per_unit`. The user's table replaces the default one.
 */
export async function loadFx(file: string): Promise<Record<string, number>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw fileError('E_FX_FILE', file, err);
  }
  const entries: [string, unknown][] = [];
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    let obj: unknown;
    try {
      obj = JSON.parse(trimmed);
    } catch {
      throw new AudicinError('E_FX_FILE', `${file}: expected a JSON object of rates, got invalid JSON`);
    }
    entries.push(...Object.entries(obj as Record<string, unknown>));
  } else {
    const lines = trimmed.split(/\r?\n/);
    if (!/^currency\s*,\s*usd_per_unit$/i.test(lines[0] ?? '')) {
      throw new AudicinError('E_FX_FILE', `${file}: expected a JSON object or a CSV with header 'currency,usd_per_unit', got '${(lines[0] ?? '').slice(0, 40)}'`);
    }
    lines.slice(1).filter((l) => l.trim() !== '').forEach((l) => {
      const [code, rate] = l.split(',');
      entries.push([code, Number(rate)]);
    });
  }
  const table: Record<string, number> = {};
  entries.forEach(([code, rate], i) => {
    if (typeof rate !== 'number' || !Number.isFinite(rate) || rate <= 0) {
      throw new AudicinError('E_FX_FILE', `${file}: expected a positive rate for '${code}', got ${JSON.stringify(rate)} (entry ${i + 1})`);
    }
    table[code.trim().toUpperCase()] = rate;
  });
  return table;
}
