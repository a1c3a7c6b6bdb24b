// The batch run: read → validate → dedup → bots → accumulate → aggregate → write.
// Events go through partitions on worker threads (event-workers.ts) and are merged by time
// (event-merge.ts); the two small sources stream through their readers into dedup maps
// here meanwhile. Dedup is exact over the whole input, whatever its order. When the events
// would not fit the memory budget, they go out of core through buckets instead (batch/),
// with the same outputs byte for byte.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Version } from './core/dedup.js';
import { bucketConcurrency, mergeSpilled, removeSpill, spillEvents, type SpilledBuckets } from './batch/spill.js';
import { planBuckets, type BucketPlan } from './batch/plan.js';
import { mergeEventPartitions, type MergedEvents } from './batch/event-merge.js';
import { partitionCount, processEvents } from './batch/event-workers.js';
import type { PartitionResult } from './batch/event-partition.js';
import { AudicinError, fileError } from './core/errors.js';
import { GOLD_TABLES, addMarketing, addSubscription, finishPartial, goldCsvHeader, goldCsvLines, goldNdjson, goldParquetTable,
  ltvPerUserRow, reduceGold, type GoldRow, type GoldTableName, type GoldTables } from './gold/index.js';
import { DEFAULT_ROW_GROUP_ROWS, ParquetFileWriter, SILVER_MARKETING_COLUMNS, SILVER_SUBSCRIPTION_COLUMNS, stagedFile,
  writeParquetFile } from './parquet/index.js';
import { resolveOptions, type Options } from './options.js';
import { Staging, type FileSink } from './io/output.js';
import type { FaultPlan, OutputFs } from './io/output-fs.js';
import { checkSourceFile, isGzip, landSource, postProgress, sourceName, uncompressedSize } from './io/readers.js';
import { checkInvariant, sortedReasons, type Report } from './core/report.js';
import { QuarantineSamples, reportHtml } from './report-html/index.js';
import { readMarketing, readSubscriptions, type SideRead } from './io/sides.js';
import { marketingLine, marketingRow, subscriptionLine, subscriptionRow } from './core/silver.js';
import { silverEventSink, writeSilverEvents, writeSilverEventsOnThread } from './io/silver-writer.js';
import { trace } from './io/trace.js';
import type { QuarantineRow, ResolvedOptions, SilverMarketing, SourceName } from './core/types.js';

export interface RunResult {
  report: Report;
  /**
   * The gold tables. Out of core, ltv_per_user (a row per user) is read back from the
   * written `gold/ltv_per_user.ndjson` when first asked for, so the run never holds it.
   */
  gold: GoldTables;
  /** The folder the lakehouse was written to. */
  out: string;
  /** One line saying what was repaired from an interrupted run, or null. */
  repaired: string | null;
}

/** For tests: the file-system layer of the outputs, and faults for the silver writer thread. */
export interface PipelineIo {
  /** Default node:fs. */
  fs?: OutputFs;
  /** Default none. */
  threadFaults?: FaultPlan;
  /** Forces the out-of-core path with these bucket counts; default: as the memory budget plans it. */
  buckets?: Omit<BucketPlan, 'concurrent'>;
}

/**
 * For tests: `afterLanded` runs once a source's bytes are landed in bronze, before the run
 * goes on, with the path of the original file (a test changes it there). Null by default.
 */
export const landingHook: { afterLanded: ((source: SourceName, path: string) => void) | null } = { afterLanded: null };

/** `superseded/<source>.ndjson`: each losing version's lineage and the winner it lost to. */
function writeSuperseded<T extends Version>(staging: Staging, source: SourceName, got: SideRead<T>): void {
  const sink = staging.open(`superseded/${source}.ndjson`);
  for (const [key, pos] of got.losers.sort((a, b) => a[1] - b[1])) {
    const winner = got.winners.get(key)!;
    sink.write(JSON.stringify({ source: got.info.file, pos, key, winner_pos: winner.pos }) + '\n');
  }
  sink.close();
}

/** Reads a side source, its rejects to `quarantine/<source>.ndjson` and its bytes to bronze. */
async function side<T>(staging: Staging, samples: QuarantineSamples, source: SourceName, file: string,
  read: (onReject: (row: QuarantineRow) => void, bronze: FileSink) => Promise<T>): Promise<T> {
  const quarantine = staging.open(`quarantine/${source}.ndjson`);
  const bronze = staging.open(`bronze/${file}`);
  const got = await read((row) => {
    quarantine.write(JSON.stringify(row) + '\n');
    samples.add(source, row);
  }, bronze);
  quarantine.close();
  bronze.close();
  return got;
}

/**
 * Writes gold table `name` as CSV, NDJSON and Parquet, one Parquet row group of rows at a
 * time, so `rows` may be a stream longer than memory; returns how many rows it wrote.
 */
function writeGoldTable(staging: Staging, name: GoldTableName, rows: Iterable<GoldRow>): number {
  const csv = staging.open(`gold/${name}.csv`), ndjson = staging.open(`gold/${name}.ndjson`);
  const parquetFile = stagedFile(staging, `gold/${name}.parquet`);
  const parquet = new ParquetFileWriter(goldParquetTable(name), parquetFile.out);
  csv.write(goldCsvHeader(name));
  let batch: GoldRow[] = [];
  const flush = (): void => {
    csv.write(goldCsvLines(name, batch));
    ndjson.write(goldNdjson(name, batch));
    parquet.write(batch);
    batch = [];
  };
  for (const row of rows) {
    // Batches of a whole row group write the groups a single write of every row would.
    if (batch.push(row) === DEFAULT_ROW_GROUP_ROWS) flush();
  }
  flush();
  // In the order a whole-table write had: on a full disk, the error names the CSV or NDJSON file.
  csv.close();
  ndjson.close();
  parquet.finish();
  parquetFile.close();
  return parquet.rows;
}

/** The rows of an NDJSON file, parsed once when first read. */
function lazyNdjson(path: string): () => GoldRow[] {
  let rows: GoldRow[] | null = null;
  return () => (rows ??= readFileSync(path, 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as GoldRow));
}

/**
 * A source file of `inputDir` by its name in the options, checked to exist: the name itself,
 * or when that is missing, the name plus `.gz` (gzip); both present is refused, as ambiguous.
 */
function findSource(inputDir: string, file: string): { path: string; name: string } {
  const path = join(inputDir, file);
  if (!isGzip(file) && !existsSync(path) && existsSync(`${path}.gz`)) {
    checkSourceFile(`${path}.gz`);
    return { path: `${path}.gz`, name: `${file}.gz` };
  }
  checkSourceFile(path);
  if (!isGzip(file) && existsSync(`${path}.gz`)) {
    throw new AudicinError('E_INPUT_UNREADABLE', `${inputDir}: both ${file} and ${file}.gz; keep one`);
  }
  return { path, name: file };
}

/** Runs the whole batch pipeline and returns the report and the gold tables. */
export async function runPipeline(options: Options = {}, io: PipelineIo = {}): Promise<RunResult> {
  const resolved = resolveOptions(options);
  try {
    if (!statSync(resolved.input).isDirectory()) throw new AudicinError('E_INPUT_UNREADABLE', `${resolved.input}: not a folder`);
  } catch (err) {
    throw err instanceof AudicinError ? err : fileError('E_INPUT_UNREADABLE', resolved.input, err);
  }
  const found = {
    events: findSource(resolved.input, resolved.files.events),
    subscriptions: findSource(resolved.input, resolved.files.subscriptions),
    marketing_spend: findSource(resolved.input, resolved.files.marketing_spend),
  };
  const paths = { events: found.events.path, subscriptions: found.subscriptions.path, marketing_spend: found.marketing_spend.path };
  // Bronze and the manifest keep each file's own name (`events.ndjson.gz`); rows and the
  // report name the source without `.gz`, so a gzipped input gives the same silver and gold.
  const landedName = { events: found.events.name, subscriptions: found.subscriptions.name, marketing_spend: found.marketing_spend.name };
  const opts: ResolvedOptions = { ...resolved, files: {
    events: sourceName(landedName.events), subscriptions: sourceName(landedName.subscriptions),
    marketing_spend: sourceName(landedName.marketing_spend),
  } };
  const staging = new Staging(opts.out, io.fs);
  let partitions: Promise<PartitionResult[]> | null = null;
  // The thread writing silver events must be done before its folder goes.
  let silverWritten: Promise<void> = Promise.resolve();
  let spilled: Promise<SpilledBuckets> | null = null;
  const samples = new QuarantineSamples();
  /** The events of the in-memory path: partitions merged, silver written (on a thread when there are several). */
  const inMemory = async (pending: Promise<PartitionResult[]>): Promise<MergedEvents> => {
    const sinks = { quarantine: staging.open('quarantine/events.ndjson'), superseded: staging.open('superseded/events.ndjson') };
    const parts = await pending;
    trace('event partitions done');
    postProgress({ stage: 'merging events' });
    for (const p of parts) samples.addLines('events', p.quarantine);
    const events = mergeEventPartitions(parts, sinks, opts.botThreshold, opts.botWindowMs);
    Object.values(sinks).forEach((sink) => sink.close());
    trace('events merged, bots found');
    // With partitions from threads, silver events are written on a thread too, while gold
    // is aggregated here.
    if (parts.length > 1) {
      silverWritten = writeSilverEventsOnThread(opts.format, staging.reserve(''), staging.label(''), events.silver, io.threadFaults);
      silverWritten.catch(() => undefined); // awaited below
    } else {
      writeSilverEvents(silverEventSink(opts.format, (relPath) => staging.open(relPath)), events.silver);
    }
    return events;
  };
  try {
    // Each source is landed once and only the landed bytes are read after that, so bronze,
    // manifest, silver and report describe the same bytes even when a source file changes
    // during the run. The events file is large: the kernel copies it into staging (one read
    // of the source), then the event partitions read that copy on worker threads while this
    // thread hashes it and reads the two small sources, which go to bronze as they are parsed.
    postProgress({ stage: 'landing' });
    const landedEvents = await staging.copyIn(`bronze/${landedName.events}`, paths.events);
    trace('events landed in bronze');
    landingHook.afterLanded?.('events', paths.events);
    // Out of core when the events would not fit the memory budget (batch/plan.ts).
    const plan = io.buckets === undefined ? planBuckets(uncompressedSize(landedEvents), opts.memory, bucketConcurrency(opts))
      : { ...io.buckets, concurrent: bucketConcurrency(opts) };
    postProgress({ expect: { path: landedEvents, bytes: uncompressedSize(landedEvents), reads: plan === null ? partitionCount(landedEvents, opts) : 1 } });
    postProgress({ stage: plan === null ? 'reading events' : 'shuffling events' });
    if (plan === null) {
      partitions = processEvents(landedEvents, opts);
      partitions.catch(() => undefined); // awaited below; a failure before then must not go unhandled
    } else {
      spilled = spillEvents(landedEvents, opts, staging, plan, io.fs);
      spilled.catch(() => undefined);
    }
    // Hashed here, and a gzip file checked whole, while the threads read the same copy.
    const eventsLanded = await landSource(landedEvents, null, () => undefined, paths.events);
    trace('events hashed');
    const subs = await side(staging, samples, 'subscriptions', landedName.subscriptions, (onReject, bronze) =>
      readSubscriptions(paths.subscriptions, opts.fx, opts.maxLineBytes, onReject, bronze));
    const marketing = await side(staging, samples, 'marketing_spend', landedName.marketing_spend, (onReject, bronze) =>
      readMarketing(paths.marketing_spend, opts.maxLineBytes, onReject, bronze));
    trace('subscriptions and marketing read');

    const events = spilled !== null ? mergeSpilled(await spilled, staging, samples, opts.format) : await inMemory(partitions!);
    const botSet = new Set(events.bots);
    // Out of core, each user bucket reduced its own users; in memory, one state holds them all.
    const gold = 'partial' in events ? events.partial : reduceGold(events.gold(), botSet);

    subs.rows.sort((a, b) => (a.subscription_id < b.subscription_id ? -1 : 1));
    for (const s of subs.rows) addSubscription(gold, s);
    const byDateChannel = (a: SilverMarketing, b: SilverMarketing): number =>
      a.date < b.date ? -1 : a.date > b.date ? 1 : a.channel < b.channel ? -1 : 1;
    marketing.rows.sort(byDateChannel);
    for (const m of marketing.rows) addMarketing(gold, m);
    if (opts.format === 'parquet') {
      writeParquetFile(staging, 'silver/subscriptions.parquet', SILVER_SUBSCRIPTION_COLUMNS, subs.rows.map(subscriptionRow));
      writeParquetFile(staging, 'silver/marketing_spend.parquet', SILVER_MARKETING_COLUMNS, marketing.rows.map(marketingRow));
    } else {
      staging.writeLines('silver/subscriptions.ndjson', subs.rows, subscriptionLine);
      staging.writeLines('silver/marketing_spend.ndjson', marketing.rows, marketingLine);
    }
    writeSuperseded(staging, 'subscriptions', subs);
    writeSuperseded(staging, 'marketing_spend', marketing);

    trace('silver subscriptions and marketing written');
    postProgress({ stage: 'gold' });
    const tables = finishPartial(gold, botSet);
    trace('gold aggregated');
    const spilledLtv = 'ltv' in events ? events.ltv : null;
    const ltvRows: Iterable<GoldRow> = spilledLtv === null ? tables.ltv_per_user
      : (function* () { for (const r of spilledLtv) yield ltvPerUserRow(r); })();
    const rowCounts = Object.fromEntries(GOLD_TABLES.map(({ name }) =>
      [name, writeGoldTable(staging, name, name === 'ltv_per_user' ? ltvRows : tables[name])]));
    if (spilledLtv !== null) {
      removeSpill(staging);
      Object.defineProperty(tables, 'ltv_per_user',
        { enumerable: true, get: lazyNdjson(join(opts.out, 'gold/ltv_per_user.ndjson')) });
    }
    trace('gold written');

    const sources = { events: events.info, subscriptions: subs.info, marketing_spend: marketing.info };
    for (const [name, info] of Object.entries(sources)) checkInvariant(name, info);
    const report: Report = {
      sources: {
        events: sortedReasons(events.info),
        subscriptions: sortedReasons(subs.info),
        marketing_spend: sortedReasons(marketing.info),
      },
      bots: events.bots,
      bot_peaks: events.botPeaks,
      gold: rowCounts,
      options: { timezone: opts.timezone, bot_threshold: opts.botThreshold, bot_window_ms: opts.botWindowMs, fx: { ...opts.fx } },
    };
    const manifest = [
      { source: 'events', name: landedName.events, ...eventsLanded, records: events.info.records },
      { source: 'subscriptions', name: landedName.subscriptions, ...subs.landed, records: subs.info.records },
      { source: 'marketing_spend', name: landedName.marketing_spend, ...marketing.landed, records: marketing.info.records },
    ];
    staging.writeFile('bronze/manifest.json', JSON.stringify({ files: manifest }, null, 2) + '\n');
    staging.writeFile('report.json', JSON.stringify(report, null, 2) + '\n');
    postProgress({ stage: 'report.html' });
    staging.writeFile('report.html', await reportHtml(report, tables, samples.groupsInOrder()));
    trace('report.html drawn');
    postProgress({ stage: 'writing silver' });
    await silverWritten;
    trace('silver events written');
    staging.commit();
    trace('committed');
    return { report, gold: tables, out: opts.out, repaired: staging.repaired };
  } catch (err) {
    await partitions?.catch(() => undefined);
    await spilled?.catch(() => undefined);
    await silverWritten.catch(() => undefined);
    staging.abort();
    throw err;
  }
}
