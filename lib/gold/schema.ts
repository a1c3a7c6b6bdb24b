// The eight gold tables of SPEC 6: names, column order and row types.

export type GoldTableName =
  | 'daily_active_users' | 'daily_revenue_gross' | 'daily_revenue_net' | 'mrr_monthly'
  | 'weekly_cohort_retention' | 'cac_by_channel' | 'ltv_per_user' | 'ltv_cac_ratio';

/** One output row: dates and names are strings, money and rates numbers, missing values null. */
export type GoldRow = Record<string, string | number | null>;

export type GoldTables = Record<GoldTableName, GoldRow[]>;

/** The gold tables in SPEC 6 order, each with its output columns in order. */
export const GOLD_TABLES: readonly { name: GoldTableName; columns: readonly string[] }[] = [
  { name: 'daily_active_users', columns: ['date', 'dau'] },
  { name: 'daily_revenue_gross', columns: ['date', 'purchases', 'gross_revenue_usd'] },
  { name: 'daily_revenue_net', columns: ['date', 'gross_revenue_usd', 'refunds_usd', 'net_revenue_usd'] },
  { name: 'mrr_monthly', columns: ['month', 'active_subscriptions', 'mrr_usd'] },
  { name: 'weekly_cohort_retention', columns: ['cohort_week', 'week_number', 'cohort_size', 'active_users', 'retention_rate'] },
  { name: 'cac_by_channel', columns: ['channel', 'spend_usd', 'signups', 'cac_usd'] },
  { name: 'ltv_per_user', columns: ['user_id', 'acquisition_channel', 'purchases_usd', 'refunds_usd', 'ltv_usd'] },
  { name: 'ltv_cac_ratio', columns: ['channel', 'customers', 'avg_ltv_usd', 'cac_usd', 'ltv_cac_ratio'] },
];

/** Output columns of one gold table. */
export function goldColumns(name: GoldTableName): readonly string[] {
  const t = GOLD_TABLES.find((g) => g.name === name);
  if (t === undefined) throw new Error(`audicin: unknown gold table '${name}'`);
  return t.columns;
}
