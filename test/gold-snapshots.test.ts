// `gold --emit-every`: numbered snapshots from the live accumulators, driven by a hand-held
// clock through the library, and the example as a child process.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { generate } from '../fixtures/generate.js';
import { createGoldStream, goldLines } from '../lib/stream/gold.js';
import { goldOutput, TICK, withTicks, type Ticker } from '../lib/stream/snapshots.js';
import { ndjson, tempDir } from './helpers.js';

const BIN = fileURLToPath(new URL('../../bin/audicin.js', import.meta.url));

/** A ticker the test ticks by hand. */
function handTicker(): Ticker & { tick(): void; stopped: boolean } {
  let wake: (() => void) | null = null;
  return {
    stopped: false,
    next: () => new Promise<void>((resolve) => { wake = resolve; }),
    stop() { this.stopped = true; },
    tick() {
      const w = wake;
      wake = null;
      w?.();
    },
  };
}

/** An async input the test feeds chunk by chunk. */
function handInput(): AsyncIterable<string> & { push(chunk: string): void; end(): void } {
  const queue: (string | null)[] = [];
  let wake: (() => void) | null = null;
  const kick = (): void => { const w = wake; wake = null; w?.(); };
  return {
    push(chunk) { queue.push(chunk); kick(); },
    end() { queue.push(null); kick(); },
    async *[Symbol.asyncIterator]() {
      for (;;) {
        while (queue.length === 0) await new Promise<void>((resolve) => { wake = resolve; });
        const chunk = queue.shift()!;
        if (chunk === null) return;
        yield chunk;
      }
    },
  };
}

const A = ndjson([
  { event_id: 'a1', user_id: 'u1', event_type: 'login', timestamp: '2026-01-10T10:00:00Z' },
  { event_id: 'a2', user_id: 'u1', event_type: 'purchase', timestamp: '2026-01-10T10:05:00Z', amount: 5 },
  { event_id: 'a3', user_id: 'u2', event_type: 'login', timestamp: '2026-01-11T09:00:00Z' },
]);
const B = ndjson([
  { event_id: 'b1', user_id: 'u2', event_type: 'purchase', timestamp: '2026-01-11T09:30:00Z', amount: 7 },
  { event_id: 'b2', user_id: 'u3', event_type: 'login', timestamp: '2026-01-12T12:00:00Z' },
]);

/** Rows of one table out of NDJSON gold text. */
const rowsOf = (text: string, table: string): unknown[] =>
  text.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l)).filter((r) => r.table === table);

test('snapshots are numbered, hold the final events so far, and leave the final tables as without them', async () => {
  const options = { now: '2026-03-01T00:00:00Z' };
  const gold = createGoldStream(options, () => undefined);
  const ticker = handTicker();
  const input = handInput();
  let pushed!: () => void;
  const afterPush = (): void => pushed();
  const out = goldOutput(gold, input, { ticker, afterPush });
  const fed = (chunk: string): Promise<void> => {
    const done = new Promise<void>((resolve) => { pushed = resolve; });
    input.push(chunk);
    return done;
  };

  const first = out.next();
  await fed(A);
  ticker.tick();
  const s1 = (await first).value as string;
  // a3 moved the watermark a day on: u1's events are final (and a bot window behind); a3 is still in its window.
  assert.equal(rowsOf(s1, 'daily_active_users'), [{ snapshot: 1, table: 'daily_active_users', date: '2026-01-10', dau: 1 }]);
  assert.equal(rowsOf(s1, 'daily_revenue_gross'), [{ snapshot: 1, table: 'daily_revenue_gross', date: '2026-01-10', purchases: 1, gross_revenue_usd: 5 }]);
  assert.ok(s1.split('\n').filter((l) => l !== '').every((l) => l.startsWith('{"snapshot":1,"table":')));

  const second = out.next();
  await fed(B);
  ticker.tick();
  const s2 = (await second).value as string;
  assert.equal(rowsOf(s2, 'daily_active_users').map((r) => (r as { date: string }).date), ['2026-01-10', '2026-01-11']);
  assert.equal(rowsOf(s2, 'daily_revenue_gross'), [
    { snapshot: 2, table: 'daily_revenue_gross', date: '2026-01-10', purchases: 1, gross_revenue_usd: 5 },
    { snapshot: 2, table: 'daily_revenue_gross', date: '2026-01-11', purchases: 1, gross_revenue_usd: 7 },
  ]);

  const last = out.next();
  input.end();
  const s3 = (await last).value as string;
  assert.is((await out.next()).done, true);
  assert.ok(ticker.stopped, 'the ticker stops with the input');
  const plain = createGoldStream(options, () => undefined);
  plain.push(A + B);
  const expected = goldLines(plain.finish());
  assert.is(s3.replace(/^\{"snapshot":3,/gm, '{'), expected);
  assert.equal(rowsOf(s3, 'daily_active_users').map((r) => (r as { dau: number }).dau), [1, 1, 1]);
});

test('snapshots after every chunk of 20k generated events change no final table', async () => {
  const dir = tempDir();
  const gen = await generate({ dir, events: 20_000, seed: 11, ordered: true });
  const bytes = readFileSync(gen.files.events);
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += 64 * 1024) chunks.push(bytes.subarray(i, i + 64 * 1024));
  const options = { now: '2026-12-01T00:00:00Z' };
  const watched = createGoldStream(options, () => undefined);
  const plain = createGoldStream(options, () => undefined);
  let snapshots = 0;
  for (const chunk of chunks) {
    watched.push(chunk);
    plain.push(chunk);
    watched.snapshot();
    snapshots++;
  }
  assert.ok(snapshots > 10);
  assert.is(goldLines(watched.finish()), goldLines(plain.finish()));
});

test('withTicks: a tick comes while the input is idle, and before a chunk that is also ready', async () => {
  const ticker = handTicker();
  const input = handInput();
  const seen: unknown[] = [];
  const it = withTicks(input, ticker);
  const p = it.next();
  ticker.tick();
  seen.push((await p).value);
  input.push('x');
  seen.push((await it.next()).value);
  // Both ready: the tick first.
  input.push('y');
  ticker.tick();
  await new Promise((resolve) => setImmediate(resolve));
  seen.push((await it.next()).value);
  seen.push((await it.next()).value);
  input.end();
  assert.is((await it.next()).done, true);
  assert.equal(seen, [TICK, 'x', TICK, 'y']);
});

test('without a ticker: the tables once, with no snapshot field', async () => {
  const gold = createGoldStream({ now: '2026-03-01T00:00:00Z' }, () => undefined);
  const texts: string[] = [];
  for await (const t of goldOutput(gold, [A, B])) texts.push(t);
  assert.is(texts.length, 1);
  assert.match(texts[0], /^\{"table":"daily_active_users","date":"2026-01-10","dau":1\}\n/);
});

test('(cat events.ndjson; sleep 4) | timeout 3 audicin gold --emit-every 1s prints snapshots before it is killed', async () => {
  const events = fileURLToPath(new URL('../../fixtures/sample/events.ndjson', import.meta.url));
  const child = spawn('bash', ['-c', `(cat "${events}"; sleep 4) | timeout 3 "${process.execPath}" "${BIN}" gold --emit-every 1s 2>/dev/null`]);
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (s: string) => { stdout += s; });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  assert.is(code, 124, 'timeout killed it');
  const rows = stdout.trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(Object.keys(rows[0]).slice(0, 2), ['snapshot', 'table']);
  // Numbered from 1 without gaps; the SIGTERM ends the input, so the last is over everything read.
  const numbers = [...new Set(rows.map((r) => r.snapshot))];
  assert.equal(numbers, numbers.map((_, i) => i + 1));
});

test('a timed snapshot comes while stdin is still open; SIGTERM then writes the last one, exit 143', async () => {
  const events = fileURLToPath(new URL('../../fixtures/sample/events.ndjson', import.meta.url));
  const child = spawn(process.execPath, [BIN, 'gold', '--emit-every', '1s', '--rejects', '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  child.stdin.on('error', () => {});
  child.stdin.write(readFileSync(events)); // and never ended
  await new Promise<void>((resolve) => {
    child.stdout.setEncoding('utf8').on('data', (s: string) => {
      const first = stdout === '';
      stdout += s;
      if (first) resolve();
    });
  });
  child.kill('SIGTERM');
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  child.stdin.destroy();
  assert.is(code, 143);
  const rows = stdout.trim().split('\n').map((l) => JSON.parse(l));
  assert.is(rows[0].snapshot, 1, 'the input is open: only the clock can have written it');
  const last = Math.max(...rows.map((r) => r.snapshot));
  assert.ok(last >= 2);
  // The last snapshot holds the whole input, as gold without --emit-every would.
  const plain = spawnSync(process.execPath, [BIN, 'gold', '--rejects', '/dev/null'], { input: readFileSync(events), encoding: 'utf8' });
  const final = rows.filter((r) => r.snapshot === last).map(({ snapshot, ...rest }) => JSON.stringify(rest) + '\n').join('');
  assert.is(final, plain.stdout);
});

test('a reader that leaves while stdin stays open: gold --emit-every stops reading and exits 0, quietly', async () => {
  const events = fileURLToPath(new URL('../../fixtures/sample/events.ndjson', import.meta.url));
  const child = spawn(process.execPath, [BIN, 'gold', '--emit-every', '100ms', '--rejects', '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (s: string) => { stderr += s; });
  child.stdin.on('error', () => {});
  child.stdin.write(readFileSync(events)); // and never ended
  const first = await new Promise<string>((resolve) => {
    let text = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => {
      text += s;
      if (text.includes('\n')) {
        child.stdout.destroy();
        resolve(text.split('\n')[0]);
      }
    });
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  child.stdin.destroy();
  assert.is(JSON.parse(first).snapshot, 1);
  assert.is(code, 0);
  assert.is(stderr, '');
});

test.run();
