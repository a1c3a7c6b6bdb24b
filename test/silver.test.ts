import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { makeCalendar } from '../lib/core/calendar.js';
import { eventLine } from '../lib/core/silver.js';
import { isoUtc } from '../lib/core/time.js';
import type { SilverEvent } from '../lib/core/types.js';

/** The obvious way to write the line, which eventLine must match to the byte. */
function reference(e: SilverEvent, zone: string): string {
  return JSON.stringify({
    event_id: e.event_id, user_id: e.user_id, event_type: e.event_type, event_ts: new Date(e.ts).toISOString(),
    event_date: makeCalendar(zone).day(e.ts), schema_version: e.schema_version, amount: e.amount, currency: e.currency,
    amount_usd: e.usd_micros === null ? null : e.usd_micros / 1e6, tax: e.tax, refers_to_event_id: e.refers_to_event_id,
    page: e.page, acquisition_channel: e.acquisition_channel, is_bot: e.is_bot, versions: e.versions, source: e.source,
    pos: e.pos, attributes: e.attributes,
  }) + '\n';
}

const base: SilverEvent = {
  event_id: 'e1', user_id: 'u1', event_type: 'purchase', ts: Date.parse('2026-01-17T14:57:08.123Z'), schema_version: 2,
  amount: 9.99, currency: 'EUR', usd_micros: 10_789_200, tax: 0.5, refers_to_event_id: null, page: null,
  acquisition_channel: null, attributes: null, source: 'events.ndjson', pos: 12, versions: 1, is_bot: false,
};

test('eventLine writes exactly what JSON.stringify would, for awkward values too', () => {
  const cases: Partial<SilverEvent>[] = [
    {},
    { event_id: 'quote " and \\ backslash', user_id: 'tab\there\nnewline', page: '\u0000\u001f\u007f\u2028' },
    { page: 'émoji 😀 and 中文', acquisition_channel: ' Google ' },
    { page: 'lone \ud800 surrogate', event_type: 'playlist_created', amount: null, currency: null, usd_micros: null, tax: null },
    { attributes: { device: 'ios', nested: { a: [1, 'x"y', null] } }, is_bot: true, versions: 3 },
    { amount: 0, usd_micros: 0, tax: 1e21, schema_version: 1, ts: 0 },
    { ts: -86_400_001 }, { ts: Date.UTC(9999, 11, 31, 23, 59, 59, 999) }, { ts: Date.UTC(1000, 0, 1) }, { ts: Date.parse('2026-03-29T00:59:59.999Z') },
  ];
  for (const patch of cases) {
    const e = { ...base, ...patch };
    for (const zone of ['UTC', 'Europe/Helsinki']) assert.is(eventLine(e, makeCalendar(zone)), reference(e, zone), JSON.stringify(patch));
  }
});

test('isoUtc equals Date#toISOString across the whole range', () => {
  let x = 12345;
  const next = (): number => (x = (x * 1103515245 + 12345) % 2147483648) / 2147483648;
  for (let i = 0; i < 20_000; i++) {
    const ms = Math.floor((next() * 2 - 1) * 8.64e15 * (i % 2 === 0 ? 1 : 1e-6));
    assert.is(isoUtc(ms), new Date(ms).toISOString(), String(ms));
  }
});

test.run();
