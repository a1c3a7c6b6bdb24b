// Parquet output: table schemas (schema.ts, silver-tables.ts), the row-group writer
// (writer.ts), one file per key value (partitioned.ts), silver events from their lines
// (silver-events.ts) and their staged file adapter (staging.ts).
export { columnValues, dateDays, schemaElements, type ParquetColumn, type ParquetKind, type ParquetRow, type ParquetTable } from './schema.js';
export { CREATED_BY, DEFAULT_ROW_GROUP_ROWS, ParquetFileWriter, parquetBytes, type ByteOutput, type ColumnChunkData,
  type ParquetWriteOptions } from './writer.js';
export { PartitionedParquetWriter, partitionPath, type OpenedFile, type PartitionFile } from './partitioned.js';
export { SILVER_EVENT_COLUMNS, SILVER_MARKETING_COLUMNS, SILVER_SUBSCRIPTION_COLUMNS } from './silver-tables.js';
export { SilverEventsParquet } from './silver-events.js';
export { sinkOutput, stagedFile, stagedPartitions, writeParquetFile } from './staging.js';
