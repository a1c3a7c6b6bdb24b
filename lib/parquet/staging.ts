// The file side of the Parquet writers: a Parquet file staged like every other output, through
// a FileSink of lib/output.ts, so it shares the atomic commit and the full-disk handling.
import type { FileSink, Staging } from '../io/output.js';
import { PartitionedParquetWriter, type OpenedFile } from './partitioned.js';
import type { ParquetRow, ParquetTable } from './schema.js';
import { ParquetFileWriter, type ByteOutput, type ParquetWriteOptions } from './writer.js';

/** The bytes of a Parquet writer into `sink` (chunks are copied into the sink's buffer or written at once). */
export const sinkOutput = (sink: FileSink): ByteOutput => ({
  writeBytes: (b) => sink.writeBytes(Buffer.from(b.buffer, b.byteOffset, b.byteLength)),
});

/** Opens `relPath` in `staging` for a Parquet writer. */
export function stagedFile(staging: Staging, relPath: string): OpenedFile {
  const sink = staging.open(relPath);
  return { out: sinkOutput(sink), close: () => sink.close() };
}

/** Writes `rows` to `relPath` in `staging` as one Parquet file, a row group per `rowGroupRows` rows. */
export function writeParquetFile(staging: Staging, relPath: string, table: ParquetTable, rows: readonly ParquetRow[],
  options: ParquetWriteOptions = {}): void {
  const file = stagedFile(staging, relPath);
  const writer = new ParquetFileWriter(table, file.out, options);
  writer.write(rows);
  writer.finish();
  file.close();
}

/**
 * A table written under `dir` in `staging` as one Parquet file per value of `key`, e.g.
 * `silver/events/event_date=2026-01-05/part-0.parquet`; rows must come sorted by `key`.
 */
export function stagedPartitions(staging: Staging, dir: string, table: ParquetTable, key: string,
  options: ParquetWriteOptions = {}): PartitionedParquetWriter {
  return new PartitionedParquetWriter(dir, table, key, (relPath) => stagedFile(staging, relPath), options);
}
