// Text forms of a gold table: CSV (SPEC 6: header = columns, null = empty field) and NDJSON.
import { goldColumns } from './schema.js';
import type { GoldRow, GoldTableName } from './schema.js';

function csvField(v: string | number | null | undefined): string {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** CSV text: header line, one line per row, `\n` line ends including the last. */
export function goldCsv(name: GoldTableName, rows: GoldRow[]): string {
  const cols = goldColumns(name);
  let out = cols.map(csvField).join(',') + '\n';
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
