// A Parquet table read back for `show`, with hyparquet, as the rows its NDJSON twin holds:
// dates as `YYYY-MM-DD`, timestamps as ISO text with milliseconds, INT64 as numbers, JSON as
// its value, nulls as null, keys in file order. A date range skips first whole day partitions
// (`event_date=YYYY-MM-DD`, by folder name, never opened), then row groups whose min/max
// statistics of the date column miss it (by the footer alone); the rows read are still
// filtered one by one. Memory stays at one row group.
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects, type AsyncBuffer, type FileMetaData, type ParquetParsers, type RowGroup,
  type SchemaElement } from 'hyparquet';
import { AudicinError, fileError } from '../core/errors.js';

/** A Parquet file of a table; `day` is its partition's day, null for a table in one file. */
export interface ParquetPart {
  path: string;
  day: string | null;
}

/** Inclusive days, `YYYY-MM-DD`; an absent end is open. */
export interface DayRange {
  from?: string;
  to?: string;
}

/** What a read opened and what it skipped; a read stopped early (--limit) counts only what it reached. */
export interface ScanCounts {
  partitionsRead: number;
  partitionsSkipped: number;
  rowGroupsRead: number;
  rowGroupsSkipped: number;
}

/** Counts at zero. */
export const noScan = (): ScanCounts => ({ partitionsRead: 0, partitionsSkipped: 0, rowGroupsRead: 0, rowGroupsSkipped: 0 });

const DAY_MS = 86_400_000;

/** Decoders giving the NDJSON forms; hyparquet applies them to statistics too, so min/max compare as text. */
const PARSERS: Partial<ParquetParsers> = {
  dateFromDays: (days: number) => new Date(days * DAY_MS).toISOString().slice(0, 10),
  timestampFromMilliseconds: (ms: bigint) => new Date(Number(ms)).toISOString(),
};

/** True for `day` (text) outside `range`; a non-text day is outside any range with a start. */
export const beforeRange = (day: unknown, range: DayRange): boolean => range.from !== undefined && (typeof day !== 'string' || day < range.from);
export const afterRange = (day: unknown, range: DayRange): boolean => range.to !== undefined && typeof day === 'string' && day > range.to;

/** Plain INT64 leaves (not timestamps), read as bigint and shown as numbers. */
const int64Columns = (schema: readonly SchemaElement[]): string[] =>
  schema.slice(1).filter((e) => e.type === 'INT64' && e.logical_type?.type !== 'TIMESTAMP' && !e.converted_type?.startsWith('TIMESTAMP')).map((e) => e.name);

/** hyparquet's errors as one line naming the file (a truncated or foreign file says why). */
const unreadable = (path: string, err: unknown): AudicinError =>
  fileError('E_INPUT_UNREADABLE', path, err instanceof Error && !('code' in err) ? new Error(`not a readable Parquet file (${err.message})`) : err);

/** The day of a statistics value: dates are `YYYY-MM-DD` already, timestamps ISO text. */
const statDay = (v: unknown): string | null => (typeof v === 'string' ? v.slice(0, 10) : null);

/** False when the statistics of `column` in `group` prove no row is in `range`; true without them. */
function groupCanMatch(group: RowGroup, column: string, range: DayRange): boolean {
  const chunk = group.columns.find((c) => c.meta_data?.path_in_schema.length === 1 && c.meta_data.path_in_schema[0] === column);
  const stats = chunk?.meta_data?.statistics;
  if (stats === undefined) return true;
  const min = statDay(stats.min_value ?? stats.min);
  const max = statDay(stats.max_value ?? stats.max);
  if (max !== null && beforeRange(max, range)) return false;
  if (min !== null && afterRange(min, range)) return false;
  return true;
}

/**
 * The rows of `parts` in order; with a `dateColumn`, only those within `range`, skipping the
 * partitions and row groups that cannot match and counting them in `counts`.
 */
export async function* readParquetParts(parts: readonly ParquetPart[], dateColumn: string | null, range: DayRange,
  counts: ScanCounts = noScan()): AsyncGenerator<Record<string, unknown>> {
  for (const part of parts) {
    if (dateColumn !== null && part.day !== null && (beforeRange(part.day, range) || afterRange(part.day, range))) {
      counts.partitionsSkipped++;
      continue;
    }
    if (part.day !== null) counts.partitionsRead++;
    yield* await openPart(part.path, dateColumn, range, counts);
  }
}

async function openPart(path: string, dateColumn: string | null, range: DayRange, counts: ScanCounts): Promise<AsyncGenerator<Record<string, unknown>>> {
  let file: AsyncBuffer;
  let metadata: FileMetaData;
  try {
    file = await asyncBufferFromFile(path);
    metadata = await parquetMetadataAsync(file, { parsers: PARSERS });
  } catch (err) {
    throw unreadable(path, err);
  }
  const names = metadata.schema.slice(1).map((e) => e.name);
  const int64 = new Set(int64Columns(metadata.schema));
  return (async function* () {
    let start = 0;
    for (const group of metadata.row_groups) {
      const end = start + Number(group.num_rows);
      const groupStart = start;
      start = end;
      if (dateColumn !== null && !groupCanMatch(group, dateColumn, range)) {
        counts.rowGroupsSkipped++;
        continue;
      }
      counts.rowGroupsRead++;
      let rows: Record<string, unknown>[];
      try {
        rows = await parquetReadObjects({ file, metadata, rowStart: groupStart, rowEnd: end, parsers: PARSERS });
      } catch (err) {
        throw unreadable(path, err);
      }
      for (const row of rows) {
        if (dateColumn !== null && (beforeRange(row[dateColumn], range) || afterRange(row[dateColumn], range))) continue;
        // A null read back may be undefined; NDJSON writes the key with null.
        for (const name of names) {
          const v = row[name];
          if (v === undefined) row[name] = null;
          else if (typeof v === 'bigint' && int64.has(name)) row[name] = Number(v);
        }
        yield row;
      }
    }
  })();
}
