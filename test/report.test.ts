// The counters of one source (SPEC 7): SourceCounts is the one place that bumps them, checks
// `records = silver + superseded + quarantined`, and merges partitions and buckets.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SourceCounts, newSourceReport, sortedReasons } from '../lib/core/report.js';
import { isAudicinError } from '../lib/core/errors.js';

test('each kind of record bumps its own counters; blank lines are not records', () => {
  const c = new SourceCounts('events.ndjson');
  c.blank();
  c.blank();
  c.quarantine('invalid_json');
  c.quarantine('missing_user_id');
  c.quarantine('invalid_json');
  for (let i = 0; i < 5; i++) c.valid();
  c.superseded(2);
  c.silver();
  c.silver(2);
  assert.equal(c.info, { file: 'events.ndjson', records: 8, blank_lines: 2, silver: 3, superseded: 2,
    quarantined: { invalid_json: 2, missing_user_id: 1 } });
  assert.is(c.check('events'), c);
});

test('check fails with E_INVARIANT naming the file and the four numbers', () => {
  const c = new SourceCounts('subs.json');
  c.valid();
  c.valid();
  c.quarantine('invalid_price');
  c.silver();
  try {
    c.check('subscriptions');
    assert.unreachable('the invariant does not hold');
  } catch (err) {
    assert.ok(isAudicinError(err));
    assert.is((err as { code: string }).code, 'E_INVARIANT');
    assert.is((err as Error).message,
      'audicin: subs.json: records (3) != silver (1) + superseded (0) + quarantined (1) for subscriptions');
  }
});

test('merge adds partitions and buckets field by field, reasons by name, into the row it wraps', () => {
  const a = new SourceCounts('e');
  a.blank();
  a.quarantine('line_too_long');
  const b = new SourceCounts('e');
  b.quarantine('invalid_json');
  b.quarantine('line_too_long');
  b.valid();
  b.valid();
  b.silver();
  b.superseded();
  // A row that crossed a thread is plain data: structuredClone stands for the trip.
  const into = newSourceReport('e');
  const total = new SourceCounts(into).merge(a.info).merge(structuredClone(b.info));
  assert.is(total.info, into);
  assert.equal(into, { file: 'e', records: 5, blank_lines: 1, silver: 1, superseded: 1,
    quarantined: { line_too_long: 2, invalid_json: 1 } });
  total.check('events');
  assert.equal(Object.keys(sortedReasons(into).quarantined), ['invalid_json', 'line_too_long']);
});

test('merge carries resynchronised only when a part has it', () => {
  const plain = new SourceCounts('s').merge(new SourceCounts('s').info);
  assert.not.ok('resynchronised' in plain.info);
  const part = { ...newSourceReport('s'), resynchronised: 2 };
  assert.is(new SourceCounts('s').merge(part).merge(part).info.resynchronised, 4);
});

test('a wider row (the stream\'s info) keeps its own fields', () => {
  const c = new SourceCounts({ ...newSourceReport('stdin'), watermark: null as number | null, pending: 0 });
  c.valid();
  c.info.pending++;
  assert.equal([c.info.records, c.info.pending, c.info.watermark], [1, 1, null]);
});

test.run();
