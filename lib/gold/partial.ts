// Partial gold: what the eight tables need of a set of users once their bots are known,
// reduced to counters that merge by addition. Users never span the sets reduced apart (a
// user bucket holds all of its users' events and finds their bots itself), so merging the
// partials of any split of the users equals reducing them all at once. Only ltv_per_user
// keeps a row per user: a run sorted by user_id, which partials merge like sorted files.
// Subscriptions and spend are kept as accumulated (they are small); their bot users are
// dropped by the finish, with the bot set of the whole run.
import { mondayOf } from '../core/calendar.js';
import { addMicros, subMicros, type Micros } from './money.js';
import { mergeSubs, type GoldState, type SubAcc } from './state.js';

/** One local day over non-bot users. */
export interface DayTotals {
  /** Users active that day. */
  dau: number;
  purchases: number;
  purchaseMicros: Micros;
  refunds: number;
  refundMicros: Micros;
}

/** One acquisition channel over the non-bot users whose earliest signup names it. */
export interface ChannelTotals {
  signups: number;
  /** Those of them with any event (every signup is one, so today as many as signups). */
  customers: number;
  /** Their purchases minus refunds, summed. */
  ltvMicros: Micros;
}

/** One non-bot user's row of ltv_per_user, before rounding. */
export interface LtvRow {
  user: string;
  /** Channel of the earliest signup; null without one. */
  channel: string | null;
  purchaseMicros: Micros;
  refundMicros: Micros;
}

export interface GoldPartial {
  /** Local day number → totals; a key means some non-bot user was active that day. */
  days: Map<number, DayTotals>;
  /** Cohort week (day number of its Monday) → non-bot users whose earliest signup falls in it. */
  cohorts: Map<number, number>;
  /** Cohort week → week number k ≥ 0 → users of the cohort active in week cohort + 7k days. */
  active: Map<number, Map<number, number>>;
  /** Channel → totals; a key means some non-bot user signed up there. */
  channels: Map<string, ChannelTotals>;
  /** Monday day number of the last week with any non-bot event; -Infinity when none. */
  lastWeek: number;
  /** ltv_per_user's rows, sorted by user_id in JS string order (UTF-16 code units, as Arquero sorts). */
  ltv: LtvRow[];
  /** subscription_id → latest version, bot users included. */
  subs: Map<string, SubAcc>;
  /** Channel → total spend. */
  spend: Map<string, Micros>;
}

export function emptyPartial(): GoldPartial {
  return { days: new Map(), cohorts: new Map(), active: new Map(), channels: new Map(), lastWeek: -Infinity, ltv: [],
    subs: new Map(), spend: new Map() };
}

/** JS string order: by UTF-16 code units, as `<` and Arquero's orderby compare. */
export const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function add<K>(m: Map<K, number>, k: K, n: number): void {
  m.set(k, (m.get(k) ?? 0) + n);
}

function addDay(p: GoldPartial, day: number, t: DayTotals): void {
  const d = p.days.get(day);
  if (d === undefined) { p.days.set(day, { ...t }); return; }
  d.dau += t.dau;
  d.purchases += t.purchases;
  d.purchaseMicros = addMicros(d.purchaseMicros, t.purchaseMicros);
  d.refunds += t.refunds;
  d.refundMicros = addMicros(d.refundMicros, t.refundMicros);
}

function addChannel(p: GoldPartial, channel: string, t: ChannelTotals): void {
  const c = p.channels.get(channel);
  if (c === undefined) { p.channels.set(channel, { ...t }); return; }
  c.signups += t.signups;
  c.customers += t.customers;
  c.ltvMicros = addMicros(c.ltvMicros, t.ltvMicros);
}

/**
 * The partial of `state`'s non-bot users (`bots`: the bots among them, or any superset of
 * ids). `state` is only read; the partial shares its subscription and spend values.
 */
export function reduceGold(state: GoldState, bots: ReadonlySet<string>): GoldPartial {
  const p = emptyPartial();
  p.subs = new Map(state.subs);
  p.spend = new Map(state.spend);
  const users: string[] = [];
  for (const id of state.users.keys()) if (!bots.has(id)) users.push(id);
  users.sort(byCodeUnits);
  const weeks = new Set<number>();
  for (const user of users) {
    const u = state.users.get(user)!;
    let purchaseMicros: Micros = 0, refundMicros: Micros = 0;
    weeks.clear();
    for (const [day, d] of u.days) {
      addDay(p, day, { dau: 1, purchases: d.purchases, purchaseMicros: d.purchaseMicros, refunds: d.refunds,
        refundMicros: d.refundMicros });
      purchaseMicros = addMicros(purchaseMicros, d.purchaseMicros);
      refundMicros = addMicros(refundMicros, d.refundMicros);
      weeks.add(mondayOf(day));
    }
    for (const week of weeks) if (week > p.lastWeek) p.lastWeek = week;
    const signup = u.signup;
    if (signup !== null) {
      const cohort = mondayOf(signup.day);
      add(p.cohorts, cohort, 1);
      let active = p.active.get(cohort);
      if (active === undefined) p.active.set(cohort, (active = new Map()));
      for (const week of weeks) if (week >= cohort) add(active, (week - cohort) / 7, 1);
      addChannel(p, signup.channel, { signups: 1, customers: 1, ltvMicros: subMicros(purchaseMicros, refundMicros) });
    }
    p.ltv.push({ user, channel: signup?.channel ?? null, purchaseMicros, refundMicros });
  }
  return p;
}

/** The rows of two runs sorted by user, interleaved; a user is in one of them only. */
function mergeSorted(a: LtvRow[], b: LtvRow[]): LtvRow[] {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  const out: LtvRow[] = new Array(a.length + b.length);
  let i = 0, j = 0, k = 0;
  while (i < a.length && j < b.length) out[k++] = a[i]!.user < b[j]!.user ? a[i++]! : b[j++]!;
  while (i < a.length) out[k++] = a[i++]!;
  while (j < b.length) out[k++] = b[j++]!;
  return out;
}

/**
 * Merges `b` into `a` and returns `a`; `b` must not be used afterwards. The two must hold
 * different users (their subscriptions and spend may overlap: those merge as in mergeGold).
 */
export function mergePartials(a: GoldPartial, b: GoldPartial): GoldPartial {
  for (const [day, t] of b.days) addDay(a, day, t);
  for (const [cohort, n] of b.cohorts) add(a.cohorts, cohort, n);
  for (const [cohort, weeks] of b.active) {
    const into = a.active.get(cohort);
    if (into === undefined) { a.active.set(cohort, weeks); continue; }
    for (const [k, n] of weeks) add(into, k, n);
  }
  for (const [channel, t] of b.channels) addChannel(a, channel, t);
  a.lastWeek = Math.max(a.lastWeek, b.lastWeek);
  a.ltv = mergeSorted(a.ltv, b.ltv);
  mergeSubs(a.subs, b.subs);
  for (const [c, micros] of b.spend) a.spend.set(c, addMicros(a.spend.get(c) ?? 0, micros));
  return a;
}
