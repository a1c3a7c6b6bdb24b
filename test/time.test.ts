import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { clockOf, isoUtc, parseDate, parseTimestamp, parseTimestampText } from '../lib/core/time.js';
import { dayString, makeCalendar, mondayOf } from '../lib/core/calendar.js';

const at = (iso: string): number => Date.parse(iso);

test('every SPEC 1.2 format parses to the same UTC instant model', () => {
  const cases: [unknown, string][] = [
    ['2026-01-17T14:57:08Z', '2026-01-17T14:57:08.000Z'],
    ['2026-01-17T14:57:08.123Z', '2026-01-17T14:57:08.123Z'],
    ['2026-01-17T14:57:08.123456Z', '2026-01-17T14:57:08.123Z'],
    ['2026-01-17T14:57:08.9Z', '2026-01-17T14:57:08.900Z'],
    ['2026-01-11T23:51:00+0200', '2026-01-11T21:51:00.000Z'],
    ['2026-01-02T14:40:00-05:00', '2026-01-02T19:40:00.000Z'],
    ['2026-01-02T14:40:00+05:30', '2026-01-02T09:10:00.000Z'],
    ['2026-01-06 23:49:57', '2026-01-06T23:49:57.000Z'],
    ['2026-01-06T23:49:57', '2026-01-06T23:49:57.000Z'],
    [1768661828, '2026-01-17T14:57:08.000Z'],
    [1768661828.5, '2026-01-17T14:57:08.500Z'],
    [1768661828123, '2026-01-17T14:57:08.123Z'],
    ['2024-02-29T00:00:00Z', '2024-02-29T00:00:00.000Z'],
  ];
  for (const [input, iso] of cases) assert.is(parseTimestamp(input), at(iso), String(input));
});

test('anything else is NaN (invalid_timestamp)', () => {
  for (const bad of ['2026-02-30T10:00:00Z', '2025-02-29T00:00:00Z', '2026-13-01T00:00:00Z', '2026-01-01T24:00:00Z',
    '2026-01-01T10:60:00Z', '2026-01-01', 'yesterday', '', '1768661828', '2026-01-01T10:00:00+2500', null, undefined,
    true, {}, Infinity, 1e300]) {
    assert.ok(Number.isNaN(parseTimestamp(bad)), String(bad));
  }
});

test('decisions: spaces trimmed; T and Z upper-case only; years outside 1000–9999 invalid; fractional epoch keeps ms', () => {
  assert.is(parseTimestamp('  2026-01-17T14:57:08Z '), at('2026-01-17T14:57:08Z'));
  assert.ok(Number.isNaN(parseTimestamp('2026-01-17t14:57:08Z')));
  assert.ok(Number.isNaN(parseTimestamp('2026-01-17T14:57:08z')));
  assert.ok(Number.isNaN(parseTimestamp('0999-01-17T14:57:08Z')));
  assert.ok(Number.isNaN(parseTimestamp('1000-01-01T00:00:00+0100'))); // 999-12-31 in UTC
  assert.ok(Number.isNaN(parseTimestamp(253402300800000))); // epoch ms in year 10000
  assert.ok(Number.isNaN(parseTimestamp(-30610224000001))); // epoch ms in year 999
  assert.is(parseTimestamp(253402300799999), Date.UTC(9999, 11, 31, 23, 59, 59, 999));
  assert.is(parseTimestamp(1768661828.1239), at('2026-01-17T14:57:08.123Z'));
});

test('the fast path for plain UTC timestamps agrees with the general path on mutated input', () => {
  let x = 4242;
  const rand = (n: number): number => (x = (x * 1103515245 + 12345) % 2147483648) % n;
  const chars = '0123456789-:TZ .x+';
  const templates = ['2026-01-17T14:57:08Z', '2026-01-17T14:57:08.123Z', '2024-02-29T23:59:59.999Z', '9999-12-31T23:59:59Z'];
  let fastHits = 0;
  for (let i = 0; i < 50_000; i++) {
    const t = templates[i % templates.length].split('');
    for (let k = rand(3); k > 0; k--) t[rand(t.length)] = chars[rand(chars.length)];
    const text = t.join('');
    const got = parseTimestamp(text), want = parseTimestampText(text);
    assert.ok(Object.is(got, want), `${text}: ${got} vs ${want}`);
    if (!Number.isNaN(got)) fastHits++;
  }
  assert.ok(fastHits > 10_000);
});

test('dates are YYYY-MM-DD or a timestamp (its UTC date)', () => {
  assert.is(parseDate('2026-01-05'), '2026-01-05');
  assert.is(parseDate('2026-01-05T23:30:00-02:00'), '2026-01-06');
  assert.is(parseDate('2026-02-30'), null);
  assert.is(parseDate('05/01/2026'), null);
  assert.is(parseDate(null), null);
});

test('the calendar moves days with the reporting zone, across DST', () => {
  const helsinki = makeCalendar('Europe/Helsinki');
  const utc = makeCalendar('UTC');
  assert.is(utc.day(at('2026-01-10T23:30:00Z')), '2026-01-10');
  assert.is(helsinki.day(at('2026-01-10T23:30:00Z')), '2026-01-11');
  assert.is(helsinki.day(at('2026-01-10T21:59:59Z')), '2026-01-10');
  // Summer time: +03:00.
  assert.is(helsinki.day(at('2026-07-10T21:00:00Z')), '2026-07-11');
  assert.is(helsinki.day(at('2026-07-10T20:59:59Z')), '2026-07-10');
  assert.is(makeCalendar('America/New_York').day(at('2026-01-11T03:00:00Z')), '2026-01-10');
});

test('dayString writes the date part of ISO-8601, zero-padded like event_ts', () => {
  assert.is(dayString(0), '1970-01-01');
  assert.is(dayString(-1), '1969-12-31');
  assert.is(dayString(-719162), '0001-01-01');
  assert.is(dayString(2932897), '+010000-01-01');
  assert.is(dayString(20454), '2026-01-01');
  assert.is(dayString(20454), '2026-01-01'); // and again, from the cache
});

test('ISO weeks start on Monday', () => {
  const utc = makeCalendar('UTC');
  assert.is(dayString(mondayOf(utc.dayNumber(at('2026-01-01T12:00:00Z')))), '2025-12-29');
  assert.is(dayString(mondayOf(utc.dayNumber(at('2026-01-05T00:00:00Z')))), '2026-01-05');
  assert.is(dayString(mondayOf(utc.dayNumber(at('2026-01-11T23:59:59Z')))), '2026-01-05');
});

test('clockOf splits an instant into its UTC day and time of day; isoUtc writes it', () => {
  const clock: number[] = [];
  assert.is(clockOf(Date.UTC(2026, 0, 17, 14, 57, 8, 123), clock), 20470);
  assert.equal(clock, [14, 57, 8, 123]);
  // Before 1970 the day is negative and the time of day still counts up from midnight.
  assert.is(clockOf(-1, clock), -1);
  assert.equal(clock, [23, 59, 59, 999]);
  assert.is(isoUtc(-1), '1969-12-31T23:59:59.999Z');
  assert.is(isoUtc(Date.UTC(2026, 0, 17, 14, 57, 8, 5)), '2026-01-17T14:57:08.005Z');
});

test.run();
