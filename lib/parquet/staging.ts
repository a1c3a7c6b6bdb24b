// The file side of the Parquet writer: a Parquet file staged like every other output, through
// a FileSink of lib/output.ts, so it shares the atomic commit and the full-disk handling.
import type { FileSink, Staging } from '../output.js';
import type { ParquetRow, ParquetTable } from './schema.js';
import { ParquetFileWriter, type ParquetWriteOptions } from './writer.js';

/** A Parquet file writing into `sink`; closing the writer's `finish()` does not close the sink. */
export function parquetOnSink(sink: FileSink, table: ParquetTable, options: ParquetWriteOptions = {}): ParquetFileWriter {
  return new ParquetFileWriter(table, {
    writeBytes: (b) => sink.writeBytes(Buffer.from(b.buffer, b.byteOffset, b.byteLength)),
  }, options);
}

/** Writes `rows` to `relPath` in `staging` as one Parquet file, a row group per `rowGroupRows` rows. */
export function writeParquetFile(staging: Staging, relPath: string, table: ParquetTable, rows: readonly ParquetRow[],
  options: ParquetWriteOptions = {}): void {
  const sink = staging.open(relPath);
  const writer = parquetOnSink(sink, table, options);
  writer.write(rows);
  writer.finish();
  sink.close();
}
