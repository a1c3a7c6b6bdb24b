// A Parquet file written row group by row group: each batch of rows handed in becomes one
// or more row groups of at most `rowGroupRows` rows, whose bytes go to the output as soon
// as the group is encoded. Only the group being encoded is held, never the whole table;
// the footer (schema, row-group statistics) is written by `finish()`. Pure: the bytes go
// to a `ByteOutput`, and the file I/O lives in an adapter (./staging.ts).
import { ByteWriter } from 'hyparquet-writer/src/bytewriter.js';
import { writeColumn } from 'hyparquet-writer/src/column.js';
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

/**
 * One column of a row group in its physical form: text and JSON as UTF-8 bytes, timestamps
 * and int64 as bigint, dates as day numbers, null as null; `column` is its index in the table.
 */
export interface ColumnChunkData {
  column: number;
  data: unknown[];
}

/** hyparquet-writer's defaults for what `ParquetWriter.write` passes per column. */
const PAGE_BYTES = 1 << 20;

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
  /** Each column's schema path, root first, for writeColumns. */
  private readonly paths: ReturnType<typeof schemaElements>[];
  /**
   * The element each column is encoded as: its own, but JSON as UTF-8 text, so JSON comes in
   * as its bytes (the footer keeps the JSON type; the bytes written are the same).
   */
  private readonly encodeAs: ReturnType<typeof schemaElements>;
  private finished = false;

  /** Starts the file (its magic bytes reach `out` with the first row group or at `finish()`). */
  constructor(table: ParquetTable, out: ByteOutput, options: ParquetWriteOptions = {}) {
    this.table = table;
    this.rowGroupRows = options.rowGroupRows ?? DEFAULT_ROW_GROUP_ROWS;
    if (!(Number.isInteger(this.rowGroupRows) && this.rowGroupRows > 0)) {
      throw new Error(`audicin: parquet rowGroupRows must be a positive integer, got ${this.rowGroupRows}`);
    }
    const schema = schemaElements(table);
    this.paths = schema.slice(1).map((leaf) => [schema[0]!, leaf]);
    this.encodeAs = schema.slice(1).map((leaf) =>
      (leaf.converted_type === 'JSON' ? { ...leaf, converted_type: 'UTF8' as const, logical_type: { type: 'STRING' as const } } : leaf));
    this.writer = new ParquetWriter({
      writer: new FlushingWriter(out),
      schema,
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

  /**
   * Writes one row group of `rows` rows from columns already in physical form, one entry per
   * column of the table in order: the encoder's own path, without a row object or a string
   * per value. The bytes equal `write` of the same rows where every text is ASCII.
   */
  writeColumns(columns: readonly ColumnChunkData[], rows: number): void {
    if (this.finished) throw new Error('audicin: parquet write after finish');
    const w = this.writer;
    const start = w.writer.offset;
    const chunks = [];
    for (const { column, data } of columns) {
      if (data.length !== rows) throw new Error('audicin: parquet columns must have the same length');
      const col = this.table[column]!;
      const path = this.paths[column]!;
      const optional = col.nullable !== false;
      const definitionLevels: number[] = [];
      if (optional) {
        definitionLevels.length = rows;
        for (let i = 0; i < rows; i++) definitionLevels[i] = data[i] === null ? 0 : 1;
      }
      const result = writeColumn({
        writer: w.writer,
        column: {
          columnName: col.name, element: this.encodeAs[column]!, schemaPath: path, codec: w.codec,
          compressors: w.compressors, stats: w.statistics, pageSize: PAGE_BYTES, columnIndex: false, offsetIndex: true,
        },
        pageData: { values: data as never, definitionLevels, repetitionLevels: [], maxDefinitionLevel: optional ? 1 : 0 },
      });
      chunks.push(result.chunk);
      w.pendingIndexes.push(result);
    }
    let total = 0n;
    for (const { meta_data } of chunks) total += meta_data?.total_uncompressed_size ?? 0n;
    w.num_rows += BigInt(rows);
    w.row_groups.push({ columns: chunks, total_byte_size: total, num_rows: BigInt(rows), total_compressed_size: BigInt(w.writer.offset - start) });
    void w.writer.flush?.();
    this.rows += rows;
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
