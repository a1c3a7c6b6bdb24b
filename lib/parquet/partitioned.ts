// A table split into one Parquet file per value of a key column (Hive style,
// `<dir>/<key>=<value>/part-0.parquet`), for silver events by `event_date`. Rows arrive
// sorted by the key (silver events are sorted by time, so by day); they are held until a
// row group is full or the key changes, so memory stays at one row group whatever the size
// of a day or of a batch handed in, and every row group's min/max covers one day only.
import type { ParquetRow, ParquetTable } from './schema.js';
import { DEFAULT_ROW_GROUP_ROWS, ParquetFileWriter, type ByteOutput, type ParquetWriteOptions } from './writer.js';

/** An output file opened by relative path; `close()` ends it once its Parquet footer is written. */
export interface OpenedFile {
  out: ByteOutput;
  close(): void;
}

/** One file written: its relative path and its number of rows. */
export interface PartitionFile {
  path: string;
  value: string;
  rows: number;
}

/** The relative path of the partition of `key` = `value` under `dir`. */
export const partitionPath = (dir: string, key: string, value: string): string => `${dir}/${key}=${value}/part-0.parquet`;

/**
 * The files of a partitioned table, one open at a time, opened in key order: the part both
 * partition writers share (rows here, silver lines in silver-events.ts). `flush` writes what
 * the owner holds into the open file before it ends.
 */
export class PartitionFiles {
  /** The files written so far, in order. */
  readonly files: PartitionFile[] = [];
  private current: { value: string; opened: OpenedFile; writer: ParquetFileWriter } | null = null;

  constructor(private readonly dir: string, private readonly table: ParquetTable, private readonly key: string,
    private readonly open: (relPath: string) => OpenedFile, private readonly options: ParquetWriteOptions,
    private readonly flush: () => void) {}

  /** The key value of the open file, or null. */
  get value(): string | null {
    return this.current?.value ?? null;
  }

  /** The writer of the open file, or null. */
  get writer(): ParquetFileWriter | null {
    return this.current?.writer ?? null;
  }

  /** Ends the open file and opens the one of `value`, which must not come before it. */
  start(value: string): void {
    if (this.current !== null && value < this.current.value) {
      throw new Error(`audicin: parquet partition key ${this.key} out of order: ${value} after ${this.current.value}`);
    }
    this.end();
    const path = partitionPath(this.dir, this.key, value);
    const opened = this.open(path);
    this.current = { value, opened, writer: new ParquetFileWriter(this.table, opened.out, this.options) };
    this.files.push({ path, value, rows: 0 });
  }

  /** Counts `rows` written into the open file. */
  wrote(rows: number): void {
    this.files[this.files.length - 1]!.rows += rows;
  }

  /** Flushes what the owner holds, writes the footer and closes the open file. */
  end(): void {
    if (this.current === null) return;
    this.flush();
    this.current.writer.finish();
    this.current.opened.close();
    this.current = null;
  }
}

/** Rows of `table` written to one Parquet file per value of column `key`, in key order. */
export class PartitionedParquetWriter {
  private readonly rowGroupRows: number;
  private readonly parts: PartitionFiles;
  private held: ParquetRow[] = [];
  private done = false;

  /**
   * `dir` is the table's folder (e.g. `silver/events`); `key` a text column the rows come
   * sorted by (e.g. `event_date`); `open` opens a file by relative path.
   */
  constructor(dir: string, table: ParquetTable, private readonly key: string,
    open: (relPath: string) => OpenedFile, options: ParquetWriteOptions = {}) {
    if (!table.some((c) => c.name === key)) throw new Error(`audicin: parquet partition key ${key} is not a column`);
    this.rowGroupRows = options.rowGroupRows ?? DEFAULT_ROW_GROUP_ROWS;
    this.parts = new PartitionFiles(dir, table, key, open, options, () => this.flushGroup());
  }

  /** The files written so far, in order. */
  get files(): readonly PartitionFile[] {
    return this.parts.files;
  }

  /** Adds `rows`, sorted by the key and not before the rows already added. */
  write(rows: readonly ParquetRow[]): void {
    if (this.done) throw new Error('audicin: parquet write after finish');
    for (const row of rows) {
      const value = row[this.key];
      if (typeof value !== 'string') throw new Error(`audicin: parquet partition key ${this.key}: expected text, got ${String(value)}`);
      if (value !== this.parts.value) this.parts.start(value);
      this.held.push(row);
      if (this.held.length >= this.rowGroupRows) this.flushGroup();
    }
  }

  /** Writes what is held and ends the last file. */
  finish(): void {
    if (this.done) return;
    this.done = true;
    this.parts.end();
  }

  private flushGroup(): void {
    const writer = this.parts.writer;
    if (this.held.length === 0 || writer === null) return;
    writer.write(this.held);
    this.parts.wrote(this.held.length);
    this.held = [];
  }
}
