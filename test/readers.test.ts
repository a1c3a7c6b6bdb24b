// Readers (SPEC 1, 9): the one JSON line parser (nesting depth checked before parsing), the
// CSV header rules, and one bad record costing only itself in batch (1 and 2 threads),
// stream and a subscriptions element.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { AudicinError, isAudicinError } from '../lib/core/errors.js';
import { runPipeline } from '../lib/pipeline.js';
import { MAX_JSON_DEPTH, csvRecords, parseJsonLine } from '../lib/io/readers.js';
import { createStreamEngine } from '../lib/stream/engine.js';
import type { QuarantineRow, SilverEvent } from '../lib/core/types.js';
import { ndjson, readNdjson, tempDir, writeInput } from './helpers.js';

const parse = (text: string) => parseJsonLine(Buffer.from(text, 'utf8'));
const nested = (levels: number): string => '['.repeat(levels) + ']'.repeat(levels);

test('nesting: up to MAX_JSON_DEPTH levels parse; one more is invalid_json "nested too deep", without parsing', () => {
  assert.is(MAX_JSON_DEPTH, 100);
  // The record's own object is level 1.
  assert.is(parse(`{"a":${nested(99)}}`).error, null);
  assert.is(parse(`{"a":${nested(100)}}`).error, 'nested too deep');
  assert.is(parse(nested(100)).error, null);
  assert.is(parse(nested(101)).error, 'nested too deep');
  assert.is(parse(`{"a":${'{"b":'.repeat(100)}1${'}'.repeat(100)}}`).error, 'nested too deep');
  // Far too deep and unbalanced (a cut line): still one cheap rejection.
  assert.is(parse(`{"a":${'['.repeat(100_000)}`).error, 'nested too deep');
  // Brackets inside strings, escaped quotes included, are not nesting.
  const inString = `{"a":"${'['.repeat(300)}\\"${'{'.repeat(300)}","b":[1]}`;
  assert.equal(parse(inString).value, { a: `${'['.repeat(300)}"${'{'.repeat(300)}`, b: [1] });
  // Closing brackets bring the depth back down: many shallow arrays are fine.
  assert.equal((parse(`[${Array(500).fill('[[1]]').join(',')}]`).value as unknown[]).length, 500);
});

const login = (id: string, extra: Record<string, unknown> = {}) =>
  ({ event_id: id, user_id: 'u1', event_type: 'login', timestamp: '2026-01-05T10:00:00Z', ...extra });
/** A 200 KB line: a valid event but for a 100k-level array in one field. */
const deepEvent = JSON.stringify(login('deep')).replace(/}$/, `,"x":${nested(100_000)}}`);
const EVENTS = ndjson([login('e1'), deepEvent, login('e2'), `{"event_id":"d2","x":${'{"y":'.repeat(50_000)}`, login('e3')]);

test('batch, 1 and 2 threads: a 100k-level array in a field costs its own line only', async () => {
  for (const workers of [1, 2]) {
    const out = tempDir();
    const { report } = await runPipeline({ input: writeInput({ events: EVENTS }), out, workers, format: 'ndjson' });
    assert.equal(report.sources.events.quarantined, { invalid_json: 2 }, `workers ${workers}`);
    assert.equal(readNdjson(join(out, 'silver/events.ndjson')).map((e) => e.event_id), ['e1', 'e2', 'e3']);
    const q = readNdjson<QuarantineRow>(join(out, 'quarantine/events.ndjson'));
    assert.equal(q.map((r) => [r.pos, r.reason, r.detail]), [[2, 'invalid_json', 'nested too deep'], [4, 'invalid_json', 'nested too deep']]);
    assert.is(q[0].raw, deepEvent);
  }
});

test('stream: a 100k-level array in a field costs its own line only', () => {
  const rows: SilverEvent[] = [];
  const rejects: QuarantineRow[] = [];
  const engine = createStreamEngine({}, { event: (e) => rows.push(e), reject: (r) => rejects.push(r) });
  engine.push(EVENTS);
  engine.end();
  assert.equal(rows.map((e) => e.event_id), ['e1', 'e2', 'e3']);
  assert.equal(rejects.map((r) => [r.pos, r.reason, r.detail]), [[2, 'invalid_json', 'nested too deep'], [4, 'invalid_json', 'nested too deep']]);
});

test('subscriptions: a 100k-level array inside one element costs that element only', async () => {
  const sub = (id: string, extra = '') => `{"subscription_id":"${id}","user_id":"u1","price":9.99,"start_date":"2026-01-01",`
    + `"end_date":null,"status":"active","created_at":"2026-01-01T00:00:00Z"${extra}}`;
  const subscriptions = `[\n${sub('s1')},\n${sub('s2', `,"x":${nested(100_000)}`)},\n${sub('s3')}\n]\n`;
  const out = tempDir();
  const { report } = await runPipeline({ input: writeInput({ subscriptions }), out, format: 'ndjson' });
  assert.equal(report.sources.subscriptions.quarantined, { invalid_json: 1 });
  assert.equal(readNdjson(join(out, 'silver/subscriptions.ndjson')).map((s) => s.subscription_id), ['s1', 's3']);
  assert.equal(readNdjson<QuarantineRow>(join(out, 'quarantine/subscriptions.ndjson')).map((r) => [r.pos, r.detail]), [[2, 'nested too deep']]);
});

/** The error a CSV header line raises, or null. */
function headerError(header: string): AudicinError | null {
  const reader = csvRecords('marketing_spend.csv', ['date', 'channel', 'spend'],
    { record: () => undefined, reject: () => undefined, blank: () => undefined });
  try {
    reader.line(Buffer.from(header, 'utf8'), 1);
    return null;
  } catch (err) {
    assert.ok(isAudicinError(err));
    return err;
  }
}

test('CSV: a header name given twice is E_BAD_HEADER naming the file, line 1 and the name', () => {
  const err = headerError('date,channel,spend, Channel ');
  assert.is(err?.code, 'E_BAD_HEADER');
  assert.is(err?.message, "audicin: marketing_spend.csv: line 1: expected each column name once, got 'channel' twice");
  assert.is(headerError('date,channel,spend,note'), null);
});

test('CSV: control characters in a header are escaped in the error, never sent raw to a terminal', () => {
  const err = headerError('\u001b[31mday\u001b[0m,channel,\u0007amount\r');
  assert.is(err?.code, 'E_BAD_HEADER');
  assert.is(err?.message, "audicin: marketing_spend.csv: line 1: expected a header with date,channel,spend, "
    + "got '\\u001b[31mday\\u001b[0m,channel,\\u0007amount\\u000d'");
  assert.is(headerError('date,\u009bchannel,spend,\u001b,\u001b')?.message,
    "audicin: marketing_spend.csv: line 1: expected a header with date,channel,spend, got 'date,\\u009bchannel,spend,\\u001b,\\u001b'");
});

test('every error message is one line of printable text', () => {
  assert.is(new AudicinError('E_USAGE', 'a\nb\u007f\tc').message, 'audicin: a\\u000ab\\u007f\\u0009c');
  // Escaping twice changes nothing (errors cross threads and are rebuilt).
  assert.is(new AudicinError('E_USAGE', 'a\\u000ab').message, 'audicin: a\\u000ab');
});

test.run();
