// The side sources (SPEC 1, 2, 3): a subscriptions file and a marketing spend file, read
// through their splitter, reader, validator and dedup rule, for the batch run and the
// `gold` command alike. Node-only (files); quarantined records go to a callback as they
// are found, and the bytes to bronze when a sink is given.
import { DedupMap, arrivalBeats, subscriptionBeats, type Version } from '../core/dedup.js';
import type { Rejection } from '../core/fields.js';
import { JsonArraySplitter } from './json-array.js';
import { LineSplitter, type LineSink } from './lines.js';
import type { FileSink } from './output.js';
import { checkSourceFile, csvRecords, jsonRecords, landSource, sourceName, type CsvRow, type Landed, type RecordSink } from './readers.js';
import { SourceCounts } from '../core/report.js';
import type { QuarantineReason, QuarantineRow, SilverMarketing, SilverSubscription, SourceReport } from '../core/types.js';
import { validateMarketing } from '../core/validate-marketing.js';
import { SUBSCRIPTION_ID_FIELDS, validateSubscription } from '../core/validate-subscription.js';

/** What reading one side source leaves: its winners, its counters and its bytes' fingerprint. */
export interface SideRead<T> {
  rows: T[];
  info: SourceReport;
  /** The winner of each key. */
  winners: DedupMap<T & Version>;
  /** Superseded versions: [key, pos]. */
  losers: [string, number][];
  landed: Landed;
}

interface SideSpec<R, T extends Version> {
  splitter: (sink: LineSink) => { push(chunk: Buffer): void; end(): void; readonly resynchronised?: number };
  reader: (sink: RecordSink<R>) => LineSink;
  validate: (value: R, pos: number) => T | Rejection;
  key: (row: T) => string;
  winners: DedupMap<T>;
}

async function readSide<R, T extends Version>(path: string, spec: SideSpec<R, T>,
  onReject: (row: QuarantineRow) => void, bronze: FileSink | null): Promise<SideRead<T>> {
  const file = sourceName(path);
  const counts = new SourceCounts(file);
  const losers: [string, number][] = [];
  const rejectRow = (pos: number, reason: QuarantineReason, detail: string, raw: string): void => {
    counts.quarantine(reason);
    onReject({ source: file, pos, reason, detail, raw });
  };
  const split = spec.splitter(spec.reader({
    record(value, pos, raw) {
      const result = spec.validate(value, pos);
      if ('reason' in result) return rejectRow(pos, result.reason, result.detail, raw.toString('utf8'));
      counts.valid();
      const lost = spec.winners.offer(spec.key(result), result);
      if (lost !== null) losers.push([spec.key(result), lost.pos]);
    },
    reject: rejectRow,
    blank() { counts.blank(); },
  }));
  checkSourceFile(path);
  const landed = await landSource(path, bronze, (chunk) => split.push(chunk));
  split.end();
  if (split.resynchronised) counts.info.resynchronised = split.resynchronised;
  const rows = [...spec.winners.values()];
  counts.silver(rows.length);
  counts.superseded(losers.length);
  return { rows, info: counts.check(file).info, winners: spec.winners, losers, landed };
}

/** Subscriptions (a JSON array, or NDJSON) by `subscription_id`, latest `created_at` winning. */
export function readSubscriptions(path: string, fx: Readonly<Record<string, number>>, maxLineBytes: number,
  onReject: (row: QuarantineRow) => void, bronze: FileSink | null = null): Promise<SideRead<SilverSubscription>> {
  const file = sourceName(path);
  return readSide<unknown, SilverSubscription>(path, {
    splitter: (sink) => new JsonArraySplitter(sink, maxLineBytes),
    reader: (sink) => jsonRecords(sink, SUBSCRIPTION_ID_FIELDS),
    validate: (v, pos) => validateSubscription(v, file, pos, fx),
    key: (s) => s.subscription_id,
    winners: new DedupMap<SilverSubscription>(subscriptionBeats),
  }, onReject, bronze);
}

/** Marketing spend CSV (`date,channel,spend`) by `(date, channel)`, the last row winning. */
export function readMarketing(path: string, maxLineBytes: number,
  onReject: (row: QuarantineRow) => void, bronze: FileSink | null = null): Promise<SideRead<SilverMarketing>> {
  const file = sourceName(path);
  return readSide<CsvRow, SilverMarketing>(path, {
    splitter: (sink) => new LineSplitter(sink, maxLineBytes),
    reader: (sink) => csvRecords(file, ['date', 'channel', 'spend'], sink),
    validate: (row, pos) => validateMarketing(row, file, pos),
    key: (m) => `${m.date}\u0000${m.channel}`,
    winners: new DedupMap<SilverMarketing>(arrivalBeats),
  }, onReject, bronze);
}
