// The batch run: read → validate → dedup → bots → accumulate → aggregate → write.
// Sources stream through their readers into dedup maps (exact over the whole input,
// whatever its order); winners are then sorted, bot-flagged, written and fed to gold.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { DedupMap, arrivalBeats, subscriptionBeats, type Version } from './dedup.js';
import { mergeEventPartitions } from './event-merge.js';
import { processEvents } from './event-workers.js';
import { AudicinError, fileError } from './errors.js';
import type { Rejection } from './fields.js';
import { GOLD_TABLES, addMarketing, addSubscription, finishGold, goldCsv, goldNdjson, type GoldTables } from './gold/index.js';
import { JsonArraySplitter } from './json-array.js';
import { LineSplitter, type LineSink } from './lines.js';
import { resolveOptions, type Options } from './options.js';
import { csvRecords, fingerprint, jsonRecords, landSource, type RecordSink } from './readers.js';
import { checkInvariant, countQuarantined, newSourceReport, sortedReasons, type Report } from './report.js';
import { Staging } from './output.js';
import { trace } from './trace.js';
import { marketingLine, subscriptionLine } from './silver.js';
import type { QuarantineReason, SilverMarketing, SilverSubscription, SourceName, SourceReport } from './types.js';
import { validateMarketing } from './validate-marketing.js';
import { validateSubscription } from './validate-subscription.js';

export interface RunResult {
  report: Report;
  gold: GoldTables;
  /** The folder the lakehouse was written to. */
  out: string;
}

/** What ingesting one source leaves: its counters and its winners, by key. */
interface Ingested<T extends Version & { pos: number }> {
  info: SourceReport;
  winners: DedupMap<T>;
  /** Superseded versions: [key, pos]. */
  losers: [string, number][];
  manifest: { source: SourceName; name: string; bytes: number; sha256: string; records: number };
}

/**
 * Streams one source file through its splitter, validates each record, and keeps the
 * winner of each key. Rejections go to `quarantine/<source>.ndjson` as they happen.
 */
async function ingest<R, T extends Version & { pos: number }>(
  staging: Staging, path: string, source: SourceName, file: string,
  splitter: (sink: LineSink) => { push(chunk: Buffer): void; end(): void },
  reader: (sink: RecordSink<R>) => LineSink,
  validate: (value: R, pos: number) => T | Rejection,
  keyOf: (record: T) => string, winners: DedupMap<T>,
): Promise<Ingested<T>> {
  const info = newSourceReport(file);
  const losers: [string, number][] = [];
  const quarantine = staging.open(`quarantine/${source}.ndjson`);
  const rejectRow = (pos: number, reason: QuarantineReason, detail: string, raw: string): void => {
    info.records++;
    countQuarantined(info, reason);
    quarantine.write(JSON.stringify({ source: file, pos, reason, detail, raw }) + '\n');
  };
  const split = splitter(reader({
    record(value, pos, raw) {
      const result = validate(value, pos);
      if ('reason' in result) return rejectRow(pos, result.reason, result.detail, raw.toString('utf8'));
      info.records++;
      const lost = winners.offer(keyOf(result), result);
      if (lost !== null) losers.push([keyOf(result), lost.pos]);
    },
    reject: rejectRow,
    blank() { info.blank_lines++; },
  }));
  const bronze = staging.open(`bronze/${file}`);
  const landed = await landSource(path, bronze, (chunk) => split.push(chunk));
  split.end();
  bronze.close();
  quarantine.close();
  info.silver = winners.size;
  info.superseded = losers.length;
  return { info, winners, losers, manifest: { source, name: file, ...landed, records: info.records } };
}

/** `superseded/<source>.ndjson`: each losing version's lineage and the winner it lost to. */
function writeSuperseded<T extends Version & { pos: number }>(staging: Staging, got: Ingested<T>): void {
  const sink = staging.open(`superseded/${got.manifest.source}.ndjson`);
  for (const [key, pos] of got.losers.sort((a, b) => a[1] - b[1])) {
    const winner = got.winners.get(key)!;
    sink.write(JSON.stringify({ source: got.info.file, pos, key, winner_pos: winner.pos }) + '\n');
  }
  sink.close();
}

/** The path of a source, checked to be a readable file. */
function sourcePath(inputDir: string, file: string): string {
  const path = join(inputDir, file);
  try {
    if (!statSync(path).isFile()) throw new AudicinError('E_SOURCE_UNREADABLE', `${path}: is not a file`);
  } catch (err) {
    throw err instanceof AudicinError ? err : fileError('E_SOURCE_MISSING', path, err);
  }
  return path;
}

/** Runs the whole batch pipeline and returns the report and the gold tables. */
export async function runPipeline(options: Options = {}): Promise<RunResult> {
  const opts = resolveOptions(options);
  try {
    if (!statSync(opts.input).isDirectory()) throw new AudicinError('E_INPUT_UNREADABLE', `${opts.input}: not a folder`);
  } catch (err) {
    throw err instanceof AudicinError ? err : fileError('E_INPUT_UNREADABLE', opts.input, err);
  }
  const paths = {
    events: sourcePath(opts.input, opts.files.events),
    subscriptions: sourcePath(opts.input, opts.files.subscriptions),
    marketing_spend: sourcePath(opts.input, opts.files.marketing_spend),
  };
  const staging = new Staging(opts.out);
  // Event partitions run on worker threads while this thread lands bronze and reads the
  // two small sources.
  const partitions = processEvents(paths.events, opts);
  partitions.catch(() => undefined); // awaited below; a failure before then must not go unhandled
  try {
    // The events file is large: the kernel copies it, and one more read takes its hash.
    const [eventsLanded] = await Promise.all([fingerprint(paths.events), staging.copyIn(`bronze/${opts.files.events}`, paths.events)]);
    trace('events landed in bronze');
    const lines = (sink: LineSink) => new LineSplitter(sink, opts.maxLineBytes);
    const subs = await ingest<unknown, SilverSubscription>(staging, paths.subscriptions, 'subscriptions', opts.files.subscriptions,
      (sink) => new JsonArraySplitter(sink, opts.maxLineBytes), jsonRecords,
      (v, pos) => validateSubscription(v, opts.files.subscriptions, pos, pos, opts.fx), (s) => s.subscription_id,
      new DedupMap<SilverSubscription>(subscriptionBeats));
    const marketingFile = opts.files.marketing_spend;
    const marketing = await ingest<Record<string, string>, SilverMarketing>(staging, paths.marketing_spend, 'marketing_spend',
      marketingFile, lines, (sink) => csvRecords(marketingFile, ['date', 'channel', 'spend'], sink),
      (row, pos) => validateMarketing(row, marketingFile, pos, pos), (m) => `${m.date}\u0000${m.channel}`,
      new DedupMap<SilverMarketing>(arrivalBeats));
    trace('subscriptions and marketing read');

    const sinks = {
      silver: staging.open('silver/events.ndjson'),
      quarantine: staging.open('quarantine/events.ndjson'),
      superseded: staging.open('superseded/events.ndjson'),
    };
    const parts = await partitions;
    trace('event partitions done');
    const events = mergeEventPartitions(parts, sinks, opts.botThreshold, opts.botWindowMs);
    trace('events merged, bots found, silver written');
    Object.values(sinks).forEach((sink) => sink.close());
    const botSet = new Set(events.bots);
    const gold = events.gold;

    const silverSubs = staging.open('silver/subscriptions.ndjson');
    for (const s of [...subs.winners.values()].sort((a, b) => (a.subscription_id < b.subscription_id ? -1 : 1))) {
      silverSubs.write(subscriptionLine(s));
      addSubscription(gold, s);
    }
    silverSubs.close();
    const silverMarketing = staging.open('silver/marketing_spend.ndjson');
    const byDateChannel = (a: SilverMarketing, b: SilverMarketing): number =>
      a.date < b.date ? -1 : a.date > b.date ? 1 : a.channel < b.channel ? -1 : 1;
    for (const m of [...marketing.winners.values()].sort(byDateChannel)) {
      silverMarketing.write(marketingLine(m));
      addMarketing(gold, m);
    }
    silverMarketing.close();
    writeSuperseded(staging, subs);
    writeSuperseded(staging, marketing);

    const tables = finishGold(gold, botSet);
    trace('gold aggregated');
    for (const { name } of GOLD_TABLES) {
      staging.writeFile(`gold/${name}.csv`, goldCsv(name, tables[name]));
      staging.writeFile(`gold/${name}.ndjson`, goldNdjson(name, tables[name]));
    }

    const sources = { events: events.info, subscriptions: subs.info, marketing_spend: marketing.info };
    for (const [name, info] of Object.entries(sources)) checkInvariant(name, info);
    const report: Report = {
      sources: {
        events: sortedReasons(events.info),
        subscriptions: sortedReasons(subs.info),
        marketing_spend: sortedReasons(marketing.info),
      },
      bots: events.bots,
      gold: Object.fromEntries(GOLD_TABLES.map(({ name }) => [name, tables[name].length])),
      options: { timezone: opts.timezone, bot_threshold: opts.botThreshold, bot_window_ms: opts.botWindowMs, fx: { ...opts.fx } },
    };
    const eventsManifest = { source: 'events', name: opts.files.events, ...eventsLanded, records: events.info.records };
    staging.writeFile('bronze/manifest.json', JSON.stringify({ files: [eventsManifest, subs.manifest, marketing.manifest] }, null, 2) + '\n');
    staging.writeFile('report.json', JSON.stringify(report, null, 2) + '\n');
    staging.commit();
    trace('committed');
    return { report, gold: tables, out: opts.out };
  } catch (err) {
    await partitions.catch(() => undefined);
    staging.abort();
    throw err;
  }
}
