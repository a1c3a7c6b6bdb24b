// Event validation and normalisation (SPEC 1.1, 1.3, 2): a parsed line to a silver event,
// or the first rule it breaks.
import { normaliseCurrency } from './fx.js';
import { extraFields, isObject, readId, readText, reject, show, type Rejection } from './fields.js';
import { MONEY_LIMIT, readNumber, toMicros } from './numbers.js';
import { implausibility, parseTimestamp } from './time.js';
import type { SilverEvent } from './types.js';

/** Fields whose numbers are ids: readers keep their exact digits (parseJsonLine). */
export const EVENT_ID_FIELDS = ['event_id', 'user_id', 'refers_to_event_id'] as const;

const COLUMNS = new Set(['event_id', 'user_id', 'event_type', 'timestamp', 'schema_version',
  'refers_to_event_id', 'page', 'acquisition_channel']);
/** Money fields are columns only for purchases and refunds; elsewhere they stay in attributes. */
const MONEY = new Set([...COLUMNS, 'amount', 'currency', 'tax']);

/**
 * Validates one parsed event found at `pos` of `source`.
 * `fx` maps upper-case currency codes to USD per unit; `now` is the run's clock in UTC ms
 * (default: the wall clock at the call; runs pass their resolved `now`).
 */
export function validateEvent(value: unknown, source: string, pos: number,
  fx: Readonly<Record<string, number>>, now: number = Date.now()): SilverEvent | Rejection {
  if (!isObject(value)) return reject('not_an_object', `expected an object, got ${Array.isArray(value) ? 'an array' : show(value)}`);
  const eventId = readId(value.event_id);
  if (eventId === null) return reject('missing_event_id', `event_id is ${show(value.event_id)}`);
  const userId = readId(value.user_id);
  if (userId === null) return reject('missing_user_id', `user_id is ${show(value.user_id)}`);
  const rawType = value.event_type;
  const eventType = typeof rawType === 'string' ? rawType.trim().toLowerCase() : '';
  if (eventType === '') return reject('missing_event_type', `event_type is ${show(rawType)}`);
  const ts = parseTimestamp(value.timestamp);
  if (Number.isNaN(ts)) return reject('invalid_timestamp', `timestamp is ${show(value.timestamp)}`);
  const implausible = implausibility(ts, now);
  if (implausible !== null) return reject('implausible_timestamp', implausible);

  let amount: number | null = null, currency: string | null = null, usdMicros: number | null = null,
    tax: number | null = null;
  const money = eventType === 'purchase' || eventType === 'refund';
  if (money) {
    if (value.amount === undefined || value.amount === null) return reject('missing_amount', `a ${eventType} needs an amount`);
    amount = readNumber(value.amount);
    if (Number.isNaN(amount)) return reject('invalid_amount', `amount is ${show(value.amount)}, expected a number`);
    if (Math.abs(amount) > MONEY_LIMIT) {
      return reject('amount_out_of_range', `amount is ${show(value.amount)}, expected at most 1e9 in absolute value`);
    }
    if (eventType === 'purchase' && amount < 0) return reject('negative_amount', `purchase amount is ${amount}`);
    amount = Math.abs(amount); // a refund's value is |amount|; also turns -0 into 0
    currency = normaliseCurrency(value.currency);
    const rate = currency === null ? undefined : fx[currency];
    if (rate === undefined) return reject('unknown_currency', `currency is ${show(value.currency)}`);
    if (value.tax !== undefined && value.tax !== null) {
      tax = readNumber(value.tax);
      if (Number.isNaN(tax) || tax < 0 || tax > MONEY_LIMIT) {
        return reject('invalid_tax', `tax is ${show(value.tax)}, expected a number >= 0 and <= 1e9`);
      }
    }
    usdMicros = toMicros(amount, rate);
  }

  const version = readNumber(value.schema_version);
  const channel = readText(value.acquisition_channel);
  return {
    event_id: eventId,
    user_id: userId,
    event_type: eventType,
    ts,
    schema_version: Number.isNaN(version) ? 1 : version,
    amount,
    currency,
    usd_micros: usdMicros,
    tax,
    refers_to_event_id: readId(value.refers_to_event_id),
    page: readText(value.page),
    acquisition_channel: channel === null ? null : channel.trim(),
    attributes: extraFields(value, money ? MONEY : COLUMNS),
    source,
    pos,
    versions: 1,
    is_bot: false,
  };
}
