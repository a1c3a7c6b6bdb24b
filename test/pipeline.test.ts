import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { runPipeline } from '../lib/pipeline.js';
import { isAudicinError } from '../lib/core/errors.js';
import { lakehouseHome } from '../lib/io/output.js';
import { faultyFs } from '../lib/io/output-fs.js';
import { ndjson, readNdjson, snapshot, tempDir, writeInput } from './helpers.js';

const pageViews = (user: string, start: string, n: number, stepMs: number) =>
  Array.from({ length: n }, (_, i) => ({ event_id: `${user}-${i}`, user_id: user, event_type: 'page_view',
    timestamp: new Date(Date.parse(start) + i * stepMs).toISOString(), page: '/p' }));

const EVENTS = ndjson([
  { event_id: 'e1', user_id: 'u1', event_type: 'signup', timestamp: '2026-01-05T10:00:00Z', acquisition_channel: ' Google ' },
  { event_id: 'e2', user_id: 'u1', event_type: 'purchase', timestamp: '2026-01-05T12:00:00+0200', amount: 10, currency: 'EUR', schema_version: 2 },
  'not json',
  '',
  { event_id: 'e2', user_id: 'u1', event_type: 'purchase', timestamp: '2026-01-05T10:00:00Z', amount: 20, currency: 'EUR', schema_version: 2 },
  { event_id: 'e3', user_id: 'u2', event_type: 'purchase', timestamp: '2026-01-06T09:30:00+0200', amount: 1000, currency: 'NGN', schema_version: 2 },
  { event_id: 'e4', user_id: 'u2', event_type: 'purchase', timestamp: '2026-01-06 08:00:00', amount: '4.99' },
  { event_id: 'e5', user_id: 'u2', event_type: 'purchase', timestamp: '2026-01-06T08:00:00Z', amount: 'ten' },
  { event_id: 'e2', user_id: 'u1', event_type: 'purchase', timestamp: '2026-01-05T09:00:00Z', amount: 30, currency: 'EUR' },
  { event_id: 'e2', user_id: 'u1', event_type: 'purchase', timestamp: '2026-01-06T09:00:00Z', amount: -1 },
  [1, 2],
  { event_id: 'e6', event_type: 'login', timestamp: '2026-01-06T08:00:00Z' },
  { event_id: 'b1-s', user_id: 'b1', event_type: 'signup', timestamp: '2026-01-01T00:00:00Z', acquisition_channel: 'TikTok' },
  ...pageViews('b1', '2026-01-07T00:00:00Z', 21, 40),
  ...pageViews('n1', '2026-01-07T00:00:00Z', 21, 50),
]);

const SUBSCRIPTIONS = `[
 {"subscription_id":"s1","user_id":"u1","plan":"monthly","price":"9.99","currency":"USD","start_date":"2026-01-05","end_date":null,"status":"active","created_at":"2026-01-05T10:00:00Z"},
 {"subscription_id":"s1","user_id":"u1","plan":"monthly","price":9.99,"currency":"USD","start_date":"2026-01-05","end_date":"2026-02-05","status":"Cancelled","created_at":"2026-02-01T00:00:00Z"},
 {"subscription_id":"s2", "price": },
 {"subscription_id":"s3","user_id":"u2","price":5,"start_date":"2026-01-06","status":"canceled","created_at":"2026-01-06T00:00:00Z"}
]
`;

const MARKETING = ['date,channel,spend', '2026-01-05,Google,100', '2026-01-05, google ,50', '2026-01-06,TikTok,n/a',
  '', '2026-01-06,,10', '2026-13-01,Google,1', '2026-01-06,Facebook,-5', '"x,1', '2026-01-06,Facebook,7.5', ''].join('\r\n');

const input = writeInput({ events: EVENTS, subscriptions: SUBSCRIPTIONS, marketing: MARKETING });

test('hand-built input: exact counts per source and reason', async () => {
  const out = tempDir();
  const { report } = await runPipeline({ input, out });
  assert.equal(report.sources.events, {
    file: 'events.ndjson', records: 54, blank_lines: 1, silver: 47, superseded: 2,
    quarantined: { invalid_amount: 1, invalid_json: 1, missing_user_id: 1, negative_amount: 1, not_an_object: 1 },
  });
  assert.equal(report.sources.subscriptions, {
    file: 'subscriptions.json', records: 4, blank_lines: 0, silver: 1, superseded: 1,
    quarantined: { invalid_json: 1, missing_end_date: 1 },
  });
  assert.equal(report.sources.marketing_spend, {
    file: 'marketing_spend.csv', records: 8, blank_lines: 1, silver: 2, superseded: 1,
    quarantined: { invalid_date: 1, invalid_spend: 1, malformed_row: 1, missing_channel: 1, negative_spend: 1 },
  });
  assert.equal(report.bots, ['b1']);
  // b1's 21 page views sit 40 ms apart (800 ms in all); its signup is days earlier.
  assert.equal(report.bot_peaks, { b1: 21 });
  assert.equal(JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')).sources, report.sources);
});

test('hand-built input: silver values (tie to the last arrival, +0200, NGN, v1 in USD, bots)', async () => {
  const out = tempDir();
  await runPipeline({ input, out, format: 'ndjson' });
  const silver = readNdjson(join(out, 'silver/events.ndjson'));
  const byId = new Map(silver.map((e) => [e.event_id, e]));
  // e2 has three valid versions; two share the latest instant, and the later arrival (pos 5) wins.
  assert.equal(byId.get('e2'), {
    event_id: 'e2', user_id: 'u1', event_type: 'purchase', event_ts: '2026-01-05T10:00:00.000Z', event_date: '2026-01-05',
    schema_version: 2, amount: 20, currency: 'EUR', amount_usd: 21.6, tax: null, refers_to_event_id: null, page: null,
    acquisition_channel: null, is_bot: false, versions: 3, source: 'events.ndjson', pos: 5, attributes: null,
  });
  assert.is(byId.get('e3')?.event_ts, '2026-01-06T07:30:00.000Z');
  assert.is(byId.get('e3')?.amount_usd, 0.65);
  assert.equal([byId.get('e4')?.currency, byId.get('e4')?.amount_usd, byId.get('e4')?.schema_version], ['USD', 4.99, 1]);
  assert.is(byId.get('e1')?.acquisition_channel, 'Google');
  // Every event of the bot, the signup outside the burst included, is flagged; the near-miss is not.
  assert.ok(silver.filter((e) => e.user_id === 'b1').every((e) => e.is_bot === true));
  assert.is(silver.filter((e) => e.user_id === 'b1').length, 22);
  assert.ok(silver.filter((e) => e.user_id === 'n1').every((e) => e.is_bot === false));
  // Sorted by (event_ts, event_id).
  const keys = silver.map((e) => `${e.event_ts} ${e.event_id}`);
  assert.equal(keys, [...keys].sort());
  const subs = readNdjson(join(out, 'silver/subscriptions.ndjson'));
  assert.equal(subs.map((s) => [s.subscription_id, s.status, s.end_date, s.versions, s.pos]), [['s1', 'canceled', '2026-02-05', 2, 2]]);
  const spend = readNdjson(join(out, 'silver/marketing_spend.ndjson'));
  assert.equal(spend, [
    { date: '2026-01-05', channel: 'google', spend_usd: 50, versions: 2, source: 'marketing_spend.csv', pos: 3 },
    { date: '2026-01-06', channel: 'facebook', spend_usd: 7.5, versions: 1, source: 'marketing_spend.csv', pos: 10 },
  ]);
});

test('hand-built input: quarantine rows and superseded lineage', async () => {
  const out = tempDir();
  await runPipeline({ input, out });
  const q = readNdjson(join(out, 'quarantine/events.ndjson'));
  assert.equal(q.map((r) => [r.pos, r.reason]), [[3, 'invalid_json'], [8, 'invalid_amount'], [10, 'negative_amount'],
    [11, 'not_an_object'], [12, 'missing_user_id']]);
  assert.is(q[0].raw, 'not json');
  assert.is(q[0].source, 'events.ndjson');
  assert.equal(readNdjson(join(out, 'superseded/events.ndjson')), [
    { source: 'events.ndjson', pos: 2, key: 'e2', winner_pos: 5 },
    { source: 'events.ndjson', pos: 9, key: 'e2', winner_pos: 5 },
  ]);
  const qs = readNdjson(join(out, 'quarantine/subscriptions.ndjson'));
  assert.equal(qs.map((r) => [r.pos, r.reason, r.raw]), [[3, 'invalid_json', '{"subscription_id":"s2", "price": }'],
    [4, 'missing_end_date', '{"subscription_id":"s3","user_id":"u2","price":5,"start_date":"2026-01-06","status":"canceled","created_at":"2026-01-06T00:00:00Z"}']]);
  const qm = readNdjson(join(out, 'quarantine/marketing_spend.ndjson'));
  assert.equal(qm.map((r) => [r.pos, r.reason]), [[4, 'invalid_spend'], [6, 'missing_channel'], [7, 'invalid_date'],
    [8, 'negative_spend'], [9, 'malformed_row']]);
});

test('bronze is a byte-for-byte copy with a manifest', async () => {
  const out = tempDir();
  await runPipeline({ input, out });
  assert.equal(readFileSync(join(out, 'bronze/marketing_spend.csv')), readFileSync(join(input, 'marketing_spend.csv')));
  assert.equal(readFileSync(join(out, 'bronze/events.ndjson')), readFileSync(join(input, 'events.ndjson')));
  const manifest = JSON.parse(readFileSync(join(out, 'bronze/manifest.json'), 'utf8'));
  assert.equal(manifest.files.map((f: { name: string; records: number }) => [f.name, f.records]),
    [['events.ndjson', 54], ['subscriptions.json', 4], ['marketing_spend.csv', 8]]);
  assert.match(manifest.files[0].sha256, /^[0-9a-f]{64}$/);
});

test('a second run over the same input writes byte-identical files', async () => {
  const out = tempDir();
  await runPipeline({ input, out });
  const first = snapshot(out);
  await runPipeline({ input, out });
  assert.equal(snapshot(out), first);
  const other = tempDir();
  await runPipeline({ input, out: other });
  assert.equal(snapshot(other), first);
  assert.ok(Object.keys(first).length >= 30);
});

test('a run that fails part-way leaves the previous outputs intact', async () => {
  const out = tempDir();
  await runPipeline({ input, out });
  const before = snapshot(out);
  // Fails while writing, after most files are staged: only abort() in the error path keeps
  // the old lakehouse (commit() there would switch to the half-written one).
  const other = writeInput({ events: EVENTS });
  const recorder = faultyFs({});
  await runPipeline({ input: other, out: tempDir() }, { fs: recorder });
  const writes = recorder.calls.get('writeSync')!;
  assert.ok(writes >= 10, `${writes} writes`);
  for (const at of [Math.ceil(writes / 2), writes]) {
    try {
      await runPipeline({ input: other, out }, { fs: faultyFs({ fail: { call: 'writeSync', at, code: 'ENOSPC' } }) });
      assert.unreachable('should fail');
    } catch (err) {
      assert.ok(isAudicinError(err), String(err));
      assert.is(err.code, 'E_OUTPUT');
      assert.match(err.message, / no space left on device$/);
    }
    assert.equal(snapshot(out), before);
    assert.equal(readdirSync(lakehouseHome(out)).filter((n) => !n.startsWith('gen-')), []);
  }
  // Missing a source fails before anything is staged.
  const broken = writeInput({ events: EVENTS });
  rmSync(join(broken, 'marketing_spend.csv'));
  try {
    await runPipeline({ input: broken, out });
    assert.unreachable('should fail');
  } catch (err) {
    assert.ok(isAudicinError(err));
    assert.is(err.code, 'E_SOURCE_MISSING');
    assert.match(err.message, /marketing_spend\.csv: no such file or folder$/);
  }
  assert.equal(snapshot(out), before);
});

test('unusable input folder: one-line error naming it', async () => {
  try {
    await runPipeline({ input: '/nonexistent/audicin', out: tempDir() });
    assert.unreachable('should fail');
  } catch (err) {
    assert.ok(isAudicinError(err));
    assert.is(err.message, 'audicin: /nonexistent/audicin: no such file or folder');
  }
});

test('bad bytes never crash: long line, invalid UTF-8, deep nesting, empty and header-only sources', async () => {
  const deep = '['.repeat(100_000) + ']'.repeat(100_000);
  const long = JSON.stringify({ event_id: 'big', user_id: 'u', event_type: 'login', timestamp: '2026-01-01T00:00:00Z', pad: 'x'.repeat(2_000_000) });
  const ok = JSON.stringify({ event_id: 'ok', user_id: 'u', event_type: 'login', timestamp: '2026-01-01T00:00:00Z' });
  const dir = writeInput({ events: '', marketing: 'date,channel,spend\r\n' });
  const { writeFileSync } = await import('node:fs');
  writeFileSync(join(dir, 'events.ndjson'), Buffer.concat([
    Buffer.from(`${long}\n`), Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d, 0x0a]), Buffer.from(`${deep}\n{"event_id":"t1","user_id":\n${ok}\n`),
  ]));
  writeFileSync(join(dir, 'subscriptions.json'), '');
  const out = tempDir();
  const { report } = await runPipeline({ input: dir, out });
  // The 100k-level array is refused before parsing (MAX_JSON_DEPTH), not parsed into a non-object.
  assert.equal(report.sources.events.quarantined, { invalid_json: 3, line_too_long: 1 });
  assert.is(report.sources.events.silver, 1);
  assert.is(report.sources.subscriptions.records, 0);
  assert.is(report.sources.marketing_spend.records, 0);
  const q = readNdjson<{ pos: number; reason: string; raw: string }>(join(out, 'quarantine/events.ndjson'));
  assert.equal(q.map((r) => [r.pos, r.reason]), [[1, 'line_too_long'], [2, 'invalid_json'], [3, 'invalid_json'], [4, 'invalid_json']]);
  assert.is(q[0].raw, long.slice(0, 1024));
  assert.ok(existsSync(join(out, 'gold/daily_active_users.csv')));
});

test('CSV: header matched by name in any order and case; a wrong field count is malformed_row', async () => {
  const dir = writeInput({ marketing: ' Spend ,DATE,Channel\n12.5,2026-01-05,Google\n3,2026-01-06\n1,2026-01-07,TikTok,extra\n' });
  const out = tempDir();
  const { report } = await runPipeline({ input: dir, out, format: 'ndjson' });
  assert.equal(report.sources.marketing_spend.quarantined, { malformed_row: 2 });
  assert.equal(readNdjson(join(out, 'silver/marketing_spend.ndjson')).map((m) => [m.date, m.channel, m.spend_usd]), [['2026-01-05', 'google', 12.5]]);
  const q = readNdjson(join(out, 'quarantine/marketing_spend.ndjson'));
  assert.equal(q.map((r) => [r.pos, r.detail]), [[3, 'expected 3 fields, got 2'], [4, 'expected 3 fields, got 4']]);
});

test('CSV: a header without the required columns is one error naming the file', async () => {
  const dir = writeInput({ marketing: 'day,channel,amount\n2026-01-05,Google,1\n' });
  try {
    await runPipeline({ input: dir, out: tempDir() });
    assert.unreachable('should fail');
  } catch (err) {
    assert.ok(isAudicinError(err));
    assert.is(err.code, 'E_BAD_HEADER');
    assert.is(err.message, "audicin: marketing_spend.csv: line 1: expected a header with date,channel,spend, got 'day,channel,amount'");
  }
});

test('worker threads change nothing: 1, 2 and 3 partitions write byte-identical lakehouses', async () => {
  const { SAMPLE_INPUT } = await import('../lib/options.js');
  for (const dir of [input, SAMPLE_INPUT]) {
    const outs = [1, 2, 3].map(() => tempDir());
    for (const [i, workers] of [1, 2, 3].entries()) await runPipeline({ input: dir, out: outs[i], workers });
    const one = snapshot(outs[0]);
    assert.equal(snapshot(outs[1]), one);
    assert.equal(snapshot(outs[2]), one);
  }
});

test.run();
