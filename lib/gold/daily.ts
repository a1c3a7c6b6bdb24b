// Daily gold tables (SPEC 6): active users, gross revenue and net revenue per local day.
import type { ColumnTable } from 'arquero';
import { dayString } from '../core/calendar.js';
import { fn } from './frames.js';
import { roundCents } from './money.js';
import type { GoldRow } from './schema.js';

const rows = (t: ColumnTable): GoldRow[] => t.objects() as GoldRow[];

/** `date, dau`: distinct non-bot users with any event that day; active days only. `days`: goldFrames' days. */
export function dailyActiveUsers(days: ColumnTable): GoldRow[] {
  return rows(days
    .orderby('day')
    .derive({ date: fn((d) => dayString(d.day)) })
    .select('date', 'dau'));
}

/** Per-day money totals of days with at least one purchase or refund. */
function moneyByDay(days: ColumnTable): ColumnTable {
  return days
    .filter((d: any) => d.purchases > 0 || d.refunds > 0)
    .orderby('day')
    .derive({ date: fn((d) => dayString(d.day)), gross_revenue_usd: fn((d) => roundCents(d.purchase_micros)) });
}

/** `date, purchases, gross_revenue_usd`: days with at least one purchase. */
export function dailyRevenueGross(days: ColumnTable): GoldRow[] {
  return rows(moneyByDay(days)
    .filter((d: any) => d.purchases > 0)
    .select('date', 'purchases', 'gross_revenue_usd'));
}

/** `date, gross_revenue_usd, refunds_usd, net_revenue_usd`: refunds count on their own day. */
export function dailyRevenueNet(days: ColumnTable): GoldRow[] {
  return rows(moneyByDay(days)
    .derive({
      refunds_usd: fn((d) => roundCents(d.refund_micros)),
      // Net is rounded from exact micros, so it can differ by a cent from gross − refunds as printed.
      net_revenue_usd: fn((d) => roundCents(d.purchase_micros - d.refund_micros)),
    })
    .select('date', 'gross_revenue_usd', 'refunds_usd', 'net_revenue_usd'));
}
