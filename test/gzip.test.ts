// Gzipped sources: read as a stream through gunzip in every path (in memory on 1 and 2
// threads, out of core), landed in bronze as they came, and giving the same silver,
// quarantine, gold and report as the plain files; a broken gzip is one line naming the file.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { isAudicinError } from '../lib/core/errors.js';
import { SAMPLE_INPUT } from '../lib/options.js';
import { runPipeline } from '../lib/pipeline.js';
import { snapshot, tempDir } from './helpers.js';

const BIN = fileURLToPath(new URL('../../bin/audicin.js', import.meta.url));
const NOW = '2026-03-01T00:00:00Z';
const NAMES = ['events.ndjson', 'subscriptions.json', 'marketing_spend.csv'];

/** The sample with the sources named in `zipped` gzipped (`<name>.gz`, the plain file gone). */
function sampleWith(zipped: readonly string[]): string {
  const dir = tempDir('audicin-gz-');
  for (const name of NAMES) {
    const bytes = readFileSync(join(SAMPLE_INPUT, name));
    if (zipped.includes(name)) writeFileSync(join(dir, `${name}.gz`), gzipSync(bytes, { level: 6 }));
    else writeFileSync(join(dir, name), bytes);
  }
  return dir;
}

/** A lakehouse's files but bronze. */
const withoutBronze = (files: Record<string, string>): Record<string, string> =>
  Object.fromEntries(Object.entries(files).filter(([path]) => !path.startsWith('bronze/')));

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

const plain = join(tempDir(), 'lake');
await runPipeline({ input: SAMPLE_INPUT, out: plain, now: NOW });
const PLAIN = snapshot(plain);

test('every source gzipped: the same lakehouse but bronze, in memory on 1 and 2 threads and out of core', async () => {
  const input = sampleWith(NAMES);
  for (const options of [{ workers: 1 }, { workers: 2 }, { workers: 2, memory: '8MB' }]) {
    const out = join(tempDir(), 'lake');
    await runPipeline({ input, out, now: NOW, ...options });
    const files = snapshot(out);
    assert.equal(withoutBronze(files), withoutBronze(PLAIN), JSON.stringify(options));
    // Bronze holds each file as it came, compressed; the manifest describes those bytes.
    const manifest = JSON.parse(readFileSync(join(out, 'bronze/manifest.json'), 'utf8')) as { files: Record<string, unknown>[] };
    const plainManifest = JSON.parse(readFileSync(join(plain, 'bronze/manifest.json'), 'utf8')) as { files: Record<string, unknown>[] };
    for (const [i, name] of NAMES.entries()) {
      const gz = readFileSync(join(input, `${name}.gz`));
      assert.ok(readFileSync(join(out, `bronze/${name}.gz`)).equals(gz), `bronze/${name}.gz`);
      assert.equal(manifest.files[i], { ...plainManifest.files[i], name: `${name}.gz`, bytes: gz.length, sha256: sha256(gz) });
    }
    assert.equal(Object.keys(files).filter((f) => f.startsWith('bronze/')).sort(),
      ['bronze/events.ndjson.gz', 'bronze/manifest.json', 'bronze/marketing_spend.csv.gz', 'bronze/subscriptions.json.gz']);
  }
});

test('one source gzipped, named with .gz in the options: the same lakehouse but bronze', async () => {
  const input = sampleWith(['subscriptions.json']);
  const out = join(tempDir(), 'lake');
  await runPipeline({ input, out, now: NOW, files: { subscriptions: 'subscriptions.json.gz' } });
  assert.equal(withoutBronze(snapshot(out)), withoutBronze(PLAIN));
});

test('a truncated or a non-gzip .gz file: one E_GZIP line naming the file, the previous lakehouse kept', async () => {
  const out = join(tempDir(), 'lake');
  await runPipeline({ input: SAMPLE_INPUT, out, now: NOW });
  for (const name of NAMES) {
    for (const damage of ['truncated', 'not gzip', 'bad crc'] as const) {
      const input = sampleWith([name]);
      const path = join(input, `${name}.gz`);
      const gz = readFileSync(path);
      if (damage === 'truncated') writeFileSync(path, gz.subarray(0, Math.floor(gz.length / 2)));
      else if (damage === 'not gzip') writeFileSync(path, readFileSync(join(SAMPLE_INPUT, name)));
      else {
        // The CRC-32 of the trailer no longer matches the data.
        const bad = Buffer.from(gz);
        bad[bad.length - 8] ^= 0xff;
        writeFileSync(path, bad);
      }
      // Out of core only matters for events: the side sources are read the same way either path.
      for (const memory of name === 'events.ndjson' ? [undefined, '8MB'] : [undefined]) {
        let err: unknown;
        try {
          await runPipeline({ input, out, now: NOW, workers: 2, memory });
        } catch (e) {
          err = e;
        }
        const what = `${name}, ${damage}, memory ${memory ?? 'default'}`;
        assert.ok(isAudicinError(err), `${what}: ${String(err)}`);
        assert.is(err.code, 'E_GZIP', what);
        assert.match(err.message, new RegExp(`^audicin: ${path.replace(/[.]/g, '\\.')}: not a whole gzip file \\([^\\n]+\\)$`), what);
        assert.equal(snapshot(out), PLAIN, what);
      }
    }
  }
});

test('the command line: a broken gzip exits 1 with one line; a plain file and its .gz both present are refused', () => {
  const input = sampleWith(['events.ndjson']);
  const path = join(input, 'events.ndjson.gz');
  writeFileSync(path, readFileSync(path).subarray(0, 100));
  const out = join(tempDir(), 'lake');
  const r = spawnSync(process.execPath, [BIN, 'run', '--input', input, '--out', out], { encoding: 'utf8' });
  assert.is(r.status, 1);
  assert.match(r.stderr, new RegExp(`^audicin: ${path.replace(/[.]/g, '\\.')}: not a whole gzip file \\(unexpected end of file\\)\\n$`));
  copyFileSync(join(SAMPLE_INPUT, 'events.ndjson'), join(input, 'events.ndjson'));
  const both = spawnSync(process.execPath, [BIN, 'run', '--input', input, '--out', out], { encoding: 'utf8' });
  assert.is(both.status, 1);
  assert.is(both.stderr, `audicin: ${input}: both events.ndjson and events.ndjson.gz; keep one\n`);
});

test.run();
