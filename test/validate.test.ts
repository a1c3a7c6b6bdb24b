import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DEFAULT_FX } from '../lib/core/fx.js';
import { validateEvent } from '../lib/core/validate-event.js';
import { validateSubscription } from '../lib/core/validate-subscription.js';
import { validateMarketing } from '../lib/core/validate-marketing.js';

const base = { event_id: 'e1', user_id: 'u1', event_type: 'purchase', timestamp: '2026-01-05T10:00:00Z', amount: 10 };
const event = (patch: Record<string, unknown>) => validateEvent({ ...base, ...patch }, 'events.ndjson', 7, DEFAULT_FX);
const reasonOf = (r: object): string | undefined => (r as { reason?: string }).reason;

test('events fail on the first rule they break, in SPEC order', () => {
  assert.is(reasonOf(validateEvent([1, 2], 'f', 1, DEFAULT_FX)), 'not_an_object');
  assert.is(reasonOf(validateEvent('str', 'f', 1, DEFAULT_FX)), 'not_an_object');
  assert.is(reasonOf(validateEvent(null, 'f', 1, DEFAULT_FX)), 'not_an_object');
  // Several broken fields: the earliest rule wins.
  assert.is(reasonOf(event({ event_id: '  ', user_id: null, timestamp: 'x' })), 'missing_event_id');
  assert.is(reasonOf(event({ event_id: null })), 'missing_event_id');
  assert.is(reasonOf(event({ user_id: undefined, event_type: '' })), 'missing_user_id');
  assert.is(reasonOf(event({ event_type: ' ', timestamp: 'x' })), 'missing_event_type');
  assert.is(reasonOf(event({ timestamp: '2026-02-30T10:00:00Z', amount: 'ten' })), 'invalid_timestamp');
  assert.is(reasonOf(event({ timestamp: undefined })), 'invalid_timestamp');
  assert.is(reasonOf(event({ amount: null, currency: 'GBP' })), 'missing_amount');
  assert.is(reasonOf(event({ amount: 'ten', currency: 'GBP' })), 'invalid_amount');
  assert.is(reasonOf(event({ amount: -5, currency: 'GBP' })), 'negative_amount');
  assert.is(reasonOf(event({ currency: 'GBP', tax: -1 })), 'unknown_currency');
  assert.is(reasonOf(event({ currency: 7 })), 'unknown_currency');
  assert.is(reasonOf(event({ tax: -1 })), 'invalid_tax');
  assert.is(reasonOf(event({ tax: 'abc' })), 'invalid_tax');
});

test('events normalise ids, types, amounts and currencies', () => {
  const e = event({ event_id: ' 42 ', user_id: 7, event_type: ' PURCHASE ', amount: ' 9.99 ', currency: ' eur ',
    tax: '0.5', schema_version: 2, device: 'ios', nested: { a: [1] } });
  assert.ok(!('reason' in e));
  if ('reason' in e) return;
  assert.equal([e.event_id, e.user_id, e.event_type, e.amount, e.currency, e.tax], ['42', '7', 'purchase', 9.99, 'EUR', 0.5]);
  assert.is(e.usd_micros, 10_789_200); // 9.99 EUR × 1.08
  assert.equal(e.attributes, { device: 'ios', nested: { a: [1] } });
  const v1 = event({ amount: 5 });
  assert.ok(!('reason' in v1) && v1.currency === 'USD' && v1.schema_version === 1 && v1.usd_micros === 5_000_000);
  const numId = event({ event_id: 123 });
  assert.ok(!('reason' in numId) && numId.event_id === '123');
});

test('refunds of either sign are worth |amount|; a negative purchase is not', () => {
  const r1 = event({ event_type: 'refund', amount: -4.5 });
  const r2 = event({ event_type: 'Refund', amount: '4.5', refers_to_event_id: 'e0' });
  assert.ok(!('reason' in r1) && r1.amount === 4.5 && r1.usd_micros === 4_500_000);
  assert.ok(!('reason' in r2) && r2.amount === 4.5 && r2.refers_to_event_id === 'e0');
  assert.is(reasonOf(event({ amount: '-0.01' })), 'negative_amount');
});

test('non-money events leave money columns null and keep raw money fields in attributes', () => {
  const e = event({ event_type: 'page_view', amount: 'ten', currency: 'GBP', tax: -3, page: '/home' });
  assert.ok(!('reason' in e));
  if ('reason' in e) return;
  assert.equal([e.amount, e.currency, e.usd_micros, e.tax, e.page], [null, null, null, null, '/home']);
  assert.equal(e.attributes, { amount: 'ten', currency: 'GBP', tax: -3 });
  const odd = event({ event_type: 'page_view', page: 42, acquisition_channel: { name: 'x' }, schema_version: 'two' });
  assert.ok(!('reason' in odd) && odd.page === null && odd.acquisition_channel === null && odd.schema_version === 1);
  assert.is(reasonOf(event({ event_id: true })), 'missing_event_id');
  const unknown = event({ event_type: 'Playlist_Created', amount: undefined });
  assert.ok(!('reason' in unknown) && unknown.event_type === 'playlist_created');
});

test('an extra field named __proto__ is kept in attributes, as its own property', () => {
  const e = validateEvent(JSON.parse('{"event_id":"e1","user_id":"u1","event_type":"login","timestamp":"2026-01-05T10:00:00Z","__proto__":{"polluted":1},"x":2}'),
    'events.ndjson', 7, DEFAULT_FX);
  assert.ok(!('reason' in e));
  if ('reason' in e) return;
  assert.equal(Object.keys(e.attributes!), ['__proto__', 'x']);
  assert.is(JSON.stringify(e.attributes), '{"__proto__":{"polluted":1},"x":2}');
  assert.is(Object.getPrototypeOf(e.attributes), Object.prototype);
  assert.is(({} as Record<string, unknown>).polluted, undefined);
  const s = validateSubscription(JSON.parse('{"subscription_id":"s1","user_id":"u1","price":9.99,"start_date":"2026-01-01","end_date":null,'
    + '"status":"active","created_at":"2026-01-01T00:00:00Z","__proto__":null}'), 'subscriptions.json', 3, DEFAULT_FX);
  assert.ok(!('reason' in s) && JSON.stringify(s.attributes) === '{"__proto__":null}');
});

const sub = { subscription_id: 's1', user_id: 'u1', price: 9.99, currency: 'USD', start_date: '2026-01-01',
  end_date: null, status: 'active', created_at: '2026-01-01T00:00:00Z' };
const subscription = (patch: Record<string, unknown>) =>
  validateSubscription({ ...sub, ...patch }, 'subscriptions.json', 3, DEFAULT_FX);

test('subscriptions fail on the first rule they break, in SPEC order', () => {
  assert.is(reasonOf(validateSubscription(5, 'f', 1, DEFAULT_FX)), 'not_an_object');
  assert.is(reasonOf(subscription({ subscription_id: '', user_id: null })), 'missing_subscription_id');
  assert.is(reasonOf(subscription({ user_id: null, price: 'free' })), 'missing_user_id');
  assert.is(reasonOf(subscription({ price: 'free', currency: 'GBP' })), 'invalid_price');
  assert.is(reasonOf(subscription({ price: -1 })), 'invalid_price');
  assert.is(reasonOf(subscription({ currency: 'GBP', start_date: 'x' })), 'unknown_currency');
  assert.is(reasonOf(subscription({ start_date: '2026-02-30', end_date: 'x' })), 'invalid_start_date');
  assert.is(reasonOf(subscription({ end_date: 'soon', status: 'paused' })), 'invalid_end_date');
  assert.is(reasonOf(subscription({ end_date: '2025-12-31', status: 'paused' })), 'end_before_start');
  assert.is(reasonOf(subscription({ status: 'paused' })), 'invalid_status');
  assert.is(reasonOf(subscription({ status: 'Cancelled', created_at: 'x' })), 'missing_end_date');
  assert.is(reasonOf(subscription({ created_at: 'x' })), 'invalid_created_at');
  assert.is(reasonOf(subscription({ created_at: undefined })), 'invalid_created_at');
});

test('subscriptions normalise status, dates, prices and currency', () => {
  const s = subscription({ status: ' CANCELLED ', end_date: '2026-02-01T08:00:00Z', start_date: '2026-01-05T23:00:00-02:00',
    price: '19.99', currency: 'eur', coupon: 'X' });
  assert.ok(!('reason' in s));
  if ('reason' in s) return;
  assert.equal([s.status, s.start_date, s.end_date, s.price, s.currency, s.price_micros], ['canceled', '2026-01-06', '2026-02-01', 19.99, 'EUR', 21_589_200]);
  assert.equal(s.attributes, { coupon: 'X' });
  const sameDay = subscription({ end_date: '2026-01-01', status: 'canceled' });
  assert.ok(!('reason' in sameDay));
  const noCurrency = subscription({ currency: undefined });
  assert.ok(!('reason' in noCurrency) && noCurrency.currency === 'USD' && noCurrency.price_micros === 9_990_000);
  assert.is(reasonOf(subscription({ status: undefined })), 'invalid_status');
  const scheduledEnd = subscription({ status: 'active', end_date: '2026-03-01' });
  assert.ok(!('reason' in scheduledEnd) && scheduledEnd.status === 'active' && scheduledEnd.end_date === '2026-03-01');
});

test('marketing rows: date, channel, spend in order; channel lower-cased', () => {
  const row = (date: string, channel: string, spend: string) => validateMarketing({ date, channel, spend }, 'm.csv', 2);
  assert.is(reasonOf(row('2026-13-01', '', 'n/a')), 'invalid_date');
  assert.is(reasonOf(row('2026-01-01', '  ', 'n/a')), 'missing_channel');
  assert.is(reasonOf(row('2026-01-01', 'Google', 'n/a')), 'invalid_spend');
  assert.is(reasonOf(row('2026-01-01', 'Google', '-3')), 'negative_spend');
  assert.is((row('2026-01-05T23:30:00-02:00', 'Google', '1') as { date: string }).date, '2026-01-06');
  assert.equal(row('2026-01-01', ' Google ', '12.34'), { date: '2026-01-01', channel: 'google', spend_micros: 12_340_000,
    source: 'm.csv', pos: 2, versions: 1 });
});

test.run();
