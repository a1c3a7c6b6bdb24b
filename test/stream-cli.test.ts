// `audicin stream` and `audicin gold` as Unix filters, run as child processes: a reader that
// leaves early, where rejects go, the summary line, gold against the batch run, and errors.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { createReadStream, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate, type GenerateResult } from '../fixtures/generate.js';
import { GOLD_TABLES } from '../lib/gold/index.js';
import { runPipeline } from '../lib/pipeline.js';
import { ndjson, readNdjson, tempDir } from './helpers.js';

const BIN = fileURLToPath(new URL('../../bin/audicin.js', import.meta.url));

interface Ran { code: number | null; stdout: string; stderr: string }

/** Runs the CLI with `stdin` given as text or as a file to stream in. */
function cli(args: string[], stdin: { text?: string; file?: string }): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '', stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => { stdout += s; });
    child.stderr.setEncoding('utf8').on('data', (s: string) => { stderr += s; });
    child.stdin.on('error', () => {});
    if (stdin.file !== undefined) createReadStream(stdin.file).pipe(child.stdin);
    else child.stdin.end(stdin.text ?? '');
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

let gen: GenerateResult;
let batchOut: string;
const ready = (async () => {
  const dir = tempDir('audicin-stream-cli-');
  gen = await generate({ dir, events: 100_000, seed: 5, ordered: true });
  batchOut = join(dir, 'lakehouse');
  await runPipeline({ input: dir, out: batchOut, format: 'ndjson' });
})();

test('a reader that closes early (| head -5): exit 0, nothing on stderr, no stack trace', async () => {
  await ready;
  const rejects = join(tempDir(), 'rejects.ndjson');
  const child = spawn(process.execPath, [BIN, 'stream', '--rejects', rejects], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '', text = '';
  child.stderr.setEncoding('utf8').on('data', (s: string) => { stderr += s; });
  child.stdin.on('error', () => {});
  createReadStream(gen.files.events).pipe(child.stdin);
  const five = await new Promise<string[]>((resolve) => {
    child.stdout.setEncoding('utf8').on('data', (s: string) => {
      text += s;
      const lines = text.split('\n');
      if (lines.length > 5) {
        child.stdout.destroy();
        resolve(lines.slice(0, 5));
      }
    });
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  assert.is(code, 0);
  assert.is(stderr, '');
  assert.is(five.length, 5);
  assert.ok(five.every((l) => JSON.parse(l).event_id !== undefined));
});

test('stream on stdin equals the batch silver file (with --source naming the file)', async () => {
  await ready;
  const r = await cli(['stream', '--source', 'events.ndjson', '--rejects', join(tempDir(), 'r.ndjson')], { file: gen.files.events });
  assert.is(r.code, 0, r.stderr);
  assert.is(r.stderr, '');
  assert.ok(r.stdout === readFileSync(join(batchOut, 'silver/events.ndjson'), 'utf8'), 'silver rows differ from batch');
});

test('gold on stdin equals every batch gold table, tagged with its table, in GOLD_TABLES order', async () => {
  await ready;
  const r = await cli(['gold', '--subscriptions', gen.files.subscriptions, '--marketing', gen.files.marketing_spend,
    '--rejects', join(tempDir(), 'r.ndjson')], { file: gen.files.events });
  assert.is(r.code, 0, r.stderr);
  let expected = '';
  for (const { name } of GOLD_TABLES) {
    for (const row of readNdjson(join(batchOut, `gold/${name}.ndjson`))) expected += JSON.stringify({ table: name, ...row }) + '\n';
  }
  assert.ok(r.stdout === expected, 'gold differs from batch');
  assert.match(r.stdout.split('\n')[0], /^\{"table":"daily_active_users","date":"2026-01-01","dau":\d+\}$/);
});

const SMALL = ndjson([
  { event_id: 'e1', user_id: 'u1', event_type: 'login', timestamp: '2026-01-10T10:00:00Z' },
  'not json',
  { event_id: 'e2', user_id: 'u1', event_type: 'purchase', timestamp: '2026-01-10T12:00:00Z', amount: 5 },
  { event_id: 'e1', user_id: 'u1', event_type: 'login', timestamp: '2026-01-10T10:30:00Z' },
  { event_id: 'e3', user_id: 'u2', event_type: 'purchase', timestamp: '2026-01-10T13:00:00Z', amount: 'ten' },
]);

test('rejects go to stderr by default, late_event included, with source stdin and the line number', async () => {
  const r = await cli(['stream', '--window', '90m'], { text: SMALL });
  assert.is(r.code, 0);
  assert.equal(r.stdout.trim().split('\n').map((l) => JSON.parse(l).event_id), ['e1', 'e2'], 'e1 final before its later version');
  const rows = r.stderr.trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(rows.map((x) => [x.source, x.pos, x.reason]), [['stdin', 2, 'invalid_json'], ['stdin', 4, 'late_event'], ['stdin', 5, 'invalid_amount']]);
  assert.is(rows[0].raw, 'not json');
});

test('--rejects FILE takes the rejects; --verbose prints one summary line on stderr', async () => {
  const file = join(tempDir(), 'rejects.ndjson');
  const r = await cli(['stream', '--rejects', file, '--verbose', '--window', '3h'], { text: SMALL });
  assert.is(r.code, 0);
  assert.equal(readNdjson(file).map((x) => x.reason), ['invalid_json', 'invalid_amount']);
  assert.equal(r.stdout.trim().split('\n').map((l) => JSON.parse(l).event_id), ['e1', 'e2']);
  assert.is(r.stderr, 'audicin stream: events: 5 records, 2 silver, 1 superseded, 2 quarantined (0 late), 0 bot user(s), '
    + 'watermark 2026-01-10T12:00:00.000Z\n', 'an invalid event does not move the watermark');
});

test('gold reads side files like the batch run; their rejects carry their file name', async () => {
  const dir = tempDir();
  const subs = join(dir, 'subs.json');
  const mk = join(dir, 'spend.csv');
  const { writeFileSync } = await import('node:fs');
  writeFileSync(subs, '[{"subscription_id":"s1","user_id":"u1","price":10,"start_date":"2026-01-10","status":"active","created_at":"2026-01-10T00:00:00Z"}, 42]');
  writeFileSync(mk, 'date,channel,spend\n2026-01-10,Google,100\n2026-01-10,google,-1\n');
  const r = await cli(['gold', '--subscriptions', subs, '--marketing', mk], { text: SMALL });
  assert.is(r.code, 0, r.stderr);
  const rejects = r.stderr.trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(rejects.map((x) => [x.source, x.pos, x.reason]), [['subs.json', 2, 'not_an_object'], ['spend.csv', 3, 'negative_spend'],
    ['stdin', 2, 'invalid_json'], ['stdin', 4, 'late_event'], ['stdin', 5, 'invalid_amount']]);
  const tables = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(tables.filter((t) => t.table === 'mrr_monthly'), [{ table: 'mrr_monthly', month: '2026-01', active_subscriptions: 1, mrr_usd: 10 }]);
  assert.equal(tables.filter((t) => t.table === 'cac_by_channel'), [{ table: 'cac_by_channel', channel: 'google', spend_usd: 100, signups: 0, cac_usd: null }]);
});

test('errors are one line: a bad --window, an unknown option, a missing side file', async () => {
  const bad = await cli(['stream', '--window', 'soon'], { text: '' });
  assert.is(bad.code, 1);
  assert.is(bad.stderr, "audicin: --window: expected a duration like 1h, 30m, 90s, 500ms or a number of ms, got 'soon'\n");
  const usage = await cli(['stream', '--input', 'x'], { text: '' });
  assert.is(usage.code, 2);
  assert.match(usage.stderr, /^audicin: stream: Unknown option '--input'/);
  const missing = await cli(['gold', '--subscriptions', '/nonexistent/subs.json'], { text: '' });
  assert.is(missing.code, 1);
  assert.is(missing.stderr, 'audicin: /nonexistent/subs.json: no such file or folder\n');
  const help = await cli(['stream', '--help'], { text: '' });
  assert.is(help.code, 0);
  assert.match(help.stdout, '--window DURATION');
});

/**
 * Starts `args` with `lines` on an open stdin, waits until the child has read them all (the
 * last line is invalid: its reject on stderr is the sign), then sends `signal`.
 */
function interrupted(args: string[], lines: string, signal: NodeJS.Signals): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '', stderr = '', sent = false;
    child.stdout.setEncoding('utf8').on('data', (s: string) => { stdout += s; });
    child.stderr.setEncoding('utf8').on('data', (s: string) => {
      stderr += s;
      if (!sent && stderr.includes('"reason":"invalid_json"')) {
        sent = true;
        child.kill(signal);
      }
    });
    child.stdin.on('error', () => {});
    child.stdin.write(lines + 'the end\n'); // stdin stays open
    child.on('error', reject);
    child.on('close', (code) => {
      child.stdin.destroy();
      resolve({ code, stdout, stderr });
    });
  });
}

const PENDING = ndjson([
  { event_id: 'p1', user_id: 'u1', event_type: 'login', timestamp: '2026-01-10T10:00:00Z' },
  { event_id: 'p2', user_id: 'u2', event_type: 'purchase', timestamp: '2026-01-10T10:20:00Z', amount: 5 },
  { event_id: 'p1', user_id: 'u1', event_type: 'login', timestamp: '2026-01-10T10:10:00Z' },
  { event_id: 'p3', user_id: 'u1', event_type: 'login', timestamp: '2026-01-10T10:30:00Z' },
]);

test('stream on SIGINT: every pending row is flushed, the summary says so, exit 130', async () => {
  const r = await interrupted(['stream', '--verbose'], PENDING, 'SIGINT');
  assert.is(r.code, 130, r.stderr);
  // Inside one window: nothing was final before the signal; after it, every winner is out.
  assert.equal(r.stdout.trim().split('\n').map((l) => [JSON.parse(l).event_id, JSON.parse(l).event_ts]),
    [['p1', '2026-01-10T10:10:00.000Z'], ['p2', '2026-01-10T10:20:00.000Z'], ['p3', '2026-01-10T10:30:00.000Z']]);
  const lines = r.stderr.trim().split('\n');
  assert.is(lines.length, 2);
  assert.is(JSON.parse(lines[0]).pos, 5);
  assert.is(lines[1], 'audicin stream: interrupted by SIGINT, pending rows flushed; events: 5 records, 3 silver, 1 superseded, '
    + '1 quarantined (0 late), 0 bot user(s), watermark 2026-01-10T10:30:00.000Z');
});

test('stream on SIGTERM: the same flush, exit 143', async () => {
  const r = await interrupted(['stream'], PENDING, 'SIGTERM');
  assert.is(r.code, 143, r.stderr);
  assert.equal(r.stdout.trim().split('\n').map((l) => JSON.parse(l).event_id), ['p1', 'p2', 'p3']);
});

test('gold on SIGINT: the tables over what was read are written, exit 130', async () => {
  const r = await interrupted(['gold'], PENDING, 'SIGINT');
  assert.is(r.code, 130, r.stderr);
  const tables = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(tables.filter((t) => t.table === 'daily_revenue_gross'),
    [{ table: 'daily_revenue_gross', date: '2026-01-10', purchases: 1, gross_revenue_usd: 5 }]);
  assert.equal(tables.filter((t) => t.table === 'daily_active_users'), [{ table: 'daily_active_users', date: '2026-01-10', dau: 2 }]);
});

test('empty stdin: no rows, exit 0', async () => {
  const r = await cli(['stream'], { text: '' });
  assert.equal([r.code, r.stdout, r.stderr], [0, '', '']);
});

test.run();
