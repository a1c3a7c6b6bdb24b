// A few quarantined records per source and reason, for the report page. The records kept
// are those with the smallest `pos`, whatever order they arrive in, so the page does not
// depend on how the events were split across threads.
import type { QuarantineReason, QuarantineRow, SourceName } from '../core/types.js';

/** One quarantined record as the page shows it: `raw` cut to `rawChars`. */
export interface QuarantineSample {
  pos: number;
  detail: string;
  raw: string;
  /** Length of the raw text before cutting, in UTF-16 code units. */
  rawLength: number;
}

/** The samples of one source and reason, by ascending `pos`. */
export interface SampleGroup {
  source: SourceName;
  reason: QuarantineReason;
  rows: QuarantineSample[];
}

const SOURCES: readonly SourceName[] = ['events', 'subscriptions', 'marketing_spend'];
const REASON_KEY = '"reason":"';

/** `text` cut to at most `max` code units, never inside a surrogate pair. */
export function cutText(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max;
  const c = text.charCodeAt(end - 1);
  if (c >= 0xd800 && c <= 0xdbff) end--;
  return text.slice(0, end);
}

export class QuarantineSamples {
  private readonly perReason: number;
  private readonly rawChars: number;
  private readonly groups = new Map<string, SampleGroup>();

  /**
   * @param perReason records kept per source and reason (default 3)
   * @param rawChars longest raw text kept, in UTF-16 code units (default 300)
   */
  constructor(perReason = 3, rawChars = 300) {
    this.perReason = perReason;
    this.rawChars = rawChars;
  }

  /** Offers one quarantine row. */
  add(source: SourceName, row: QuarantineRow): void {
    const rows = this.wanted(source, row.reason, row.pos);
    if (rows === null) return;
    const sample = { pos: row.pos, detail: row.detail, raw: cutText(row.raw, this.rawChars), rawLength: row.raw.length };
    let i = rows.length;
    while (i > 0 && rows[i - 1].pos > row.pos) i--;
    rows.splice(i, 0, sample);
    if (rows.length > this.perReason) rows.pop();
  }

  /**
   * Offers quarantine rows already written as JSON lines (`{"source":…,"pos":…,"reason":…}`),
   * parsing only those that would be kept: the reason is found without parsing, since no
   * JSON string value can hold the unescaped quotes of `"reason":"`.
   */
  addLines(source: SourceName, lines: { pos: number[]; text: string[] }): void {
    for (let i = 0; i < lines.text.length; i++) {
      const text = lines.text[i];
      const at = text.indexOf(REASON_KEY);
      if (at < 0) continue;
      const from = at + REASON_KEY.length;
      const reason = text.slice(from, text.indexOf('"', from)) as QuarantineReason;
      if (this.wanted(source, reason, lines.pos[i]) !== null) this.add(source, JSON.parse(text) as QuarantineRow);
    }
  }

  /** Every group: sources in report order, reasons sorted. */
  groupsInOrder(): SampleGroup[] {
    return [...this.groups.values()].sort((a, b) =>
      SOURCES.indexOf(a.source) - SOURCES.indexOf(b.source) || (a.reason < b.reason ? -1 : a.reason > b.reason ? 1 : 0));
  }

  /** The group's rows when a record at `pos` belongs among them, else null. */
  private wanted(source: SourceName, reason: QuarantineReason, pos: number): QuarantineSample[] | null {
    const key = `${source}\n${reason}`;
    let group = this.groups.get(key);
    if (group === undefined) this.groups.set(key, (group = { source, reason, rows: [] }));
    const rows = group.rows;
    return rows.length < this.perReason || pos < rows[rows.length - 1].pos ? rows : null;
  }
}
