// The finish: merged partial gold (partial.ts) into the eight gold tables, with Arquero over
// small frames (a row per day, cohort week or channel); ltv_per_user is formatted row by row.
import { dailyActiveUsers, dailyRevenueGross, dailyRevenueNet } from './daily.js';
import { goldFrames } from './frames.js';
import { cacByChannel, ltvCacRatioTable, ltvPerUserRow } from './acquisition.js';
import { mrrMonthly } from './mrr.js';
import { reduceGold, type GoldPartial } from './partial.js';
import { weeklyCohortRetention } from './retention.js';
import type { GoldTables } from './schema.js';
import type { GoldState } from './state.js';

/**
 * All eight gold tables of merged partial gold, rows sorted by their key columns. `bots`:
 * every bot of the run, whose subscriptions are dropped (the partial has no bot's events).
 * ltv_per_user holds the rows of `p.ltv`.
 */
export function finishPartial(p: GoldPartial, bots: ReadonlySet<string>): GoldTables {
  const { days, cohorts, active, channels, subs, spend } = goldFrames(p, bots);
  return {
    daily_active_users: dailyActiveUsers(days),
    daily_revenue_gross: dailyRevenueGross(days),
    daily_revenue_net: dailyRevenueNet(days),
    mrr_monthly: mrrMonthly(subs),
    weekly_cohort_retention: weeklyCohortRetention(cohorts, active, p.lastWeek),
    cac_by_channel: cacByChannel(spend, channels),
    ltv_per_user: p.ltv.map(ltvPerUserRow),
    ltv_cac_ratio: ltvCacRatioTable(channels, spend),
  };
}

/** All eight gold tables of accumulated state, bot users (`bots`) dropped: reduceGold, then finishPartial. */
export function finishGold(state: GoldState, bots: ReadonlySet<string>): GoldTables {
  return finishPartial(reduceGold(state, bots), bots);
}
