// The seeded fixture generator: determinism, every trap present, the expected report
// consistent with the files, bounded disorder in ordered mode, and the committed sample
// reproducible from its seed.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate, type GenerateResult, type SourceExpected } from '../fixtures/generate.js';

const dirs: string[] = [];
const tmp = (): string => { const d = mkdtempSync(join(tmpdir(), 'audicin-gen-')); dirs.push(d); return d; };
test.after(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

const read = (r: GenerateResult): { events: string; subscriptions: string; marketing: string } => ({
  events: readFileSync(r.files.events, 'utf8'),
  subscriptions: readFileSync(r.files.subscriptions, 'utf8'),
  marketing: readFileSync(r.files.marketing_spend, 'utf8'),
});
const sum = (s: SourceExpected): number => Object.values(s.quarantined).reduce((a, b) => a + b, 0);

let r2000: GenerateResult | undefined;
const gen2000 = async (): Promise<GenerateResult> => (r2000 ??= await generate({ dir: tmp(), events: 2000 }));

test('same seed gives identical bytes, another seed different ones', async () => {
  const a = read(await gen2000());
  const b = read(await generate({ dir: tmp(), events: 2000, seed: 42 }));
  const c = read(await generate({ dir: tmp(), events: 2000, seed: 7 }));
  assert.ok(a.events === b.events && a.subscriptions === b.subscriptions && a.marketing === b.marketing);
  assert.ok(a.events !== c.events);
  assert.ok(a.subscriptions !== c.subscriptions);
});

test('every event, subscription and marketing trap is planted', async () => {
  const r = await gen2000();
  const { events, subscriptions, marketing } = read(r);
  const ex = r.expected.sources;
  for (const reason of ['invalid_json', 'not_an_object', 'missing_event_id', 'missing_user_id', 'missing_event_type',
    'invalid_timestamp', 'implausible_timestamp', 'missing_amount', 'invalid_amount', 'negative_amount', 'unknown_currency', 'invalid_tax']) {
    assert.ok((ex.events.quarantined[reason] ?? 0) >= 1, `events: ${reason}`);
  }
  for (const reason of ['invalid_json', 'not_an_object', 'missing_subscription_id', 'missing_user_id', 'invalid_price',
    'unknown_currency', 'invalid_start_date', 'invalid_end_date', 'end_before_start', 'invalid_status',
    'missing_end_date', 'invalid_created_at']) {
    assert.ok((ex.subscriptions.quarantined[reason] ?? 0) >= 1, `subscriptions: ${reason}`);
  }
  for (const reason of ['malformed_row', 'invalid_date', 'missing_channel', 'invalid_spend', 'negative_spend']) {
    assert.ok((ex.marketing_spend.quarantined[reason] ?? 0) >= 1, `marketing: ${reason}`);
  }
  for (const s of [ex.events, ex.subscriptions, ex.marketing_spend]) assert.ok(s.superseded >= 1);
  assert.ok(ex.events.blank_lines >= 1);
  assert.ok(r.expected.bots.length >= 1);
  assert.is(r.expected.near_misses.length, 2);
  assert.equal([...r.expected.bots].sort(), r.expected.bots);

  const formats: Array<[string, RegExp]> = [
    ['Z', /"timestamp":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"/],
    ['Z .123', /"timestamp":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z"/],
    ['Z .123456', /"timestamp":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z"/],
    ['+0200', /"timestamp":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0200"/],
    ['-05:00', /"timestamp":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d-05:00"/],
    ['naive space', /"timestamp":"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d"/],
    ['naive T', /"timestamp":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d"/],
    ['epoch s', /"timestamp":\d{10}[,}]/],
    ['epoch ms', /"timestamp":\d{13}[,}]/],
    ['impossible date', /"timestamp":"2026-02-30/],
    ['CRLF', /\}\r\n/],
    ['blank line', /(^|\n)\n/],
    ['numeric id', /"event_id":\d+,/],
    ['padded id', /"event_id":"\s+e\d+\s*"/],
    ['upper type', /"event_type":"PURCHASE"/],
    ['spaced type', /"event_type":" Login "/],
    ['unknown type', /"event_type":"Playlist_Created"/],
    ['amount string', /"amount":"9.99"/],
    ['lower currency', /"currency":"eur"/],
    ['bad currency', /"currency":"GBP"/],
    ['channel variant', /"acquisition_channel":" google "/],
    ['refund +', /"event_type":"refund"[^\n]*"amount":\d/],
    ['refund -', /"event_type":"refund"[^\n]*"amount":-\d/],
  ];
  for (const [name, re] of formats) assert.ok(re.test(events), `events: ${name}`);
  for (const s of ['"price": }', '"cancelled"', '"Canceled"', '"ACTIVE"', '"paused"', '"price":"9.99"', 'T08:00:00Z"', '"end_date":"2026-02-01"']) {
    assert.ok(subscriptions.includes(s), `subscriptions: ${s}`);
  }
  for (const bot of r.expected.bots.slice(0, 1)) assert.ok(subscriptions.includes(`"user_id":"${bot}"`), 'a bot has a subscription');
  for (const s of [', google ,', ',n/a', '2026-13-01,', ',,', ',-']) assert.ok(marketing.includes(s), `marketing: ${s}`);
});

test('expected counts agree with the files and the report invariant', async () => {
  const r = await gen2000();
  const { events, subscriptions, marketing } = read(r);
  const ex = r.expected.sources;
  for (const s of [ex.events, ex.subscriptions, ex.marketing_spend]) assert.is(s.records, s.silver + s.superseded + sum(s));
  assert.is(events.split('\n').length - 1, ex.events.records + ex.events.blank_lines);
  assert.is(subscriptions.split('\n').length - 3, ex.subscriptions.records); // "[" and "]" lines, final newline
  assert.ok(subscriptions.startsWith('[\n') && subscriptions.endsWith('\n]\n'));
  assert.is(marketing.split('\n').length - 2, ex.marketing_spend.records); // header, final newline
  const lines = events.split('\n');
  for (const [id, pos] of Object.entries(r.expected.winners.events)) {
    assert.ok(lines[pos - 1]!.includes(`"event_id":"${id}"`), `winner of ${id} at line ${pos}`);
  }
  // bot and near-miss users do nothing else
  for (const u of [...r.expected.bots, ...r.expected.near_misses]) {
    const n = lines.filter((l) => l.includes(`"user_id":"${u}"`)).length;
    assert.ok(n >= 20 && n <= 40, `${u} has ${n} events`);
  }
});

const ISO_Z = /"timestamp":"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z)"/;
/** Event times of lines holding a valid ISO Z timestamp, in arrival order. */
function zTimes(text: string): number[] {
  const out: number[] = [];
  for (const line of text.split('\n')) {
    const m = ISO_Z.exec(line);
    if (!m) continue;
    const ms = Date.parse(m[1]!);
    if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 19) !== m[1]!.slice(0, 19)) continue; // 2026-02-30
    if (ms < Date.UTC(2000, 0, 1) || ms >= Date.UTC(2100, 0, 1)) continue; // implausible_timestamp traps: placeholders, not times
    out.push(ms);
  }
  return out;
}

test('ordered mode: disorder never exceeds disorderMs', async () => {
  for (const disorderMs of [30_000, 2_000]) {
    const r = await generate({ dir: tmp(), events: 5000, ordered: true, disorderMs, seed: 3 });
    const times = zTimes(readFileSync(r.files.events, 'utf8'));
    let max = -Infinity, worst = 0;
    for (const t of times) { worst = Math.max(worst, max - t); max = Math.max(max, t); }
    assert.ok(times.length > 4000);
    assert.ok(worst <= disorderMs, `worst lag ${worst} ms`);
    assert.ok(worst > 0, 'some disorder');
    assert.ok(Math.max(...times) - Math.min(...times) > 25 * 86_400_000, 'spans the month');
    assert.ok(times.every((t) => t >= Date.UTC(2026, 0, 1) && t < Date.UTC(2026, 1, 1)));
  }
});

test('shuffled mode: arrival order is unrelated to time', async () => {
  const times = zTimes(read(await gen2000()).events);
  let max = -Infinity, worst = 0;
  for (const t of times) { worst = Math.max(worst, max - t); max = Math.max(max, t); }
  assert.ok(worst > 7 * 86_400_000);
  assert.ok(times.every((t) => t >= Date.UTC(2026, 0, 1) && t < Date.UTC(2026, 1, 1)));
});

test('the committed sample is what seed 42 with 300 events generates', async () => {
  const sample = fileURLToPath(new URL('../../fixtures/sample/', import.meta.url));
  if (!existsSync(join(sample, 'events.ndjson'))) { assert.unreachable('fixtures/sample is missing'); return; }
  const r = await generate({ dir: tmp(), events: 300, seed: 42 });
  for (const name of ['events.ndjson', 'subscriptions.json', 'marketing_spend.csv']) {
    assert.ok(readFileSync(join(sample, name)).equals(readFileSync(join(r.files.events, '..', name))), name);
  }
  assert.equal(JSON.parse(readFileSync(join(sample, 'expected.json'), 'utf8')), r.expected);
  assert.ok(r.bytes < 100_000);
  assert.ok(readFileSync(join(sample, 'marketing_spend.csv'), 'utf8').includes('\r\n'));
});

test.run();
