// Reading a lakehouse written by `run`: which tables it holds, how many rows each (from
// report.json, which counts every row once), and their rows within a date range. Each stored
// format has one reader; a reader gets the date range, so it may skip what cannot match
// (NDJSON stops after the last day; Parquet day partitions and row groups by their statistics).
import { createReadStream } from 'node:fs';
import { access, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { AudicinError, fileError } from '../core/errors.js';
import { GOLD_TABLES } from '../gold/index.js';
import { quarantinedTotal, type Report } from '../core/report.js';
import type { SourceName } from '../core/types.js';
import { afterRange, beforeRange, noScan, readParquetParts, type DayRange, type ParquetPart, type ScanCounts } from './parquet-read.js';

export type Row = Record<string, unknown>;

/** Inclusive days, `YYYY-MM-DD`; an absent end is open. */
export type DateRange = DayRange;

/**
 * Where a table's rows are stored. Parquet is the typed form and wins when a table has both:
 * silver events as `event_date=YYYY-MM-DD` day partitions (`files` in day order, each with its
 * day), or any table as one `<table>.parquet` (day null); else the NDJSON file.
 */
export type Stored = { format: 'ndjson'; path: string } | { format: 'parquet'; files: ParquetPart[] };

/** A table of a lakehouse. */
export interface LakeTable {
  /** `gold.daily_active_users`, `silver.events`, `quarantine.events`, … */
  name: string;
  /** Rows, as report.json counts them. */
  rows: number;
  /** The `YYYY-MM-DD` column --from/--to filter by, or null; every such table is sorted by it. */
  dateColumn: string | null;
  /** Column order when the contract fixes it before any row is read (gold), else null. */
  columns: readonly string[] | null;
  stored: Stored;
}

const SOURCES: readonly SourceName[] = ['events', 'subscriptions', 'marketing_spend'];

/** Tables --from/--to apply to, with their date columns. */
export const DATE_COLUMNS: Readonly<Record<string, string>> = {
  'silver.events': 'event_date',
  'silver.marketing_spend': 'date',
  'gold.daily_active_users': 'date',
  'gold.daily_revenue_gross': 'date',
  'gold.daily_revenue_net': 'date',
  'gold.weekly_cohort_retention': 'cohort_week',
};

const exists = (path: string): Promise<boolean> => access(path).then(() => true, () => false);

const PARTITION = /^([a-z_]+)=(\d{4}-\d{2}-\d{2})$/;

/**
 * The day partitions of folder `dir` by `key` (`<key>=YYYY-MM-DD/*.parquet`), in day then file
 * order; null when `dir` is not a folder or holds none.
 */
async function partitions(dir: string, key: string): Promise<ParquetPart[] | null> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return null;
  }
  const parts: ParquetPart[] = [];
  for (const e of entries) {
    const m = PARTITION.exec(e.name);
    if (!e.isDirectory() || m === null || m[1] !== key) continue;
    const files = (await readdir(join(dir, e.name))).filter((f) => f.endsWith('.parquet')).sort();
    for (const f of files) parts.push({ path: join(dir, e.name, f), day: m[2]! });
  }
  return parts.length === 0 ? null : parts.sort((a, b) => (a.day! < b.day! ? -1 : a.day! > b.day! ? 1 : a.path < b.path ? -1 : 1));
}

/** How a table is stored under `lake`, the typed form first: day partitions, one Parquet file, NDJSON; null when absent. */
async function locate(lake: string, folder: string, base: string, dateColumn: string | null): Promise<Stored | null> {
  const parts = dateColumn === null ? null : await partitions(join(lake, folder, base), dateColumn);
  if (parts !== null) return { format: 'parquet', files: parts };
  const parquet = join(lake, folder, `${base}.parquet`);
  if (await exists(parquet)) return { format: 'parquet', files: [{ path: parquet, day: null }] };
  const path = join(lake, folder, `${base}.ndjson`);
  return (await exists(path)) ? { format: 'ndjson', path } : null;
}

async function readReport(lake: string): Promise<Report> {
  const path = join(lake, 'report.json');
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw fileError('E_INPUT_UNREADABLE', path, err);
    if (!(await exists(lake))) throw fileError('E_INPUT_UNREADABLE', lake, err);
    throw new AudicinError('E_INPUT_UNREADABLE', `${lake}: not a lakehouse (no report.json): write one with audicin run --out ${lake}`);
  }
  try {
    return JSON.parse(text) as Report;
  } catch {
    throw new AudicinError('E_INPUT_UNREADABLE', `${path}: not JSON`);
  }
}

/** A lakehouse's tables in listing order, with the quarantine counts by source and reason. */
export interface Lake {
  tables: LakeTable[];
  reasons: { source: string; reason: string; rows: number }[];
}

/** Opens the lakehouse at `lake`: its report and the tables found on disk. */
export async function openLake(lake: string): Promise<Lake> {
  const report = await readReport(lake);
  const candidates: { name: string; folder: string; base: string; rows: number; columns: readonly string[] | null }[] = [
    ...GOLD_TABLES.map((t) => ({ name: `gold.${t.name}`, folder: 'gold', base: t.name, rows: report.gold?.[t.name] ?? 0, columns: t.columns })),
  ];
  const reasons: Lake['reasons'] = [];
  for (const [layer, count] of [
    ['silver', (s: Report['sources'][SourceName]) => s.silver],
    ['quarantine', quarantinedTotal],
    ['superseded', (s: Report['sources'][SourceName]) => s.superseded],
  ] as const) {
    for (const source of SOURCES) {
      const info = report.sources?.[source];
      candidates.push({ name: `${layer}.${source}`, folder: layer, base: source, rows: info === undefined ? 0 : count(info), columns: null });
    }
  }
  for (const source of SOURCES) {
    const counts = report.sources?.[source]?.quarantined ?? {};
    for (const reason of Object.keys(counts).sort()) reasons.push({ source, reason, rows: counts[reason as keyof typeof counts] ?? 0 });
  }
  const tables: LakeTable[] = [];
  for (const c of candidates) {
    const dateColumn = DATE_COLUMNS[c.name] ?? null;
    const stored = await locate(lake, c.folder, c.base, dateColumn);
    if (stored !== null) tables.push({ name: c.name, rows: c.rows, dateColumn, columns: c.columns, stored });
  }
  return { tables, reasons };
}

/** The table `name` names: a full name, or a gold table's short name (`daily_active_users`). */
export function findTable(lake: Lake, name: string): LakeTable {
  const table = lake.tables.find((t) => t.name === name || t.name === `gold.${name}`);
  if (table === undefined) {
    throw new AudicinError('E_BAD_OPTION', `show: no table '${name}'; tables: ${lake.tables.map((t) => t.name).join(', ')}`);
  }
  return table;
}

/** Rows of an NDJSON file in order; with a date column, those within `range`, stopping after its last day (the table is sorted by it). */
async function* readNdjson(stored: Stored & { format: 'ndjson' }, dateColumn: string | null, range: DateRange): AsyncGenerator<Row> {
  const input = createReadStream(stored.path);
  const lines = createInterface({ input, crlfDelay: Infinity });
  let pos = 0;
  try {
    for await (const line of lines) {
      pos++;
      if (line === '') continue;
      let row: Row;
      try {
        row = JSON.parse(line) as Row;
      } catch {
        throw new AudicinError('E_INPUT_UNREADABLE', `${stored.path}: line ${pos} is not JSON`);
      }
      if (dateColumn !== null) {
        if (afterRange(row[dateColumn], range)) return;
        if (beforeRange(row[dateColumn], range)) continue;
      }
      yield row;
    }
  } catch (err) {
    throw fileError('E_INPUT_UNREADABLE', stored.path, err);
  } finally {
    lines.close();
    input.destroy();
  }
}

/**
 * The rows of `table` within `range` (every row when it is open), in stored order. A Parquet
 * table counts the partitions and row groups it reads and skips in `counts` (default: dropped).
 */
export function readRows(table: LakeTable, range: DateRange = {}, counts: ScanCounts = noScan()): AsyncGenerator<Row> {
  const filtered = range.from !== undefined || range.to !== undefined;
  if (filtered && table.dateColumn === null) {
    throw new AudicinError('E_BAD_OPTION', `show: ${table.name} has no date column for --from/--to; tables with one: ${Object.keys(DATE_COLUMNS).join(', ')}`);
  }
  const dateColumn = filtered ? table.dateColumn : null;
  const { stored } = table;
  return stored.format === 'parquet' ? readParquetParts(stored.files, dateColumn, range, counts) : readNdjson(stored, dateColumn, range);
}
