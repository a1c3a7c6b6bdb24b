// `audicin show` on Parquet, read with hyparquet: every table of the sample run prints the same
// text from its Parquet file as from its NDJSON twin; silver events written as day partitions
// (and as one file) with 10-row row groups give the NDJSON path's rows for any range, and the
// partitions and row groups read and skipped are those computed from the NDJSON rows.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cpSync, mkdirSync, readdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Writable } from 'node:stream';
import { main } from '../lib/cli/main.js';
import { ParquetFileWriter, PartitionedParquetWriter, SILVER_EVENT_COLUMNS } from '../lib/parquet/index.js';
import { runPipeline } from '../lib/pipeline.js';
import { readNdjson, tempDir } from './helpers.js';

const root = tempDir();
const lake = join(root, 'lake');
await runPipeline({ out: lake, now: '2026-03-01T00:00:00Z' });
// Silver as NDJSON too, from the same run with --format ndjson; the events' Parquet partitions
// go (each test below writes its own).
{
  const twin = join(root, 'lake-ndjson');
  await runPipeline({ out: twin, now: '2026-03-01T00:00:00Z', format: 'ndjson' });
  for (const f of ['events', 'subscriptions', 'marketing_spend']) cpSync(join(twin, `silver/${f}.ndjson`), join(lake, `silver/${f}.ndjson`));
  rmSync(join(lake, 'silver/events'), { recursive: true });
}

/** A copy of lakehouse `from` at `to` (the output folder is a symlink to the committed run: copy what it points to). */
const copyLake = (from: string, to: string): void => cpSync(realpathSync(from), to, { recursive: true });

/** `lake` without its Parquet files: the NDJSON path. */
const ndjsonLake = join(root, 'ndjson');
copyLake(lake, ndjsonLake);
for (const f of readdirSync(ndjsonLake, { recursive: true }) as string[]) if (f.endsWith('.parquet')) rmSync(join(ndjsonLake, f));

const GROUP = 10;
const events = readNdjson(join(lake, 'silver/events.ndjson'));

/** A file sink for the Parquet writers: bytes held, written at close. */
function fileAt(path: string): { out: { writeBytes(b: Uint8Array): void }; close(): void } {
  const chunks: Uint8Array[] = [];
  return {
    out: { writeBytes: (b) => { chunks.push(b.slice()); } },
    close: () => { mkdirSync(dirname(path), { recursive: true }); writeFileSync(path, Buffer.concat(chunks)); },
  };
}

/** Silver events as day partitions beside the NDJSON (which Parquet overrides). */
const partLake = join(root, 'partitioned');
copyLake(lake, partLake);
const partitioned = new PartitionedParquetWriter('silver/events', SILVER_EVENT_COLUMNS, 'event_date', (rel) => fileAt(join(partLake, rel)), { rowGroupRows: GROUP });
partitioned.write(events);
partitioned.finish();

/** Silver events as one Parquet file of 10-row groups, the NDJSON removed. */
const fileLake = join(root, 'one-file');
copyLake(lake, fileLake);
rmSync(join(fileLake, 'silver/events.ndjson'));
{
  const file = fileAt(join(fileLake, 'silver/events.parquet'));
  const writer = new ParquetFileWriter(SILVER_EVENT_COLUMNS, file.out, { rowGroupRows: GROUP });
  for (let i = 0; i < events.length; i += GROUP) writer.write(events.slice(i, i + GROUP));
  writer.finish();
  file.close();
}

async function show(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '', stderr = '';
  const sink = (add: (s: string) => void): Writable => new Writable({ write(chunk, _enc, done) { add(String(chunk)); done(); } });
  const code = await main(['show', ...args], { stdin: process.stdin, stdout: sink((s) => { stdout += s; }), stderr: sink((s) => { stderr += s; }) });
  return { code, stdout, stderr };
}

async function same(args: string[], a: string, b: string): Promise<string> {
  const x = await show(...args, '--out', a);
  const y = await show(...args, '--out', b);
  assert.is(x.code, 0, x.stderr);
  assert.is(y.code, 0, y.stderr);
  assert.is(x.stdout, y.stdout, args.join(' '));
  return x.stdout;
}

const TABLES = ['gold.daily_active_users', 'gold.daily_revenue_gross', 'gold.daily_revenue_net', 'gold.mrr_monthly',
  'gold.weekly_cohort_retention', 'gold.cac_by_channel', 'gold.ltv_per_user', 'gold.ltv_cac_ratio', 'silver.subscriptions', 'silver.marketing_spend'];

test('every table with a Parquet file prints what its NDJSON twin prints, in every format', async () => {
  const parquet = (readdirSync(lake, { recursive: true }) as string[]).filter((f) => f.endsWith('.parquet')).sort();
  assert.is(parquet.length, TABLES.length, parquet.join(' '));
  for (const table of TABLES) {
    const verbose = await show(table, '--out', lake, '--format', 'ndjson', '--verbose');
    assert.match(verbose.stderr, new RegExp(`^show: ${table.replace('.', '\\.')}: Parquet row groups 1 read, 0 skipped\\n$`));
    const text = await same([table, '--format', 'ndjson'], lake, ndjsonLake);
    assert.ok(text.length > 0, table);
    await same([table, '--format', 'csv'], lake, ndjsonLake);
    await same([table, '--limit', '1000'], lake, ndjsonLake);
  }
  assert.is((await show('silver.subscriptions', '--out', ndjsonLake, '--format', 'csv', '--verbose')).stderr, 'show: silver.subscriptions: read from NDJSON\n');
});

test('a date range on single-file Parquet tables gives the NDJSON rows', async () => {
  for (const table of ['gold.daily_active_users', 'gold.weekly_cohort_retention', 'silver.marketing_spend']) {
    for (const range of [['--from', '2026-01-10', '--to', '2026-01-11'], ['--from', '2026-01-20'], ['--to', '2026-01-03'], ['--from', '2027-01-01']]) {
      await same([table, '--format', 'ndjson', ...range], lake, ndjsonLake);
    }
  }
});

/** Distinct days of the sample's silver events with their row counts, from the NDJSON. */
const perDay = new Map<string, number>();
for (const e of events) perDay.set(e.event_date as string, (perDay.get(e.event_date as string) ?? 0) + 1);
const inRange = (day: string, from?: string, to?: string): boolean => (from === undefined || day >= from) && (to === undefined || day <= to);

const RANGES: [string | undefined, string | undefined][] = [
  ['2026-01-10', '2026-01-11'], ['2026-01-01', '2026-01-01'], ['2026-01-15', undefined], [undefined, '2026-01-04'],
  ['2025-12-01', '2025-12-31'], [undefined, undefined], ['2026-01-31', '2026-02-15'],
];
const rangeArgs = (from?: string, to?: string): string[] => [...(from === undefined ? [] : ['--from', from]), ...(to === undefined ? [] : ['--to', to])];

test('silver events as day partitions: the rows of the NDJSON path; partitions skipped by name, counted', async () => {
  assert.is(partitioned.files.length, perDay.size);
  for (const [from, to] of RANGES) {
    const args = ['silver.events', '--format', 'ndjson', ...rangeArgs(from, to)];
    await same(args, partLake, ndjsonLake);
    await same(['silver.events', '--format', 'csv', ...rangeArgs(from, to)], partLake, ndjsonLake);
    const days = [...perDay.keys()].filter((d) => inRange(d, from, to));
    const groups = days.reduce((n, d) => n + Math.ceil(perDay.get(d)! / GROUP), 0);
    const r = await show(...args, '--out', partLake, '--verbose');
    // A partition holds one day, so every row group of a partition in range can match.
    assert.is(r.stderr, `show: silver.events: Parquet day partitions ${days.length} read, ${perDay.size - days.length} skipped; row groups ${groups} read, 0 skipped\n`, `${from}..${to}`);
  }
  // The README example, by hand: 31 days, of which 2026-01-10 (4 rows) and 2026-01-11 (6 rows) are read, one row group each.
  const r = await show('silver.events', '--out', partLake, '--from', '2026-01-10', '--to', '2026-01-11', '--format', 'csv', '--verbose');
  assert.is(r.stderr, 'show: silver.events: Parquet day partitions 2 read, 29 skipped; row groups 2 read, 0 skipped\n');
  assert.is(r.stdout.split('\n').length - 2, 10);
});

test('silver events in one file: row groups skipped by their event_date statistics, counted', async () => {
  // The file's row groups are the NDJSON rows 10 at a time; one can match when its first and last days straddle the range.
  const groups: { min: string; max: string }[] = [];
  for (let i = 0; i < events.length; i += GROUP) {
    const slice = events.slice(i, i + GROUP);
    groups.push({ min: slice[0]!.event_date as string, max: slice[slice.length - 1]!.event_date as string });
  }
  for (const [from, to] of RANGES) {
    const args = ['silver.events', '--format', 'ndjson', ...rangeArgs(from, to)];
    await same(args, fileLake, ndjsonLake);
    const read = groups.filter((g) => (from === undefined || g.max >= from) && (to === undefined || g.min <= to)).length;
    const r = await show(...args, '--out', fileLake, '--verbose');
    assert.is(r.stderr, `show: silver.events: Parquet row groups ${read} read, ${groups.length - read} skipped\n`, `${from}..${to}`);
  }
  // By hand: the 10 rows of 2026-01-10 and -11 are rows 124 to 133 of 472, in groups 13 and 14 of 48.
  const r = await show('silver.events', '--out', fileLake, '--from', '2026-01-10', '--to', '2026-01-11', '--format', 'csv', '--verbose');
  assert.is(r.stderr, 'show: silver.events: Parquet row groups 2 read, 46 skipped\n');
});

test('without a table: silver.events listed with its report.json count when it is partitioned', async () => {
  const bare = join(root, 'bare');
  copyLake(partLake, bare);
  rmSync(join(bare, 'silver/events.ndjson'));
  const r = await show('--out', bare);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /\nsilver\.events {18}472\n/);
  assert.is(await same(['silver.events', '--format', 'ndjson'], bare, ndjsonLake), await same(['silver.events', '--format', 'ndjson'], partLake, ndjsonLake));
});

test('a file that is not Parquet: one line naming it, exit 1', async () => {
  const bad = join(root, 'bad');
  copyLake(lake, bad);
  writeFileSync(join(bad, 'gold/mrr_monthly.parquet'), 'not parquet at all');
  const r = await show('mrr_monthly', '--out', bad);
  assert.is(r.code, 1);
  assert.is(r.stdout, '');
  assert.match(r.stderr, /^audicin: .*gold\/mrr_monthly\.parquet: not a readable Parquet file \(.*\)\n$/);
  assert.not.match(r.stderr, /\n./);
});

test.after(() => rmSync(root, { recursive: true, force: true }));

test.run();
