// Builders of silver rows and a seeded synthetic silver data set for the gold tests.
import type { SilverEvent, SilverMarketing, SilverSubscription } from '../lib/core/types.js';

let arrival = 0;

/** A silver event; `iso` is an ISO instant, `usd` a dollar amount turned into micros. */
export function ev(id: string, user: string, type: string, iso: string | number,
  extra: { usd?: number; micros?: number; channel?: string | null } = {}): SilverEvent {
  const micros = extra.micros ?? (extra.usd === undefined ? null : Math.round(extra.usd * 1e6));
  arrival += 1;
  return {
    event_id: id, user_id: user, event_type: type, ts: typeof iso === 'number' ? iso : Date.parse(iso),
    schema_version: 1, amount: micros === null ? null : micros / 1e6, currency: micros === null ? null : 'USD',
    usd_micros: micros, tax: null, refers_to_event_id: null, page: null,
    acquisition_channel: extra.channel ?? null, attributes: null, source: 'events.ndjson', pos: arrival,
    versions: 1, is_bot: false,
  };
}

export function sub(id: string, user: string, usd: number, start: string, end: string | null): SilverSubscription {
  arrival += 1;
  return {
    subscription_id: id, user_id: user, plan: null, status: end === null ? 'active' : 'canceled',
    price: usd, currency: 'USD', price_micros: Math.round(usd * 1e6), start_date: start, end_date: end,
    created_at: 0, attributes: null, source: 'subscriptions.json', pos: arrival, versions: 1,
  };
}

export function spend(date: string, channel: string, usd: number): SilverMarketing {
  arrival += 1;
  return { date, channel, spend_micros: Math.round(usd * 1e6), source: 'marketing_spend.csv', pos: arrival, versions: 1 };
}

/** mulberry32: a small seeded PRNG returning floats in [0, 1). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SilverSet {
  events: SilverEvent[];
  subs: SilverSubscription[];
  marketing: SilverMarketing[];
  bots: Set<string>;
}

/** A random silver data set: users, bots, tied signups, awkward channels, cent-edge amounts. */
export function synthetic(seed: number, users = 250, nEvents = 2500): SilverSet {
  const r = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const int = (lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));
  const t0 = Date.parse('2025-12-20T00:00:00Z');
  const span = 100 * 86_400_000;
  const channels = ['Google', ' google ', 'GOOGLE', 'TikTok', 'Organic', 'Referral', '', null, ' Facebook', 'Influencer'];
  const types = ['login', 'page_view', 'page_view', 'purchase', 'purchase', 'refund', 'signup', 'share'];
  const ids = Array.from({ length: users }, (_, i) => `u${String(i).padStart(3, '0')}`);
  const bots = new Set(ids.filter(() => r() < 0.06));
  const events: SilverEvent[] = [];
  let id = 0;
  const micros = (): number => pick([int(1, 50_000_000), int(1, 2000) * 5000, 10_789_200, 4_995_000, 5_000, 0]);
  for (const u of ids) {
    // Most users sign up once near the start; some twice (possibly on one instant), some never.
    const k = r() < 0.15 ? 0 : r() < 0.2 ? 2 : 1;
    const ts = t0 + int(0, span);
    for (let i = 0; i < k; i++) {
      const t = i === 1 && r() < 0.5 ? ts : t0 + int(0, span);
      events.push(ev(`e${id++}`, u, 'signup', t, { channel: pick(channels) }));
    }
  }
  while (events.length < nEvents) {
    const type = pick(types);
    // Near-midnight instants so zone days differ from UTC days.
    const day = t0 + int(0, 99) * 86_400_000;
    const t = r() < 0.3 ? day + pick([-1, 1]) * int(0, 4 * 3_600_000) : day + int(0, 86_399_999);
    const m = type === 'purchase' || type === 'refund' ? micros() : undefined;
    events.push(ev(`e${id++}`, pick(ids), type, t, { micros: m, channel: type === 'signup' ? pick(channels) : null }));
  }
  const subs: SilverSubscription[] = [];
  const date = (d: number): string => new Date(Date.parse('2025-11-01') + d * 86_400_000).toISOString().slice(0, 10);
  for (let i = 0; i < 80; i++) {
    const s = int(0, 150);
    const e = r() < 0.4 ? null : r() < 0.3 ? s : s + int(0, 120);
    let end = e === null ? null : date(e);
    if (end !== null && r() < 0.3) end = end.slice(0, 8) + '01' > date(s) ? end.slice(0, 8) + '01' : end;
    subs.push(sub(`s${i}`, pick(ids), pick([9.99, 4.99, 0, 12.345, 7.005]), date(s), end));
  }
  const marketing: SilverMarketing[] = [];
  const spendChannels = ['google', 'tiktok', 'facebook', 'influencer', 'podcast', 'referral'];
  for (let d = 0; d < 60; d++) {
    for (const c of spendChannels) {
      if (r() < 0.5) marketing.push(spend(date(30 + d), c, c === 'referral' ? 0.0001 : int(0, 6_000) / 100));
    }
  }
  return { events, subs, marketing, bots };
}
