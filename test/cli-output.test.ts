// The command line when its output cannot be written (stdout on a full device, a reader
// gone) and when it is interrupted (SIGINT, SIGTERM): one line on stderr, no stack, the
// right exit code, and no staging folder or lock left behind.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate } from '../fixtures/generate.js';
import { lakehouseHome } from '../lib/io/output.js';
import { ndjson, snapshot, tempDir, writeInput } from './helpers.js';

const BIN = fileURLToPath(new URL('../../bin/audicin.js', import.meta.url));

const input = writeInput({
  events: ndjson([{ event_id: 'e1', user_id: 'u1', event_type: 'login', timestamp: '2026-01-10T23:30:00Z' }]),
});

/** Runs the CLI with stdout on /dev/full: every write fails with ENOSPC. */
function toDevFull(args: string[], stdin = ''): { status: number | null; stderr: string } {
  const full = openSync('/dev/full', 'w');
  try {
    const r = spawnSync(process.execPath, [BIN, ...args], { stdio: ['pipe', full, 'pipe'], input: stdin, encoding: 'utf8' });
    return { status: r.status, stderr: r.stderr };
  } finally {
    closeSync(full);
  }
}

test('stdout on a full device: one line on stderr, exit 1 (run, --help, stream, gold)', () => {
  const out = tempDir();
  const run = toDevFull(['run', '--input', input, '--out', out]);
  assert.equal(run, { status: 1, stderr: 'audicin: stdout: no space left on device\n' });
  assert.ok(existsSync(join(out, 'report.json')));
  assert.equal(toDevFull(['--help']), { status: 1, stderr: 'audicin: stdout: no space left on device\n' });
  assert.equal(toDevFull(['stream', '--help']), { status: 1, stderr: 'audicin: stdout: no space left on device\n' });
  const events = ndjson([{ event_id: 'e1', user_id: 'u1', event_type: 'login', timestamp: '2026-01-10T23:30:00Z' },
    { event_id: 'e2', user_id: 'u1', event_type: 'login', timestamp: '2026-01-11T23:30:00Z' }]);
  assert.equal(toDevFull(['stream'], events), { status: 1, stderr: 'audicin: stdout: no space left on device\n' });
  assert.equal(toDevFull(['gold'], events), { status: 1, stderr: 'audicin: stdout: no space left on device\n' });
});

test('a reader already gone (EPIPE) stays a quiet exit 0: --help, gold', () => {
  for (const args of [['--help'], ['gold']]) {
    const r = spawnSync('bash', ['-c', `set -o pipefail; "${process.execPath}" "${BIN}" ${args.join(' ')} < "${join(input, 'events.ndjson')}" | true`], { encoding: 'utf8' });
    assert.is(r.stderr, '', args.join(' '));
    assert.is(r.status, 0, args.join(' '));
  }
});

const mid = join(tempDir(), 'mid');
await generate({ dir: mid, events: 20_000 });

// Large enough that a run is still going when the signal comes.
const big = join(tempDir(), 'in');
await generate({ dir: big, events: 200_000 });

async function interrupted(signal: 'SIGINT' | 'SIGTERM'): Promise<void> {
  const out = join(tempDir(), 'lake');
  // A lakehouse already there, which the interrupted run must leave as it was.
  assert.is(spawnSync(process.execPath, [BIN, 'run', '--input', input, '--out', out]).status, 0);
  const before = snapshot(out);
  const child = spawn(process.execPath, [BIN, 'run', '--input', big, '--out', out], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (s: string) => { stderr += s; });
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  // Mid-run: once its staging folder exists.
  const stage = join(lakehouseHome(out), `stage-${child.pid}`);
  while (!existsSync(stage)) await new Promise((resolve) => setTimeout(resolve, 5));
  child.kill(signal);
  const code = await exited;
  assert.is(code, signal === 'SIGINT' ? 130 : 143);
  assert.is(stderr, `audicin: interrupted by ${signal}\n`);
  assert.equal(readdirSync(lakehouseHome(out)), ['gen-000001']);
  assert.equal(snapshot(out), before);
}

test('SIGINT during run: exit 130, one line, staging folder and lock removed, --out as it was', () => interrupted('SIGINT'));

test('SIGTERM during run: exit 143, one line, staging folder and lock removed, --out as it was', () => interrupted('SIGTERM'));

test('a real full disk (a small tmpfs), 1 and 2 workers: one line, exit 1, the previous lakehouse intact', async () => {
  const mnt = tempDir();
  const eventsBytes = statSync(join(mid, 'events.ndjson')).size;
  // Room for the bronze copy of events and a little more: silver cannot fit.
  const size = Math.ceil((eventsBytes + (1 << 20)) / 4096) * 4096;
  const mount = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', mnt], { encoding: 'utf8' });
  if (mount.status !== 0) {
    console.log('  skipped the tmpfs test: mounting needs root (run the tests as root to enable it)');
    return;
  }
  try {
    for (const workers of ['1', '2']) {
      const out = join(mnt, `lake${workers}`);
      // NDJSON silver: the room left is sized for it (Parquet silver is about 16 times smaller).
      assert.is(spawnSync(process.execPath, [BIN, 'run', '--input', input, '--out', out, '--format', 'ndjson']).status, 0);
      const before = snapshot(out);
      const r = spawnSync(process.execPath, [BIN, 'run', '--input', mid, '--out', out, '--workers', workers, '--format', 'ndjson'],
        { encoding: 'utf8' });
      assert.is(r.status, 1, `workers ${workers}: ${r.stderr}`);
      // Whichever file meets the full disk first: silver (its own thread at 2 workers), gold CSV or Parquet, report.html, …
      assert.match(r.stderr, new RegExp(`^audicin: ${out}/[a-z_/]+\\.(ndjson|csv|json|parquet|html): no space left on device\n$`));
      assert.equal(snapshot(out), before);
      assert.equal(readdirSync(lakehouseHome(out)), ['gen-000001']);
    }
  } finally {
    spawnSync('umount', [mnt]);
  }
});

test.run();
