// Gold accumulators (SPEC 6): plain maps fed with silver rows as they are finalised.
// State is keyed by user because the bot set is only known at the end; finishGold drops
// bot users then. Every field merges exactly (set union, integer sums, min of a total
// order), so merging partial states equals accumulating their inputs together. Money sums
// are Micros (money.ts): exact past 2^53.
import type { Calendar } from '../core/calendar.js';
import { subscriptionBeats } from '../core/dedup.js';
import { addMicros, type Micros } from './money.js';
import type { SilverEvent, SilverMarketing, SilverSubscription } from '../core/types.js';

/** One user's activity and money on one local day (the key of `UserAcc.days`). */
export interface DayAcc {
  purchases: number;
  refunds: number;
  purchaseMicros: Micros;
  refundMicros: Micros;
}

/** A user's earliest signup so far: smallest `ts`, ties to the smaller `eventId`. */
export interface SignupAcc {
  ts: number;
  eventId: string;
  /** Trimmed, lower-cased `acquisition_channel`; `unknown` when it names none. */
  channel: string;
  /** Local day number of `ts` in the reporting zone. */
  day: number;
}

export interface UserAcc {
  /** Local day number → that day's totals; a key means the user was active that day. */
  days: Map<number, DayAcc>;
  signup: SignupAcc | null;
}

/** The fields of a subscription that gold needs, plus its version order. */
export interface SubAcc {
  userId: string;
  priceMicros: number;
  startDate: string;
  endDate: string | null;
  /** Named as in silver, so dedup.ts's subscriptionBeats orders the versions. */
  created_at: number;
  /** Its position in the source: the later arrival wins a tie on created_at. */
  pos: number;
}

export interface GoldState {
  /** user_id → accumulated events, bots included (dropped in finishGold). */
  users: Map<string, UserAcc>;
  /** subscription_id → latest version (silver already deduplicates; this keeps adds idempotent). */
  subs: Map<string, SubAcc>;
  /** Lower-cased channel → total spend in micro-dollars. */
  spend: Map<string, Micros>;
}

export function initGold(): GoldState {
  return { users: new Map(), subs: new Map(), spend: new Map() };
}

/** Gold's channel name: trimmed, lower-cased, `unknown` when null or empty. */
export function channelOf(raw: string | null | undefined): string {
  const c = (raw ?? '').trim().toLowerCase();
  return c === '' ? 'unknown' : c;
}

/** The accumulator of user `id`, made on first use. */
export function userOf(state: GoldState, id: string): UserAcc {
  let u = state.users.get(id);
  if (u === undefined) {
    u = { days: new Map(), signup: null };
    state.users.set(id, u);
  }
  return u;
}

const earlier = (a: SignupAcc, b: SignupAcc): boolean => a.ts < b.ts || (a.ts === b.ts && a.eventId < b.eventId);

/** Accumulates one silver event (bots included). `cal` is the reporting calendar. */
export function addEvent(state: GoldState, e: SilverEvent, cal: Calendar): void {
  addUserEvent(userOf(state, e.user_id), e, cal);
}

/** Accumulates one silver event of the user whose accumulator is `u` (its `user_id` is not read). */
export function addUserEvent(u: UserAcc, e: Omit<SilverEvent, 'user_id'>, cal: Calendar): void {
  const dayNum = cal.dayNumber(e.ts);
  let d = u.days.get(dayNum);
  if (d === undefined) {
    d = { purchases: 0, refunds: 0, purchaseMicros: 0, refundMicros: 0 };
    u.days.set(dayNum, d);
  }
  if (e.event_type === 'purchase') {
    d.purchases += 1;
    d.purchaseMicros = addMicros(d.purchaseMicros, e.usd_micros ?? 0);
  } else if (e.event_type === 'refund') {
    d.refunds += 1;
    // Silver already stores |amount|; abs again so a signed refund can never add revenue.
    d.refundMicros = addMicros(d.refundMicros, Math.abs(e.usd_micros ?? 0));
  } else if (e.event_type === 'signup') {
    const s: SignupAcc = { ts: e.ts, eventId: e.event_id, channel: channelOf(e.acquisition_channel), day: dayNum };
    if (u.signup === null || earlier(s, u.signup)) u.signup = s;
  }
}

/** Accumulates one silver subscription; `state` may be a GoldState or a GoldPartial (partial.ts). */
export function addSubscription(state: Pick<GoldState, 'subs'>, s: SilverSubscription): void {
  const sub: SubAcc = {
    userId: s.user_id, priceMicros: s.price_micros, startDate: s.start_date,
    endDate: s.end_date, created_at: s.created_at, pos: s.pos,
  };
  const old = state.subs.get(s.subscription_id);
  if (old === undefined || subscriptionBeats(sub, old)) state.subs.set(s.subscription_id, sub);
}

/** Accumulates one silver spend row; `state` may be a GoldState or a GoldPartial (partial.ts). */
export function addMarketing(state: Pick<GoldState, 'spend'>, m: SilverMarketing): void {
  const c = channelOf(m.channel);
  state.spend.set(c, addMicros(state.spend.get(c) ?? 0, m.spend_micros));
}

/** The later version of each subscription of `from` goes into `into`. */
export function mergeSubs(into: Map<string, SubAcc>, from: Map<string, SubAcc>): void {
  for (const [id, sb] of from) {
    const sa = into.get(id);
    if (sa === undefined || subscriptionBeats(sb, sa)) into.set(id, sb);
  }
}

/** Merges `b` into `a` and returns `a`; `b` must not be used afterwards (its maps may be shared). */
export function mergeGold(a: GoldState, b: GoldState): GoldState {
  for (const [id, ub] of b.users) {
    const ua = a.users.get(id);
    if (ua === undefined) { a.users.set(id, ub); continue; }
    for (const [dayNum, db] of ub.days) {
      const da = ua.days.get(dayNum);
      if (da === undefined) { ua.days.set(dayNum, db); continue; }
      da.purchases += db.purchases;
      da.refunds += db.refunds;
      da.purchaseMicros = addMicros(da.purchaseMicros, db.purchaseMicros);
      da.refundMicros = addMicros(da.refundMicros, db.refundMicros);
    }
    if (ub.signup !== null && (ua.signup === null || earlier(ub.signup, ua.signup))) ua.signup = ub.signup;
  }
  mergeSubs(a.subs, b.subs);
  for (const [c, micros] of b.spend) a.spend.set(c, addMicros(a.spend.get(c) ?? 0, micros));
  return a;
}
