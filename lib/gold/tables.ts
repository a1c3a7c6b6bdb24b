// finishGold: the Arquero aggregation of accumulated state into the eight gold tables.
import { dailyActiveUsers, dailyRevenueGross, dailyRevenueNet } from './daily.js';
import { goldFrames } from './frames.js';
import { cacByChannel, ltvCacRatioTable, ltvPerUser, userTotals } from './acquisition.js';
import { mrrMonthly } from './mrr.js';
import { weeklyCohortRetention } from './retention.js';
import type { GoldTables } from './schema.js';
import type { GoldState } from './state.js';

/** All eight gold tables, bot users (`bots`) dropped, rows sorted by their key columns. */
export function finishGold(state: GoldState, bots: ReadonlySet<string>): GoldTables {
  const { activity, weeks, signups, subs, spend } = goldFrames(state, bots);
  const users = userTotals(activity, signups);
  return {
    daily_active_users: dailyActiveUsers(activity),
    daily_revenue_gross: dailyRevenueGross(activity),
    daily_revenue_net: dailyRevenueNet(activity),
    mrr_monthly: mrrMonthly(subs),
    weekly_cohort_retention: weeklyCohortRetention(weeks, signups),
    cac_by_channel: cacByChannel(spend, signups),
    ltv_per_user: ltvPerUser(users),
    ltv_cac_ratio: ltvCacRatioTable(users, signups, spend),
  };
}
