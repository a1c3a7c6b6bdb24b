// Counters of one run (SPEC 7): every stage updates its source's counters; report.json is
// built from them, never recounted, and the invariant is checked before anything lands.
import { AudicinError } from './errors.js';
import type { QuarantineReason, SourceName, SourceReport } from './types.js';

/** The shape of `report.json`. */
export interface Report {
  sources: Record<SourceName, SourceReport>;
  /** Bot user ids, sorted. */
  bots: string[];
  /** Each bot's peak: the most of its events inside one bot window (events per second at the default window). */
  bot_peaks: Record<string, number>;
  /** Rows per gold table. */
  gold: Record<string, number>;
  options: { timezone: string; bot_threshold: number; bot_window_ms: number; fx: Record<string, number> };
}

export function newSourceReport(file: string): SourceReport {
  return { file, records: 0, blank_lines: 0, silver: 0, superseded: 0, quarantined: {} };
}

export const quarantinedTotal = (info: SourceReport): number =>
  Object.values(info.quarantined).reduce((sum, n) => sum + (n ?? 0), 0);

/** Fails loudly unless `records = silver + superseded + quarantined`. */
export function checkInvariant(name: string, info: SourceReport): void {
  const q = quarantinedTotal(info);
  if (info.records !== info.silver + info.superseded + q) {
    throw new AudicinError('E_INVARIANT', `${info.file}: records (${info.records}) != silver (${info.silver}) + superseded (${info.superseded}) + quarantined (${q}) for ${name}`);
  }
}

/**
 * The counters of one source, the only code that bumps them: every reader, partition,
 * bucket and stream counts through one of these, and partitions merge theirs with `merge`.
 * `info` is the plain report row it keeps (plain data, so it crosses threads and files as it
 * is, and report.json is written from it); a row that travelled is merged as it is.
 */
export class SourceCounts<T extends SourceReport = SourceReport> {
  readonly info: T;

  /** Counts into `info` (a new row of `file` when given a file name). */
  constructor(info: T);
  constructor(file: string);
  constructor(init: T | string) {
    this.info = (typeof init === 'string' ? newSourceReport(init) : init) as T;
  }

  /** A blank line: counted apart, not a record. */
  blank(): void {
    this.info.blank_lines++;
  }

  /** A record quarantined for `reason`. */
  quarantine(reason: QuarantineReason): void {
    this.info.records++;
    this.info.quarantined[reason] = (this.info.quarantined[reason] ?? 0) + 1;
  }

  /** A valid record, handed to dedup: it ends up silver or superseded. */
  valid(): void {
    this.info.records++;
  }

  /** `n` valid records that lost to a later version of their key. */
  superseded(n = 1): void {
    this.info.superseded += n;
  }

  /** `n` winners written to silver. */
  silver(n = 1): void {
    this.info.silver += n;
  }

  /** Adds the counters of `part` (a partition or bucket of the same source). */
  merge(part: SourceReport): this {
    const info = this.info;
    info.records += part.records;
    info.blank_lines += part.blank_lines;
    info.silver += part.silver;
    info.superseded += part.superseded;
    for (const [reason, n] of Object.entries(part.quarantined) as [QuarantineReason, number][]) {
      info.quarantined[reason] = (info.quarantined[reason] ?? 0) + n;
    }
    if (part.resynchronised !== undefined) info.resynchronised = (info.resynchronised ?? 0) + part.resynchronised;
    return this;
  }

  /** Fails loudly unless `records = silver + superseded + quarantined` (see checkInvariant). */
  check(name: string): this {
    checkInvariant(name, this.info);
    return this;
  }
}

/** Reason counts with their keys sorted, so report.json is byte-stable. */
export function sortedReasons(info: SourceReport): SourceReport {
  const quarantined: SourceReport['quarantined'] = {};
  for (const key of Object.keys(info.quarantined).sort() as QuarantineReason[]) quarantined[key] = info.quarantined[key];
  return { ...info, quarantined };
}
