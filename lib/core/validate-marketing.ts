// Marketing spend validation (SPEC 2): a CSV row (by header name) to a silver row, or the
// first rule it breaks. Spend is USD already.
import { reject, show, type Rejection } from './fields.js';
import { MONEY_LIMIT, readNumber, toMicros } from './numbers.js';
import { parseDate } from './time.js';
import type { SilverMarketing } from './types.js';

export function validateMarketing(row: { date?: string; channel?: string; spend?: string }, source: string,
  pos: number): SilverMarketing | Rejection {
  const date = parseDate(row.date);
  if (date === null) return reject('invalid_date', `date is ${show(row.date)}`);
  const channel = (row.channel ?? '').trim().toLowerCase();
  if (channel === '') return reject('missing_channel', `channel is ${show(row.channel)}`);
  const spend = readNumber(row.spend);
  if (Number.isNaN(spend) || spend > MONEY_LIMIT) {
    return reject('invalid_spend', `spend is ${show(row.spend)}, expected a number <= 1e9`);
  }
  if (spend < 0) return reject('negative_spend', `spend is ${spend}`);
  return { date, channel, spend_micros: toMicros(spend, 1), source, pos, versions: 1 };
}
