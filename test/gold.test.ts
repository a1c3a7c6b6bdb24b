// Gold tables (SPEC 6): hand-picked cases with literal numbers, the engine against the
// reference computation, the merge property and the text formats.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { makeCalendar } from '../lib/core/calendar.js';
import type { SilverEvent, SilverMarketing, SilverSubscription } from '../lib/core/types.js';
import {
  GOLD_TABLES, addEvent, addMarketing, addSubscription, finishGold, goldCsv, goldNdjson, initGold, mergeGold, reduceGold,
} from '../lib/gold/index.js';
import type { GoldState, GoldTables } from '../lib/gold/index.js';
import { ev, prng, spend, sub, synthetic } from './gold-fixtures.js';
import { referenceGold } from './gold-reference.js';

function accumulate(events: SilverEvent[], subs: SilverSubscription[] = [], marketing: SilverMarketing[] = [],
  zone = 'UTC'): GoldState {
  const cal = makeCalendar(zone);
  const s = initGold();
  for (const e of events) addEvent(s, e, cal);
  for (const x of subs) addSubscription(s, x);
  for (const m of marketing) addMarketing(s, m);
  return s;
}

function gold(events: SilverEvent[], subs: SilverSubscription[] = [], marketing: SilverMarketing[] = [],
  opts: { zone?: string; bots?: string[] } = {}): GoldTables {
  const zone = opts.zone ?? 'UTC';
  const bots = new Set(opts.bots ?? []);
  const out = finishGold(accumulate(events, subs, marketing, zone), bots);
  // Every hand-picked case also holds for the reference.
  assert.equal(referenceGold(events, subs, marketing, zone, bots), out, 'reference agrees');
  return out;
}

test('GOLD_TABLES lists the eight tables in SPEC order', () => {
  assert.equal(GOLD_TABLES.map((t) => t.name), [
    'daily_active_users', 'daily_revenue_gross', 'daily_revenue_net', 'mrr_monthly',
    'weekly_cohort_retention', 'cac_by_channel', 'ltv_per_user', 'ltv_cac_ratio',
  ]);
});

test('empty input: every table is empty', () => {
  const out = gold([]);
  for (const t of GOLD_TABLES) assert.equal(out[t.name], [], t.name);
  for (const t of GOLD_TABLES) assert.is(goldNdjson(t.name, []), '');
  assert.is(goldCsv('daily_active_users', []), 'date,dau\n');
});

test('refunds: negative source amount, and a refund on a day without purchases', () => {
  const out = gold([
    ev('1', 'u1', 'purchase', '2026-01-05T10:00:00Z', { usd: 10 }),
    ev('2', 'u1', 'purchase', '2026-01-05T11:00:00Z', { micros: 10_785_000 }),
    ev('3', 'u1', 'refund', '2026-01-07T09:00:00Z', { micros: -4_500_000 }), // signed refund: counts as 4.50
    ev('4', 'u2', 'refund', '2026-01-07T10:00:00Z', { usd: 1.25 }),
    ev('5', 'u2', 'login', '2026-01-08T10:00:00Z'),
  ]);
  assert.equal(out.daily_revenue_gross, [{ date: '2026-01-05', purchases: 2, gross_revenue_usd: 20.79 }]);
  assert.equal(out.daily_revenue_net, [
    { date: '2026-01-05', gross_revenue_usd: 20.79, refunds_usd: 0, net_revenue_usd: 20.79 },
    { date: '2026-01-07', gross_revenue_usd: 0, refunds_usd: 5.75, net_revenue_usd: -5.75 },
  ]);
  assert.equal(out.ltv_per_user, [
    { user_id: 'u1', acquisition_channel: null, purchases_usd: 20.79, refunds_usd: 4.5, ltv_usd: 16.29 },
    { user_id: 'u2', acquisition_channel: null, purchases_usd: 0, refunds_usd: 1.25, ltv_usd: -1.25 },
  ]);
  assert.equal(out.daily_active_users, [
    { date: '2026-01-05', dau: 1 }, { date: '2026-01-07', dau: 2 }, { date: '2026-01-08', dau: 1 },
  ]);
});

test('cents: half away from zero, from exact micro sums', () => {
  const out = gold([
    ev('1', 'u1', 'purchase', '2026-01-05T10:00:00Z', { micros: 5_000 }),  // 0.005 → 0.01
    ev('2', 'u2', 'purchase', '2026-01-05T10:00:00Z', { micros: 4_999 }),  // 0.004999 → 0.00
    ev('3', 'u2', 'refund', '2026-01-06T10:00:00Z', { micros: 10_009_999 }), // ltv −10.005 → −10.01
  ]);
  assert.equal(out.daily_revenue_gross, [{ date: '2026-01-05', purchases: 2, gross_revenue_usd: 0.01 }]);
  assert.equal(out.ltv_per_user.map((r) => r.ltv_usd), [0.01, -10.01]);
});

test('a bot is excluded everywhere, even when its events came first', () => {
  const events = [
    ev('b1', 'bot', 'signup', '2026-01-05T10:00:00Z', { channel: 'Google' }),
    ev('b2', 'bot', 'purchase', '2026-01-05T10:00:00.100Z', { usd: 99 }),
    ev('b3', 'bot', 'refund', '2026-01-06T10:00:00Z', { usd: 5 }),
    ev('b4', 'bot', 'login', '2026-02-20T10:00:00Z'), // the bot's later week must not extend retention
    ev('h1', 'human', 'signup', '2026-01-05T12:00:00Z', { channel: 'google' }),
    ev('h2', 'human', 'purchase', '2026-01-05T13:00:00Z', { usd: 20 }),
  ];
  const subs = [sub('sb', 'bot', 50, '2026-01-01', null), sub('sh', 'human', 10, '2026-01-10', null)];
  const out = gold(events, subs, [spend('2026-01-01', 'google', 30)], { bots: ['bot'] });
  assert.equal(out.daily_active_users, [{ date: '2026-01-05', dau: 1 }]);
  assert.equal(out.daily_revenue_gross, [{ date: '2026-01-05', purchases: 1, gross_revenue_usd: 20 }]);
  assert.equal(out.daily_revenue_net, [{ date: '2026-01-05', gross_revenue_usd: 20, refunds_usd: 0, net_revenue_usd: 20 }]);
  assert.equal(out.mrr_monthly, [{ month: '2026-01', active_subscriptions: 1, mrr_usd: 10 }]);
  assert.equal(out.weekly_cohort_retention, [
    { cohort_week: '2026-01-05', week_number: 0, cohort_size: 1, active_users: 1, retention_rate: 1 },
  ]);
  assert.equal(out.cac_by_channel, [{ channel: 'google', spend_usd: 30, signups: 1, cac_usd: 30 }]);
  assert.equal(out.ltv_per_user, [
    { user_id: 'human', acquisition_channel: 'google', purchases_usd: 20, refunds_usd: 0, ltv_usd: 20 },
  ]);
  assert.equal(out.ltv_cac_ratio, [
    { channel: 'google', customers: 1, avg_ltv_usd: 20, cac_usd: 30, ltv_cac_ratio: 0.6667 },
    { channel: 'all', customers: 1, avg_ltv_usd: 20, cac_usd: 30, ltv_cac_ratio: 0.6667 },
  ]);
  // Only a bot: spend survives, nothing else does.
  const only = gold(events.slice(0, 4), subs.slice(0, 1), [spend('2026-01-01', 'google', 30)], { bots: ['bot'] });
  assert.equal(only.cac_by_channel, [{ channel: 'google', spend_usd: 30, signups: 0, cac_usd: null }]);
  for (const t of GOLD_TABLES) if (t.name !== 'cac_by_channel') assert.equal(only[t.name], [], t.name);
});

test('mrr: end_date is exclusive at the month end, zero months kept', () => {
  const out = gold([], [
    sub('a', 'u1', 9.99, '2026-01-10', '2026-02-01'),  // active on Jan 31
    sub('b', 'u2', 4.99, '2026-01-05', '2026-01-31'),  // not active on Jan 31
    sub('c', 'u3', 12.5, '2026-04-15', null),
    sub('d', 'u4', 7, '2026-01-31', '2026-01-31'),     // zero-length: never active
    sub('e', 'u5', 3.333333, '2026-04-30', '2026-06-15'), // the end month extends the range
  ]);
  assert.equal(out.mrr_monthly, [
    { month: '2026-01', active_subscriptions: 1, mrr_usd: 9.99 },
    { month: '2026-02', active_subscriptions: 0, mrr_usd: 0 },
    { month: '2026-03', active_subscriptions: 0, mrr_usd: 0 },
    { month: '2026-04', active_subscriptions: 2, mrr_usd: 15.83 },
    { month: '2026-05', active_subscriptions: 2, mrr_usd: 15.83 },
    { month: '2026-06', active_subscriptions: 1, mrr_usd: 12.5 },
  ]);
  // Subscriptions alone make no event tables.
  assert.equal(out.ltv_per_user, []);
});

/** Literal mrr rows: `[month, active, usd]` triples. */
const mrrRows = (rows: [string, number, number][]) =>
  rows.map(([month, active_subscriptions, mrr_usd]) => ({ month, active_subscriptions, mrr_usd }));

test('mrr: an end_date of 9999-12-31 is open-ended: months stop 12 past the latest start', () => {
  const out = gold([], [
    sub('a', 'u1', 10, '2026-01-15', '9999-12-31'),
    sub('b', 'u2', 5, '2026-03-01', null),
  ]);
  assert.equal(out.mrr_monthly, mrrRows([
    ['2026-01', 1, 10], ['2026-02', 1, 10], ['2026-03', 2, 15], ['2026-04', 2, 15], ['2026-05', 2, 15],
    ['2026-06', 2, 15], ['2026-07', 2, 15], ['2026-08', 2, 15], ['2026-09', 2, 15], ['2026-10', 2, 15],
    ['2026-11', 2, 15], ['2026-12', 2, 15], ['2027-01', 2, 15], ['2027-02', 2, 15], ['2027-03', 2, 15],
  ]));
});

test('mrr: a canceled subscription ending far in the future runs to the 12-month cap, no further', () => {
  const out = gold([], [sub('c', 'u1', 20, '2026-01-10', '2030-06-01')]);
  assert.equal(out.mrr_monthly, mrrRows([
    ['2026-01', 1, 20], ['2026-02', 1, 20], ['2026-03', 1, 20], ['2026-04', 1, 20], ['2026-05', 1, 20],
    ['2026-06', 1, 20], ['2026-07', 1, 20], ['2026-08', 1, 20], ['2026-09', 1, 20], ['2026-10', 1, 20],
    ['2026-11', 1, 20], ['2026-12', 1, 20], ['2027-01', 1, 20],
  ]));
});

test('mrr: the cap is the 12th month after the latest start month; an end inside it still shows', () => {
  const ends = (end: string) => gold([], [sub('x', 'u1', 1, '2025-06-30', end), sub('y', 'u2', 2, '2026-01-31', null)])
    .mrr_monthly.slice(-2);
  // Latest start 2026-01-31: the last month is at most 2027-01.
  assert.equal(ends('2027-01-01'), mrrRows([['2026-12', 2, 3], ['2027-01', 1, 2]]), 'the end month is the cap: shown');
  assert.equal(ends('2027-02-01'), mrrRows([['2026-12', 2, 3], ['2027-01', 2, 3]]), 'the end month is past the cap: cut');
  assert.equal(ends('2026-12-31'), mrrRows([['2026-11', 2, 3], ['2026-12', 1, 2]]), 'inside the cap: the range ends at the end month');
});

test('earliest signup decides cohort and channel; a tie on ts goes to the smaller event_id', () => {
  const out = gold([
    ev('e5', 'u1', 'signup', '2026-01-14T10:00:00Z', { channel: 'Facebook' }),
    ev('e6', 'u1', 'signup', '2026-01-06T10:00:00Z', { channel: 'TikTok' }),
    ev('e9', 'u2', 'signup', '2026-01-07T10:00:00Z', { channel: 'Facebook' }),
    ev('e10', 'u2', 'signup', '2026-01-07T10:00:00Z', { channel: 'Google' }), // 'e10' < 'e9' as strings
    ev('e11', 'u3', 'signup', '2026-01-13T10:00:00Z', { channel: null }),
  ]);
  assert.equal(out.ltv_per_user.map((r) => [r.user_id, r.acquisition_channel]),
    [['u1', 'tiktok'], ['u2', 'google'], ['u3', 'unknown']]);
  assert.equal(out.weekly_cohort_retention, [
    { cohort_week: '2026-01-05', week_number: 0, cohort_size: 2, active_users: 2, retention_rate: 1 },
    { cohort_week: '2026-01-05', week_number: 1, cohort_size: 2, active_users: 1, retention_rate: 0.5 },
    { cohort_week: '2026-01-12', week_number: 0, cohort_size: 1, active_users: 1, retention_rate: 1 },
  ]);
  assert.equal(out.cac_by_channel, [
    { channel: 'google', spend_usd: 0, signups: 1, cac_usd: 0 },
    { channel: 'tiktok', spend_usd: 0, signups: 1, cac_usd: 0 },
    { channel: 'unknown', spend_usd: 0, signups: 1, cac_usd: 0 },
  ]);
});

test('channels differing in case and spaces are one; organic without spend has CAC 0 and no ratio', () => {
  const out = gold([
    ev('1', 'u1', 'signup', '2026-01-05T10:00:00Z', { channel: ' Google' }),
    ev('2', 'u2', 'signup', '2026-01-05T10:00:00Z', { channel: 'GOOGLE ' }),
    ev('3', 'u3', 'signup', '2026-01-05T10:00:00Z', { channel: 'google' }),
    ev('4', 'u4', 'signup', '2026-01-05T10:00:00Z', { channel: 'Organic' }),
    ev('5', 'u5', 'signup', '2026-01-05T10:00:00Z', { channel: 'organic' }),
    ev('6', 'u1', 'purchase', '2026-01-06T10:00:00Z', { usd: 30 }),
    ev('7', 'u4', 'purchase', '2026-01-06T10:00:00Z', { usd: 10 }),
    ev('8', 'u9', 'login', '2026-01-06T10:00:00Z'),                      // no signup: no customer
    ev('9', 'u9', 'purchase', '2026-01-06T11:00:00Z', { usd: 1000 }),
  ], [], [spend('2026-01-01', 'google', 40), spend('2026-01-02', 'google', 5), spend('2026-01-02', 'tiktok', 7.5)]);
  assert.equal(out.cac_by_channel, [
    { channel: 'google', spend_usd: 45, signups: 3, cac_usd: 15 },
    { channel: 'organic', spend_usd: 0, signups: 2, cac_usd: 0 },
    { channel: 'tiktok', spend_usd: 7.5, signups: 0, cac_usd: null },
  ]);
  assert.equal(out.ltv_cac_ratio, [
    { channel: 'google', customers: 3, avg_ltv_usd: 10, cac_usd: 15, ltv_cac_ratio: 0.6667 },
    { channel: 'organic', customers: 2, avg_ltv_usd: 5, cac_usd: 0, ltv_cac_ratio: null },
    // blended: spend 52.50 over 5 signups = 10.50; avg ltv 40/5 = 8
    { channel: 'all', customers: 5, avg_ltv_usd: 8, cac_usd: 10.5, ltv_cac_ratio: 0.7619 },
  ]);
});

test('ratio uses unrounded averages and CAC', () => {
  // avg ltv 10/3 = 3.3333…, cac 10/3 → both print 3.33, ratio exactly 1; spend 0.004 prints CAC 0.00 → null.
  const out = gold([
    ev('1', 'a', 'signup', '2026-01-05T10:00:00Z', { channel: 'x' }),
    ev('2', 'b', 'signup', '2026-01-05T10:00:00Z', { channel: 'x' }),
    ev('3', 'c', 'signup', '2026-01-05T10:00:00Z', { channel: 'x' }),
    ev('4', 'a', 'purchase', '2026-01-05T11:00:00Z', { usd: 10 }),
    ev('5', 'd', 'signup', '2026-01-05T10:00:00Z', { channel: 'y' }),
    ev('6', 'd', 'purchase', '2026-01-05T11:00:00Z', { usd: 2 }),
  ], [], [spend('2026-01-01', 'x', 10), spend('2026-01-01', 'y', 0.004)]);
  assert.equal(out.ltv_cac_ratio, [
    { channel: 'x', customers: 3, avg_ltv_usd: 3.33, cac_usd: 3.33, ltv_cac_ratio: 1 },
    { channel: 'y', customers: 1, avg_ltv_usd: 2, cac_usd: 0, ltv_cac_ratio: null },
    { channel: 'all', customers: 4, avg_ltv_usd: 3, cac_usd: 2.5, ltv_cac_ratio: 1.1995 },
  ]);
});

test('reporting zone: 23:30Z lands on the next local day (and Monday) in Helsinki', () => {
  const events = [
    ev('1', 'u1', 'signup', '2026-01-10T23:30:00Z', { channel: 'google' }), // Sat UTC, Sun 01:30 Helsinki
    ev('2', 'u1', 'purchase', '2026-01-11T23:30:00Z', { usd: 5 }),          // Sun UTC, Mon 01:30 Helsinki
  ];
  const utc = gold(events);
  assert.equal(utc.daily_active_users, [{ date: '2026-01-10', dau: 1 }, { date: '2026-01-11', dau: 1 }]);
  assert.equal(utc.daily_revenue_gross, [{ date: '2026-01-11', purchases: 1, gross_revenue_usd: 5 }]);
  assert.equal(utc.weekly_cohort_retention, [
    { cohort_week: '2026-01-05', week_number: 0, cohort_size: 1, active_users: 1, retention_rate: 1 },
  ]);
  const hel = gold(events, [], [], { zone: 'Europe/Helsinki' });
  assert.equal(hel.daily_active_users, [{ date: '2026-01-11', dau: 1 }, { date: '2026-01-12', dau: 1 }]);
  assert.equal(hel.daily_revenue_gross, [{ date: '2026-01-12', purchases: 1, gross_revenue_usd: 5 }]);
  assert.equal(hel.weekly_cohort_retention, [
    { cohort_week: '2026-01-05', week_number: 0, cohort_size: 1, active_users: 1, retention_rate: 1 },
    { cohort_week: '2026-01-05', week_number: 1, cohort_size: 1, active_users: 1, retention_rate: 1 },
  ]);
});

test('retention: weeks without activity are zero rows up to the last active week', () => {
  const out = gold([
    ev('1', 'u1', 'signup', '2026-01-05T10:00:00Z', { channel: 'google' }),
    ev('2', 'u2', 'signup', '2026-01-06T10:00:00Z', { channel: 'google' }),
    ev('3', 'u3', 'signup', '2026-01-07T10:00:00Z', { channel: 'google' }),
    ev('4', 'u1', 'login', '2026-01-19T10:00:00Z'),
    ev('5', 'u9', 'login', '2026-02-02T10:00:00Z'), // a user without signup sets the last week
  ]);
  assert.equal(out.weekly_cohort_retention, [
    { cohort_week: '2026-01-05', week_number: 0, cohort_size: 3, active_users: 3, retention_rate: 1 },
    { cohort_week: '2026-01-05', week_number: 1, cohort_size: 3, active_users: 0, retention_rate: 0 },
    { cohort_week: '2026-01-05', week_number: 2, cohort_size: 3, active_users: 1, retention_rate: 0.3333 },
    { cohort_week: '2026-01-05', week_number: 3, cohort_size: 3, active_users: 0, retention_rate: 0 },
    { cohort_week: '2026-01-05', week_number: 4, cohort_size: 3, active_users: 0, retention_rate: 0 },
  ]);
});

const ZONES = ['UTC', 'Europe/Helsinki', 'America/New_York', 'Asia/Kolkata', 'Pacific/Chatham'];

test('engine equals the reference on synthetic silver rows in several zones', () => {
  ZONES.forEach((zone, i) => {
    const s = synthetic(1000 + i);
    const out = finishGold(accumulate(s.events, s.subs, s.marketing, zone), s.bots);
    assert.equal(out, referenceGold(s.events, s.subs, s.marketing, zone, s.bots), zone);
    assert.ok(out.ltv_cac_ratio.length > 3 && out.mrr_monthly.length > 3 && out.weekly_cohort_retention.length > 20, zone);
    assert.ok(out.ltv_per_user.every((r) => !s.bots.has(r.user_id as string)), zone);
    assert.ok(out.ltv_cac_ratio.some((r) => r.ltv_cac_ratio === null), zone);
  });
});

/** Splits `xs` into `parts` consecutive chunks at random points (chunks may be empty). */
function split<T>(xs: T[], parts: number, r: () => number): T[][] {
  const cuts = Array.from({ length: parts - 1 }, () => Math.floor(r() * (xs.length + 1))).sort((a, b) => a - b);
  const out: T[][] = [];
  let prev = 0;
  for (const c of [...cuts, xs.length]) { out.push(xs.slice(prev, c)); prev = c; }
  return out;
}

function shuffle<T>(xs: T[], r: () => number): T[] {
  const a = [...xs];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

test('merge: any split into 2–3 parts, accumulated apart and merged, gives the same gold', () => {
  const r = prng(7);
  for (let round = 0; round < 8; round++) {
    const zone = ZONES[round % ZONES.length]!;
    const s = synthetic(50 + round, 120, 1200);
    const whole = finishGold(accumulate(s.events, s.subs, s.marketing, zone), s.bots);
    const parts = 2 + (round % 2);
    // Shuffle first on odd rounds so parts interleave users and days.
    const events = round % 2 === 1 ? shuffle(s.events, r) : s.events;
    const ep = split(events, parts, r), sp = split(s.subs, parts, r), mp = split(s.marketing, parts, r);
    const states = ep.map((_, i) => accumulate(ep[i]!, sp[i]!, mp[i]!, zone));
    const merged = (round % 3 === 0 ? states.reverse() : states).reduce((a, b) => mergeGold(a, b));
    assert.equal(finishGold(merged, s.bots), whole, `round ${round}`);
  }
  // Merging with an empty state changes nothing.
  const s = synthetic(3, 60, 500);
  const whole = finishGold(accumulate(s.events, s.subs, s.marketing), s.bots);
  assert.equal(finishGold(mergeGold(initGold(), accumulate(s.events, s.subs, s.marketing)), s.bots), whole);
  assert.equal(finishGold(mergeGold(accumulate(s.events, s.subs, s.marketing), initGold()), s.bots), whole);
});

test('reduceGold: a partial holds counters per day, cohort week and channel, and sorted ltv rows', () => {
  const day = (date: string): number => Date.parse(`${date}T00:00:00Z`) / 86_400_000;
  const state = accumulate([
    ev('1', 'u1', 'signup', '2026-01-05T08:00:00Z', { channel: ' Google ' }), // Monday: cohort week 2026-01-05
    ev('2', 'u1', 'purchase', '2026-01-05T09:00:00Z', { usd: 10 }),
    ev('3', 'u1', 'login', '2026-01-14T09:00:00Z'), // week 1
    ev('4', 'u1', 'purchase', '2026-01-20T09:00:00Z', { usd: 2.5 }), // week 2
    ev('5', 'u2', 'signup', '2026-01-07T09:00:00Z', { channel: 'TikTok' }),
    ev('6', 'u2', 'refund', '2026-01-07T10:00:00Z', { usd: 1 }),
    ev('7', 'U3', 'login', '2026-01-04T09:00:00Z'), // a Sunday, no signup; 'U3' sorts before 'u1'
    ev('8', 'bot', 'signup', '2026-01-26T09:00:00Z', { channel: 'google' }),
    ev('9', 'bot', 'purchase', '2026-01-26T09:00:01Z', { usd: 99 }),
  ], [sub('s1', 'bot', 5, '2026-01-26', null)], [spend('2026-01-05', 'google', 40)]);
  const p = reduceGold(state, new Set(['bot']));
  const money = (purchases: number, purchaseMicros: number, refunds: number, refundMicros: number) =>
    ({ dau: 1, purchases, purchaseMicros, refunds, refundMicros });
  assert.equal(p.days, new Map([
    [day('2026-01-05'), money(1, 10_000_000, 0, 0)], [day('2026-01-14'), money(0, 0, 0, 0)],
    [day('2026-01-20'), money(1, 2_500_000, 0, 0)], [day('2026-01-07'), money(0, 0, 1, 1_000_000)],
    [day('2026-01-04'), money(0, 0, 0, 0)],
  ]));
  assert.equal(p.cohorts, new Map([[day('2026-01-05'), 2]]));
  assert.equal(p.active, new Map([[day('2026-01-05'), new Map([[0, 2], [1, 1], [2, 1]])]]));
  assert.equal(p.channels, new Map([
    ['google', { signups: 1, customers: 1, ltvMicros: 12_500_000 }], ['tiktok', { signups: 1, customers: 1, ltvMicros: -1_000_000 }],
  ]));
  assert.is(p.lastWeek, day('2026-01-19'));
  assert.equal(p.ltv, [
    { user: 'U3', channel: null, purchaseMicros: 0, refundMicros: 0 },
    { user: 'u1', channel: 'google', purchaseMicros: 12_500_000, refundMicros: 0 },
    { user: 'u2', channel: 'tiktok', purchaseMicros: 0, refundMicros: 1_000_000 },
  ]);
  // Subscriptions and spend are kept whole: the finish drops bots' subscriptions.
  assert.equal([...p.subs.keys()], ['s1']);
  assert.equal(p.spend, new Map([['google', 40_000_000]]));
});

test('goldCsv and goldNdjson: column order, null as empty field, quoting', () => {
  const rows = [
    { channel: 'google', spend_usd: 10.79, signups: 3, cac_usd: 3.6 },
    { channel: 'a,b "c"', spend_usd: 0, signups: 0, cac_usd: null },
    { cac_usd: 1, signups: 1, spend_usd: 1, channel: 'line\nbreak\r' },
  ];
  assert.is(goldCsv('cac_by_channel', rows),
    'channel,spend_usd,signups,cac_usd\n' +
    'google,10.79,3,3.6\n' +
    '"a,b ""c""",0,0,\n' +
    '"line\nbreak\r",1,1,1\n');
  assert.is(goldNdjson('cac_by_channel', rows),
    '{"channel":"google","spend_usd":10.79,"signups":3,"cac_usd":3.6}\n' +
    '{"channel":"a,b \\"c\\"","spend_usd":0,"signups":0,"cac_usd":null}\n' +
    '{"channel":"line\\nbreak\\r","spend_usd":1,"signups":1,"cac_usd":1}\n');
  const out = gold([ev('1', 'u1', 'login', '2026-01-05T10:00:00Z')]);
  assert.is(goldCsv('ltv_per_user', out.ltv_per_user),
    'user_id,acquisition_channel,purchases_usd,refunds_usd,ltv_usd\nu1,,0,0,0\n');
});

test.run();
