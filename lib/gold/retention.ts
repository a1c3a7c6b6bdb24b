// weekly_cohort_retention (SPEC 6). Weeks are day numbers of their Monday in the reporting
// zone; week_number k of a cohort is the week starting cohort + 7k days. Every cohort runs
// from week 0 to the last week holding any non-bot event, with zero-activity weeks kept.
import { op } from 'arquero';
import type { ColumnTable } from 'arquero';
import { dayString } from '../calendar.js';
import { fn } from './frames.js';
import { ratio4 } from './money.js';
import type { GoldRow } from './schema.js';

/** weeks: distinct (user, week) of non-bot activity; signups: user, cohort (Monday day number). */
export function weeklyCohortRetention(weeks: ColumnTable, signups: ColumnTable): GoldRow[] {
  if (signups.numRows() === 0) return [];
  // A signup is itself a non-bot event, so every cohort week is ≤ the last active week.
  const last = weeks.rollup({ last: op.max('week') }).get('last', 0) as number;
  const grid = signups
    .groupby('cohort')
    .rollup({ cohort_size: op.count() })
    .derive({ week_number: fn((d) => Array.from({ length: (last - d.cohort) / 7 + 1 }, (_, k) => k)) })
    .unroll('week_number');
  const active = signups
    .join(weeks, 'user')
    .derive({ week_number: (d: any) => (d.week - d.cohort) / 7 })
    .filter((d: any) => d.week_number >= 0)
    .groupby('cohort', 'week_number')
    .rollup({ active_users: op.count() });
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
