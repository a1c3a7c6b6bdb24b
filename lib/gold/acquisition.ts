// Acquisition tables (SPEC 6): cac_by_channel, ltv_per_user and ltv_cac_ratio.
// A user's channel is the one named by their earliest signup (see state.ts).
import * as aq from 'arquero';
import { op } from 'arquero';
import type { ColumnTable } from 'arquero';
import { fn } from './frames.js';
import { bigMicros, meanCents, ratio4, roundCents, type Micros } from './money.js';
import type { GoldRow } from './schema.js';

const rows = (t: ColumnTable): GoldRow[] => t.objects() as GoldRow[];

/**
 * channel, spend_micros, signups: every channel named by spend or by an earliest signup. The
 * imputed spend is a Number 0 beside BigInt sums at most: it is only read, never summed.
 */
function channelTotals(spend: ColumnTable, signups: ColumnTable): ColumnTable {
  const counts = signups.groupby('channel').rollup({ signups: op.count() });
  return spend
    .join_full(counts, 'channel')
    .impute({ spend_micros: () => 0, signups: () => 0 });
}

/** CAC in USD cents from unrounded micros; null without signups. */
const cacUsd = (spendMicros: Micros, signups: number): number | null =>
  signups > 0 ? meanCents(spendMicros, signups) : null;

/**
 * LTV/CAC from unrounded inputs: (ltv_micros / customers) / (spend_micros / signups), kept
 * exact with bigints, so the ratio does not inherit the cents rounding of its two columns.
 * Null when the printed CAC is null or 0.00: a ratio over a CAC shown as zero would be
 * meaningless to a reader of the row.
 */
function ltvCacRatio(ltvMicros: Micros, customers: number, spendMicros: Micros, signups: number): number | null {
  const cac = cacUsd(spendMicros, signups);
  if (cac === null || cac === 0 || customers === 0) return null;
  return ratio4(bigMicros(ltvMicros) * bigMicros(signups), bigMicros(customers) * bigMicros(spendMicros));
}

/** `channel, spend_usd, signups, cac_usd`, sorted by channel. */
export function cacByChannel(spend: ColumnTable, signups: ColumnTable): GoldRow[] {
  return rows(channelTotals(spend, signups)
    .orderby('channel')
    .derive({
      spend_usd: fn((d) => roundCents(d.spend_micros)),
      cac_usd: fn((d) => cacUsd(d.spend_micros, d.signups)),
    })
    .select('channel', 'spend_usd', 'signups', 'cac_usd'));
}

/** user, purchase_micros, refund_micros, channel (null without signup): every non-bot user with an event. */
export function userTotals(activity: ColumnTable, signups: ColumnTable): ColumnTable {
  return activity
    .groupby('user')
    .rollup({ purchase_micros: op.sum('purchase_micros'), refund_micros: op.sum('refund_micros') })
    .join_left(signups.select('user', 'channel'), 'user')
    .impute({ channel: () => null });
}

/** `user_id, acquisition_channel, purchases_usd, refunds_usd, ltv_usd`, sorted by user_id; `users` from userTotals. */
export function ltvPerUser(users: ColumnTable): GoldRow[] {
  return rows(users
    .orderby('user')
    .derive({
      user_id: (d: any) => d.user,
      acquisition_channel: (d: any) => d.channel,
      purchases_usd: fn((d) => roundCents(d.purchase_micros)),
      refunds_usd: fn((d) => roundCents(d.refund_micros)),
      // LTV is rounded from exact micros, not from the two rounded columns.
      ltv_usd: fn((d) => roundCents(d.purchase_micros - d.refund_micros)),
    })
    .select('user_id', 'acquisition_channel', 'purchases_usd', 'refunds_usd', 'ltv_usd'));
}

/** `channel, customers, avg_ltv_usd, cac_usd, ltv_cac_ratio`: channels with signups by name, then `all`. */
export function ltvCacRatioTable(users: ColumnTable, signups: ColumnTable, spend: ColumnTable): GoldRow[] {
  if (signups.numRows() === 0) return [];
  const customers = users
    .filter((d: any) => d.channel != null)
    .derive({ ltv_micros: (d: any) => d.purchase_micros - d.refund_micros })
    .groupby('channel')
    .rollup({ customers: op.count(), ltv_micros: op.sum('ltv_micros') });
  const perChannel = customers
    .join_left(channelTotals(spend, signups).select('channel', 'spend_micros', 'signups'), 'channel')
    .derive({ is_all: () => 0 });
  const totalSpend = spend.numRows() === 0 ? 0 : (spend.rollup({ s: op.sum('spend_micros') }).get('s', 0) as Micros);
  const all = perChannel
    .rollup({ customers: op.sum('customers'), ltv_micros: op.sum('ltv_micros'), signups: op.sum('signups') })
    .derive({ channel: () => 'all', spend_micros: fn(() => totalSpend), is_all: () => 1 });
  return rows(perChannel
    .concat(all)
    .orderby('is_all', 'channel')
    .derive({
      avg_ltv_usd: fn((d) => meanCents(d.ltv_micros, d.customers)),
      cac_usd: fn((d) => cacUsd(d.spend_micros, d.signups)),
      ltv_cac_ratio: fn((d) => ltvCacRatio(d.ltv_micros, d.customers, d.spend_micros, d.signups)),
    })
    .select('channel', 'customers', 'avg_ltv_usd', 'cac_usd', 'ltv_cac_ratio'));
}
