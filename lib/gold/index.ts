// Gold layer (SPEC 6): mergeable accumulators, Arquero aggregation and text formats.
export { GOLD_TABLES, goldColumns } from './schema.js';
export type { GoldRow, GoldTableName, GoldTables } from './schema.js';
export { initGold, addEvent, addSubscription, addMarketing, mergeGold, channelOf } from './state.js';
export type { GoldState, UserAcc, DayAcc, SignupAcc, SubAcc } from './state.js';
export { emptyPartial, reduceGold, mergePartials } from './partial.js';
export type { GoldPartial, DayTotals, ChannelTotals, LtvRow } from './partial.js';
export { finishGold, finishPartial } from './tables.js';
export { ltvPerUserRow } from './acquisition.js';
export { goldCsv, goldCsvHeader, goldCsvLines, goldNdjson } from './format.js';
export { goldParquetTable } from './parquet.js';
export { roundCents } from './money.js';
export { packGold, unpackGold, packedBuffers, type PackedGold } from './codec.js';
