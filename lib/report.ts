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

export function countQuarantined(info: SourceReport, reason: QuarantineReason): void {
  info.quarantined[reason] = (info.quarantined[reason] ?? 0) + 1;
}

/** Adds the counters of `part` (a partition or bucket of the same source) into `into`. */
export function addCounts(into: SourceReport, part: SourceReport): void {
  into.records += part.records;
  into.blank_lines += part.blank_lines;
  into.silver += part.silver;
  into.superseded += part.superseded;
  for (const [reason, n] of Object.entries(part.quarantined) as [QuarantineReason, number][]) {
    into.quarantined[reason] = (into.quarantined[reason] ?? 0) + n;
  }
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

/** Reason counts with their keys sorted, so report.json is byte-stable. */
export function sortedReasons(info: SourceReport): SourceReport {
  const quarantined: SourceReport['quarantined'] = {};
  for (const key of Object.keys(info.quarantined).sort() as QuarantineReason[]) quarantined[key] = info.quarantined[key];
  return { ...info, quarantined };
}
