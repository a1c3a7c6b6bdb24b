// The public surface of audicin-lakehouse: named exports only.
export { runPipeline, type RunResult } from './pipeline.js';
export { resolveOptions, DEFAULTS, type Options } from './options.js';
export { AudicinError, isAudicinError, type ErrorCode } from './core/errors.js';
export { DEFAULT_FX } from './core/fx.js';
export { loadFx } from './io/fx-file.js';
export { parseTimestamp, parseDate } from './core/time.js';
export { makeCalendar, type Calendar } from './core/calendar.js';
export { LineSplitter, type LineSink } from './io/lines.js';
export { JsonArraySplitter } from './io/json-array.js';
export { DedupMap, eventBeats } from './core/dedup.js';
export { BotCounter } from './core/bots.js';
export { validateEvent } from './core/validate-event.js';
export { validateSubscription } from './core/validate-subscription.js';
export { validateMarketing } from './core/validate-marketing.js';
export { GOLD_TABLES, initGold, addEvent, addSubscription, addMarketing, mergeGold, finishGold, goldCsv, goldNdjson,
  packGold, unpackGold, type PackedGold, reduceGold, mergePartials, finishPartial, type GoldPartial, type LtvRow,
  type GoldTables, type GoldTableName, type GoldRow, type GoldState } from './gold/index.js';
export { goldParquetTable } from './gold/index.js';
export { ParquetFileWriter, PartitionedParquetWriter, parquetBytes, SILVER_EVENT_COLUMNS, SILVER_SUBSCRIPTION_COLUMNS,
  SILVER_MARKETING_COLUMNS, type ParquetTable, type ParquetColumn, type ParquetWriteOptions } from './parquet/index.js';
export type { Report } from './core/report.js';
export type * from './core/types.js';
export { createStreamEngine, type StreamEngine, type StreamSink, type StreamInfo } from './stream/engine.js';
export { resolveStreamOptions, parseDuration, type StreamOptions, type ResolvedStreamOptions } from './stream/options.js';
export { silverTransform, SilverTransform, type SilverTransformOptions } from './stream/transform.js';
export { createGoldStream, goldLines, type GoldStream, type SideSources } from './stream/gold.js';
export { readSubscriptions, readMarketing, type SideRead } from './io/sides.js';
export { goldOutput, wallTicker, withTicks, TICK, type Ticker, type GoldOutputOptions } from './stream/snapshots.js';
