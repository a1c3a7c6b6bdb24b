// Bronze, manifest, silver and report describe the same bytes (SPEC 7): each source is
// landed once, and the run reads the landed copy, so a source file that changes after
// landing (appended to, truncated) cannot change the result.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createHash } from 'node:crypto';
import { appendFileSync, cpSync, readFileSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { generate } from '../fixtures/generate.js';
import { landingHook, runPipeline } from '../lib/pipeline.js';
import { readNdjson, snapshot, tempDir } from './helpers.js';

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

// 10k events (about 1.5 MB): reading them takes far longer than landing them.
const input = tempDir();
const ready = generate({ dir: input, events: 10_000, seed: 5 });

/** Runs over a fresh copy of the input whose events file `change` alters right after landing. */
async function runChanged(workers: number, change: (path: string) => void): Promise<string> {
  const dir = tempDir();
  cpSync(input, dir, { recursive: true });
  const out = tempDir();
  landingHook.afterLanded = (source, path) => { if (source === 'events') change(path); };
  try {
    await runPipeline({ input: dir, out, workers, format: 'ndjson' });
  } finally {
    landingHook.afterLanded = null;
  }
  return out;
}

test('an events file appended to or truncated after landing changes nothing: bronze, manifest, silver and report agree', async () => {
  await ready;
  const bytes = readFileSync(join(input, 'events.ndjson'));
  const lines = bytes.toString('utf8').split('\n').length - 1; // the generator ends every line
  const clean = tempDir();
  await runPipeline({ input, out: clean, workers: 1, format: 'ndjson' });
  const expected = snapshot(clean);
  const extra = readFileSync(join(input, 'events.ndjson'), 'utf8').split('\n').slice(0, 5000).join('\n') + '\n';
  const changes: [string, (path: string) => void][] = [
    ['truncated', (path) => truncateSync(path, 0)],
    ['cut in half', (path) => truncateSync(path, Math.floor(bytes.length / 2))],
    ['appended to', (path) => appendFileSync(path, extra.replaceAll('"event_id":"', '"event_id":"new-'))],
  ];
  for (const workers of [1, 2]) {
    for (const [what, change] of changes) {
      const out = await runChanged(workers, change);
      const label = `${what}, ${workers} worker(s)`;
      assert.equal(readFileSync(join(out, 'bronze/events.ndjson')), bytes, label);
      const manifest = JSON.parse(readFileSync(join(out, 'bronze/manifest.json'), 'utf8'));
      for (const f of manifest.files as { name: string; bytes: number; sha256: string }[]) {
        const landed = readFileSync(join(out, 'bronze', f.name));
        assert.equal([f.bytes, f.sha256], [landed.length, sha256(landed)], `${label}: manifest of ${f.name}`);
      }
      const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
      assert.is(report.sources.events.records + report.sources.events.blank_lines, lines, label);
      assert.ok(readNdjson<{ pos: number }>(join(out, 'silver/events.ndjson')).every((e) => e.pos >= 1 && e.pos <= lines), label);
      assert.equal(snapshot(out), expected, label);
    }
  }
});

test.run();
