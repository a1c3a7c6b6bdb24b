// Silver events as Parquet, day-partitioned (`<dir>/event_date=YYYY-MM-DD/part-0.parquet`),
// fed straight from the silver NDJSON lines the engine already holds, in silver order. A
// line's layout is fixed (lib/silver.ts), so a byte scan cuts it into typed columns without
// JSON.parse and without making a string of any text value: a text field unescaped in the
// line is its UTF-8 bytes already, handed to the encoder as a view of the line. A line that
// does not match the layout goes through JSON.parse (the same values, slower). Memory stays
// at one row group: it is encoded and handed to the output when full or when the day changes.
import type { ParquetRow } from './schema.js';
import { dateDays } from './schema.js';
import { PartitionFiles, type OpenedFile, type PartitionFile } from './partitioned.js';
import { SILVER_EVENT_COLUMNS } from './silver-tables.js';
import { DEFAULT_ROW_GROUP_ROWS, type ColumnChunkData, type ParquetWriteOptions } from './writer.js';

const enc = new TextEncoder();
const dec = new TextDecoder();

const QUOTE = 0x22, BACKSLASH = 0x5c, COMMA = 0x2c, BRACE = 0x7d, NEWLINE = 0x0a;

const COLUMN_NAMES = SILVER_EVENT_COLUMNS.map((c) => c.name);
const [EVENT_TS, EVENT_DATE, IS_BOT, VERSIONS, ATTRIBUTES] =
  ['event_ts', 'event_date', 'is_bot', 'versions', 'attributes'].map((name) => COLUMN_NAMES.indexOf(name)) as [number, number, number, number, number];
/** Per column: written as JSON text in the line; REQUIRED; an INT32 or INT64 to check. */
const IS_TEXT = SILVER_EVENT_COLUMNS.map((c) => c.kind === 'string' || c.kind === 'timestamp' || c.kind === 'date' || c.kind === 'json');
const REQUIRED = SILVER_EVENT_COLUMNS.map((c) => c.nullable === false);
const INT32 = SILVER_EVENT_COLUMNS.map((c) => c.kind === 'int32');
const INT64 = SILVER_EVENT_COLUMNS.map((c) => c.kind === 'int64');

/** `{"event_id":`, `,"user_id":`, …: what precedes each value in a silver line. */
const KEYS = SILVER_EVENT_COLUMNS.map((c, i) => enc.encode(`${i === 0 ? '{' : ','}"${c.name}":`));

const NULL_TEXT = 0x6e; // 'n'

/**
 * Text columns whose values repeat (users, types, channels, attributes): handed to the
 * encoder as one shared string per distinct value, so its dictionary finds them by identity
 * and its statistics compare equal strings at once. The others (ids) stay byte views.
 */
const INTERNED = SILVER_EVENT_COLUMNS.map((c) =>
  ['user_id', 'event_type', 'currency', 'page', 'acquisition_channel', 'source', 'attributes'].includes(c.name));

interface Interned {
  bytes: Uint8Array;
  text: string;
  next: Interned | undefined;
}

/** Distinct byte strings and their text, found by an FNV-1a hash of the bytes; cleared with each row group, so bounded by it. */
class Interner {
  private readonly table = new Map<number, Interned>();

  text(b: Uint8Array, from: number, to: number): string {
    let h = 0x811c9dc5;
    for (let i = from; i < to; i++) h = Math.imul(h ^ b[i]!, 0x01000193);
    for (let e = this.table.get(h); e !== undefined; e = e.next) if (same(b, from, to, e.bytes)) return e.text;
    const bytes = copyOf(b, from, to);
    const text = dec.decode(bytes);
    this.table.set(h, { bytes, text, next: this.table.get(h) });
    return text;
  }

  /** Forgets every value: a dictionary is per column chunk, so sharing matters within a row group only. */
  clear(): void {
    this.table.clear();
  }
}

/** Most rows a group's columns are made for up front; a larger row group grows them. */
const PREALLOCATED_ROWS = 1 << 17;
/** Bytes of one block of a group's byte values. */
const BLOCK_BYTES = 1 << 20;

/**
 * One row group of silver events being gathered, column by column. Its columns are made
 * once and refilled, and byte values (ids) are views into a few blocks: a group of 100k rows
 * would otherwise grow 18 arrays from empty and allocate a buffer per id.
 */
class Group {
  /** Values by column; text as UTF-8 bytes or a shared string, timestamps and int64 as bigint, null as null. */
  readonly values: unknown[][];
  rows = 0;
  private block = new Uint8Array(0);
  private used = 0;

  constructor(rowGroupRows: number) {
    const rows = Math.min(rowGroupRows, PREALLOCATED_ROWS);
    this.values = SILVER_EVENT_COLUMNS.map(() => new Array<unknown>(rows).fill(null));
  }

  /** Each column's values of the rows gathered, exactly `rows` of them. */
  columns(): unknown[][] {
    return this.values.map((v) => (v.length === this.rows ? v : v.slice(0, this.rows)));
  }

  /**
   * A copy of `b[from, to)` for this group (a line's bytes may be reused once `add` returns).
   * A block is never written again once the group is flushed: the encoder's statistics may
   * keep a value until the file ends.
   */
  bytes(b: Uint8Array, from: number, to: number): Uint8Array {
    const n = to - from;
    if (this.used + n > this.block.length) {
      this.block = new Uint8Array(Math.max(BLOCK_BYTES, n));
      this.used = 0;
    }
    const at = this.used, block = this.block;
    for (let i = 0; i < n; i++) block[at + i] = b[from + i]!;
    this.used += n;
    return new Uint8Array(block.buffer, at, n);
  }

  clear(): void {
    // Nothing of a written group stays reachable from here.
    for (const v of this.values) v.fill(null, 0, this.rows);
    this.rows = 0;
    this.block = new Uint8Array(0);
    this.used = 0;
  }
}

/**
 * Silver events written as Parquet day partitions. `add` takes silver lines in silver order
 * ((event_ts, event_id), so by day); `finish` ends the last file.
 */
export class SilverEventsParquet {
  /** Lines that did not match the silver layout and were read with JSON.parse. */
  slowLines = 0;
  private readonly rowGroupRows: number;
  private readonly group: Group;
  private readonly parts: PartitionFiles;
  /** The open file's day, as the bytes of its text and as a day number. */
  private day: Uint8Array | null = null;
  private days = 0;
  private done = false;
  private readonly interner = new Interner();

  /** `dir` is the table's folder (e.g. `silver/events`); `open` opens a file by that path joined with the partition's. */
  constructor(dir: string, open: (relPath: string) => OpenedFile, options: ParquetWriteOptions = {}) {
    this.rowGroupRows = options.rowGroupRows ?? DEFAULT_ROW_GROUP_ROWS;
    this.group = new Group(this.rowGroupRows);
    this.parts = new PartitionFiles(dir, SILVER_EVENT_COLUMNS, 'event_date', open, options, () => this.flushGroup());
  }

  /** The files written so far, in day order. */
  get files(): readonly PartitionFile[] {
    return this.parts.files;
  }

  /**
   * Adds the silver line `bytes[from, to)` (a trailing newline is allowed) with the row's
   * `is_bot` and `versions`, which replace what the line says (the engine patches them in
   * only as the line is written).
   */
  add(bytes: Uint8Array, from: number, to: number, bot: boolean, versions: number): void {
    if (this.done) throw new Error('audicin: parquet write after finish');
    if (to > from && bytes[to - 1] === NEWLINE) to--;
    if (!this.scan(bytes, from, to, bot, versions)) {
      this.slowLines++;
      const row = JSON.parse(dec.decode(bytes.subarray(from, to))) as ParquetRow;
      this.addRow({ ...row, is_bot: bot, versions });
    }
    if (this.group.rows >= this.rowGroupRows) this.flushGroup();
  }

  /** Adds one row as its NDJSON form holds it (the slow path, and for tests). */
  addRow(row: ParquetRow): void {
    const day = row.event_date;
    if (typeof day !== 'string') throw new Error(`audicin: parquet partition key event_date: expected text, got ${String(day)}`);
    const dayBytes = enc.encode(day);
    if (this.day === null || !same(dayBytes, 0, dayBytes.length, this.day)) this.switchTo(dayBytes, 0, dayBytes.length);
    const out = scratch;
    for (let c = 0; c < SILVER_EVENT_COLUMNS.length; c++) {
      const col = SILVER_EVENT_COLUMNS[c]!;
      const x = row[col.name] ?? null;
      if (x === null) {
        if (col.nullable === false) throw new Error(`audicin: parquet column ${col.name}: expected a value, got null`);
        out[c] = null;
        continue;
      }
      switch (col.kind) {
        case 'string': out[c] = INTERNED[c] ? x : enc.encode(x as string); break;
        case 'json': out[c] = JSON.stringify(x); break;
        case 'timestamp': out[c] = BigInt(Date.parse(x as string)); break;
        case 'date': out[c] = this.days; break;
        case 'int64': out[c] = BigInt(x as number); break;
        default: out[c] = x;
      }
    }
    this.addScratch();
  }

  /** Writes what is held and ends the last file. */
  finish(): void {
    if (this.done) return;
    this.done = true;
    this.parts.end();
    this.day = null;
  }

  /** The fast path: false when the line is not in the silver layout (nothing is added then). */
  private scan(b: Uint8Array, p: number, end: number, bot: boolean, versions: number): boolean {
    const out = scratch;
    let ts = NaN, dayFrom = 0;
    for (let c = 0; c < KEYS.length; c++) {
      const key = KEYS[c]!;
      if (!same(b, p, p + key.length, key)) return false;
      p += key.length;
      if (c === ATTRIBUTES) {
        // The last value runs to the closing brace.
        if (end - 1 <= p || b[end - 1] !== BRACE) return false;
        out[c] = b[p] === NULL_TEXT && end - 1 - p === 4 ? null : this.interner.text(b, p, end - 1);
        p = end;
        break;
      }
      if (b[p] === QUOTE) {
        if (!IS_TEXT[c]) return false;
        let q = p + 1, escaped = false;
        while (q < end && b[q] !== QUOTE) {
          if (b[q] === BACKSLASH) { escaped = true; q++; }
          q++;
        }
        if (q >= end) return false;
        if (c === EVENT_TS) {
          ts = q - p - 1 === 24 ? isoMillis(b, p + 1) : NaN;
          if (Number.isNaN(ts)) return false;
        } else if (c === EVENT_DATE) {
          if (q - p - 1 !== 10) return false;
          dayFrom = p + 1;
        } else if (escaped) {
          const text = JSON.parse(dec.decode(b.subarray(p, q + 1))) as string;
          out[c] = INTERNED[c] ? text : enc.encode(text);
        } else {
          out[c] = INTERNED[c] ? this.interner.text(b, p + 1, q) : this.group.bytes(b, p + 1, q);
        }
        p = q + 1;
      } else {
        let q = p;
        while (q < end && b[q] !== COMMA) q++;
        if (c === IS_BOT) {
          // Replaced by the caller's flag below; only its form is checked.
          if (!(q - p === 4 && b[p] === 0x74) && !(q - p === 5 && b[p] === 0x66)) return false;
        } else if (b[p] === NULL_TEXT) {
          if (q - p !== 4 || REQUIRED[c]) return false;
          out[c] = null;
        } else {
          if (IS_TEXT[c]) return false;
          const n = numberAt(b, p, q);
          if (n === undefined || (INT32[c] && !(Number.isInteger(n) && n < 2 ** 31 && n >= -(2 ** 31)))
            || (INT64[c] && !Number.isSafeInteger(n))) return false;
          out[c] = INT64[c] ? BigInt(n) : n;
        }
        p = q;
      }
    }
    if (p !== end) return false;
    if (this.day === null || !same(b, dayFrom, dayFrom + 10, this.day)) this.switchTo(b, dayFrom, dayFrom + 10);
    out[EVENT_TS] = BigInt(ts);
    out[EVENT_DATE] = this.days;
    out[IS_BOT] = bot;
    out[VERSIONS] = versions;
    this.addScratch();
    return true;
  }

  /** Adds the row held in `scratch` to the group. */
  private addScratch(): void {
    const g = this.group, v = g.values, row = g.rows;
    for (let c = 0; c < scratch.length; c++) v[c]![row] = scratch[c];
    g.rows++;
  }

  private switchTo(bytes: Uint8Array, from: number, to: number): void {
    const value = dec.decode(bytes.subarray(from, to));
    const days = dateDays(value);
    if (!Number.isInteger(days)) throw new Error(`audicin: parquet column event_date: expected a date YYYY-MM-DD, got '${value}'`);
    this.parts.start(value);
    this.day = copyOf(bytes, from, to);
    this.days = days;
  }

  private flushGroup(): void {
    const g = this.group;
    const writer = this.parts.writer;
    if (g.rows === 0 || writer === null) return;
    writer.writeColumns(g.columns().map((data, c): ColumnChunkData => ({ column: c, data })), g.rows);
    this.parts.wrote(g.rows);
    g.clear();
    this.interner.clear();
  }
}

/** One row's values while it is scanned. */
const scratch: unknown[] = new Array(SILVER_EVENT_COLUMNS.length);

/**
 * A copy of `b[from, to)`: a line's bytes may be reused once `add` returns (the k-way merge
 * reads into one buffer), and a Buffer's own slice() is a view.
 */
const copyOf = (b: Uint8Array, from: number, to: number): Uint8Array => Uint8Array.prototype.slice.call(b, from, to);

/** True when `a[from, to)` equals `b`. */
function same(a: Uint8Array, from: number, to: number, b: Uint8Array): boolean {
  if (to - from !== b.length || to > a.length) return false;
  for (let i = 0; i < b.length; i++) if (a[from + i] !== b[i]) return false;
  return true;
}

/** The JSON number `b[from, to)`, or undefined when it is not one. */
function numberAt(b: Uint8Array, from: number, to: number): number | undefined {
  let n = 0, i = from;
  const negative = b[i] === 0x2d;
  if (negative) i++;
  if (i >= to) return undefined;
  // Digits only and short: exact as an integer, and no string made.
  if (to - i <= 15) {
    for (; i < to; i++) {
      const d = b[i]! - 0x30;
      if (d < 0 || d > 9) break;
      n = n * 10 + d;
    }
    if (i === to) return negative ? -n : n;
  }
  let s = '';
  for (let k = from; k < to; k++) s += String.fromCharCode(b[k]!);
  if (!/^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/.test(s)) return undefined;
  return Number(s);
}

const digits = (b: Uint8Array, at: number, n: number): number => {
  let v = 0;
  for (let i = at; i < at + n; i++) {
    const d = b[i]! - 0x30;
    if (d < 0 || d > 9) return NaN;
    v = v * 10 + d;
  }
  return v;
};

/** Epoch ms of the 24 bytes `YYYY-MM-DDTHH:MM:SS.mmmZ` (the silver form) at `at`, NaN for any other text. */
function isoMillis(b: Uint8Array, at: number): number {
  if (b[at + 4] !== 0x2d || b[at + 7] !== 0x2d || b[at + 10] !== 0x54 || b[at + 13] !== 0x3a || b[at + 16] !== 0x3a
    || b[at + 19] !== 0x2e || b[at + 23] !== 0x5a) return NaN;
  return Date.UTC(digits(b, at, 4), digits(b, at + 5, 2) - 1, digits(b, at + 8, 2), digits(b, at + 11, 2), digits(b, at + 14, 2),
    digits(b, at + 17, 2)) + digits(b, at + 20, 3);
}
