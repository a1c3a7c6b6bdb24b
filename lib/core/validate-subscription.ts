// Subscription validation and normalisation (SPEC 2): a parsed array element to a silver
// subscription, or the first rule it breaks. `price` is a monthly price in `currency`.
import { normaliseCurrency } from './fx.js';
import { extraFields, isObject, readId, readText, reject, show, type Rejection } from './fields.js';
import { MONEY_LIMIT, readNumber, toMicros } from './numbers.js';
import { parseDate, parseTimestamp } from './time.js';
import type { SilverSubscription } from './types.js';

/** Fields whose numbers are ids: readers keep their exact digits (parseJsonLine). */
export const SUBSCRIPTION_ID_FIELDS = ['subscription_id', 'user_id'] as const;

const COLUMNS = new Set(['subscription_id', 'user_id', 'plan', 'price', 'currency', 'start_date',
  'end_date', 'status', 'created_at']);

export function validateSubscription(value: unknown, source: string, pos: number,
  fx: Readonly<Record<string, number>>): SilverSubscription | Rejection {
  if (!isObject(value)) return reject('not_an_object', `expected an object, got ${Array.isArray(value) ? 'an array' : show(value)}`);
  const id = readId(value.subscription_id);
  if (id === null) return reject('missing_subscription_id', `subscription_id is ${show(value.subscription_id)}`);
  const userId = readId(value.user_id);
  if (userId === null) return reject('missing_user_id', `user_id is ${show(value.user_id)}`);
  const price = readNumber(value.price);
  if (Number.isNaN(price) || price < 0 || price > MONEY_LIMIT) {
    return reject('invalid_price', `price is ${show(value.price)}, expected a number >= 0 and <= 1e9`);
  }
  const currency = normaliseCurrency(value.currency);
  const rate = currency === null ? undefined : fx[currency];
  if (rate === undefined) return reject('unknown_currency', `currency is ${show(value.currency)}`);
  const start = parseDate(value.start_date);
  if (start === null) return reject('invalid_start_date', `start_date is ${show(value.start_date)}`);
  const hasEnd = value.end_date !== undefined && value.end_date !== null;
  const end = hasEnd ? parseDate(value.end_date) : null;
  if (hasEnd && end === null) return reject('invalid_end_date', `end_date is ${show(value.end_date)}`);
  if (end !== null && end < start) return reject('end_before_start', `end_date ${end} is before start_date ${start}`);
  const rawStatus = typeof value.status === 'string' ? value.status.trim().toLowerCase() : '';
  const status = rawStatus === 'active' ? 'active' : rawStatus === 'canceled' || rawStatus === 'cancelled' ? 'canceled' : null;
  if (status === null) return reject('invalid_status', `status is ${show(value.status)}, expected active or canceled`);
  if (status === 'canceled' && end === null) return reject('missing_end_date', 'a canceled subscription needs an end_date');
  const createdAt = parseTimestamp(value.created_at);
  if (Number.isNaN(createdAt)) return reject('invalid_created_at', `created_at is ${show(value.created_at)}`);
  return {
    subscription_id: id,
    user_id: userId,
    plan: readText(value.plan),
    status,
    price,
    currency: currency!,
    price_micros: toMicros(price, rate),
    start_date: start,
    end_date: end,
    created_at: createdAt,
    attributes: extraFields(value, COLUMNS),
    source,
    pos,
    versions: 1,
  };
}
