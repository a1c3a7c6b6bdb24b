// Gold tables as Parquet (SPEC 6): each output column's logical kind. Dates and cohort weeks
// are DATE, months stay `YYYY-MM` text, counts are INT64, money and rates DOUBLE (the cent-
// and 4-decimal-rounded values of the NDJSON twin, which a double holds as written).
import type { ParquetKind, ParquetTable } from '../parquet/schema.js';
import { goldColumns, type GoldTableName } from './schema.js';

/** The kind of every gold column name; a name means the same thing in every table it is in. */
const KINDS: Record<string, ParquetKind> = {
  date: 'date', cohort_week: 'date', month: 'string',
  user_id: 'string', channel: 'string', acquisition_channel: 'string',
  dau: 'int64', purchases: 'int64', active_subscriptions: 'int64', week_number: 'int64', cohort_size: 'int64',
  active_users: 'int64', signups: 'int64', customers: 'int64',
  gross_revenue_usd: 'double', refunds_usd: 'double', net_revenue_usd: 'double', mrr_usd: 'double', retention_rate: 'double',
  spend_usd: 'double', cac_usd: 'double', purchases_usd: 'double', ltv_usd: 'double', avg_ltv_usd: 'double', ltv_cac_ratio: 'double',
};

/** The Parquet columns of gold table `name`, in its output order; every one may be null (e.g. `cac_usd`). */
export function goldParquetTable(name: GoldTableName): ParquetTable {
  return goldColumns(name).map((c) => {
    const kind = KINDS[c];
    if (kind === undefined) throw new Error(`audicin: gold column ${name}.${c} has no Parquet kind`);
    return { name: c, kind };
  });
}
