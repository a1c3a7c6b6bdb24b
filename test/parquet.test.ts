// Parquet outputs, read back with hyparquet (a reader written apart from the writer): the
// writer's row groups and statistics, and every Parquet file of a run compared row by row,
// value and type, with its NDJSON twin.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parquetMetadata, parquetReadObjects, type FileMetaData, type SchemaElement } from 'hyparquet';
import { runPipeline } from '../lib/pipeline.js';
import { Staging } from '../lib/io/output.js';
import { CREATED_BY, ParquetFileWriter, PartitionedParquetWriter, SILVER_EVENT_COLUMNS, SilverEventsParquet, parquetBytes, stagedPartitions,
  type ParquetTable } from '../lib/parquet/index.js';
import { ndjson, readNdjson, tempDir, writeInput } from './helpers.js';

const SAMPLE = new URL('../../fixtures/sample', import.meta.url).pathname;
const NOW = '2026-03-01T00:00:00Z';

const buffer = (bytes: Uint8Array): ArrayBuffer => bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;

async function readParquet(bytes: Uint8Array): Promise<{ meta: FileMetaData; rows: Record<string, unknown>[] }> {
  const file = buffer(bytes);
  return { meta: parquetMetadata(file), rows: await parquetReadObjects({ file }) };
}

const EVENTS: ParquetTable = [
  { name: 'event_id', kind: 'string', nullable: false },
  { name: 'event_ts', kind: 'timestamp', nullable: false },
  { name: 'event_date', kind: 'date', nullable: false },
  { name: 'amount', kind: 'double' },
  { name: 'is_bot', kind: 'boolean', nullable: false },
  { name: 'pos', kind: 'int64', nullable: false },
];

const event = (i: number) => ({
  event_id: `e${i}`,
  event_ts: new Date(Date.UTC(2026, 0, 1 + i, 10, 0, 0, i)).toISOString(),
  event_date: `2026-01-${String(1 + i).padStart(2, '0')}`,
  amount: i % 2 === 0 ? null : i + 0.99,
  is_bot: i === 3,
  pos: 2 ** 40 + i,
});

test('writer: a row group per batch, split at rowGroupRows, with min/max of event_ts and event_date', async () => {
  const chunks: Uint8Array[] = [];
  const writer = new ParquetFileWriter(EVENTS, { writeBytes: (b) => chunks.push(b.slice()) }, { rowGroupRows: 4 });
  writer.write([0, 1, 2, 3, 4].map(event));
  const afterFirst = chunks.length;
  writer.write([5, 6, 7].map(event));
  writer.write([]);
  writer.finish();
  // The first batch's groups reached the output before the second batch came: nothing waits for the end.
  assert.ok(afterFirst > 0, 'bytes out after the first batch');
  const bytes = new Uint8Array(Buffer.concat(chunks));
  const { meta, rows } = await readParquet(bytes);
  assert.equal(meta.row_groups.map((g) => Number(g.num_rows)), [4, 1, 3]);
  assert.is(meta.created_by, CREATED_BY);
  const stats = (group: number, column: string) => {
    const chunk = meta.row_groups[group]!.columns.find((c) => c.meta_data!.path_in_schema[0] === column)!;
    const s = chunk.meta_data!.statistics!;
    return [s.min_value, s.max_value].map((v) => (v as Date).toISOString());
  };
  assert.equal(stats(0, 'event_ts'), ['2026-01-01T10:00:00.000Z', '2026-01-04T10:00:00.003Z']);
  assert.equal(stats(1, 'event_ts'), ['2026-01-05T10:00:00.004Z', '2026-01-05T10:00:00.004Z']);
  assert.equal(stats(2, 'event_date'), ['2026-01-06T00:00:00.000Z', '2026-01-08T00:00:00.000Z']);
  assert.is(rows.length, 8);
  assert.equal(rows[1], { event_id: 'e1', event_ts: new Date('2026-01-02T10:00:00.001Z'), event_date: new Date('2026-01-02'),
    amount: 1.99, is_bot: false, pos: BigInt(2 ** 40 + 1) });
  assert.is(rows[2]!.amount, null);
  assert.is(rows[3]!.is_bot, true);
});

test('writer: a value of the wrong type, or a null in a required column, names the column', () => {
  const bad = (row: Record<string, unknown>) => () => parquetBytes(EVENTS, [{ ...event(0), ...row }]);
  assert.throws(bad({ event_date: '2026-1-5' }), /parquet column event_date: expected a date YYYY-MM-DD, got '2026-1-5'/);
  assert.throws(bad({ event_ts: 'soon' }), /parquet column event_ts: expected an ISO timestamp or epoch ms, got 'soon'/);
  assert.throws(bad({ pos: 1.5 }), /parquet column pos: expected an integer, got 1.5/);
  assert.throws(bad({ event_id: null }), /parquet column event_id: expected a value, got null/);
  assert.throws(() => new ParquetFileWriter(EVENTS, { writeBytes: () => undefined }, { rowGroupRows: 0 }), /rowGroupRows/);
});

test('writer: an empty table is a valid file with its schema and no rows', async () => {
  const { meta, rows } = await readParquet(parquetBytes(EVENTS, []));
  assert.is(rows.length, 0);
  assert.equal(meta.schema.slice(1).map((e) => e.name), EVENTS.map((c) => c.name));
});

/** The logical type each column must read back with, by name, written out here rather than taken from lib/. */
const DATES = new Set(['date', 'cohort_week', 'event_date', 'start_date', 'end_date']);
const INSTANTS = new Set(['event_ts', 'created_at']);
const INT64 = new Set(['dau', 'purchases', 'active_subscriptions', 'week_number', 'cohort_size', 'active_users', 'signups', 'customers', 'pos']);
const JSON_COLUMNS = new Set(['attributes']);

function expectType(file: string, el: SchemaElement): void {
  const where = `${file} ${el.name}`;
  if (DATES.has(el.name)) {
    assert.is(el.type, 'INT32', where);
    assert.equal(el.logical_type, { type: 'DATE' }, where);
  } else if (INSTANTS.has(el.name)) {
    assert.is(el.type, 'INT64', where);
    assert.equal(el.logical_type, { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MILLIS' }, where);
  } else if (INT64.has(el.name)) {
    assert.is(el.type, 'INT64', where);
  } else if (JSON_COLUMNS.has(el.name)) {
    assert.equal(el.logical_type, { type: 'JSON' }, where);
  }
}

/** A value read from Parquet in its NDJSON form, checking its JS type on the way. */
function asNdjson(file: string, el: SchemaElement, v: unknown, twin: unknown): unknown {
  const where = `${file} ${el.name}`;
  if (v === null || v === undefined) return null;
  if (DATES.has(el.name)) {
    assert.instance(v, Date, where);
    return (v as Date).toISOString().slice(0, 10);
  }
  if (INSTANTS.has(el.name)) {
    assert.instance(v, Date, where);
    return (v as Date).toISOString();
  }
  if (INT64.has(el.name)) {
    assert.is(typeof v, 'bigint', where);
    return Number(v);
  }
  if (!JSON_COLUMNS.has(el.name)) assert.is(typeof v, typeof twin, where);
  return v;
}

const files = (dir: string): string[] =>
  (readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.endsWith('.parquet')).sort();

/** Parquet `bytes` against its NDJSON twin, row by row, value and type; returns the file's metadata. */
async function compareWithTwin(file: string, bytes: Uint8Array, twin: Record<string, unknown>[]): Promise<FileMetaData> {
  const { meta, rows } = await readParquet(bytes);
  const leaves = meta.schema.slice(1);
  if (twin.length > 0) assert.equal(leaves.map((e) => e.name), Object.keys(twin[0]!), `${file} columns`);
  leaves.forEach((el) => expectType(file, el));
  assert.is(rows.length, twin.length, `${file} rows`);
  rows.forEach((row, i) => {
    for (const el of leaves) {
      const want = twin[i]![el.name];
      const got = asNdjson(file, el, row[el.name], want);
      assert.equal(got, want, `${file} row ${i} ${el.name}`);
      if (typeof want === 'number') assert.ok(Object.is(got, want), `${file} row ${i} ${el.name}: ${String(got)} is exactly ${want}`);
    }
  });
  return meta;
}

const PARTITION = /^silver\/events\/event_date=(\d{4}-\d{2}-\d{2})\/part-0\.parquet$/;

/**
 * Every Parquet file of `out` against its NDJSON twin in `twins`, the same run written with
 * `format: 'ndjson'` (a day partition of silver events against that day's rows of
 * silver/events.ndjson, and the partitions together against every row); returns the files compared.
 */
async function compareWithTwins(out: string, twins: string): Promise<string[]> {
  const found = files(out);
  const events = readNdjson(join(twins, 'silver/events.ndjson'));
  let partitioned = 0;
  for (const file of found) {
    const day = PARTITION.exec(file)?.[1];
    const twin = day === undefined ? readNdjson(join(twins, file.replace(/\.parquet$/, '.ndjson'))) : events.filter((e) => e.event_date === day);
    if (day !== undefined) {
      assert.ok(twin.length > 0, `${file}: a partition of a day with rows`);
      partitioned += twin.length;
    }
    await compareWithTwin(file, readFileSync(join(out, file)), twin);
  }
  assert.is(partitioned, events.length, 'every silver event in one partition');
  return found;
}

/** A run of `options` as Parquet into a new folder, and its NDJSON twin; returns both folders. */
async function runTwins(options: Parameters<typeof runPipeline>[0]): Promise<{ out: string; twins: string }> {
  const out = join(tempDir(), 'lake'), twins = join(tempDir(), 'lake');
  await runPipeline({ ...options, out });
  await runPipeline({ ...options, out: twins, format: 'ndjson' });
  return { out, twins };
}

/** The day partitions of silver events `out` holds. */
const dayFiles = (found: string[]): string[] => found.filter((f) => PARTITION.test(f));

const EXPECTED_FILES = [
  'gold/cac_by_channel.parquet', 'gold/daily_active_users.parquet', 'gold/daily_revenue_gross.parquet', 'gold/daily_revenue_net.parquet',
  'gold/ltv_cac_ratio.parquet', 'gold/ltv_per_user.parquet', 'gold/mrr_monthly.parquet', 'gold/weekly_cohort_retention.parquet',
  'silver/marketing_spend.parquet', 'silver/subscriptions.parquet',
];

test('the sample run: every Parquet file reads back as its NDJSON twin, row by row, with proper types', async () => {
  const { out, twins } = await runTwins({ input: SAMPLE, now: NOW });
  const compared = await compareWithTwins(out, twins);
  for (const f of EXPECTED_FILES) assert.ok(compared.includes(f), f);
  // The sample's events span January 2026: one partition a day.
  assert.is(dayFiles(compared).length, 31);
  assert.not.ok(readdirSync(join(out, 'silver')).some((f) => f.endsWith('.ndjson')), 'no NDJSON silver beside Parquet');
  const { rows } = await readParquet(readFileSync(join(out, 'gold/mrr_monthly.parquet')));
  assert.type(rows[0]!.month, 'string');
  assert.match(rows[0]!.month as string, /^\d{4}-\d{2}$/);
});

test('a hand-built run: nulls, hostile strings and exact money read back exactly; a re-run writes the same bytes', async () => {
  const HOSTILE = ['=1+1', '-x', 'a,"b"\nc', 'tab\there', 'ünï 🎧', '\'quoted\'', '\\back'];
  const events = ndjson([
    ...HOSTILE.map((channel, i) => ({ event_id: `s${i}`, user_id: HOSTILE[(i + 1) % HOSTILE.length], event_type: 'signup',
      timestamp: `2026-01-0${1 + (i % 5)}T10:00:00.123Z`, acquisition_channel: channel, device: { os: channel } })),
    { event_id: 'nosignup', user_id: 'walker', event_type: 'page_view', timestamp: '2026-01-02T00:00:00Z' },
    { event_id: 'p1', user_id: 'walker', event_type: 'purchase', timestamp: '2026-01-02T11:00:00Z', amount: 0.1, currency: 'USD' },
    { event_id: 'p2', user_id: 'walker', event_type: 'purchase', timestamp: '2026-01-02T12:00:00Z', amount: 0.2, currency: 'USD' },
    { event_id: 'p3', user_id: '=1+1', event_type: 'purchase', timestamp: '2026-01-03T12:00:00Z', amount: '12345678.91', currency: 'USD' },
    { event_id: 'r1', user_id: '=1+1', event_type: 'refund', timestamp: '2026-01-04T12:00:00Z', amount: -0.07, currency: 'USD' },
  ]);
  const subscriptions = JSON.stringify([
    { subscription_id: 'sub1', user_id: 'walker', plan: null, status: 'active', price: '9.99', currency: 'USD', start_date: '2025-12-31', created_at: '2025-12-31T23:59:59.999Z' },
    { subscription_id: 'sub2', user_id: '=1+1', plan: 'a,"b"', status: 'canceled', price: 1234567.89, currency: 'USD', start_date: '2026-01-01', end_date: '2026-02-01', created_at: 1767225600000, note: { x: [1, 'y'] } },
  ]);
  const marketing = 'date,channel,spend\n2026-01-01,=1+1,0.30\n2026-01-01,nobody,99999999.99\n2026-01-02,"a,""b""\nc",0.01\n';
  const input = writeInput({ events, subscriptions, marketing });
  const { out, twins } = await runTwins({ input, now: NOW });
  const compared = await compareWithTwins(out, twins);
  assert.equal(compared.filter((f) => !PARTITION.test(f)), EXPECTED_FILES);
  assert.equal(dayFiles(compared), ['01', '02', '03', '04', '05'].map((d) => `silver/events/event_date=2026-01-${d}/part-0.parquet`));

  const cac = (await readParquet(readFileSync(join(out, 'gold/cac_by_channel.parquet')))).rows;
  assert.equal(cac.find((r) => r.channel === 'nobody'), { channel: 'nobody', spend_usd: 99999999.99, signups: 0n, cac_usd: null });
  assert.ok(cac.some((r) => r.channel === '=1+1'), 'a formula-like channel is kept as is, no quote');
  const ltv = (await readParquet(readFileSync(join(out, 'gold/ltv_per_user.parquet')))).rows;
  assert.equal(ltv.find((r) => r.user_id === 'walker'), { user_id: 'walker', acquisition_channel: null, purchases_usd: 0.3, refunds_usd: 0, ltv_usd: 0.3 });
  const subs = (await readParquet(readFileSync(join(out, 'silver/subscriptions.parquet')))).rows;
  assert.equal(subs[0]!.created_at, new Date('2025-12-31T23:59:59.999Z'));
  assert.equal(subs[0]!.end_date, null);
  assert.equal(subs[1]!.attributes, { note: { x: [1, 'y'] } });

  const again = join(tempDir(), 'lake');
  await runPipeline({ input, out: again, now: NOW });
  for (const f of compared) assert.ok(readFileSync(join(out, f)).equals(readFileSync(join(again, f))), `${f} is byte-identical`);
});

test('silver events of the sample, one file per event_date: row by row as the NDJSON, row groups within one day', async () => {
  const out = join(tempDir(), 'lake');
  await runPipeline({ input: SAMPLE, out, now: NOW, format: 'ndjson' });
  const twin = readNdjson(join(out, 'silver/events.ndjson'));
  const written = new Map<string, Uint8Array[]>();
  const writer = new PartitionedParquetWriter('silver/events', SILVER_EVENT_COLUMNS, 'event_date', (path) => {
    const chunks: Uint8Array[] = [];
    written.set(path, chunks);
    return { out: { writeBytes: (b) => chunks.push(b.slice()) }, close: () => undefined };
  }, { rowGroupRows: 25 });
  for (let i = 0; i < twin.length; i += 7) writer.write(twin.slice(i, i + 7));
  writer.finish();
  const days = [...new Set(twin.map((r) => r.event_date as string))];
  assert.equal(writer.files.map((f) => f.path), days.map((d) => `silver/events/event_date=${d}/part-0.parquet`));
  let at = 0;
  for (const f of writer.files) {
    const rows = twin.filter((r) => r.event_date === f.value);
    assert.is(f.rows, rows.length);
    const meta = await compareWithTwin(f.path, new Uint8Array(Buffer.concat(written.get(f.path)!)), twin.slice(at, at + rows.length));
    let first = at;
    for (const group of meta.row_groups) {
      const n = Number(group.num_rows);
      assert.ok(n <= 25, `${f.path}: ${n} rows in a group`);
      const stat = (name: string) => group.columns.find((c) => c.meta_data!.path_in_schema[0] === name)!.meta_data!.statistics!;
      const ts = stat('event_ts');
      // Sorted by time: a group's min and max are its first and last rows.
      assert.is((ts.min_value as Date).toISOString(), twin[first]!.event_ts);
      assert.is((ts.max_value as Date).toISOString(), twin[first + n - 1]!.event_ts);
      const day = stat('event_date');
      assert.equal([day.min_value, day.max_value].map((d) => (d as Date).toISOString().slice(0, 10)), [f.value, f.value]);
      first += n;
    }
    at += rows.length;
  }
  assert.is(at, twin.length);
  assert.throws(() => writer.write(twin.slice(0, 1)), /after finish/);
  const back = new PartitionedParquetWriter('t', SILVER_EVENT_COLUMNS, 'event_date', () => ({ out: { writeBytes: () => undefined }, close: () => undefined }));
  back.write([twin[twin.length - 1]!]);
  assert.throws(() => back.write([twin[0]!]), /event_date out of order: 2026-01-\d\d after 2026-01-\d\d/);
});

test('silver events from their lines: the same bytes as the row writer; a line off the layout is read with JSON.parse', async () => {
  const out = join(tempDir(), 'lake');
  await runPipeline({ input: SAMPLE, out, now: NOW, format: 'ndjson' });
  const text = readFileSync(join(out, 'silver/events.ndjson'), 'utf8');
  const rows = readNdjson(join(out, 'silver/events.ndjson'));
  const collect = (into: Map<string, Buffer>) => (path: string) => {
    const chunks: Buffer[] = [];
    return { out: { writeBytes: (b: Uint8Array) => { chunks.push(Buffer.from(b)); } }, close: () => { into.set(path, Buffer.concat(chunks)); } };
  };
  // The lines as the engine holds them: is_bot false and versions 1, the real values beside.
  const lines = text.split('\n').slice(0, -1).map((l) => l.replace(/"is_bot":true,"versions":\d+/, '"is_bot":false,"versions":1')
    .replace(/"is_bot":false,"versions":\d+/, '"is_bot":false,"versions":1'));
  assert.ok(rows.some((r) => r.is_bot === true) && rows.some((r) => (r.versions as number) > 1), 'the sample has bots and versions');
  // Row groups of 50 (days span several), of 3 (a row group ends inside a line's day), and
  // each line handed in through one buffer that the next line overwrites (as the k-way merge does).
  for (const rowGroupRows of [50, 3]) {
    const byRows = new Map<string, Buffer>(), byLines = new Map<string, Buffer>();
    const rowWriter = new PartitionedParquetWriter('silver/events', SILVER_EVENT_COLUMNS, 'event_date', collect(byRows), { rowGroupRows });
    rowWriter.write(rows);
    rowWriter.finish();
    const lineWriter = new SilverEventsParquet('silver/events', collect(byLines), { rowGroupRows });
    const scratch = Buffer.alloc(1 << 16);
    lines.forEach((line, i) => {
      const n = scratch.write(line + '\n');
      lineWriter.add(scratch, 0, n, rows[i]!.is_bot as boolean, rows[i]!.versions as number);
      scratch.fill(0x7a, 0, n);
    });
    lineWriter.finish();
    assert.is(lineWriter.slowLines, 0);
    assert.equal([...byLines.keys()], [...byRows.keys()]);
    for (const [path, file] of byRows) assert.ok(byLines.get(path)!.equals(file), `${path} (row groups of ${rowGroupRows})`);
  }

  // Keys in another order: the slow path, and the same row read back.
  const odd = new Map<string, Buffer>();
  const w = new SilverEventsParquet('silver/events', collect(odd));
  const row = rows.find((r) => r.attributes !== null && r.amount !== null)!;
  const { event_id, ...rest } = row;
  const line = Buffer.from(JSON.stringify({ ...rest, event_id }) + '\n');
  w.add(line, 0, line.length, row.is_bot as boolean, row.versions as number);
  w.finish();
  assert.is(w.slowLines, 1);
  const [path] = [...odd.keys()];
  await compareWithTwin(path!, odd.get(path!)!, [row]);
});

test('partitions staged: committed with the lakehouse, one folder per day', async () => {
  const out = join(tempDir(), 'lake');
  const staging = new Staging(out);
  const writer = stagedPartitions(staging, 'silver/events', SILVER_EVENT_COLUMNS, 'event_date');
  writer.write([0, 1].map((i) => ({ event_id: `e${i}`, user_id: 'u', event_type: 'login', event_ts: `2026-01-0${1 + i}T00:00:00.000Z`,
    event_date: `2026-01-0${1 + i}`, schema_version: 2, is_bot: false, versions: 1, source: 'events.ndjson', pos: i + 1 })));
  writer.finish();
  staging.commit();
  assert.equal(files(out), ['silver/events/event_date=2026-01-01/part-0.parquet', 'silver/events/event_date=2026-01-02/part-0.parquet']);
  const { rows } = await readParquet(readFileSync(join(out, 'silver/events/event_date=2026-01-02/part-0.parquet')));
  assert.equal(rows.map((r) => [r.event_id, r.event_ts, r.amount, r.attributes]), [['e1', new Date('2026-01-02T00:00:00Z'), null, null]]);
});

test.run();
