// The committed sample against its expected-output twin (fixtures/sample/expected.json,
// written by the generator from the traps it planted) and against the reference gold.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runPipeline } from '../lib/pipeline.js';
import { SAMPLE_INPUT } from '../lib/options.js';
import type { SilverEvent, SilverMarketing, SilverSubscription } from '../lib/core/types.js';
import { referenceGold } from './gold-reference.js';
import { readNdjson, tempDir } from './helpers.js';

const expected = JSON.parse(readFileSync(join(SAMPLE_INPUT, 'expected.json'), 'utf8'));
/** The run's clock, pinned: the outcome must not depend on the day the tests run. */
const now = '2026-11-30T00:00:00Z';
type Row = Record<string, any>;
const micros = (usd: number): number => Math.round(usd * 1e6);

/** Silver rows as written, back into the engine's row types, for the reference. */
function readSilver(out: string) {
  const events = readNdjson<Row>(join(out, 'silver/events.ndjson')).map((e) => ({
    ...e, ts: Date.parse(e.event_ts), usd_micros: e.amount_usd === null ? null : micros(e.amount_usd),
  }) as unknown as SilverEvent);
  const subs = readNdjson<Row>(join(out, 'silver/subscriptions.ndjson')).map((s) => ({
    ...s, price_micros: micros(s.price_usd), created_at: Date.parse(s.created_at),
  }) as unknown as SilverSubscription);
  const marketing = readNdjson<Row>(join(out, 'silver/marketing_spend.ndjson')).map((m) => ({
    ...m, spend_micros: micros(m.spend_usd),
  }) as unknown as SilverMarketing);
  return { events, subs, marketing, bots: new Set(events.filter((e) => e.is_bot).map((e) => e.user_id)) };
}

/** Each bot's most events inside one window, by trying every event of theirs as the window's first. */
function bruteForcePeaks(events: SilverEvent[], bots: string[], windowMs: number): Record<string, number> {
  return Object.fromEntries(bots.map((user) => {
    const times = events.filter((e) => e.user_id === user).map((e) => e.ts);
    return [user, Math.max(...times.map((a) => times.filter((b) => b >= a && b - a < windowMs).length))];
  }));
}

test('sample: every count per source and reason, and the bots, as planted', async () => {
  const { report } = await runPipeline({ out: tempDir(), now });
  for (const name of ['events', 'subscriptions', 'marketing_spend'] as const) {
    const { file: _file, ...counts } = report.sources[name];
    assert.equal(counts, expected.sources[name], name);
  }
  assert.equal(report.bots, expected.bots);
  assert.equal(Object.keys(report.bot_peaks), expected.bots);
  for (const user of expected.near_misses) assert.not.ok(report.bots.includes(user), user);
});

test('sample: each bot\'s peak in one window equals a brute-force count over silver', async () => {
  const out = tempDir();
  const { report } = await runPipeline({ out, format: 'ndjson' });
  const peaks = bruteForcePeaks(readSilver(out).events, report.bots, 1000);
  assert.equal(report.bot_peaks, peaks);
  assert.ok(Object.values(peaks).every((n) => n > 20));
  assert.equal(JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')).bot_peaks, peaks);
});

test('sample: every duplicated key is won by the planted version', async () => {
  const out = tempDir();
  await runPipeline({ out, now, format: 'ndjson' });
  const silver = readSilver(out);
  const pos = new Map(silver.events.map((e) => [e.event_id, e.pos]));
  for (const [id, want] of Object.entries(expected.winners.events)) assert.is(pos.get(id), want, id);
  const subPos = new Map(silver.subs.map((s) => [s.subscription_id, s.pos]));
  for (const [id, want] of Object.entries(expected.winners.subscriptions)) assert.is(subPos.get(id), want, id);
  const spendPos = new Map(silver.marketing.map((m) => [`${m.date}|${m.channel}`, m.pos]));
  for (const [key, want] of Object.entries(expected.winners.marketing_spend)) assert.is(spendPos.get(key), want, key);
});

for (const zone of ['UTC', 'Europe/Helsinki']) {
  test(`sample: gold equals the reference computed from silver (${zone})`, async () => {
    const out = tempDir();
    const { gold } = await runPipeline({ out, timezone: zone, now, format: 'ndjson' });
    const { events, subs, marketing, bots } = readSilver(out);
    assert.equal(gold, referenceGold(events, subs, marketing, zone, bots));
    assert.ok(gold.daily_active_users.length >= 28);
    assert.ok(gold.ltv_cac_ratio.some((r) => r.channel === 'all'));
    assert.equal(readNdjson(join(out, 'gold/ltv_per_user.ndjson')), gold.ltv_per_user);
  });
}

test('a generated 30k-event month, shuffled: counts, bots and winners as planted, on 1 and 2 threads', async () => {
  const { generate } = await import('../fixtures/generate.js');
  const dir = tempDir();
  const { expected: planted } = await generate({ dir, events: 30_000, seed: 7 });
  const outs: string[] = [];
  for (const workers of [1, 2]) {
    const out = tempDir();
    outs.push(out);
    const { report } = await runPipeline({ input: dir, out, workers, now, format: 'ndjson' });
    for (const name of ['events', 'subscriptions', 'marketing_spend'] as const) {
      const { file: _file, ...counts } = report.sources[name];
      assert.equal(counts, planted.sources[name], `${name}, ${workers} thread(s)`);
    }
    assert.equal(report.bots, planted.bots);
    assert.equal(report.bot_peaks, bruteForcePeaks(readSilver(out).events, report.bots, 1000), `peaks, ${workers} thread(s)`);
    const pos = new Map(readSilver(out).events.map((e) => [e.event_id, e.pos]));
    for (const [id, want] of Object.entries(planted.winners.events)) assert.is(pos.get(id), want, id);
  }
  assert.equal(readFileSync(join(outs[1], 'silver/events.ndjson')), readFileSync(join(outs[0], 'silver/events.ndjson')));
});

test.run();
