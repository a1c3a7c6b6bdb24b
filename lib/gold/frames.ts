// Turns partial gold (partial.ts) into small Arquero tables: a row per day, cohort, cohort
// week and channel, not per user. These frames are the only bridge between the plain-map
// counters and the Arquero aggregation.
import * as aq from 'arquero';
import type { ColumnTable } from 'arquero';
import { exactColumns, type Micros } from './money.js';
import type { GoldPartial } from './partial.js';

/** A single-table Arquero expression. */
export type TableExpr = Parameters<ColumnTable['filter']>[0];

/** Wraps a plain JS row function for use in Arquero verbs (escaped, not parsed). */
export const fn = (f: (d: any) => unknown): TableExpr => aq.escape(f) as unknown as TableExpr;

/**
 * Money columns hold integer micro-dollars, all Numbers or all BigInts per frame (see
 * exactColumns), so Arquero's `op.sum` adds them exactly and expressions may mix columns of
 * one frame; zeros imputed into them must be of the same kind (zeroLike).
 */
export interface GoldFrames {
  /** One row per active local day: day, dau, purchases, refunds, purchase_micros, refund_micros. */
  days: ColumnTable;
  /** One row per cohort week: cohort (day number of its Monday), cohort_size. */
  cohorts: ColumnTable;
  /** One row per (cohort, week_number ≥ 0) with active users: cohort, week_number, active_users. */
  active: ColumnTable;
  /** One row per channel with a non-bot signup: channel, signups, customers, ltv_micros. */
  channels: ColumnTable;
  /** One row per subscription of a non-bot user: price_micros, start_date, end_date. */
  subs: ColumnTable;
  /** One row per spend channel: channel, spend_micros. */
  spend: ColumnTable;
}

/** The frames of merged partial gold; `bots`: every bot of the run, whose subscriptions are dropped. */
export function goldFrames(p: GoldPartial, bots: ReadonlySet<string>): GoldFrames {
  const days = [...p.days];
  const cohorts = [...p.cohorts];
  const active = [...p.active].flatMap(([cohort, weeks]) => [...weeks].map(([k, n]) => [cohort, k, n] as const));
  const channels = [...p.channels];
  const subs = [...p.subs.values()].filter((s) => !bots.has(s.userId));
  return {
    days: aq.table({
      day: days.map(([day]) => day), dau: days.map(([, d]) => d.dau),
      purchases: days.map(([, d]) => d.purchases), refunds: days.map(([, d]) => d.refunds),
      ...exactColumns({ purchase_micros: days.map(([, d]) => d.purchaseMicros), refund_micros: days.map(([, d]) => d.refundMicros) }),
    }),
    cohorts: aq.table({ cohort: cohorts.map(([c]) => c), cohort_size: cohorts.map(([, n]) => n) }),
    active: aq.table({ cohort: active.map((a) => a[0]), week_number: active.map((a) => a[1]), active_users: active.map((a) => a[2]) }),
    channels: aq.table({
      channel: channels.map(([c]) => c), signups: channels.map(([, t]) => t.signups), customers: channels.map(([, t]) => t.customers),
      ...exactColumns({ ltv_micros: channels.map(([, t]) => t.ltvMicros) }),
    }),
    subs: aq.table({ start_date: subs.map((s) => s.startDate), end_date: subs.map((s) => s.endDate),
      ...exactColumns({ price_micros: subs.map((s) => s.priceMicros) }) }),
    spend: aq.table({ channel: [...p.spend.keys()], ...exactColumns({ spend_micros: [...p.spend.values()] }) }),
  };
}
