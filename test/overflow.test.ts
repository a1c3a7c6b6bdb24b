// Overflow (issue 8, item 6): the 1e9 bounds of SPEC 2, the FX rate bound, and gold sums of
// micro-dollars that stay exact past 2^53. Expected values are worked out by hand in decimal.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeCalendar } from '../lib/core/calendar.js';
import { DEFAULT_FX } from '../lib/core/fx.js';
import { addEvent, addMarketing, finishGold, initGold, mergeGold, packGold, unpackGold } from '../lib/gold/index.js';
import type { GoldTables } from '../lib/gold/index.js';
import { runPipeline } from '../lib/pipeline.js';
import { createGoldStream } from '../lib/stream/gold.js';
import type { SilverEvent, SilverMarketing } from '../lib/core/types.js';
import { validateEvent } from '../lib/core/validate-event.js';
import { validateMarketing } from '../lib/core/validate-marketing.js';
import { validateSubscription } from '../lib/core/validate-subscription.js';
import { ndjson, readNdjson, tempDir, writeInput } from './helpers.js';

const BIN = fileURLToPath(new URL('../../bin/audicin.js', import.meta.url));
const cli = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
const reasonOf = (r: object): string | undefined => (r as { reason?: string }).reason;

const base = { event_id: 'e1', user_id: 'u1', event_type: 'purchase', timestamp: '2026-01-05T10:00:00Z', amount: 10 };
const event = (patch: Record<string, unknown>) => validateEvent({ ...base, ...patch }, 'events.ndjson', 1, DEFAULT_FX);
const subBase = { subscription_id: 's1', user_id: 'u1', price: 9.99, start_date: '2026-01-01', status: 'active',
  created_at: '2026-01-01T00:00:00Z' };
const sub = (patch: Record<string, unknown>) => validateSubscription({ ...subBase, ...patch }, 'subscriptions.json', 1, DEFAULT_FX);
const spendRow = (spend: string) => validateMarketing({ date: '2026-01-05', channel: 'Google', spend }, 'marketing_spend.csv', 2);

test('amount_out_of_range: |amount| above 1e9 in its own currency, after invalid_amount, before negative_amount', () => {
  assert.is(reasonOf(event({ amount: 1e308 })), 'amount_out_of_range');
  assert.is(reasonOf(event({ amount: '1e308' })), 'amount_out_of_range');
  assert.is(reasonOf(event({ amount: 1000000000.01 })), 'amount_out_of_range');
  // Negative and out of range: the range rule comes first.
  assert.is(reasonOf(event({ amount: -1e10 })), 'amount_out_of_range');
  assert.is(reasonOf(event({ event_type: 'refund', amount: -2e9 })), 'amount_out_of_range');
  // Checked before the currency, in the record's own currency: 1e9 NGN is in range, 2e9 EUR is not.
  assert.is(reasonOf(event({ amount: 2e9, currency: 'GBP' })), 'amount_out_of_range');
  assert.is(reasonOf(event({ amount: 'ten' })), 'invalid_amount');
  assert.is(reasonOf(event({ amount: -1 })), 'negative_amount');
  const edge = event({ amount: 1e9, currency: 'NGN' });
  assert.ok(!('reason' in edge) && edge.usd_micros === 650_000_000_000);
  const refundEdge = event({ event_type: 'refund', amount: '-1000000000' });
  assert.ok(!('reason' in refundEdge) && refundEdge.amount === 1e9);
});

test('invalid_tax, invalid_price and invalid_spend above 1e9', () => {
  assert.ok(!('reason' in event({ tax: 1e9 })));
  assert.is(reasonOf(event({ tax: 1000000000.5 })), 'invalid_tax');
  assert.is(reasonOf(event({ tax: '1e308' })), 'invalid_tax');
  assert.ok(!('reason' in sub({ price: 1e9 })));
  assert.is(reasonOf(sub({ price: 1e308 })), 'invalid_price');
  assert.is(reasonOf(sub({ price: '2000000000' })), 'invalid_price');
  assert.ok(!('reason' in spendRow('1000000000')));
  assert.is(reasonOf(spendRow('1e308')), 'invalid_spend');
  assert.is(reasonOf(spendRow('1000000000.01')), 'invalid_spend');
  // The bound is "above 1e9": a huge negative spend is negative_spend.
  assert.is(reasonOf(spendRow('-1e308')), 'negative_spend');
});

test('amount 1e308 and spend 1e308: quarantined, the run exits 0, no Infinity or NaN anywhere', () => {
  const input = writeInput({
    events: ndjson([
      { event_id: 'a', user_id: 'u1', event_type: 'purchase', timestamp: '2026-01-05T10:00:00Z', amount: 1e308 },
      '{"event_id":"b","user_id":"u1","event_type":"purchase","timestamp":"2026-01-05T11:00:00Z","amount":1e400}',
      { event_id: 'c', user_id: 'u1', event_type: 'purchase', timestamp: '2026-01-05T12:00:00Z', amount: 5 },
    ]),
    subscriptions: JSON.stringify([{ ...subBase, price: 1e308 }]),
    marketing: 'date,channel,spend\n2026-01-05,Google,1e308\n2026-01-05,TikTok,2\n',
  });
  const out = tempDir();
  const r = cli('run', '--input', input, '--out', out, '--format', 'ndjson');
  assert.is(r.status, 0, r.stderr);
  assert.is(r.stderr, '');
  const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
  // 1e400 parses to Infinity: not a finite number, so invalid_amount.
  assert.equal(report.sources.events.quarantined, { amount_out_of_range: 1, invalid_amount: 1 });
  assert.equal(report.sources.subscriptions.quarantined, { invalid_price: 1 });
  assert.equal(report.sources.marketing_spend.quarantined, { invalid_spend: 1 });
  assert.equal(readNdjson(join(out, 'quarantine/marketing_spend.ndjson')).map((q) => [q.pos, q.reason]), [[2, 'invalid_spend']]);
  for (const f of ['silver/events.ndjson', 'gold/daily_revenue_gross.csv', 'gold/ltv_per_user.csv', 'gold/cac_by_channel.csv']) {
    assert.not.match(readFileSync(join(out, f), 'utf8'), /Infinity|NaN/, f);
  }
  assert.is(readFileSync(join(out, 'gold/daily_revenue_gross.csv'), 'utf8'), 'date,purchases,gross_revenue_usd\n2026-01-05,1,5\n');
});

test('an FX rate of 1e308 is one E_FX_FILE line naming the file and the entry', () => {
  const dir = tempDir();
  const fx = join(dir, 'fx.json');
  writeFileSync(fx, '{"USD": 1, "EUR": 1e308}');
  const r = cli('run', '--input', writeInput({}), '--out', join(dir, 'out'), '--fx', fx);
  assert.is(r.status, 1);
  assert.is(r.stdout, '');
  assert.is(r.stderr, `audicin: ${fx}: entry 2 ('EUR'): expected a rate in USD per unit, a plain number > 0 and <= 1e6, got 1e+308\n`);
});

// One user, one signup on google (spend 3.00), and two days of purchases whose micro-dollar
// sums pass 2^53 (9_007_199_254_740_992):
//  - 2026-01-05: 20 × 999999999.99 + 0.01 = 19999999999.81 exactly;
//  - 2026-01-06: 20 × 999999999.999001 + 0.00498 = 19999999999.985 exactly, half a cent, so
//    19999999999.99; a refund of 999999999.99 leaves 18999999999.995, so 19000000000.00.
//    Sums in doubles lose the last micro-dollars and round these two down.
//  - ltv: purchases 39999999999.795 → 39999999999.80; minus 999999999.99 = 38999999999.805 → 38999999999.81;
//    ratio: 38999999999.805 / 3 = 12999999999.935.
const BIG_DAY1 = '999999999.99', BIG_DAY2 = '999999999.999001';
function bigEvents(): string[] {
  const lines = [
    { event_id: 's1', user_id: 'u1', event_type: 'signup', timestamp: '2026-01-05T08:00:00Z', acquisition_channel: 'Google' },
  ].map((o) => JSON.stringify(o));
  const purchase = (id: string, ts: string, amount: string) =>
    `{"event_id":"${id}","user_id":"u1","event_type":"purchase","timestamp":"${ts}","amount":${amount}}`;
  for (let i = 0; i < 20; i++) lines.push(purchase(`a${i}`, `2026-01-05T09:00:${String(i).padStart(2, '0')}Z`, BIG_DAY1));
  lines.push(purchase('a20', '2026-01-05T10:00:00Z', '0.01'));
  lines.push(purchase('b20', '2026-01-06T08:00:00Z', '0.00498'));
  for (let i = 0; i < 20; i++) lines.push(purchase(`b${i}`, `2026-01-06T09:00:${String(i).padStart(2, '0')}Z`, BIG_DAY2));
  lines.push('{"event_id":"r1","user_id":"u1","event_type":"refund","timestamp":"2026-01-06T12:00:00Z","amount":-999999999.99}');
  return lines;
}
const BIG_MARKETING = 'date,channel,spend\n2026-01-05,Google,3.00\n';

function assertBigGold(gold: GoldTables): void {
  assert.equal(gold.daily_revenue_gross, [
    { date: '2026-01-05', purchases: 21, gross_revenue_usd: 19999999999.81 },
    { date: '2026-01-06', purchases: 21, gross_revenue_usd: 19999999999.99 },
  ]);
  assert.equal(gold.daily_revenue_net, [
    { date: '2026-01-05', gross_revenue_usd: 19999999999.81, refunds_usd: 0, net_revenue_usd: 19999999999.81 },
    { date: '2026-01-06', gross_revenue_usd: 19999999999.99, refunds_usd: 999999999.99, net_revenue_usd: 19000000000 },
  ]);
  assert.equal(gold.ltv_per_user, [
    { user_id: 'u1', acquisition_channel: 'google', purchases_usd: 39999999999.8, refunds_usd: 999999999.99, ltv_usd: 38999999999.81 },
  ]);
  assert.equal(gold.cac_by_channel, [{ channel: 'google', spend_usd: 3, signups: 1, cac_usd: 3 }]);
  assert.equal(gold.ltv_cac_ratio, [
    { channel: 'google', customers: 1, avg_ltv_usd: 38999999999.81, cac_usd: 3, ltv_cac_ratio: 12999999999.935 },
    { channel: 'all', customers: 1, avg_ltv_usd: 38999999999.81, cac_usd: 3, ltv_cac_ratio: 12999999999.935 },
  ]);
}

for (const workers of [1, 2]) {
  test(`gold sums past 2^53 are exact to the cent (batch, ${workers} worker(s)), CSV included`, async () => {
    const out = tempDir();
    const { gold } = await runPipeline({ input: writeInput({ events: ndjson(bigEvents()), marketing: BIG_MARKETING }), out, workers });
    assertBigGold(gold);
    assert.is(readFileSync(join(out, 'gold/daily_revenue_net.csv'), 'utf8'), 'date,gross_revenue_usd,refunds_usd,net_revenue_usd\n'
      + '2026-01-05,19999999999.81,0,19999999999.81\n2026-01-06,19999999999.99,999999999.99,19000000000\n');
  });
}

test('gold sums past 2^53 are exact through addEvent, packGold/unpackGold and mergeGold, in any split', () => {
  const cal = makeCalendar('UTC');
  const events = bigEvents().map((line, i) => validateEvent(JSON.parse(line), 'events.ndjson', i + 1, DEFAULT_FX) as SilverEvent);
  const spend = validateMarketing({ date: '2026-01-05', channel: 'Google', spend: '3.00' }, 'm.csv', 2) as SilverMarketing;
  const whole = initGold();
  events.forEach((e) => addEvent(whole, e, cal));
  addMarketing(whole, spend);
  assertBigGold(finishGold(whole, new Set()));
  for (const parts of [2, 3, 7]) {
    const states = Array.from({ length: parts }, () => initGold());
    events.forEach((e, i) => addEvent(states[i % parts], e, cal));
    addMarketing(states[parts - 1], spend);
    const crossed = states.map((s) => unpackGold(structuredClone(packGold(s))));
    assertBigGold(finishGold(crossed.reduce((a, b) => mergeGold(a, b)), new Set()));
  }
});

test('gold sums past 2^53 are exact in the stream gold command core', () => {
  const gold = createGoldStream({}, () => assert.unreachable('no rejects expected'));
  gold.push(ndjson(bigEvents()));
  assertBigGold(gold.finish({ marketing: [validateMarketing({ date: '2026-01-05', channel: 'google', spend: '3' }, 'm.csv', 2) as SilverMarketing] }));
});

test('spend past 2^53 micro-dollars in total stays exact', async () => {
  // 0.005045 then 15 rows of 999999999.999997: 15000000000.005 in total, half a cent, so 15000000000.01.
  const rows = Array.from({ length: 15 }, (_, i) => `2026-01-${String(i + 2).padStart(2, '0')},Google,999999999.999997`);
  const marketing = `date,channel,spend\n2026-01-01,Google,0.005045\n${rows.join('\n')}\n`;
  const { gold } = await runPipeline({ input: writeInput({ marketing }), out: tempDir() });
  assert.equal(gold.cac_by_channel, [{ channel: 'google', spend_usd: 15000000000.01, signups: 0, cac_usd: null }]);
});

test('mrr past 2^53 micro-dollars is exact', async () => {
  // 0.00498 (ending mid-February) and 20 × 999999999.999001: 19999999999.985 in January, half a
  // cent, so 19999999999.99; 19999999999.98002 in February.
  const subs = [{ ...subBase, subscription_id: 'a', price: '0.00498', status: 'canceled', end_date: '2026-02-15' },
    ...Array.from({ length: 20 }, (_, i) => ({ ...subBase, subscription_id: `b${i}`, price: '999999999.999001' }))];
  const { gold } = await runPipeline({ input: writeInput({ subscriptions: JSON.stringify(subs) }), out: tempDir() });
  assert.equal(gold.mrr_monthly, [
    { month: '2026-01', active_subscriptions: 21, mrr_usd: 19999999999.99 },
    { month: '2026-02', active_subscriptions: 20, mrr_usd: 19999999999.98 },
  ]);
});

test.run();
