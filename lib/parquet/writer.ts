// A Parquet file written row group by row group: each batch of rows handed in becomes one
// or more row groups of at most `rowGroupRows` rows, whose bytes go to the output as soon
// as the group is encoded. Only the group being encoded is held, never the whole table;
// the footer (schema, row-group statistics) is written by `finish()`. Pure: the bytes go
// to a `ByteOutput`, and the file I/O lives in an adapter (./staging.ts).
import { ByteWriter } from 'hyparquet-writer/src/bytewriter.js';
import { ParquetWriter } from 'hyparquet-writer/src/parquet-writer.js';
import { columnValues, schemaElements, type ParquetRow, type ParquetTable } from './schema.js';

/** Where the bytes of a Parquet file go, in order. A chunk is only valid during the call. */
export interface ByteOutput {
  writeBytes(bytes: Uint8Array): void;
}

export interface ParquetWriteOptions {
  /** Most rows in one row group; a larger batch is split. Default 100 000. */
  rowGroupRows?: number;
  /**
   * Page compression. Default SNAPPY: every Parquet reader reads it, hyparquet without any
   * extra codec package among them.
   */
  codec?: 'SNAPPY' | 'UNCOMPRESSED';
}

/** The writer's `created_by`: no version in it, so a re-run writes the same bytes. */
export const CREATED_BY = 'audicin-lakehouse';

export const DEFAULT_ROW_GROUP_ROWS = 100_000;

/** hyparquet-writer's byte buffer, emptied into `out` after each row group and at the end. */
class FlushingWriter extends ByteWriter {
  constructor(private readonly out: ByteOutput) {
    super(1 << 16);
  }

  override finish(): void {
    this.flush();
  }

  flush(): void {
    if (this.index > 0) this.out.writeBytes(new Uint8Array(this.buffer, 0, this.index));
    this.index = 0;
  }
}

/** One Parquet file being written to `out`: `write(rows)` per batch, then `finish()`. */
export class ParquetFileWriter {
  readonly table: ParquetTable;
  /** Rows written so far. */
  rows = 0;
  private readonly writer: ParquetWriter;
  private readonly rowGroupRows: number;
  private finished = false;

  /** Starts the file (its magic bytes reach `out` with the first row group or at `finish()`). */
  constructor(table: ParquetTable, out: ByteOutput, options: ParquetWriteOptions = {}) {
    this.table = table;
    this.rowGroupRows = options.rowGroupRows ?? DEFAULT_ROW_GROUP_ROWS;
    if (!(Number.isInteger(this.rowGroupRows) && this.rowGroupRows > 0)) {
      throw new Error(`audicin: parquet rowGroupRows must be a positive integer, got ${this.rowGroupRows}`);
    }
    this.writer = new ParquetWriter({
      writer: new FlushingWriter(out),
      schema: schemaElements(table),
      codec: options.codec ?? 'SNAPPY',
      createdBy: CREATED_BY,
    });
  }

  /** Writes `rows` as row groups of at most `rowGroupRows` rows; an empty batch writes nothing. */
  write(rows: readonly ParquetRow[]): void {
    if (this.finished) throw new Error('audicin: parquet write after finish');
    for (let from = 0; from < rows.length; from += this.rowGroupRows) {
      const group = rows.length <= this.rowGroupRows ? rows : rows.slice(from, from + this.rowGroupRows);
      const columnData = this.table.map((col) => ({ name: col.name, data: columnValues(col, group) }));
      // Synchronous: our writer's flush returns nothing, so write() never returns a promise.
      void this.writer.write({ columnData, rowGroupSize: group.length });
      this.rows += group.length;
    }
  }

  /** Writes the footer; the file is whole once this returns. */
  finish(): void {
    if (this.finished) return;
    this.finished = true;
    void this.writer.finish();
  }
}

/** A whole Parquet file of `rows` in memory, for small tables and tests. */
export function parquetBytes(table: ParquetTable, rows: readonly ParquetRow[], options: ParquetWriteOptions = {}): Uint8Array {
  const chunks: Uint8Array[] = [];
  const w = new ParquetFileWriter(table, { writeBytes: (b) => chunks.push(b.slice()) }, options);
  w.write(rows);
  w.finish();
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
