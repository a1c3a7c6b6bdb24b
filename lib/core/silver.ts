// Silver rows as written (SPEC 5): columns in the contract's order, one JSON object a line.
import type { Calendar } from './calendar.js';
import { fromMicros } from './numbers.js';
import { isoUtc } from './time.js';
import type { SilverEvent, SilverMarketing, SilverSubscription } from './types.js';

/** Strings JSON can hold between quotes as they are (no quote, backslash, control or surrogate). */
const PLAIN = /^[^"\\\u0000-\u001f\ud800-\udfff]*$/;
const str = (s: string | null): string => (s === null ? 'null' : PLAIN.test(s) ? `"${s}"` : JSON.stringify(s));

/**
 * The silver event line's layout, owned here: every writer of the line (eventLine, the byte
 * scanner of scan-event.ts) takes its keys from these, and the patchers of is_bot and versions
 * (writeSilverLine) find them through FRESH_FLAGS. `KEY.x` is the text before column x's value.
 */
export const KEY = {
  event_id: '{"event_id":', user_id: ',"user_id":', event_type: ',"event_type":', event_ts: ',"event_ts":',
  event_date: ',"event_date":', schema_version: ',"schema_version":', amount: ',"amount":', currency: ',"currency":',
  amount_usd: ',"amount_usd":', tax: ',"tax":', refers_to_event_id: ',"refers_to_event_id":', page: ',"page":',
  acquisition_channel: ',"acquisition_channel":', source: '"source":', pos: ',"pos":', attributes: ',"attributes":',
} as const;

/**
 * What follows acquisition_channel's value in a line as first written, before dedup and bot
 * detection: is_bot false and versions 1, patched in place or on output once known.
 */
export const FRESH_FLAGS = ',"is_bot":false,"versions":1,';
/** Offset, within FRESH_FLAGS, of the `false` of `"is_bot":false`. */
export const BOT_IN_FLAGS = FRESH_FLAGS.indexOf('false');
/** Byte offset, from the `false` of `"is_bot":false`, of the `1` of `"versions":1`. */
export const VERSIONS_AFTER_BOT = FRESH_FLAGS.lastIndexOf('1') - BOT_IN_FLAGS;

/** A silver event line in the two parts around its is_bot and versions. */
export interface EventLineParts {
  /** From `{` to acquisition_channel's value. */
  head: string;
  /** From source's key to the line end. */
  tail: string;
}

/** The parts of `e`'s silver line around its flags (see FRESH_FLAGS). */
export function eventLineParts(e: SilverEvent, cal: Calendar): EventLineParts {
  return {
    head: `${KEY.event_id}${str(e.event_id)}${KEY.user_id}${str(e.user_id)}${KEY.event_type}${str(e.event_type)}`
      + `${KEY.event_ts}"${isoUtc(e.ts)}"${KEY.event_date}"${cal.day(e.ts)}"${KEY.schema_version}${e.schema_version}`
      + `${KEY.amount}${e.amount}${KEY.currency}${str(e.currency)}${KEY.amount_usd}${e.usd_micros === null ? null : fromMicros(e.usd_micros)}`
      + `${KEY.tax}${e.tax}${KEY.refers_to_event_id}${str(e.refers_to_event_id)}${KEY.page}${str(e.page)}`
      + `${KEY.acquisition_channel}${str(e.acquisition_channel)}`,
    tail: `${KEY.source}${str(e.source)}${KEY.pos}${e.pos}${KEY.attributes}${e.attributes === null ? null : JSON.stringify(e.attributes)}}\n`,
  };
}

/** The flags between the parts of a line: `,"is_bot":…,"versions":…,`. */
export const flagsText = (isBot: boolean, versions: number): string => `,"is_bot":${isBot},"versions":${versions},`;

/**
 * One silver event line. Built by hand, not with JSON.stringify of an object, because it
 * runs once per event and this is twice as fast; test/silver.test.ts holds it to the same text.
 */
export function eventLine(e: SilverEvent, cal: Calendar): string {
  const { head, tail } = eventLineParts(e, cal);
  return head + flagsText(e.is_bot, e.versions) + tail;
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
export const byTimeThenId = (a: Pick<SilverEvent, 'ts' | 'event_id'>, b: Pick<SilverEvent, 'ts' | 'event_id'>): number =>
  a.ts - b.ts || (a.event_id < b.event_id ? -1 : a.event_id > b.event_id ? 1 : 0);

/** Where a silver line is written: text, or bytes `[from, to)` of a buffer. */
export interface LineSink {
  write(text: string): void;
  writeBytes(bytes: Uint8Array, from: number, to: number): void;
}

/**
 * Writes the silver line `bytes[from, to)`, written with is_bot false and versions 1, with
 * `is_bot` and `versions` patched where they differ; `botAt` is the offset of the `false`.
 */
export function writeSilverLine(sink: LineSink, bytes: Uint8Array, from: number, to: number,
  botAt: number, versions: number, bot: boolean): void {
  if (!bot && versions === 1) {
    sink.writeBytes(bytes, from, to);
    return;
  }
  const at = from + botAt;
  sink.writeBytes(bytes, from, at);
  sink.write(`${bot},"versions":${versions}`);
  sink.writeBytes(bytes, at + VERSIONS_AFTER_BOT + 1, to);
}
