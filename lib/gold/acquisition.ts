// Acquisition tables (SPEC 6): cac_by_channel, ltv_per_user and ltv_cac_ratio.
// A user's channel is the one named by their earliest signup (see state.ts). The frames are
// goldFrames' (frames.ts): a row per channel; ltv_per_user is formatted row by row.
import { op } from 'arquero';
import type { ColumnTable } from 'arquero';
import { fn } from './frames.js';
import { bigMicros, meanCents, ratio4, roundCents, subMicros, type Micros } from './money.js';
import type { LtvRow } from './partial.js';
import type { GoldRow } from './schema.js';

const rows = (t: ColumnTable): GoldRow[] => t.objects() as GoldRow[];

/**
 * channel, spend_micros, signups: every channel named by spend or by an earliest signup. The
 * imputed spend is a Number 0 beside BigInt sums at most: it is only read, never summed.
 */
function channelTotals(spend: ColumnTable, channels: ColumnTable): ColumnTable {
  return spend
    .join_full(channels.select('channel', 'signups'), 'channel')
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
export function cacByChannel(spend: ColumnTable, channels: ColumnTable): GoldRow[] {
  return rows(channelTotals(spend, channels)
    .orderby('channel')
    .derive({
      spend_usd: fn((d) => roundCents(d.spend_micros)),
      cac_usd: fn((d) => cacUsd(d.spend_micros, d.signups)),
    })
    .select('channel', 'spend_usd', 'signups', 'cac_usd'));
}

/** The ltv_per_user row `user_id, acquisition_channel, purchases_usd, refunds_usd, ltv_usd` of one user. */
export function ltvPerUserRow(r: LtvRow): GoldRow {
  return {
    user_id: r.user,
    acquisition_channel: r.channel,
    purchases_usd: roundCents(r.purchaseMicros),
    refunds_usd: roundCents(r.refundMicros),
    // LTV is rounded from exact micros, not from the two rounded columns.
    ltv_usd: roundCents(subMicros(r.purchaseMicros, r.refundMicros)),
  };
}

/** `channel, customers, avg_ltv_usd, cac_usd, ltv_cac_ratio`: channels with signups by name, then `all`. */
export function ltvCacRatioTable(channels: ColumnTable, spend: ColumnTable): GoldRow[] {
  if (channels.numRows() === 0) return [];
  const customers = channels
    .filter((d: any) => d.customers > 0)
    .select('channel', 'customers', 'ltv_micros');
  const perChannel = customers
    .join_left(channelTotals(spend, channels).select('channel', 'spend_micros', 'signups'), 'channel')
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
