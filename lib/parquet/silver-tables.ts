// Silver tables as Parquet (SPEC 5): the same columns, in the same order, as their NDJSON
// form. Lineage and the keys are REQUIRED; what the source may lack is nullable.
import type { ParquetTable } from './schema.js';

/** `silver/events`: `event_ts` TIMESTAMP(MILLIS, UTC) and `event_date` DATE, with row-group min/max on both. */
export const SILVER_EVENT_COLUMNS: ParquetTable = [
  { name: 'event_id', kind: 'string', nullable: false },
  { name: 'user_id', kind: 'string', nullable: false },
  { name: 'event_type', kind: 'string', nullable: false },
  { name: 'event_ts', kind: 'timestamp', nullable: false },
  { name: 'event_date', kind: 'date', nullable: false },
  { name: 'schema_version', kind: 'double', nullable: false },
  { name: 'amount', kind: 'double' },
  { name: 'currency', kind: 'string' },
  { name: 'amount_usd', kind: 'double' },
  { name: 'tax', kind: 'double' },
  { name: 'refers_to_event_id', kind: 'string' },
  { name: 'page', kind: 'string' },
  { name: 'acquisition_channel', kind: 'string' },
  { name: 'is_bot', kind: 'boolean', nullable: false },
  { name: 'versions', kind: 'int32', nullable: false },
  { name: 'source', kind: 'string', nullable: false },
  { name: 'pos', kind: 'int64', nullable: false },
  { name: 'attributes', kind: 'json' },
];

/** `silver/subscriptions`, columns of `subscriptionRow`. */
export const SILVER_SUBSCRIPTION_COLUMNS: ParquetTable = [
  { name: 'subscription_id', kind: 'string', nullable: false },
  { name: 'user_id', kind: 'string', nullable: false },
  { name: 'plan', kind: 'string' },
  { name: 'status', kind: 'string', nullable: false },
  { name: 'price', kind: 'double', nullable: false },
  { name: 'currency', kind: 'string', nullable: false },
  { name: 'price_usd', kind: 'double', nullable: false },
  { name: 'start_date', kind: 'date', nullable: false },
  { name: 'end_date', kind: 'date' },
  { name: 'created_at', kind: 'timestamp', nullable: false },
  { name: 'versions', kind: 'int32', nullable: false },
  { name: 'source', kind: 'string', nullable: false },
  { name: 'pos', kind: 'int64', nullable: false },
  { name: 'attributes', kind: 'json' },
];

/** `silver/marketing_spend`, columns of `marketingRow`. */
export const SILVER_MARKETING_COLUMNS: ParquetTable = [
  { name: 'date', kind: 'date', nullable: false },
  { name: 'channel', kind: 'string', nullable: false },
  { name: 'spend_usd', kind: 'double', nullable: false },
  { name: 'versions', kind: 'int32', nullable: false },
  { name: 'source', kind: 'string', nullable: false },
  { name: 'pos', kind: 'int64', nullable: false },
];
