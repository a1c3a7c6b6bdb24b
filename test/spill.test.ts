// The out-of-core batch path (lib/batch/): under a budget too small for the events, a run
// shuffles them into buckets spilled inside the staging folder, and every output must be
// byte-identical to the in-memory path's: silver, quarantine, superseded, gold, report.
// The spill files must be gone after success and after a failure.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { generate } from '../fixtures/generate.js';
import { planBuckets } from '../lib/batch/plan.js';
import { parseSize, resolveOptions, SAMPLE_INPUT } from '../lib/options.js';
import { lakehouseHome } from '../lib/io/output.js';
import { faultyFs, realFs, type OutputFs } from '../lib/io/output-fs.js';
import { runPipeline, type PipelineIo } from '../lib/pipeline.js';
import type { Options } from '../lib/options.js';
import type { GoldTables } from '../lib/gold/index.js';
import { snapshot, tempDir, writeInput } from './helpers.js';

const NOW = '2026-03-01T00:00:00Z';
const TINY = 8 * 1024 * 1024;

/** Every name under `dir`, recursively, relative to it. */
const namesUnder = (dir: string): string[] => readdirSync(dir, { recursive: true }).map(String);

/** Runs and returns the lakehouse's files and whether spill files were written. */
async function lake(options: Options, io: PipelineIo = {}):
  Promise<{ files: Record<string, string>; spilled: boolean; gold: GoldTables }> {
  const out = join(tempDir('audicin-spill-'), 'lake');
  const recorder = faultyFs({});
  const { gold } = await runPipeline({ now: NOW, ...options, out }, { fs: recorder, ...io });
  const files = snapshot(out);
  assert.not.ok(Object.keys(files).some((name) => name.includes('.spill')), 'no spill file is published');
  assert.equal(namesUnder(lakehouseHome(out)).filter((n) => /stage-|\.spill/.test(n)), [], 'no staging or spill folder is left');
  return { files, spilled: recorder.log.some((line) => line.includes('/.spill/')), gold };
}

let generated = '';
async function generated200k(): Promise<string> {
  if (generated === '') {
    generated = tempDir('audicin-spill-in-');
    await generate({ dir: generated, events: 200_000 });
  }
  return generated;
}

test('parseSize reads bytes and decimal or binary units; junk is one line of E_BAD_OPTION', () => {
  assert.is(parseSize('512MB'), 512_000_000);
  assert.is(parseSize('2GB'), 2_000_000_000);
  assert.is(parseSize('1GiB'), 1_073_741_824);
  assert.is(parseSize('1.5 mib'), 1_572_864);
  assert.is(parseSize('4096'), 4096);
  assert.is(parseSize('64k'), 64_000);
  for (const junk of ['', 'lots', '1 GBB', '-1GB', '0', '1e9', '0.1']) {
    assert.throws(() => parseSize(junk), (err: Error & { code?: string }) =>
      err.code === 'E_BAD_OPTION' && !err.message.includes('\n'), junk);
  }
  assert.is(resolveOptions({}).memory, 2 ** 30);
  assert.is(resolveOptions({ memory: '2GB' }).memory, 2e9);
  assert.is(resolveOptions({ memory: 1234 }).memory, 1234);
  assert.throws(() => resolveOptions({ memory: -5 }), /memory: expected a positive whole number/);
});

test('the plan: in memory when the events fit, else buckets sized for the budget', () => {
  assert.is(planBuckets(100_000_000, 2 ** 30, 2), null);
  // (2^30 − 160 MiB) / (2 × 7) = 64 712 118 bytes a bucket: 1.46 GB takes 23 of them.
  assert.equal(planBuckets(1_460_000_000, 2 ** 30, 2), { events: 23, users: 23, concurrent: 2 });
  // 8 MiB: a quarter of the budget, 299 593 bytes a bucket at one at a time; 29 MB would take 97, capped at 64.
  assert.equal(planBuckets(29_000_000, TINY, 1), { events: 64, users: 64, concurrent: 1 });
  assert.equal(planBuckets(71_194, TINY, 2), { events: 2, users: 2, concurrent: 2 });
  // 50M events (7.3 GB) in 64 buckets of 114 MB: at 7 bytes a byte, one bucket at a time fits 905 969 664 bytes.
  assert.equal(planBuckets(7_300_000_000, 2 ** 30, 2), { events: 64, users: 64, concurrent: 1 });
});

test('a tiny budget on the sample gives the in-memory bytes, at 1 and 2 workers', async () => {
  const memory = await lake({ input: SAMPLE_INPUT, workers: 1 });
  assert.not.ok(memory.spilled);
  for (const workers of [1, 2]) {
    const spilled = await lake({ input: SAMPLE_INPUT, workers, memory: TINY });
    assert.ok(spilled.spilled, 'the tiny budget spills');
    assert.equal(spilled.files, memory.files);
  }
});

test('any number of event and user buckets gives the same bytes', async () => {
  const memory = await lake({ input: SAMPLE_INPUT, workers: 1 });
  for (const events of [1, 2, 7]) {
    for (const users of [1, 2, 7]) {
      const got = await lake({ input: SAMPLE_INPUT, workers: 1 }, { buckets: { events, users } });
      assert.ok(got.spilled);
      assert.equal(got.files, memory.files, `${events} event buckets, ${users} user buckets`);
      // Out of core, ltv_per_user is read back from the lakehouse when asked for.
      assert.equal(got.gold, memory.gold);
      assert.ok(got.gold.ltv_per_user.length > 10);
    }
  }
});

test('a tiny budget on 200k generated events gives the in-memory bytes, at 1 and 2 workers', async () => {
  const input = await generated200k();
  const memory = await lake({ input, workers: 2 });
  assert.not.ok(memory.spilled);
  // Silver events as Parquet day partitions (the default), written on the silver thread here.
  assert.is(Object.keys(memory.files).filter((f) => /^silver\/events\/event_date=\d{4}-\d\d-\d\d\/part-0\.parquet$/.test(f)).length, 31);
  // One thread: silver written on the main thread, the same bytes.
  assert.equal((await lake({ input, workers: 1 })).files, memory.files, 'in memory, 1 worker');
  for (const workers of [1, 2]) {
    const spilled = await lake({ input, workers, memory: TINY });
    assert.ok(spilled.spilled);
    assert.equal(spilled.files, memory.files, `${workers} workers`);
  }
});

test('edge records: too long, blank, broken, escaped or missing ids, ties, bots and unicode ids split the same way', async () => {
  const base = Date.parse('2026-01-10T10:00:00Z');
  const ev = (id: unknown, user: string, ms: number, extra: Record<string, unknown> = {}): string =>
    JSON.stringify({ event_id: id, user_id: user, event_type: 'page_view', timestamp: new Date(base + ms).toISOString(), ...extra });
  const lines = [
    ev('a', 'u1', 0), '', '   ', 'x'.repeat(300), '{"event_id": "broken', ev('a', 'u1', 0), ev('a', 'u2', 5),
    ev('esc\\aped', 'u1', 1), '{"user_id":"u1","event_type":"click","timestamp":"2026-01-10T10:00:00Z"}', ev(42, 'u3', 2),
    ev('é', 'u3', 3), ev('\u{1F600}', 'u3', 3), ev('z', 'u3', 3), ev('ﬀ', 'u3', 3),
    ev('p1', 'u4', 9, { event_type: 'purchase', amount: 5, currency: 'EUR' }), ev('p1', 'u4', 9, { event_type: 'purchase', amount: 7, currency: 'USD' }),
    ev('s1', 'u5', 4, { event_type: 'signup', acquisition_channel: ' Ads ' }),
    ...Array.from({ length: 25 }, (_, i) => ev(`bot${i}`, 'robot', i * 10)),
  ];
  const input = writeInput({ events: lines.join('\n') + '\n' });
  const options = { input, workers: 1, maxLineBytes: 200 };
  const memory = await lake(options);
  const report = JSON.parse(Buffer.from(memory.files['report.json'], 'base64').toString('utf8'));
  assert.equal(report.bots, ['robot']);
  assert.is(report.sources.events.blank_lines, 2);
  assert.equal(report.sources.events.quarantined, { invalid_json: 1, line_too_long: 1, missing_event_id: 1 });
  assert.equal([report.sources.events.silver, report.sources.events.superseded], [34, 3]);
  for (const buckets of [{ events: 7, users: 2 }, { events: 2, users: 7 }]) {
    for (const workers of [1, 2]) {
      const got = await lake({ ...options, workers }, { buckets });
      assert.ok(got.spilled);
      assert.equal(got.files, memory.files, `${JSON.stringify(buckets)} at ${workers} workers`);
    }
  }
});

/** A file system whose openSync fails with ENOSPC on the first path matching `when`. */
function failingOpen(when: RegExp): OutputFs {
  let failed = false;
  return {
    ...realFs,
    openSync: (path, flags) => {
      if (!failed && when.test(path)) {
        failed = true;
        throw Object.assign(new Error(`ENOSPC: no space left on device, open '${path}'`), { code: 'ENOSPC' });
      }
      return realFs.openSync(path, flags);
    },
  };
}

test('a failure while spilling or merging leaves the old lakehouse and no spill file', async () => {
  const out = join(tempDir('audicin-spill-'), 'lake');
  await runPipeline({ input: SAMPLE_INPUT, out, now: NOW, workers: 1 });
  const before = snapshot(out);
  // While shuffling, once every bucket is done, as silver is merged, and as the ltv runs are read.
  for (const when of [/\.spill\/shuffle-1\.bin$/, /silver\/events\/event_date=2026-01-15\/part-0\.parquet$/, /gold\/ltv_per_user\.parquet$/]) {
    for (const workers of [1, 2]) {
      const err = await runPipeline({ input: SAMPLE_INPUT, out, now: NOW, workers, memory: TINY }, { fs: failingOpen(when) })
        .then(() => null, (e: unknown) => e as Error & { code?: string });
      assert.is(err?.code, 'E_OUTPUT', String(when));
      assert.equal(snapshot(out), before);
      assert.equal(namesUnder(lakehouseHome(out)).filter((n) => /stage-|\.spill|lock/.test(n)), []);
    }
  }
});

test.run();
