// Streaming mode (SPEC 8), as a library: stream equals batch on time-ordered input, late
// data, the window boundary, chunking, bots, bounded state and backpressure.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { generate, type GenerateResult } from '../fixtures/generate.js';
import { runPipeline } from '../lib/pipeline.js';
import { eventLine } from '../lib/core/silver.js';
import { createGoldStream, goldLines } from '../lib/stream/gold.js';
import { parseDuration } from '../lib/stream/options.js';
import { readMarketing, readSubscriptions } from '../lib/io/sides.js';
import { silverTransform } from '../lib/stream/transform.js';
import { createStreamEngine, type StreamEngine } from '../lib/stream/engine.js';
import { GOLD_TABLES } from '../lib/gold/index.js';
import type { QuarantineRow, SilverEvent } from '../lib/core/types.js';
import { ndjson, tempDir } from './helpers.js';

const MIN = 60_000, HOUR = 3_600_000;
const T0 = Date.parse('2026-01-05T10:00:00Z');
const at = (ms: number): string => new Date(T0 + ms).toISOString();

/** Runs NDJSON text through an engine in chunks of `chunk` bytes; returns rows, rejects and the engine. */
function runStream(text: string, options: Parameters<typeof createStreamEngine>[0] = {}, chunk = 1 << 16) {
  const rows: SilverEvent[] = [];
  const rejects: QuarantineRow[] = [];
  const engine = createStreamEngine(options, { event: (e) => rows.push({ ...e }), reject: (r) => rejects.push(r) });
  const bytes = Buffer.from(text, 'utf8');
  for (let i = 0; i < bytes.length; i += chunk) engine.push(bytes.subarray(i, i + chunk));
  engine.end();
  return { rows, rejects, engine, lines: rows.map((e) => eventLine(e, engine.calendar)).join('') };
}

// One generated, time-ordered input (disorder ≤ 60 s, well inside the one-hour window), and
// the batch run over it.
let gen: GenerateResult;
let batchOut: string;
const ready = (async () => {
  const dir = tempDir('audicin-stream-');
  gen = await generate({ dir, events: 30_000, seed: 11, ordered: true, disorderMs: 60_000 });
  batchOut = join(dir, 'lakehouse');
  await runPipeline({ input: dir, out: batchOut, format: 'ndjson' });
})();

test('stream equals batch: the same silver rows, in the same order, byte for byte', async () => {
  await ready;
  const events = readFileSync(gen.files.events, 'utf8');
  const { lines, rejects, engine } = runStream(events, { source: 'events.ndjson' });
  assert.ok(lines.length > 1_000_000);
  assert.is(lines, readFileSync(join(batchOut, 'silver/events.ndjson'), 'utf8'));
  assert.equal(engine.bots(), gen.expected.bots, 'the planted bots, and only them');
  assert.not.ok(rejects.some((r) => r.reason === 'late_event'), 'nothing is late when disorder stays inside the window');
  const report = JSON.parse(readFileSync(join(batchOut, 'report.json'), 'utf8'));
  const { records, blank_lines, silver, superseded, quarantined } = engine.info;
  assert.equal({ records, blank_lines, silver, superseded, quarantined }, {
    records: report.sources.events.records, blank_lines: report.sources.events.blank_lines,
    silver: report.sources.events.silver, superseded: report.sources.events.superseded,
    quarantined: report.sources.events.quarantined,
  });
});

test('stream equals batch through silverTransform in stream.pipeline()', async () => {
  await ready;
  const out: Buffer[] = [];
  const rejects: QuarantineRow[] = [];
  const t = silverTransform({ source: 'events.ndjson', rejects: (r) => rejects.push(r) });
  await pipeline(Readable.from(chunks(readFileSync(gen.files.events), 4093)), t,
    new Writable({ write(c: Buffer, _e, cb) { out.push(c); cb(); } }));
  assert.is(Buffer.concat(out).toString('utf8'), readFileSync(join(batchOut, 'silver/events.ndjson'), 'utf8'));
  assert.is(rejects.length, t.engine.info.records - t.engine.info.silver - t.engine.info.superseded);
});

test('gold of the stream equals the batch gold tables', async () => {
  await ready;
  const rejects: QuarantineRow[] = [];
  const gold = createGoldStream({}, (r) => rejects.push(r));
  const subs = await readSubscriptions(gen.files.subscriptions, gold.engine.options.fx, 1 << 20, (r) => rejects.push(r));
  const marketing = await readMarketing(gen.files.marketing_spend, 1 << 20, (r) => rejects.push(r));
  for (const c of chunks(readFileSync(gen.files.events), 65_536)) gold.push(c);
  const tables = gold.finish({ subscriptions: subs.rows, marketing: marketing.rows });
  let expected = '';
  for (const { name } of GOLD_TABLES) {
    for (const line of readFileSync(join(batchOut, `gold/${name}.ndjson`), 'utf8').split('\n').filter(Boolean)) {
      expected += JSON.stringify({ table: name, ...JSON.parse(line) }) + '\n';
    }
    assert.ok(tables[name].length > 0, `${name} has rows`);
  }
  assert.is(goldLines(tables), expected);
  const report = JSON.parse(readFileSync(join(batchOut, 'report.json'), 'utf8'));
  assert.equal(subs.info.quarantined, report.sources.subscriptions.quarantined);
  assert.equal(marketing.info.superseded, report.sources.marketing_spend.superseded);
});

function* chunks(bytes: Buffer, size: number): Generator<Buffer> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

// Hand-built late data, window 10 minutes.
const LATE_INPUT = ndjson([
  { event_id: 'p1', user_id: 'u1', event_type: 'purchase', timestamp: at(0), amount: 10 }, // line 1
  { event_id: 'v1', user_id: 'u2', event_type: 'login', timestamp: at(MIN) }, // line 2
  { event_id: 'v2', user_id: 'u2', event_type: 'login', timestamp: at(20 * MIN) }, // line 3: p1, v1 final
  { event_id: 'p1', user_id: 'u1', event_type: 'purchase', timestamp: at(19 * MIN), amount: 99 }, // line 4: newer, but p1 is final
  { event_id: 'p2', user_id: 'u1', event_type: 'purchase', timestamp: at(5 * MIN), amount: 7 }, // line 5: older than 20 − 10 min
  { event_id: 'p3', user_id: 'u3', event_type: 'purchase', timestamp: at(15 * MIN), amount: 3 }, // line 6: on time
]);

test('late data: a version of a final id and an event older than watermark − window are late_event', () => {
  const { rows, rejects, engine } = runStream(LATE_INPUT, { windowMs: 10 * MIN });
  assert.equal(rows.map((e) => [e.event_id, e.amount, e.versions]), [['p1', 10, 1], ['v1', null, 1], ['p3', 3, 1], ['v2', null, 1]]);
  assert.equal(rejects.map((r) => [r.pos, r.reason, r.source]), [[4, 'late_event', 'stdin'], [5, 'late_event', 'stdin']]);
  assert.match(rejects[0].detail, 'event_id p1 is already final');
  assert.match(rejects[1].detail, 'is more than the window (10m) behind the watermark 2026-01-05T10:20:00.000Z');
  assert.is(rejects[0].raw, LATE_INPUT.split('\n')[3], 'raw is the line as read');
  assert.equal(engine.info.quarantined, { late_event: 2 });
  assert.is(engine.info.records, engine.info.silver + engine.info.superseded + 2);
});

test('late data is counted once in gold, never twice', () => {
  const rejects: QuarantineRow[] = [];
  const gold = createGoldStream({ windowMs: 10 * MIN }, (r) => rejects.push(r));
  gold.push(LATE_INPUT);
  const tables = gold.finish();
  assert.equal(tables.daily_revenue_gross, [{ date: '2026-01-05', purchases: 2, gross_revenue_usd: 13 }]);
  assert.equal(tables.ltv_per_user.map((r) => [r.user_id, r.purchases_usd]), [['u1', 10], ['u2', 0], ['u3', 3]]);
  assert.is(rejects.length, 2);
});

test('the window boundary: exactly one window behind the watermark is on time; more is final or late', () => {
  const W = 10 * MIN;
  const { rows, rejects } = runStream(ndjson([
    { event_id: 'a', user_id: 'u1', event_type: 'login', timestamp: at(0), n: 1 },
    { event_id: 'b', user_id: 'u1', event_type: 'login', timestamp: at(W) }, // watermark − a = window: a still open
    { event_id: 'a', user_id: 'u1', event_type: 'login', timestamp: at(0), n: 2 }, // same time, later arrival: wins
    { event_id: 'c', user_id: 'u1', event_type: 'login', timestamp: at(0) }, // exactly window behind: on time
    { event_id: 'd', user_id: 'u1', event_type: 'login', timestamp: at(W + 1) }, // a and c are final now
    { event_id: 'a', user_id: 'u1', event_type: 'login', timestamp: at(W), n: 3 }, // final id: late
    { event_id: 'e', user_id: 'u1', event_type: 'login', timestamp: at(0) }, // older than watermark − window: late
  ]), { windowMs: W });
  assert.equal(rows.map((e) => [e.event_id, e.versions, e.attributes]),
    [['a', 2, { n: 2 }], ['c', 1, null], ['b', 1, null], ['d', 1, null]]);
  assert.equal(rejects.map((r) => [r.pos, r.reason]), [[6, 'late_event'], [7, 'late_event']]);
});

test('a final id is remembered for retainMs past the window; a version inside that is always late', () => {
  const W = 10 * MIN;
  const input = ndjson([
    { event_id: 'x', user_id: 'u1', event_type: 'login', timestamp: at(0) },
    { event_id: 'y', user_id: 'u1', event_type: 'login', timestamp: at(W + 5 * MIN) }, // x final
    { event_id: 'x', user_id: 'u1', event_type: 'login', timestamp: at(W + 5 * MIN) }, // 15 min newer: late
    { event_id: 'z', user_id: 'u1', event_type: 'login', timestamp: at(2 * W + 5 * MIN) }, // x forgotten (retain 10 min)
    { event_id: 'x', user_id: 'u1', event_type: 'login', timestamp: at(2 * W + 5 * MIN) }, // 25 min newer
    { event_id: 'x', user_id: 'u1', event_type: 'login', timestamp: at(9 * MIN) }, // within retainMs of the winner
  ]);
  const caught = runStream(input, { windowMs: W, retainMs: 20 * MIN });
  assert.equal(caught.rejects.map((r) => r.pos), [3, 5, 6]);
  assert.match(caught.rejects[1].detail, 'event_id x is already final');
  const forgotten = runStream(input, { windowMs: W });
  assert.equal(forgotten.rejects.map((r) => r.pos), [3, 6], 'beyond retainMs, a forgotten id is new again (documented)');
  assert.match(forgotten.rejects[1].detail, 'behind the watermark', 'within retainMs: late by age once forgotten');
});

test('results do not depend on chunking: one byte at a time, CRLF and multi-byte characters split', () => {
  const text = LATE_INPUT.replace(/\n/g, '\r\n').replace('"login"', '"login","note":"héllo ☃ 𝄞"')
    + '{"broken\n\n' + JSON.stringify({ event_id: 'q', user_id: 'ü', event_type: 'login', timestamp: at(16 * MIN) }) + '\n';
  const whole = runStream(text, { windowMs: 10 * MIN }, 1 << 20);
  const bytewise = runStream(text, { windowMs: 10 * MIN }, 1);
  const sevens = runStream(text, { windowMs: 10 * MIN }, 7);
  assert.is(bytewise.lines, whole.lines);
  assert.is(sevens.lines, whole.lines);
  assert.equal(bytewise.rejects, whole.rejects);
  assert.equal(whole.rejects.map((r) => r.reason), ['late_event', 'late_event', 'invalid_json']);
  assert.is(whole.engine.info.blank_lines, 1);
  assert.ok(whole.lines.includes('"note":"héllo ☃ 𝄞"'));
});

test('is_bot is what is known at emit time: a burst flags its own rows, not rows emitted before it', () => {
  const burst = Array.from({ length: 21 }, (_, i) => ({ event_id: `b${i}`, user_id: 'bot', event_type: 'login', timestamp: at(30 * MIN + i * 10) }));
  const { rows, engine } = runStream(ndjson([
    { event_id: 'early', user_id: 'bot', event_type: 'login', timestamp: at(0) },
    { event_id: 'h1', user_id: 'human', event_type: 'login', timestamp: at(29 * MIN) },
    ...burst,
  ]), { windowMs: 10 * MIN });
  const flag = new Map(rows.map((e) => [e.event_id, e.is_bot]));
  assert.is(flag.get('early'), false, 'emitted before the burst: batch would say true (documented)');
  assert.ok(burst.every((b) => flag.get(b.event_id) === true), 'every row of the burst');
  assert.is(flag.get('h1'), false);
  assert.equal(engine.bots(), ['bot']);
  // gold drops the bot user entirely, early row included
  const gold = createGoldStream({ windowMs: 10 * MIN }, () => {});
  gold.push(ndjson([{ event_id: 'early', user_id: 'bot', event_type: 'login', timestamp: at(0) }, ...burst]));
  assert.equal(gold.finish().daily_active_users, []);
});

test('rows wait a bot window past the frontier, so a burst straddling it is flagged whole', () => {
  const burst = Array.from({ length: 21 }, (_, i) => JSON.stringify({ event_id: `b${i}`, user_id: 'bot', event_type: 'login', timestamp: at(i * 45) }));
  const other = (id: string, ms: number): string => JSON.stringify({ event_id: id, user_id: 'h', event_type: 'login', timestamp: at(ms) });
  // The burst spans 900 ms. After its first event the watermark moves just past the window,
  // so b0 is final before b1…b20 are even read; it is emitted only once they are counted.
  const lines = [burst[0], other('w', 10 * MIN + 1), ...burst.slice(1), other('x', 10 * MIN + 2000)];
  const { rows, rejects } = runStream(lines.join('\n') + '\n', { windowMs: 10 * MIN });
  assert.is(rejects.length, 0);
  assert.equal(rows.map((e) => [e.event_id, e.is_bot]),
    [...burst.map((_, i) => [`b${i}`, true]), ['w', false], ['x', false]]);
});

test('the engine emits while the input goes on, and its state stays bounded by the window', () => {
  const seen: number[] = [];
  let emitted = 0;
  const engine: StreamEngine = createStreamEngine({ windowMs: 10 * MIN }, { event: () => { emitted++; }, reject: () => {} });
  let maxPending = 0;
  for (let i = 0; i < 50_000; i++) {
    engine.push(JSON.stringify({ event_id: `e${i}`, user_id: `u${i % 500}`, event_type: 'login', timestamp: at(i * 1000) }) + '\n');
    maxPending = Math.max(maxPending, engine.info.pending);
    if (i % 10_000 === 9_999) seen.push(emitted);
  }
  assert.ok(seen[0] > 9_000 && seen.every((n, k) => k === 0 || n > seen[k - 1]), `rows come out as input goes in: ${seen}`);
  assert.ok(maxPending <= 10 * 60 + 3, `pending ids bounded by one window of input: ${maxPending}`);
  assert.ok(engine.stateSize().ids <= 2 * 10 * 60 + 3, `remembered ids bounded by window + retain: ${engine.stateSize().ids}`);
  engine.end();
  assert.is(emitted, 50_000);
});

test('silverTransform in stream.pipeline() with a slow reader: write() returns false and buffers stay bounded', async () => {
  const t = silverTransform({ windowMs: MIN });
  const line = (i: number): string => JSON.stringify({ event_id: `e${i}`, user_id: `u${i % 50}`, event_type: 'page_view', page: '/x', timestamp: at(i * 100) }) + '\n';
  let sawFalse = 0, maxBuffered = 0, consumed = 0;
  const slow = new Writable({
    highWaterMark: 1024,
    write(chunk: Buffer, _e, cb) { consumed += chunk.length; setTimeout(cb, 1); },
  });
  const done = pipeline(t, slow);
  for (let i = 0; i < 40_000; i += 100) {
    let text = '';
    for (let j = i; j < i + 100; j++) text += line(j);
    if (!t.write(text)) {
      sawFalse++;
      maxBuffered = Math.max(maxBuffered, t.writableLength + t.readableLength);
      await new Promise((resolve) => t.once('drain', resolve));
    }
  }
  t.end();
  await done;
  assert.ok(sawFalse > 10, `write() returned false ${sawFalse} times`);
  assert.ok(maxBuffered < 512 * 1024, `buffered bytes stayed small: ${maxBuffered}`);
  assert.ok(t.engine.stateSize().ids < 2 * 600 + 50, 'engine state bounded by the window');
  assert.is(t.engine.info.silver, 40_000);
  assert.ok(consumed > 40_000 * 300);
});

test('silverTransform: objects on the readable side; rejects to a writable stream as NDJSON, or as events', async () => {
  const rejected: string[] = [];
  const sink = new Writable({ write(c: Buffer, _e, cb) { rejected.push(c.toString('utf8')); cb(); } });
  const rows: SilverEvent[] = [];
  await pipeline(Readable.from([LATE_INPUT.slice(0, 100), LATE_INPUT.slice(100)]), silverTransform({ windowMs: 10 * MIN, output: 'objects', rejects: sink }),
    new Writable({ objectMode: true, write(e: SilverEvent, _e, cb) { rows.push(e); cb(); } }));
  assert.equal(rows.map((e) => [e.event_id, e.ts]), [['p1', T0], ['v1', T0 + MIN], ['p3', T0 + 15 * MIN], ['v2', T0 + 20 * MIN]]);
  assert.equal(rejected.join('').trim().split('\n').map((l) => JSON.parse(l).pos), [4, 5]);
  const t = silverTransform({ windowMs: 10 * MIN });
  const events: QuarantineRow[] = [];
  t.on('reject', (r: QuarantineRow) => events.push(r));
  await pipeline(Readable.from([LATE_INPUT]), t, new Writable({ write(_c, _e, cb) { cb(); } }));
  assert.equal(events.map((r) => r.reason), ['late_event', 'late_event']);
});

test('parseDuration: 1h, 30m, 90s, 500ms, 1.5h and plain ms; junk and zero are E_BAD_OPTION', () => {
  assert.equal(['1h', '30m', '90s', '500ms', '1.5h', '2d', '250', ' 5 m '].map((t) => parseDuration(t)),
    [HOUR, 30 * MIN, 90_000, 500, 1.5 * HOUR, 48 * HOUR, 250, 5 * MIN]);
  for (const bad of ['', 'h', '0', '-1h', '1.5ms', '1w', 'soon']) {
    try {
      parseDuration(bad);
      assert.unreachable(`'${bad}' accepted`);
    } catch (err) {
      assert.is((err as { code?: string }).code, 'E_BAD_OPTION');
      assert.match((err as Error).message, `got '${bad}'`);
    }
  }
});

test('push() after end() is an error; end() twice is harmless', () => {
  const engine = createStreamEngine({}, { event: () => {}, reject: () => {} });
  engine.end();
  engine.end();
  assert.throws(() => engine.push('{}\n'), /after end/);
});

test.run();
