// Silver rows as written (SPEC 5): columns in the contract's order, one JSON object a line.
import type { Calendar } from './calendar.js';
import { fromMicros } from './numbers.js';
import { isoUtc } from './time.js';
import type { SilverEvent, SilverMarketing, SilverSubscription } from './types.js';

/** Strings JSON can hold between quotes as they are (no quote, backslash, control or surrogate). */
const PLAIN = /^[^"\\\u0000-\u001f\ud800-\udfff]*$/;
const str = (s: string | null): string => (s === null ? 'null' : PLAIN.test(s) ? `"${s}"` : JSON.stringify(s));

/**
 * One silver event line. Built by hand, not with JSON.stringify of an object, because it
 * runs once per event and this is twice as fast; test/silver.test.ts holds it to the same text.
 */
export function eventLine(e: SilverEvent, cal: Calendar): string {
  return `{"event_id":${str(e.event_id)},"user_id":${str(e.user_id)},"event_type":${str(e.event_type)},`
    + `"event_ts":"${isoUtc(e.ts)}","event_date":"${cal.day(e.ts)}","schema_version":${e.schema_version},`
    + `"amount":${e.amount},"currency":${str(e.currency)},"amount_usd":${e.usd_micros === null ? null : fromMicros(e.usd_micros)},`
    + `"tax":${e.tax},"refers_to_event_id":${str(e.refers_to_event_id)},"page":${str(e.page)},`
    + `"acquisition_channel":${str(e.acquisition_channel)},"is_bot":${e.is_bot},"versions":${e.versions},`
    + `"source":${str(e.source)},"pos":${e.pos},"attributes":${e.attributes === null ? null : JSON.stringify(e.attributes)}}\n`;
}

/** One silver subscription as its NDJSON and Parquet forms hold it, keys in column order. */
export function subscriptionRow(s: SilverSubscription): Record<string, unknown> {
  return {
    subscription_id: s.subscription_id,
    user_id: s.user_id,
    plan: s.plan,
    status: s.status,
    price: s.price,
    currency: s.currency,
    price_usd: fromMicros(s.price_micros),
    start_date: s.start_date,
    end_date: s.end_date,
    created_at: isoUtc(s.created_at),
    versions: s.versions,
    source: s.source,
    pos: s.pos,
    attributes: s.attributes,
  };
}

export function subscriptionLine(s: SilverSubscription): string {
  return JSON.stringify(subscriptionRow(s)) + '\n';
}

/** One silver marketing row as its NDJSON and Parquet forms hold it, keys in column order. */
export function marketingRow(m: SilverMarketing): Record<string, unknown> {
  return {
    date: m.date,
    channel: m.channel,
    spend_usd: fromMicros(m.spend_micros),
    versions: m.versions,
    source: m.source,
    pos: m.pos,
  };
}

export function marketingLine(m: SilverMarketing): string {
  return JSON.stringify(marketingRow(m)) + '\n';
}

/** Silver event order: `(event_ts, event_id)`. */
export const byTimeThenId = (a: SilverEvent, b: SilverEvent): number =>
  a.ts - b.ts || (a.event_id < b.event_id ? -1 : a.event_id > b.event_id ? 1 : 0);
