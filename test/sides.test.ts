// Side sources (SPEC 1, 7, 9): a broken subscriptions array costs its broken element only,
// and the report says the splitter resynchronised.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SAMPLE_INPUT } from '../lib/options.js';
import { runPipeline } from '../lib/pipeline.js';
import type { QuarantineRow } from '../lib/core/types.js';
import { readNdjson, tempDir } from './helpers.js';

test('a stray { before the third element of the sample subscriptions costs that element only, and is flagged', async () => {
  const original = readFileSync(join(SAMPLE_INPUT, 'subscriptions.json'), 'utf8');
  const lines = original.split('\n');
  // Line 1 is `[`: line 4 holds the third element, s00003, already quarantined as end_before_start.
  assert.match(lines[3], /^\{"subscription_id":"s00003",.*"end_date":"2026-02-04".*\},$/);
  lines[3] = `{${lines[3]}`;
  const input = tempDir();
  for (const name of ['events.ndjson', 'marketing_spend.csv']) copyFileSync(join(SAMPLE_INPUT, name), join(input, name));
  writeFileSync(join(input, 'subscriptions.json'), lines.join('\n'));

  const before = tempDir(), after = tempDir();
  const good = (await runPipeline({ input: SAMPLE_INPUT, out: before, format: 'ndjson' })).report.sources.subscriptions;
  const { report } = await runPipeline({ input, out: after, format: 'ndjson' });
  const broken = report.sources.subscriptions;
  // Every other element loads as before; element 3 moves from end_before_start to invalid_json.
  const { end_before_start: wasEndBeforeStart, ...otherReasons } = good.quarantined;
  assert.equal(broken, {
    ...good,
    quarantined: Object.fromEntries(Object.entries({ ...otherReasons, invalid_json: (good.quarantined.invalid_json ?? 0) + 1,
      ...(wasEndBeforeStart! > 1 ? { end_before_start: wasEndBeforeStart! - 1 } : {}) }).sort()),
    resynchronised: 1,
  });
  assert.is(readFileSync(join(after, 'silver/subscriptions.ndjson'), 'utf8'), readFileSync(join(before, 'silver/subscriptions.ndjson'), 'utf8'));
  const q = readNdjson<QuarantineRow>(join(after, 'quarantine/subscriptions.ndjson')).find((r) => r.pos === 3)!;
  assert.equal([q.reason, q.raw], ['invalid_json', lines[3].slice(0, -1)]);
  assert.is(good.resynchronised, undefined);
});

test.run();
