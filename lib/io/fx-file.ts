// Reading a user's FX table file (`--fx`); the table's rules are fx.ts's.
import { readFile } from 'node:fs/promises';
import { parse as parseCsvLine } from 'csv-parse/sync';
import { AudicinError, fileError } from '../core/errors.js';
import { show } from '../core/fields.js';
import { fxEntries, fxTable, type FxEntry } from '../core/fx.js';

/**
 * Reads a rate table from a JSON object file (`{"USD": 1, "GBP": 1.27}`) or a CSV with
 * header `currency,usd_per_unit`, checked by fxTable. The user's table replaces the default one.
 */
export async function loadFx(file: string): Promise<Record<string, number>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw fileError('E_FX_FILE', file, err);
  }
  const fail = (message: string): never => { throw new AudicinError('E_FX_FILE', `${file}: ${message}`); };
  const entries: FxEntry[] = [];
  const trimmed = text.trim();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    let obj: unknown;
    try {
      obj = JSON.parse(trimmed);
    } catch {
      fail('expected a JSON object of rates, got invalid JSON');
    }
    if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) fail('expected a JSON object of rates, got an array');
    entries.push(...fxEntries(obj as object));
  } else {
    const lines = text.split(/\r?\n/);
    if (!/^\s*currency\s*,\s*usd_per_unit\s*$/i.test(lines[0]?.replace(/^\uFEFF/, '') ?? '')) {
      fail(`expected a JSON object or a CSV with header 'currency,usd_per_unit', got ${show((lines[0] ?? '').slice(0, 40))}`);
    }
    lines.forEach((line, i) => {
      if (i === 0 || line.trim() === '') return;
      let fields: string[] = [];
      try {
        fields = (parseCsvLine(line, { relax_column_count: true }) as string[][])[0] ?? [];
      } catch { /* reported below */ }
      if (fields.length !== 2) fail(`line ${i + 1}: expected currency,usd_per_unit, got ${show(line)}`);
      entries.push({ at: `line ${i + 1}`, code: fields[0], rate: fields[1], csv: true });
    });
  }
  return fxTable(entries, file, 'E_FX_FILE');
}
