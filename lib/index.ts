// The public surface of audicin-lakehouse: named exports only.
export { runPipeline, type RunResult } from './pipeline.js';
export { resolveOptions, DEFAULTS, type Options } from './options.js';
export { AudicinError, isAudicinError, type ErrorCode } from './errors.js';
export { DEFAULT_FX } from './fx.js';
export { loadFx } from './fx-file.js';
export { parseTimestamp, parseDate } from './time.js';
export { makeCalendar, type Calendar } from './calendar.js';
export { LineSplitter, type LineSink } from './lines.js';
export { JsonArraySplitter } from './json-array.js';
export { DedupMap, eventBeats } from './dedup.js';
export { BotCounter } from './bots.js';
export { validateEvent } from './validate-event.js';
export { validateSubscription } from './validate-subscription.js';
export { validateMarketing } from './validate-marketing.js';
export { GOLD_TABLES, initGold, addEvent, addSubscription, addMarketing, mergeGold, finishGold, goldCsv, goldNdjson,
  packGold, unpackGold, type PackedGold, reduceGold, mergePartials, finishPartial, type GoldPartial, type LtvRow,
  type GoldTables, type GoldTableName, type GoldRow, type GoldState } from './gold/index.js';
export { goldParquetTable } from './gold/index.js';
export { ParquetFileWriter, PartitionedParquetWriter, parquetBytes, SILVER_EVENT_COLUMNS, SILVER_SUBSCRIPTION_COLUMNS,
  SILVER_MARKETING_COLUMNS, type ParquetTable, type ParquetColumn, type ParquetWriteOptions } from './parquet/index.js';
export type { Report } from './report.js';
export type * from './types.js';
export { createStreamEngine, type StreamEngine, type StreamSink, type StreamInfo } from './stream.js';
export { resolveStreamOptions, parseDuration, type StreamOptions, type ResolvedStreamOptions } from './stream-options.js';
export { silverTransform, SilverTransform, type SilverTransformOptions } from './stream-transform.js';
export { createGoldStream, goldLines, type GoldStream, type SideSources } from './stream-gold.js';
export { readSubscriptions, readMarketing, type SideRead } from './sides.js';
export { goldOutput, wallTicker, withTicks, TICK, type Ticker, type GoldOutputOptions } from './stream-snapshots.js';
