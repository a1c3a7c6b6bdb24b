// `run` progress on stderr: a cli-progress bar only when stderr is a terminal, silenced by
// --quiet; never a byte more on a pipe.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { main } from '../lib/cli/main.js';
import { generate } from '../fixtures/generate.js';
import { tempDir } from './helpers.js';

const BIN = fileURLToPath(new URL('../../bin/audicin.js', import.meta.url));

// 20k events, out of core too: long enough for the readers of two threads to report.
const input = tempDir();
await generate({ dir: input, events: 20_000, seed: 9 });

/** A stream that says it is a terminal and keeps what is written to it. */
function fakeTerminal(): { stream: Writable & { isTTY: boolean; columns: number }; text: () => string } {
  let text = '';
  const stream = Object.assign(new Writable({ write(chunk, _enc, done) { text += String(chunk); done(); } }), { isTTY: true, columns: 120 });
  return { stream, text: () => text };
}

async function runIn(stderr: Writable, ...args: string[]): Promise<number> {
  const stdout = new Writable({ write(_c, _e, done) { done(); } });
  return main(['run', '--input', input, '--out', join(tempDir(), 'lake'), ...args], { stdin: process.stdin, stdout, stderr });
}

test('stderr not a terminal: nothing but the run\'s own lines (here none)', () => {
  const r = spawnSync(process.execPath, [BIN, 'run', '--input', input, '--out', join(tempDir(), 'lake'), '--workers', '2'], { encoding: 'utf8' });
  assert.is(r.status, 0, r.stderr);
  assert.is(r.stderr, '');
});

test('a terminal: the step, bytes read of the total, events/s and the ETA; --quiet silences it', async () => {
  for (const extra of [['--workers', '2'], ['--workers', '1'], ['--memory', '8MB']]) {
    const tty = fakeTerminal();
    assert.is(await runIn(tty.stream, ...extra), 0);
    const text = tty.text();
    const what = extra.join(' ');
    assert.match(text, /audicin run: (reading|shuffling) events \|/, what);
    // The events file is 3.0 MB: the last line says all of it was read.
    assert.match(text, /audicin run: done \|[^|]*\| (\d+\.\d)\/\1 MB \| [\d,]+ events\/s \| ETA \d+s/, what);
    assert.ok(!/ \?\/| NaN/.test(text.slice(text.indexOf('reading'))), what);
    if (extra[0] === '--memory') assert.match(text, /audicin run: user buckets/, what);
    const quiet = fakeTerminal();
    assert.is(await runIn(quiet.stream, ...extra, '--quiet'), 0);
    assert.is(quiet.text(), '', `${what} --quiet`);
  }
});

test('a pseudo-terminal (script -qc): the bar is drawn on stderr; --quiet draws none', () => {
  if (!existsSync('/usr/bin/script')) {
    console.log('  (skipped: no /usr/bin/script)');
    return;
  }
  const run = (...extra: string[]): string => {
    const cmd = [process.execPath, BIN, 'run', '--input', input, '--out', join(tempDir(), 'lake'), ...extra].map((a) => `'${a}'`).join(' ');
    const r = spawnSync('script', ['-qec', cmd, '/dev/null'], { encoding: 'utf8' });
    assert.is(r.status, 0, r.stdout);
    return r.stdout;
  };
  assert.match(run(), /audicin run: done \|/);
  assert.not.match(run('--quiet'), /audicin run:/);
});

test.run();
