// The one flag table: parseArgs options and every help text come from it, and each flag's
// text becomes the option value the library takes.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { COMMANDS, FLAGS, commandHelp, flagsOf, mainHelp, parseFlags } from '../lib/cli/flags.js';
import { DEFAULTS } from '../lib/options.js';

const BIN = fileURLToPath(new URL('../../bin/audicin.js', import.meta.url));
const cli = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });

test('a flag name is taken once per command; each command help lists exactly its flags', () => {
  for (const { name } of COMMANDS) {
    const names = flagsOf(name).map((f) => f.name);
    assert.equal(names, [...new Set(names)], name);
    const help = commandHelp(name);
    const listed = [...help.matchAll(/^ {2}--([a-z-]+)/gm)].map((m) => m[1]);
    assert.equal(listed, names, name);
  }
  assert.ok(FLAGS.every((f) => f.commands.length > 0 && f.help.length > 0));
});

test('every command answers --help with its usage and options, exit 0; audicin --help lists them all', () => {
  for (const { name, usage } of COMMANDS) {
    const r = cli(name, '--help');
    assert.is(r.status, 0, name);
    assert.is(r.stderr, '');
    assert.is(r.stdout, commandHelp(name));
    assert.ok(r.stdout.startsWith(`Usage: ${usage}\n`), name);
    assert.is(cli(name, '-h').stdout, r.stdout);
  }
  const all = cli('--help');
  assert.is(all.status, 0);
  assert.is(all.stdout, mainHelp());
  for (const { name } of COMMANDS) assert.match(all.stdout, `\nOptions of ${name}:\n`);
  assert.is(cli('help').stdout, all.stdout);
  const bare = cli();
  assert.equal([bare.status, bare.stdout], [2, all.stdout]);
});

test('help lines carry the defaults from the library', () => {
  const run = commandHelp('run');
  assert.match(run, `(default: ${DEFAULTS.botThreshold})`);
  assert.match(run, '--max-line-bytes N     longer lines are quarantined as line_too_long (default: 1048576)');
  assert.match(run, '(default: USD 1, EUR 1.08, NGN 0.00065)');
  assert.match(commandHelp('show'), '--limit N              show at most N rows (default: 20 for table, every row for csv and');
  for (const line of mainHelp().split('\n')) assert.ok(line.length <= 100, line);
});

test('values become library options: numbers, durations, dates, formats; a switch is true', async () => {
  const gold = await parseFlags('gold', ['--window', '90s', '--retain', '2h', '--bot-threshold', '5', '--emit-every', '1s', '--verbose', '--now', '2026-01-01T00:00:00Z']);
  assert.equal(gold, { values: { windowMs: 90_000, retainMs: 7_200_000, botThreshold: 5, now: '2026-01-01T00:00:00Z', verbose: true, emitEveryMs: 1000 }, positionals: [] });
  const show = await parseFlags('show', ['silver.events', '--from', '2026-01-02', '--limit', '3', '--format', 'csv']);
  assert.equal(show, { values: { from: '2026-01-02', limit: 3, format: 'csv' }, positionals: ['silver.events'] });
  const run = await parseFlags('run', ['--input', 'x', '--workers', '2', '--memory', '512MB']);
  assert.is(run.values.input, `${process.cwd()}/x`);
  assert.is(run.values.workers, 2);
  assert.is(run.values.memory, 512_000_000);
  assert.is((await parseFlags('run', ['--memory', '1GiB'])).values.memory, 1 << 30);
  // run's --format is the silver format (the library's `format`), show's the text format: one name, two meanings.
  assert.equal((await parseFlags('run', ['--format', 'ndjson', '--quiet'])).values, { silverFormat: 'ndjson', quiet: true });
  const bad = await parseFlags('run', ['--format', 'csv']).then(() => null, (e: Error) => e.message);
  assert.is(bad, "audicin: --format: expected one of parquet, ndjson, got 'csv'");
  // --help wins: nothing else is parsed, so a bad value does not hide the help.
  assert.equal(await parseFlags('run', ['--workers', 'many', '--help']), { values: { help: true }, positionals: [] });
});

test('usage errors name the command; flags of another command are refused', async () => {
  assert.is(cli('gold', '--emit-every', 'soon').stderr, "audicin: --emit-every: expected a duration like 1h, 30m, 90s, 500ms or a number of ms, got 'soon'\n");
  const other = cli('stream', '--emit-every', '1s');
  assert.is(other.status, 2);
  assert.match(other.stderr, /^audicin: stream: Unknown option '--emit-every'.*\(see audicin stream --help\)\n$/);
  assert.equal([cli('run', '--memory', 'lots').status, cli('run', '--memory', 'lots').stderr],
    [1, "audicin: --memory: expected a size like 512MB, 2GB or 1GiB, got 'lots'\n"]);
  const stray = cli('run', 'extra');
  assert.is(stray.status, 2);
  assert.match(stray.stderr, /^audicin: Unexpected argument 'extra'/);
  const first = cli('--input', 'x', 'run');
  assert.equal([first.status, first.stderr], [2, "audicin: expected a command before '--input' (see audicin --help)\n"]);
  assert.equal([cli('frobnicate').status, cli('frobnicate').stderr], [2, "audicin: unknown command 'frobnicate' (see audicin --help)\n"]);
});

test.run();
