// Turns accumulated gold state into Arquero tables, dropping bot users. These frames are
// the only bridge between the plain-map accumulators and the Arquero aggregation.
import * as aq from 'arquero';
import type { ColumnTable } from 'arquero';
import { mondayOf } from '../calendar.js';
import { exactColumns, type Micros } from './money.js';
import type { GoldState } from './state.js';

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
  /** One row per (non-bot user, active local day): user, day, purchases, refunds, purchase_micros, refund_micros. */
  activity: ColumnTable;
  /** One row per (non-bot user, active ISO week): user, week (day number of its Monday). */
  weeks: ColumnTable;
  /** One row per non-bot user with a signup: user, channel, cohort (day number of its Monday). */
  signups: ColumnTable;
  /** One row per subscription of a non-bot user: price_micros, start_date, end_date. */
  subs: ColumnTable;
  /** One row per spend channel: channel, spend_micros. */
  spend: ColumnTable;
}


export function goldFrames(state: GoldState, bots: ReadonlySet<string>): GoldFrames {
  const act = { user: [] as string[], day: [] as number[], purchases: [] as number[], refunds: [] as number[],
    purchase_micros: [] as Micros[], refund_micros: [] as Micros[] };
  const wk = { user: [] as string[], week: [] as number[] };
  const sig = { user: [] as string[], channel: [] as string[], cohort: [] as number[] };
  for (const [user, u] of state.users) {
    if (bots.has(user)) continue;
    for (const [day, d] of u.days) {
      act.user.push(user);
      act.day.push(day);
      act.purchases.push(d.purchases);
      act.refunds.push(d.refunds);
      act.purchase_micros.push(d.purchaseMicros);
      act.refund_micros.push(d.refundMicros);
    }
    // Distinct weeks per user: a handful of days each, cheaper here than an Arquero dedupe.
    const weeks = new Set<number>();
    for (const day of u.days.keys()) weeks.add(mondayOf(day));
    for (const week of weeks) { wk.user.push(user); wk.week.push(week); }
    if (u.signup !== null) {
      sig.user.push(user);
      sig.channel.push(u.signup.channel);
      sig.cohort.push(mondayOf(u.signup.day));
    }
  }
  const sub = { price_micros: [] as Micros[], start_date: [] as string[], end_date: [] as (string | null)[] };
  for (const s of state.subs.values()) {
    if (bots.has(s.userId)) continue;
    sub.price_micros.push(s.priceMicros);
    sub.start_date.push(s.startDate);
    sub.end_date.push(s.endDate);
  }
  return {
    activity: aq.table({ ...act, ...exactColumns({ purchase_micros: act.purchase_micros, refund_micros: act.refund_micros }) }),
    weeks: aq.table(wk),
    signups: aq.table(sig),
    subs: aq.table({ ...sub, ...exactColumns({ price_micros: sub.price_micros }) }),
    spend: aq.table({ channel: [...state.spend.keys()], ...exactColumns({ spend_micros: [...state.spend.values()] }) }),
  };
}
