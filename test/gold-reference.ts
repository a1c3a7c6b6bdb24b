// A reference computation of the eight gold tables (SPEC 6), written as plain loops over
// arrays of silver rows, independent of lib/gold (it uses luxon directly for days and
// weeks). Tests compare the engine against it; it is meant to be obviously correct, not fast.
import { DateTime } from 'luxon';
import type { SilverEvent, SilverMarketing, SilverSubscription } from '../lib/core/types.js';

type Row = Record<string, string | number | null>;
export type ReferenceTables = Record<
  'daily_active_users' | 'daily_revenue_gross' | 'daily_revenue_net' | 'mrr_monthly' |
  'weekly_cohort_retention' | 'cac_by_channel' | 'ltv_per_user' | 'ltv_cac_ratio', Row[]>;

/** Round num/den (bigints, den > 0) to an integer, half away from zero. */
function roundDiv(num: bigint, den: bigint): bigint {
  const neg = num < 0n;
  const a = neg ? -num : num;
  let q = a / den;
  const r = a - q * den;
  if (r * 2n >= den) q += 1n;
  return neg ? -q : q;
}
const B = (n: number): bigint => BigInt(n);
const cents = (micros: bigint, count: bigint = 1n): number => {
  const c = Number(roundDiv(micros, count * 10000n));
  return c === 0 ? 0 : c / 100;
};
const rate4 = (num: bigint, den: bigint): number => {
  const q = Number(roundDiv(num * 10000n, den));
  return q === 0 ? 0 : q / 10000;
};
const byKey = (...keys: string[]) => (a: Row, b: Row): number => {
  for (const k of keys) {
    const x = a[k] as string | number, y = b[k] as string | number;
    if (x < y) return -1;
    if (x > y) return 1;
  }
  return 0;
};
const channelName = (c: string | null): string => {
  const t = (c ?? '').trim().toLowerCase();
  return t === '' ? 'unknown' : t;
};

/** Last calendar day (`YYYY-MM-DD`) of a `YYYY-MM` month. */
function monthEnd(month: string): string {
  return DateTime.fromISO(month + '-01', { zone: 'UTC' }).endOf('month').toISODate()!;
}
function nextMonth(month: string): string {
  return DateTime.fromISO(month + '-01', { zone: 'UTC' }).plus({ months: 1 }).toFormat('yyyy-MM');
}

export function referenceGold(
  events: SilverEvent[], subs: SilverSubscription[], marketing: SilverMarketing[],
  zone: string, bots: ReadonlySet<string>,
): ReferenceTables {
  const evs = events.filter((e) => !bots.has(e.user_id));
  const dayOf = (ts: number): string => DateTime.fromMillis(ts, { zone }).toISODate()!;
  const weekOf = (ts: number): string => DateTime.fromMillis(ts, { zone }).startOf('week').toISODate()!;

  // Daily active users.
  const activeByDay = new Map<string, Set<string>>();
  for (const e of evs) {
    const d = dayOf(e.ts);
    if (!activeByDay.has(d)) activeByDay.set(d, new Set());
    activeByDay.get(d)!.add(e.user_id);
  }
  const dau: Row[] = [...activeByDay].map(([date, users]) => ({ date, dau: users.size })).sort(byKey('date'));

  // Daily revenue.
  const money = new Map<string, { n: number; refunds: number; p: bigint; r: bigint }>();
  for (const e of evs) {
    if (e.event_type !== 'purchase' && e.event_type !== 'refund') continue;
    const d = dayOf(e.ts);
    if (!money.has(d)) money.set(d, { n: 0, refunds: 0, p: 0n, r: 0n });
    const m = money.get(d)!;
    if (e.event_type === 'purchase') { m.n++; m.p += B(e.usd_micros ?? 0); }
    else { m.refunds++; m.r += B(Math.abs(e.usd_micros ?? 0)); }
  }
  const gross: Row[] = [];
  const net: Row[] = [];
  for (const [date, m] of money) {
    if (m.n > 0) gross.push({ date, purchases: m.n, gross_revenue_usd: cents(m.p) });
    net.push({ date, gross_revenue_usd: cents(m.p), refunds_usd: cents(m.r), net_revenue_usd: cents(m.p - m.r) });
  }
  gross.sort(byKey('date'));
  net.sort(byKey('date'));

  // MRR: month-end snapshots, literally as SPEC states the rule.
  const liveSubs = subs.filter((s) => !bots.has(s.user_id));
  const mrr: Row[] = [];
  if (liveSubs.length > 0) {
    let first = liveSubs[0]!.start_date.slice(0, 7);
    let last = first;
    for (const s of liveSubs) {
      for (const date of [s.start_date, s.end_date]) {
        if (date === null) continue;
        if (date.slice(0, 7) > last) last = date.slice(0, 7);
      }
      if (s.start_date.slice(0, 7) < first) first = s.start_date.slice(0, 7);
    }
    // Never more than 12 months past the latest start_date's month.
    let cap = liveSubs.map((s) => s.start_date.slice(0, 7)).sort().pop()!;
    for (let i = 0; i < 12; i++) cap = nextMonth(cap);
    if (last > cap) last = cap;
    for (let month = first; month <= last; month = nextMonth(month)) {
      const d = monthEnd(month);
      let n = 0, total = 0n;
      for (const s of liveSubs) {
        if (s.start_date <= d && (s.end_date === null || d < s.end_date)) { n++; total += B(s.price_micros); }
      }
      mrr.push({ month, active_subscriptions: n, mrr_usd: cents(total) });
    }
  }

  // Earliest signup of each user.
  const signup = new Map<string, SilverEvent>();
  for (const e of evs) {
    if (e.event_type !== 'signup') continue;
    const cur = signup.get(e.user_id);
    if (cur === undefined || e.ts < cur.ts || (e.ts === cur.ts && e.event_id < cur.event_id)) signup.set(e.user_id, e);
  }
  const channelOfUser = new Map<string, string>();
  for (const [u, e] of signup) channelOfUser.set(u, channelName(e.acquisition_channel));

  // Weekly cohort retention.
  const retention: Row[] = [];
  if (evs.length > 0 && signup.size > 0) {
    let lastWeek = weekOf(evs[0]!.ts);
    const weeksOfUser = new Map<string, Set<string>>();
    for (const e of evs) {
      const w = weekOf(e.ts);
      if (w > lastWeek) lastWeek = w;
      if (!weeksOfUser.has(e.user_id)) weeksOfUser.set(e.user_id, new Set());
      weeksOfUser.get(e.user_id)!.add(w);
    }
    const cohorts = new Map<string, string[]>();
    for (const [u, e] of signup) {
      const c = weekOf(e.ts);
      if (!cohorts.has(c)) cohorts.set(c, []);
      cohorts.get(c)!.push(u);
    }
    for (const [cohort, members] of cohorts) {
      const start = DateTime.fromISO(cohort, { zone: 'UTC' });
      for (let k = 0; ; k++) {
        const week = start.plus({ days: 7 * k }).toISODate()!;
        if (week > lastWeek) break;
        const active = members.filter((u) => weeksOfUser.get(u)!.has(week)).length;
        retention.push({
          cohort_week: cohort, week_number: k, cohort_size: members.length, active_users: active,
          retention_rate: rate4(B(active), B(members.length)),
        });
      }
    }
    retention.sort(byKey('cohort_week', 'week_number'));
  }

  // CAC by channel.
  const spend = new Map<string, bigint>();
  for (const m of marketing) {
    const c = channelName(m.channel);
    spend.set(c, (spend.get(c) ?? 0n) + B(m.spend_micros));
  }
  const signups = new Map<string, number>();
  for (const c of channelOfUser.values()) signups.set(c, (signups.get(c) ?? 0) + 1);
  const channels = [...new Set([...spend.keys(), ...signups.keys()])].sort();
  const cacOf = (s: bigint, n: number): number | null => (n === 0 ? null : cents(s, B(n)));
  const cac: Row[] = channels.map((channel) => {
    const s = spend.get(channel) ?? 0n, n = signups.get(channel) ?? 0;
    return { channel, spend_usd: cents(s), signups: n, cac_usd: cacOf(s, n) };
  });

  // LTV per user.
  const purchased = new Map<string, bigint>();
  const refunded = new Map<string, bigint>();
  for (const e of evs) {
    purchased.set(e.user_id, (purchased.get(e.user_id) ?? 0n) + (e.event_type === 'purchase' ? B(e.usd_micros ?? 0) : 0n));
    refunded.set(e.user_id, (refunded.get(e.user_id) ?? 0n) + (e.event_type === 'refund' ? B(Math.abs(e.usd_micros ?? 0)) : 0n));
  }
  const ltvMicros = (u: string): bigint => purchased.get(u)! - refunded.get(u)!;
  const ltv: Row[] = [...purchased.keys()].sort().map((u) => ({
    user_id: u,
    acquisition_channel: channelOfUser.get(u) ?? null,
    purchases_usd: cents(purchased.get(u)!),
    refunds_usd: cents(refunded.get(u)!),
    ltv_usd: cents(ltvMicros(u)),
  }));

  // LTV / CAC. Ratio from unrounded values; null when the printed CAC is null or 0.
  const ratioRow = (channel: string, users: string[], s: bigint, n: number): Row => {
    let sum = 0n;
    for (const u of users) sum += ltvMicros(u);
    const c = cacOf(s, n);
    return {
      channel, customers: users.length, avg_ltv_usd: cents(sum, B(users.length)), cac_usd: c,
      // (sum / customers) / (s / n)
      ltv_cac_ratio: c === null || c === 0 ? null : rate4(sum * B(n), B(users.length) * s),
    };
  };
  const ratio: Row[] = [];
  for (const channel of [...signups.keys()].sort()) {
    const users = [...channelOfUser].filter(([, c]) => c === channel).map(([u]) => u);
    ratio.push(ratioRow(channel, users, spend.get(channel) ?? 0n, signups.get(channel)!));
  }
  if (channelOfUser.size > 0) {
    let totalSpend = 0n;
    for (const s of spend.values()) totalSpend += s;
    ratio.push(ratioRow('all', [...channelOfUser.keys()], totalSpend, channelOfUser.size));
  }

  return {
    daily_active_users: dau, daily_revenue_gross: gross, daily_revenue_net: net, mrr_monthly: mrr,
    weekly_cohort_retention: retention, cac_by_channel: cac, ltv_per_user: ltv, ltv_cac_ratio: ratio,
  };
}
