// mrr_monthly (SPEC 6): month-end snapshots of active subscriptions.
// A subscription is active at month-end day d when start_date ≤ d < end_date. Since d is
// the month's last day, that holds exactly for the months from start_date's month up to,
// but excluding, end_date's month (end 2026-02-01 is active at Jan 31; end 2026-01-31 is
// not). So each subscription is a +price step at its start month and a −price step at its
// end month, and the snapshot is the running sum of the steps over a dense month grid.
import * as aq from 'arquero';
import { op } from 'arquero';
import type { ColumnTable } from 'arquero';
import { fn } from './frames.js';
import { roundCents, zeroLike } from './money.js';
import type { GoldRow } from './schema.js';

/** Every `YYYY-MM` from `first` to `last`, inclusive. */
export function monthRange(first: string, last: string): string[] {
  const out: string[] = [];
  let y = +first.slice(0, 4);
  let m = +first.slice(5, 7);
  for (;;) {
    const month = `${String(y).padStart(4, '0')}-${m < 10 ? '0' : ''}${m}`;
    if (month > last) return out;
    out.push(month);
    if (++m === 13) { m = 1; y += 1; }
  }
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
  const span = steps.rollup({ first: op.min('month'), last: op.max('month') }).object() as { first: string; last: string };
  const zero = zeroLike(subs.get('price_micros', 0));
  return aq.table({ month: monthRange(span.first, span.last) })
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
