// Text forms of a gold table: CSV (SPEC 6: header = columns, null = empty field) and NDJSON.
// CSV is opened in spreadsheets, which run a cell starting with = + - @ tab or CR as a formula
// (CSV injection): such a text cell gets a leading `'`, as OWASP advises. Numbers are never
// prefixed (-12.5 stays a number), and NDJSON keeps every value exact.
import { goldColumns } from './schema.js';
import type { GoldRow, GoldTableName } from './schema.js';

/** A text cell a spreadsheet would take for a formula. */
const FORMULA_START = /^[=+\-@\t\r]/;

/** One CSV field: quoted when it must be, a formula-like text cell defused, null empty. */
export function csvField(v: string | number | null | undefined): string {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'string' && FORMULA_START.test(v) ? `'${v}` : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** CSV text: header line, one line per row, `\n` line ends including the last. */
export function goldCsv(name: GoldTableName, rows: GoldRow[]): string {
  return goldCsvHeader(name) + goldCsvLines(name, rows);
}

/** The CSV header line of table `name`. */
export const goldCsvHeader = (name: GoldTableName): string => goldColumns(name).map(csvField).join(',') + '\n';

/** The CSV lines of `rows`, without the header: a table written in batches is the header and the batches' lines. */
export function goldCsvLines(name: GoldTableName, rows: GoldRow[]): string {
  const cols = goldColumns(name);
  let out = '';
  for (const r of rows) out += cols.map((c) => csvField(r[c])).join(',') + '\n';
  return out;
}

/** NDJSON text: one object per row with keys in column order; '' for no rows. */
export function goldNdjson(name: GoldTableName, rows: GoldRow[]): string {
  const cols = goldColumns(name);
  let out = '';
  for (const r of rows) {
    const o: GoldRow = {};
    for (const c of cols) o[c] = r[c] ?? null;
    out += JSON.stringify(o) + '\n';
  }
  return out;
}
