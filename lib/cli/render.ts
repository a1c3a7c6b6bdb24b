// Rows as text: an aligned table for people, CSV and NDJSON for programs. Table cells are
// data, and data is hostile: control and bidirectional characters are written as \uXXXX, so a
// cell can neither move the cursor nor reorder what is printed around it.
import { escapeControls } from '../core/errors.js';
import { csvField } from '../gold/format.js';
import type { Row } from './lake.js';

/** Code points of a cell beyond which it is cut, with … as its last. */
export const MAX_CELL = 40;

/** Characters that reorder text on a terminal (Unicode bidi controls) or break its lines. */
const BIDI = /[\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const codePoints = (s: string): number => {
  let n = 0;
  for (const _ of s) n++;
  return n;
};

/** A value as a table cell: null blank, objects as JSON, unsafe characters escaped, long text cut. */
export function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  const text = typeof v === 'object' ? JSON.stringify(v) : String(v);
  const safe = escapeControls(text).replace(BIDI, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  if (codePoints(safe) <= MAX_CELL) return safe;
  return [...safe].slice(0, MAX_CELL - 1).join('') + '…';
}

/** The columns of `rows`: `known` when given, else every key in order of first appearance. */
export function columnsOf(rows: readonly Row[], known: readonly string[] | null): string[] {
  if (known !== null) return [...known];
  const seen = new Set<string>();
  for (const r of rows) for (const k of Object.keys(r)) seen.add(k);
  return [...seen];
}

/**
 * An aligned table: a header, a rule, one line per row, two spaces between columns. A column
 * whose values are all numbers (nulls aside) is right-aligned, header included.
 */
export function textTable(columns: readonly string[], rows: readonly Row[]): string {
  const cells = rows.map((r) => columns.map((c) => cellText(r[c])));
  const heads = columns.map(cellText);
  const widths = heads.map((h, i) => Math.max(codePoints(h), ...cells.map((line) => codePoints(line[i]))));
  const right = columns.map((c) => rows.some((r) => typeof r[c] === 'number') && rows.every((r) => r[c] == null || typeof r[c] === 'number'));
  const pad = (s: string, i: number): string => {
    const fill = ' '.repeat(widths[i] - codePoints(s));
    return right[i] ? fill + s : s + fill;
  };
  const line = (values: string[]): string => values.map(pad).join('  ').trimEnd() + '\n';
  return line(heads) + line(widths.map((w) => '-'.repeat(w))) + cells.map(line).join('');
}

const csvValue = (v: unknown): string | number | null =>
  (v === null || v === undefined ? null : typeof v === 'number' || typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v));

/** A CSV line of `row` by `columns` (the header is csvLine of the names). */
export const csvLine = (columns: readonly string[], row: Row): string => columns.map((c) => csvField(csvValue(row[c]))).join(',') + '\n';

/** An NDJSON line of `row`, keys as stored. */
export const ndjsonLine = (row: Row): string => JSON.stringify(row) + '\n';
