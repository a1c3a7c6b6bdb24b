// The `show` command: the tables of a lakehouse and their rows, on the terminal or as CSV or
// NDJSON for other programs. The table format reads at most --limit rows (default 20); CSV and
// NDJSON stream every row unless --limit says otherwise, writing in batches as the reader
// takes them. Rows print the same whether a table is read from Parquet or NDJSON; --verbose
// says on stderr which it was and what the date range let the Parquet reader skip.
import { AudicinError } from '../core/errors.js';
import { DEFAULTS } from '../options.js';
import type { FlagValues } from './flags.js';
import { findTable, openLake, readRows, type DateRange, type LakeTable, type Row } from './lake.js';
import { noScan, type ScanCounts } from './parquet-read.js';
import { writeOut, type CommandIo } from './output.js';
import { columnsOf, csvLine, ndjsonLine, textTable } from './render.js';

/** Rows a table shows without --limit. */
export const TABLE_LIMIT = 20;

/** Rows per write to stdout when streaming CSV or NDJSON. */
const BATCH = 1000;

/** `audicin show [TABLE]`: resolves to the exit code. */
export async function showCommand(values: FlagValues, positionals: string[], io: CommandIo): Promise<number> {
  if (positionals.length > 1) throw new AudicinError('E_USAGE', `show: expected one TABLE, got ${positionals.length}: ${positionals.join(' ')} (see audicin show --help)`);
  const lake = await openLake(values.out ?? DEFAULTS.out);
  const name = positionals[0];
  if (name === undefined) {
    if (values.from !== undefined || values.to !== undefined || values.limit !== undefined || values.format !== undefined || values.verbose !== undefined) {
      throw new AudicinError('E_USAGE', 'show: --from, --to, --limit, --format and --verbose need a TABLE (see audicin show --help)');
    }
    const tables = textTable(['table', 'rows'], lake.tables.map((t) => ({ table: t.name, rows: t.rows })));
    const reasons = lake.reasons.length === 0 ? 'no quarantined records\n' : `quarantine reasons:\n${textTable(['source', 'reason', 'rows'], lake.reasons)}`;
    await writeOut(io.stdout, `${tables}\n${reasons}`);
    return 0;
  }
  const table = findTable(lake, name);
  const range: DateRange = { from: values.from, to: values.to };
  if (range.from !== undefined && range.to !== undefined && range.from > range.to) {
    throw new AudicinError('E_BAD_OPTION', `show: --from ${range.from} is after --to ${range.to}`);
  }
  const format = values.format ?? 'table';
  const limit = values.limit ?? (format === 'table' ? TABLE_LIMIT : Infinity);
  const counts = noScan();
  const rows = readRows(table, range, counts);
  // stdout stays the rows alone, whatever the stored format; what was skipped goes to stderr.
  const summary = async (): Promise<void> => {
    if (values.verbose === true) await writeOut(io.stderr, scanLine(table, counts));
  };
  if (format === 'table') {
    const shown: Row[] = [];
    let more = false;
    for await (const row of rows) {
      if (shown.length === limit) { more = true; break; }
      shown.push(row);
    }
    const filtered = range.from !== undefined || range.to !== undefined;
    const count = more
      ? `(${filtered ? `first ${shown.length} rows` : `${shown.length} of ${table.rows} rows`}; more with --limit N or --format csv)`
      : `(${shown.length} row${shown.length === 1 ? '' : 's'})`;
    const columns = columnsOf(shown, table.columns);
    await writeOut(io.stdout, `${columns.length === 0 ? '' : textTable(columns, shown)}${count}\n`);
    await summary();
    return 0;
  }
  let columns: string[] | null = table.columns === null ? null : [...table.columns];
  let text = format === 'csv' && columns !== null ? csvLine(columns, Object.fromEntries(columns.map((c) => [c, c]))) : '';
  let batched = 0;
  let written = 0;
  for await (const row of rows) {
    if (written === limit) break;
    if (format === 'csv' && columns === null) {
      // Tables without a fixed schema take the first row's columns; their rows all share them.
      columns = Object.keys(row);
      text += csvLine(columns, Object.fromEntries(columns.map((c) => [c, c])));
    }
    text += format === 'csv' ? csvLine(columns!, row) : ndjsonLine(row);
    written++;
    if (++batched === BATCH) {
      if (!(await writeOut(io.stdout, text))) return 0;
      text = '';
      batched = 0;
    }
  }
  if (text !== '') await writeOut(io.stdout, text);
  await summary();
  return 0;
}

/**
 * The --verbose line: how `table` is stored and, for Parquet, what the read opened and skipped
 * (a read that --limit stopped counts only what it reached: the table format stops at 20 rows).
 */
export function scanLine(table: LakeTable, c: ScanCounts): string {
  if (table.stored.format === 'ndjson') return `show: ${table.name}: read from NDJSON\n`;
  const partitions = table.stored.files.some((f) => f.day !== null)
    ? `day partitions ${c.partitionsRead} read, ${c.partitionsSkipped} skipped; ` : '';
  return `show: ${table.name}: Parquet ${partitions}row groups ${c.rowGroupsRead} read, ${c.rowGroupsSkipped} skipped\n`;
}
