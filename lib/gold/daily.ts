// Daily gold tables (SPEC 6): active users, gross revenue and net revenue per local day.
import { op } from 'arquero';
import type { ColumnTable } from 'arquero';
import { dayString } from '../calendar.js';
import { fn } from './frames.js';
import { roundCents } from './money.js';
import type { GoldRow } from './schema.js';

const rows = (t: ColumnTable): GoldRow[] => t.objects() as GoldRow[];

/** `date, dau`: distinct non-bot users with any event that day; active days only. */
export function dailyActiveUsers(activity: ColumnTable): GoldRow[] {
  // activity has one row per (user, day), so a count is a distinct count.
  return rows(activity
    .groupby('day')
    .rollup({ dau: op.count() })
    .orderby('day')
    .derive({ date: fn((d) => dayString(d.day)) })
    .select('date', 'dau'));
}

/** Per-day money totals of days with at least one purchase or refund. */
function moneyByDay(activity: ColumnTable): ColumnTable {
  return activity
    .filter((d: any) => d.purchases > 0 || d.refunds > 0)
    .groupby('day')
    .rollup({
      purchases: op.sum('purchases'),
      purchase_micros: op.sum('purchase_micros'),
      refund_micros: op.sum('refund_micros'),
    })
    .orderby('day')
    .derive({ date: fn((d) => dayString(d.day)), gross_revenue_usd: fn((d) => roundCents(d.purchase_micros)) });
}

/** `date, purchases, gross_revenue_usd`: days with at least one purchase. */
export function dailyRevenueGross(activity: ColumnTable): GoldRow[] {
  return rows(moneyByDay(activity)
    .filter((d: any) => d.purchases > 0)
    .select('date', 'purchases', 'gross_revenue_usd'));
}

/** `date, gross_revenue_usd, refunds_usd, net_revenue_usd`: refunds count on their own day. */
export function dailyRevenueNet(activity: ColumnTable): GoldRow[] {
  return rows(moneyByDay(activity)
    .derive({
      refunds_usd: fn((d) => roundCents(d.refund_micros)),
      // Net is rounded from exact micros, so it can differ by a cent from gross − refunds as printed.
      net_revenue_usd: fn((d) => roundCents(d.purchase_micros - d.refund_micros)),
    })
    .select('date', 'gross_revenue_usd', 'refunds_usd', 'net_revenue_usd'));
}
