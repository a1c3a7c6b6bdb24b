// weekly_cohort_retention (SPEC 6). Weeks are day numbers of their Monday in the reporting
// zone; week_number k of a cohort is the week starting cohort + 7k days. Every cohort runs
// from week 0 to the last week holding any non-bot event, with zero-activity weeks kept.
import type { ColumnTable } from 'arquero';
import { dayString } from '../core/calendar.js';
import { fn } from './frames.js';
import { ratio4 } from './money.js';
import type { GoldRow } from './schema.js';

/** cohorts and active: goldFrames' frames; `last`: the Monday of the last week with any non-bot event. */
export function weeklyCohortRetention(cohorts: ColumnTable, active: ColumnTable, last: number): GoldRow[] {
  // A signup is itself a non-bot event, so every cohort week is ≤ the last active week.
  if (cohorts.numRows() === 0) return [];
  const grid = cohorts
    .derive({ week_number: fn((d) => Array.from({ length: (last - d.cohort) / 7 + 1 }, (_, k) => k)) })
    .unroll('week_number');
  return grid
    .join_left(active, [['cohort', 'week_number'], ['cohort', 'week_number']])
    .impute({ active_users: () => 0 })
    .orderby('cohort', 'week_number')
    .derive({
      cohort_week: fn((d) => dayString(d.cohort)),
      retention_rate: fn((d) => (d.cohort_size > 0 ? ratio4(d.active_users, d.cohort_size) : null)),
    })
    .select('cohort_week', 'week_number', 'cohort_size', 'active_users', 'retention_rate')
    .objects() as GoldRow[];
}
