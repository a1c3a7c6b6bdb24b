// mrr_monthly (SPEC 6): month-end snapshots of active subscriptions.
// A subscription is active at month-end day d when start_date ≤ d < end_date. Since d is
// the month's last day, that holds exactly for the months from start_date's month up to,
// but excluding, end_date's month (end 2026-02-01 is active at Jan 31; end 2026-01-31 is
// not). So each subscription is a +price step at its start month and a −price step at its
// end month, and the snapshot is the running sum of the steps over a dense month grid.
// The grid ends at the latest start or end month, but at most HORIZON_MONTHS past the latest
// start month: an end such as 9999-12-31 is a placeholder for "no end", and a step past the
// grid simply falls off. Months are numbered (year × 12 + month − 1) and compared as numbers:
// as text, "10000-01" sorts before "9999-12".
import * as aq from 'arquero';
import { op } from 'arquero';
import type { ColumnTable } from 'arquero';
import { fn } from './frames.js';
import { roundCents, zeroLike } from './money.js';
import type { GoldRow } from './schema.js';

/** SPEC 6: the grid never runs more than this many months past the latest start_date's month. */
const HORIZON_MONTHS = 12;

/** Month number of the `YYYY-MM` prefix of a date: year × 12 + month − 1. */
const monthNumber = (date: string): number => +date.slice(0, 4) * 12 + +date.slice(5, 7) - 1;

/** `YYYY-MM` of a month number. */
function monthText(n: number): string {
  const y = Math.floor(n / 12), m = n - y * 12 + 1;
  return `${String(y).padStart(4, '0')}-${m < 10 ? '0' : ''}${m}`;
}

/** The last month `YYYY-MM` can name: a start in 9999 must not push the grid into year 10000. */
const LAST_MONTH = monthNumber('9999-12');

/** Every `YYYY-MM` from month number `first` to `last`, inclusive. */
function monthRange(first: number, last: number): string[] {
  const out: string[] = [];
  for (let n = first; n <= last; n++) out.push(monthText(n));
  return out;
}

/** `month, active_subscriptions, mrr_usd`; subs has price_micros, start_date, end_date (bots dropped). */
export function mrrMonthly(subs: ColumnTable): GoldRow[] {
  if (subs.numRows() === 0) return [];
  const starts = subs.derive({ month: (d: any) => op.substring(d.start_date, 0, 7), n: () => 1, micros: (d: any) => d.price_micros });
  const ends = subs
    .filter((d: any) => d.end_date != null)
    .derive({ month: (d: any) => op.substring(d.end_date, 0, 7), n: () => -1, micros: (d: any) => -d.price_micros });
  const steps = starts.concat(ends)
    .groupby('month')
    .rollup({ n: op.sum('n'), micros: op.sum('micros') });
  let first = Infinity, lastStart = -Infinity, last = -Infinity;
  for (const start of subs.array('start_date') as string[]) {
    const n = monthNumber(start);
    first = Math.min(first, n);
    lastStart = Math.max(lastStart, n);
  }
  for (const end of subs.array('end_date') as (string | null)[]) if (end !== null) last = Math.max(last, monthNumber(end));
  last = Math.min(Math.max(last, lastStart), lastStart + HORIZON_MONTHS, LAST_MONTH);
  const zero = zeroLike(subs.get('price_micros', 0));
  return aq.table({ month: monthRange(first, last) })
    .join_left(steps, 'month')
    .params({ zero })
    .impute({ n: () => 0, micros: (_: any, $: any) => $.zero })
    .orderby('month')
    .derive({
      active_subscriptions: aq.rolling((d: any) => op.sum(d.n), [-Infinity, 0]),
      mrr_micros: aq.rolling((d: any) => op.sum(d.micros), [-Infinity, 0]),
    })
    .derive({ mrr_usd: fn((d) => roundCents(d.mrr_micros)) })
    .select('month', 'active_subscriptions', 'mrr_usd')
    .objects() as GoldRow[];
}
