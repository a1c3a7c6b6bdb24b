import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ndjson, tempDir, writeInput } from './helpers.js';

const BIN = fileURLToPath(new URL('../../bin/audicin.js', import.meta.url));
const cli = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });

const input = writeInput({
  events: ndjson([
    { event_id: 'e1', user_id: 'u1', event_type: 'login', timestamp: '2026-01-10T23:30:00Z' },
    { event_id: 'e2', user_id: 'u1', event_type: 'purchase', timestamp: '2026-01-10T23:40:00Z', amount: 10 },
    'junk',
  ]),
});

test('run writes the lakehouse, prints counts and where the outputs are', () => {
  const out = tempDir();
  const r = cli('run', '--input', input, '--out', out);
  assert.is(r.status, 0, r.stderr);
  assert.is(r.stderr, '');
  assert.match(r.stdout, `lakehouse written to ${out}`);
  assert.match(r.stdout, /events\s+3 records\s+2 silver\s+0 superseded\s+1 quarantined/);
  assert.match(r.stdout, '2026-01-10  dau=1');
  assert.ok(existsSync(join(out, 'gold/daily_revenue_net.csv')));
});

test('run into a reader that is already gone exits 0 without a stack', () => {
  const out = tempDir();
  // `true` exits at once, so the summary meets a closed pipe (EPIPE); pipefail keeps run's status.
  const r = spawnSync('bash', ['-c', `set -o pipefail; "${process.execPath}" "${BIN}" run --input "${input}" --out "${out}" | true`], { encoding: 'utf8' });
  assert.is(r.stderr, '');
  assert.is(r.status, 0);
  assert.ok(existsSync(join(out, 'report.json')));
});

test('--timezone moves event days', () => {
  const out = tempDir();
  const r = cli('run', '--input', input, '--out', out, '--timezone', 'Europe/Helsinki');
  assert.is(r.status, 0, r.stderr);
  assert.is(readFileSync(join(out, 'gold/daily_active_users.csv'), 'utf8'), 'date,dau\n2026-01-11,1\n');
});

test('--fx replaces the rate table; an unknown currency is quarantined', () => {
  const dir = writeInput({ events: ndjson([
    { event_id: 'p1', user_id: 'u1', event_type: 'purchase', timestamp: '2026-01-10T10:00:00Z', amount: 10, currency: 'GBP', schema_version: 2 },
    { event_id: 'p2', user_id: 'u1', event_type: 'purchase', timestamp: '2026-01-10T11:00:00Z', amount: 10, currency: 'EUR', schema_version: 2 },
  ]) });
  const fx = join(tempDir(), 'fx.json');
  writeFileSync(fx, JSON.stringify({ USD: 1, GBP: 1.25 }));
  const out = tempDir();
  const r = cli('run', '--input', dir, '--out', out, '--fx', fx);
  assert.is(r.status, 0, r.stderr);
  assert.is(readFileSync(join(out, 'gold/daily_revenue_gross.csv'), 'utf8'), 'date,purchases,gross_revenue_usd\n2026-01-10,1,12.5\n');
  assert.equal(JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')).sources.events.quarantined, { unknown_currency: 1 });
});

test('--bot-threshold and --bot-window-ms change who is a bot', () => {
  const dir = writeInput({ events: ndjson(Array.from({ length: 4 }, (_, i) => (
    { event_id: `b${i}`, user_id: 'fast', event_type: 'page_view', timestamp: `2026-01-10T10:00:0${i}Z` }))) });
  const out = tempDir();
  assert.is(cli('run', '--input', dir, '--out', out, '--bot-threshold', '3', '--bot-window-ms', '5000').status, 0);
  assert.equal(JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')).bots, ['fast']);
  assert.is(cli('run', '--input', dir, '--out', out, '--bot-threshold', '3', '--bot-window-ms', '3000').status, 0);
  assert.equal(JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')).bots, []);
});

test('unusable input: non-zero exit, one line naming the file, no stack', () => {
  const r = cli('run', '--input', '/nonexistent/folder', '--out', tempDir());
  assert.is(r.status, 1);
  assert.is(r.stdout, '');
  assert.is(r.stderr, 'audicin: /nonexistent/folder: no such file or folder\n');
  const bad = cli('run', '--input', input, '--out', tempDir(), '--timezone', 'Mars/Olympus');
  assert.is(bad.status, 1);
  assert.is(bad.stderr.trim().split('\n').length, 1);
  assert.match(bad.stderr, "timezone: expected an IANA zone like Europe/Helsinki, got 'Mars/Olympus'");
  const fx = cli('run', '--input', input, '--out', tempDir(), '--fx', '/nonexistent/fx.json');
  assert.is(fx.stderr, 'audicin: /nonexistent/fx.json: no such file or folder\n');
});

test('an output folder that cannot be made: one line naming it, no hang', () => {
  const file = join(tempDir(), 'a-file');
  writeFileSync(file, '');
  const r = spawnSync(process.execPath, [BIN, 'run', '--input', input, '--out', join(file, 'lake')], { encoding: 'utf8', timeout: 20_000 });
  assert.is(r.status, 1);
  assert.is(r.stderr, `audicin: ${join(file, 'lake')}: not a folder\n`);
  // Under /proc, Node's recursive mkdir never returns; the engine must.
  const proc = spawnSync(process.execPath, [BIN, 'run', '--input', input, '--out', '/proc/audicin-lake/x'], { encoding: 'utf8', timeout: 20_000 });
  assert.is(proc.status, 1);
  assert.is(proc.stderr.trim().split('\n').length, 1);
  assert.match(proc.stderr, /^audicin: \/proc\/audicin-lake: /);
});

test('usage errors exit 2 and name the problem; --help prints usage', () => {
  const r = cli('run', '--bogus');
  assert.is(r.status, 2);
  assert.match(r.stderr, /^audicin: Unknown option '--bogus'/);
  assert.is(cli('frobnicate').status, 2);
  const n = cli('run', '--bot-threshold', 'ten');
  assert.is(n.stderr, "audicin: --bot-threshold: expected a positive whole number, got 'ten'\n");
  assert.is(cli('run', '--workers', '65').stderr, 'audicin: workers: expected at most 64, got 65\n');
  const help = cli('--help');
  assert.is(help.status, 0);
  assert.match(help.stdout, 'audicin run [options]');
});

test.run();
