// The side sources of the `gold` command (SPEC 1, 2, 3): a subscriptions file and a
// marketing spend file, read with the batch run's readers, validators and dedup rules.
// Node-only (files); quarantined records go to a callback as they are found.
import { createReadStream, statSync } from 'node:fs';
import { basename } from 'node:path';
import { DedupMap, arrivalBeats, subscriptionBeats, type Version } from './dedup.js';
import { AudicinError, fileError } from './errors.js';
import type { Rejection } from './fields.js';
import { JsonArraySplitter } from './json-array.js';
import { LineSplitter, type LineSink } from './lines.js';
import { csvRecords, jsonRecords, type CsvRow, type RecordSink } from './readers.js';
import { checkInvariant, countQuarantined, newSourceReport } from './report.js';
import type { QuarantineReason, QuarantineRow, SilverMarketing, SilverSubscription, SourceReport } from './types.js';
import { validateMarketing } from './validate-marketing.js';
import { validateSubscription } from './validate-subscription.js';

/** What reading one side source leaves: its winners and its counters. */
export interface SideRead<T> {
  rows: T[];
  info: SourceReport;
}

interface SideSpec<R, T> {
  splitter: (sink: LineSink) => { push(chunk: Buffer): void; end(): void };
  reader: (sink: RecordSink<R>) => LineSink;
  validate: (value: R, pos: number) => T | Rejection;
  key: (row: T) => string;
  winners: DedupMap<T & Version>;
}

async function readSide<R, T extends Version>(path: string, spec: SideSpec<R, T>,
  onReject: (row: QuarantineRow) => void): Promise<SideRead<T>> {
  const file = basename(path);
  const info = newSourceReport(file);
  const rejectRow = (pos: number, reason: QuarantineReason, detail: string, raw: string): void => {
    info.records++;
    countQuarantined(info, reason);
    onReject({ source: file, pos, reason, detail, raw });
  };
  const split = spec.splitter(spec.reader({
    record(value, pos, raw) {
      const result = spec.validate(value, pos);
      if ('reason' in result) return rejectRow(pos, result.reason, result.detail, raw.toString('utf8'));
      info.records++;
      if (spec.winners.offer(spec.key(result), result) !== null) info.superseded++;
    },
    reject: rejectRow,
    blank() { info.blank_lines++; },
  }));
  try {
    if (!statSync(path).isFile()) throw new AudicinError('E_SOURCE_UNREADABLE', `${path}: is not a file`);
  } catch (err) {
    throw err instanceof AudicinError ? err : fileError('E_SOURCE_MISSING', path, err);
  }
  try {
    for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) split.push(chunk);
  } catch (err) {
    throw err instanceof AudicinError ? err : fileError('E_SOURCE_UNREADABLE', path, err);
  }
  split.end();
  const rows = [...spec.winners.values()];
  info.silver = rows.length;
  checkInvariant(file, info);
  return { rows, info };
}

/** Subscriptions (a JSON array, or NDJSON) by `subscription_id`, latest `created_at` winning. */
export function readSubscriptions(path: string, fx: Readonly<Record<string, number>>, maxLineBytes: number,
  onReject: (row: QuarantineRow) => void): Promise<SideRead<SilverSubscription>> {
  const file = basename(path);
  return readSide<unknown, SilverSubscription>(path, {
    splitter: (sink) => new JsonArraySplitter(sink, maxLineBytes),
    reader: jsonRecords,
    validate: (v, pos) => validateSubscription(v, file, pos, pos, fx),
    key: (s) => s.subscription_id,
    winners: new DedupMap<SilverSubscription>(subscriptionBeats),
  }, onReject);
}

/** Marketing spend CSV (`date,channel,spend`) by `(date, channel)`, the last row winning. */
export function readMarketing(path: string, maxLineBytes: number,
  onReject: (row: QuarantineRow) => void): Promise<SideRead<SilverMarketing>> {
  const file = basename(path);
  return readSide<CsvRow, SilverMarketing>(path, {
    splitter: (sink) => new LineSplitter(sink, maxLineBytes),
    reader: (sink) => csvRecords(file, ['date', 'channel', 'spend'], sink),
    validate: (row, pos) => validateMarketing(row, file, pos, pos),
    key: (m) => `${m.date}\u0000${m.channel}`,
    winners: new DedupMap<SilverMarketing>(arrivalBeats),
  }, onReject);
}
