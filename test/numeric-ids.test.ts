// Numeric ids (issue 8, item 7): a number is taken as the exact decimal it writes, read from
// the source line when a double cannot hold it, so two distinct ids never merge.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { idHash, quickIdHash } from '../lib/batch/event-partition.js';
import { readId } from '../lib/core/fields.js';
import { numericId } from '../lib/core/numeric-ids.js';
import { runPipeline } from '../lib/pipeline.js';
import { parseJsonLine } from '../lib/io/readers.js';
import { createStreamEngine } from '../lib/stream/engine.js';
import type { SilverEvent } from '../lib/core/types.js';
import { readNdjson, tempDir, writeInput } from './helpers.js';

const line = (id: string, extra = '') =>
  `{"event_id": ${id}, "user_id": "u1", "event_type": "login", "timestamp": "2026-01-05T10:00:00Z"${extra}}`;

// 2^53 + 1 and 2^53: one double. Both written as numbers, plus the first again as a string.
const TWINS = [line('9007199254740993'), line('9007199254740992'), line('"9007199254740993"', ', "v": 2')].join('\n') + '\n';

for (const workers of [1, 2]) {
  test(`ids past 2^53 stay two events in batch (${workers} worker(s)); the string form is the same id`, async () => {
    const out = tempDir();
    const { report } = await runPipeline({ input: writeInput({ events: TWINS }), out, workers, format: 'ndjson' });
    const silver = readNdjson<SilverEvent & { event_id: string }>(join(out, 'silver/events.ndjson'));
    assert.equal(silver.map((e) => [e.event_id, e.versions, e.pos]), [['9007199254740992', 1, 2], ['9007199254740993', 2, 3]]);
    assert.is(report.sources.events.superseded, 1);
  });
}

test('ids past 2^53 stay two events in stream', () => {
  const rows: SilverEvent[] = [];
  const engine = createStreamEngine({}, { event: (e) => rows.push(e), reject: (r) => assert.unreachable(r.reason) });
  engine.push(TWINS);
  engine.end();
  assert.equal(rows.map((e) => [e.event_id, e.versions]), [['9007199254740992', 1], ['9007199254740993', 2]]);
});

test('user_id, refers_to_event_id and subscription_id keep their digits too', async () => {
  const events = [
    '{"event_id": "r1", "user_id": 12345678901234567891, "event_type": "refund", "timestamp": "2026-01-05T10:00:00Z", "amount": 1, "refers_to_event_id": 12345678901234567893}',
    '{"event_id": "r2", "user_id": 12345678901234567892, "event_type": "login", "timestamp": "2026-01-05T10:00:00Z"}',
  ].join('\n') + '\n';
  const subscriptions = '[{"subscription_id": 9007199254740993, "user_id": 9007199254740995, "price": 1, "start_date": "2026-01-01", "status": "active", "created_at": "2026-01-01T00:00:00Z"},'
    + '{"subscription_id": 9007199254740992, "user_id": "u", "price": 2, "start_date": "2026-01-01", "status": "active", "created_at": "2026-01-01T00:00:00Z"}]';
  const out = tempDir();
  const { gold } = await runPipeline({ input: writeInput({ events, subscriptions }), out, format: 'ndjson' });
  const silver = readNdjson(join(out, 'silver/events.ndjson'));
  assert.equal(silver.map((e) => [e.user_id, e.refers_to_event_id]),
    [['12345678901234567891', '12345678901234567893'], ['12345678901234567892', null]]);
  assert.equal(readNdjson(join(out, 'silver/subscriptions.ndjson')).map((s) => [s.subscription_id, s.user_id]),
    [['9007199254740992', 'u'], ['9007199254740993', '9007199254740995']]);
  assert.equal(gold.mrr_monthly, [{ month: '2026-01', active_subscriptions: 2, mrr_usd: 3 }]);
  assert.equal(gold.ltv_per_user.map((u) => u.user_id), ['12345678901234567891', '12345678901234567892']);
});

test('numericId: the exact value in plain decimal, no exponent, no trailing zeros', () => {
  const cases: [string, string][] = [
    ['1e3', '1000'], ['1.50', '1.5'], ['1.0', '1'], ['-0', '0'], ['0.0e5', '0'], ['-1.25E+2', '-125'],
    ['12345678901234567890123', '12345678901234567890123'], ['1e21', '1000000000000000000000'],
    ['1.5e-7', '0.00000015'], ['0.1', '0.1'], ['-0.000', '0'], ['100e-2', '1'], ['9007199254740993', '9007199254740993'],
    // Past 64 digits of padding, normalised scientific form: one digit, the point, the rest.
    ['1e400', '1e400'], ['-2.50e-100', '-2.5e-100'], ['12e65', '1.2e66'],
  ];
  for (const [token, id] of cases) assert.is(numericId(token), id, token);
});

test('parseJsonLine reads the exact token of the named fields only, the last of duplicate keys, escaped keys too', () => {
  const parsed = (text: string, fields: readonly string[]) => parseJsonLine(Buffer.from(text), fields).value as Record<string, unknown>;
  const v = parsed('{"a": {"event_id": 1}, "event_id": 9007199254740993, "other": 9007199254740993, "user_id": 1.50}', ['event_id', 'user_id']);
  assert.equal(v, { a: { event_id: 1 }, event_id: '9007199254740993', other: 9007199254740992, user_id: '1.5' });
  assert.is(parsed('{"event_id": 1, "x": "\\"event_id\\": 3", "\\u0065vent_id": 9007199254740995}', ['event_id']).event_id, '9007199254740995');
  assert.is(parsed('{"event_id": 18014398509481985, "event_id": 18014398509481987}', ['event_id']).event_id, '18014398509481987');
  // Safe integers stay numbers: validators take them as their decimal string, as before.
  assert.is(parsed('{"event_id": 1e3}', ['event_id']).event_id, 1000);
});

test('a numeric id hashes to the partition of its string twin, which the quick reader hashes from bytes', () => {
  const parsed = parseJsonLine(Buffer.from(line('9007199254740993')), ['event_id']).value as { event_id: unknown };
  assert.is(quickIdHash(Buffer.from(line('9007199254740993'))), -1);
  assert.is(idHash(readId(parsed.event_id)!), quickIdHash(Buffer.from(line('"9007199254740993"'))));
  assert.is(idHash(readId(1000)!), quickIdHash(Buffer.from(line('"1000"'))));
  // Strings are ids as written: "1e3" is not the number 1e3.
  assert.is.not(quickIdHash(Buffer.from(line('"1e3"'))), quickIdHash(Buffer.from(line('"1000"'))));
});

test.run();
