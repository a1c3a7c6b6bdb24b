// Readers (SPEC 1, 9): bytes of one source to records with their lineage position.
// Each reader is a LineSink over the transport-free splitters; `landSource` is the thin
// Node adapter that streams a file through them while copying it to bronze.
import { createHash } from 'node:crypto';
import { closeSync, createReadStream, openSync, readSync, statSync } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import { basename } from 'node:path';
import { BroadcastChannel } from 'node:worker_threads';
import { createGunzip } from 'node:zlib';
import { parse as parseCsvLine } from 'csv-parse/sync';
import { AudicinError, fileError } from '../core/errors.js';
import type { LineSink } from './lines.js';
import { keepExactIds } from '../core/numeric-ids.js';
import type { FileSink } from './output.js';
import type { QuarantineReason } from '../core/types.js';

/** Where a reader hands its records. */
export interface RecordSink<T> {
  record(value: T, pos: number, raw: Buffer): void;
  reject(pos: number, reason: QuarantineReason, detail: string, raw: string): void;
  blank(pos: number): void;
}

/** The detail of a `line_too_long` rejection. */
export const tooLongDetail = (bytes: number): string => `line of ${bytes} bytes is over the limit`;

/**
 * The deepest nesting of arrays and objects a JSON record may have; the record's own object
 * is level 1. Deeper records are `invalid_json` (`nested too deep`): copying, validating and
 * writing a value all recurse, and a 100k-level array would overflow the stack.
 */
export const MAX_JSON_DEPTH = 100;

const LBRACK = 0x5b, RBRACK = 0x5d, LBRACE = 0x7b, RBRACE = 0x7d, QUOTE = 0x22, BACKSLASH = 0x5c;

/** True when `bytes` nest arrays and objects (outside strings) more than MAX_JSON_DEPTH deep. */
export function nestedTooDeep(bytes: Buffer): boolean {
  // A line with no more opening brackets than the limit, strings included, cannot be too
  // deep: a few native searches settle nearly every line without a byte loop.
  let opens = 0;
  for (const open of [LBRACE, LBRACK]) {
    for (let i = bytes.indexOf(open); i >= 0 && opens <= MAX_JSON_DEPTH; i = bytes.indexOf(open, i + 1)) opens++;
  }
  if (opens <= MAX_JSON_DEPTH) return false;
  let depth = 0, inString = false, escaped = false;
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i];
    if (inString) {
      if (escaped) escaped = false;
      else if (c === BACKSLASH) escaped = true;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) {
      inString = true;
    } else if (c === LBRACE || c === LBRACK) {
      if (++depth > MAX_JSON_DEPTH) return true;
    } else if (c === RBRACE || c === RBRACK) {
      depth--;
    }
  }
  return false;
}

type Latin1 = { latin1Slice(start: number, end: number): string };
/**
 * Bytes `[start, end)` of a Buffer as a one-byte string: the EventScanner's decoder of ASCII.
 * Buffer#latin1Slice skips toString's argument checks, which cost more than the copy of an id.
 */
export const latin1Of = typeof (Buffer.prototype as unknown as Partial<Latin1>).latin1Slice === 'function'
  ? (bytes: Uint8Array, start: number, end: number): string => (bytes as unknown as Latin1).latin1Slice(start, end)
  : (bytes: Uint8Array, start: number, end: number): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1', start, end);

/** A parsed line, or why it is `invalid_json` (bad UTF-8 included). */
export type ParsedLine = { value: unknown; error: null } | { value: undefined; error: string };

/**
 * The one parser of JSON records (events in batch and stream, subscription elements): bad
 * UTF-8 and nesting deeper than MAX_JSON_DEPTH are told before JSON.parse runs. `ids`: top-level
 * fields whose numbers are ids, kept as the exact decimal written in the line (numeric-ids.ts)
 * rather than a double. Default none.
 */
export function parseJsonLine(bytes: Buffer, ids: readonly string[] = []): ParsedLine {
  if (!isUtf8(bytes)) return { value: undefined, error: 'not valid UTF-8' };
  if (nestedTooDeep(bytes)) return { value: undefined, error: 'nested too deep' };
  try {
    const text = bytes.toString('utf8');
    const value: unknown = JSON.parse(text);
    keepExactIds(value, text, ids);
    return { value, error: null };
  } catch (err) {
    return { value: undefined, error: err instanceof RangeError ? 'nested too deep' : (err as Error).message };
  }
}

/**
 * Lines (or array elements) of JSON to parsed values; bad UTF-8 or JSON is `invalid_json`.
 * `ids` as in parseJsonLine.
 */
export function jsonRecords(sink: RecordSink<unknown>, ids: readonly string[] = []): LineSink {
  return {
    line(bytes, pos) {
      const parsed = parseJsonLine(bytes, ids);
      if (parsed.error !== null) return sink.reject(pos, 'invalid_json', parsed.error, bytes.toString('utf8'));
      sink.record(parsed.value, pos, bytes);
    },
    blank: (pos) => sink.blank(pos),
    tooLong: (head, pos, bytes) => sink.reject(pos, 'line_too_long', tooLongDetail(bytes), head.toString('utf8')),
  };
}

/** The CSV columns a marketing row is read by, matched by header name. */
export type CsvRow = Record<string, string>;

/**
 * CSV lines to rows keyed by header name (csv-parse reads each line's fields). A record is
 * one physical line: a quote left open ends with its line, so it costs that row alone.
 */
export function csvRecords(file: string, required: readonly string[], sink: RecordSink<CsvRow>): LineSink {
  let header: string[] | null = null;
  const fields = (text: string): string[] => (parseCsvLine(text, { relax_column_count: true }) as string[][])[0] ?? [];
  return {
    line(bytes, pos) {
      const text = bytes.toString('utf8');
      if (header === null) {
        let names: string[] = [];
        try { names = fields(text).map((n) => n.trim().toLowerCase()); } catch { /* reported below */ }
        const missing = required.filter((n) => !names.includes(n));
        if (missing.length > 0) {
          throw new AudicinError('E_BAD_HEADER', `${file}: line ${pos}: expected a header with ${required.join(',')}, got '${text.slice(0, 80)}'`);
        }
        // Rows are keyed by name: a second column of one name would silently replace the first.
        const twice = names.find((n, i) => names.indexOf(n) !== i);
        if (twice !== undefined) {
          throw new AudicinError('E_BAD_HEADER', `${file}: line ${pos}: expected each column name once, got '${twice}' twice`);
        }
        header = names;
        return;
      }
      let values: string[];
      try {
        values = fields(text);
      } catch (err) {
        return sink.reject(pos, 'malformed_row', (err as Error).message.replace(/ at line \d+.*/, ''), text);
      }
      if (values.length !== header.length) {
        return sink.reject(pos, 'malformed_row', `expected ${header.length} fields, got ${values.length}`, text);
      }
      const row: CsvRow = {};
      header.forEach((name, i) => { row[name] = values[i]; });
      sink.record(row, pos, bytes);
    },
    blank: (pos) => sink.blank(pos),
    tooLong: (head, pos, bytes) => sink.reject(pos, 'line_too_long', tooLongDetail(bytes), head.toString('utf8')),
  };
}

/** What landing a source learnt about its bytes. */
export interface Landed {
  bytes: number;
  sha256: string;
}

/** Fails with one line naming `path` unless it is a file that exists. */
export function checkSourceFile(path: string): void {
  try {
    if (!statSync(path).isFile()) throw new AudicinError('E_SOURCE_UNREADABLE', `${path}: is not a file`);
  } catch (err) {
    throw err instanceof AudicinError ? err : fileError('E_SOURCE_MISSING', path, err);
  }
}

/**
 * Set to `1` in the environment by a run that shows progress (lib/cli/progress.ts); worker
 * threads started after that inherit it, and only then do readers report what they read.
 */
export const PROGRESS_ENV = 'AUDICIN_PROGRESS';

/** The channel progress goes over, from every thread to the one showing it. */
export const PROGRESS_CHANNEL = 'audicin-progress';

/**
 * What a run reports: a step started; the bytes a reader of `path` is about to read in all
 * (`expect`, its file's decompressed size times the times it is read); or `bytes` and
 * `lines` of `path` just read.
 */
export type ProgressMessage =
  | { stage: string }
  | { expect: { path: string; bytes: number; reads: number } }
  | { read: { path: string; bytes: number; lines: number } };

let channel: BroadcastChannel | null = null;

/** Sends `message` to whoever shows progress; nothing when no run asked for progress. */
export function postProgress(message: ProgressMessage): void {
  if (process.env[PROGRESS_ENV] !== '1') return;
  if (channel === null) {
    channel = new BroadcastChannel(PROGRESS_CHANNEL);
    channel.unref();
  }
  channel.postMessage(message);
}

function countLines(chunk: Buffer): number {
  let n = 0;
  for (let i = chunk.indexOf(0x0a); i >= 0; i = chunk.indexOf(0x0a, i + 1)) n++;
  return n;
}

/** A source whose file name ends in `.gz` is gzip-compressed: read through gunzip, landed as it came. */
export const isGzip = (path: string): boolean => path.endsWith('.gz');

/** The name a source's rows and report carry: its file name, without `.gz`, so a gzipped input gives the same silver. */
export const sourceName = (path: string): string => basename(path).replace(/\.gz$/, '');

/**
 * The bytes of `path` once decompressed, for planning memory: its size, or for gzip the size
 * its trailer records (modulo 4 GiB, so at least the compressed size is assumed).
 */
export function uncompressedSize(path: string): number {
  const size = statSync(path).size;
  if (!isGzip(path) || size < 18) return size;
  const fd = openSync(path, 'r');
  try {
    const tail = Buffer.alloc(4);
    readSync(fd, tail, 0, 4, size - 4);
    let n = tail.readUInt32LE(0);
    while (n < size) n += 2 ** 32;
    return n;
  } finally {
    closeSync(fd);
  }
}

/**
 * Streams `path` into `push`, 1 MiB at a time, decompressed when its name ends in `.gz`;
 * `raw` (default none) gets the bytes of the file as they are read. Fails with one line naming
 * `label` (default `path`) when the file is missing or unreadable (E_SOURCE_UNREADABLE) or
 * not whole gzip (E_GZIP); an AudicinError thrown by `push` passes through as it is.
 */
export async function readChunks(path: string, push: (chunk: Buffer) => void, raw?: (chunk: Buffer) => void,
  label = path): Promise<void> {
  const file = createReadStream(path, { highWaterMark: 1 << 20 });
  if (process.env[PROGRESS_ENV] === '1') {
    const inner = push;
    push = (chunk) => {
      inner(chunk);
      postProgress({ read: { path, bytes: chunk.length, lines: countLines(chunk) } });
    };
  }
  try {
    if (!isGzip(path)) {
      for await (const chunk of file as AsyncIterable<Buffer>) {
        raw?.(chunk);
        push(chunk);
      }
      return;
    }
    const gunzip = createGunzip({ chunkSize: 1 << 20 });
    // A listener added before the pipe sees each chunk before gunzip does.
    if (raw !== undefined) file.on('data', (chunk) => raw(chunk as Buffer));
    file.on('error', (err) => gunzip.destroy(err));
    file.pipe(gunzip);
    for await (const chunk of gunzip as AsyncIterable<Buffer>) push(chunk);
  } catch (err) {
    if (err instanceof AudicinError) throw err;
    const code = (err as NodeJS.ErrnoException)?.code ?? '';
    if (code.startsWith('Z_')) {
      throw new AudicinError('E_GZIP', `${label}: not a whole gzip file (${(err as Error).message})`);
    }
    throw fileError('E_SOURCE_UNREADABLE', label, err);
  } finally {
    file.destroy();
  }
}

/**
 * Streams `path` into `push` (decompressed when gzip), copying every byte of the file as it
 * came to `bronze`, and hashes those bytes. Errors name `label` (default `path`).
 */
export async function landSource(path: string, bronze: FileSink | null, push: (chunk: Buffer) => void, label = path): Promise<Landed> {
  const hash = createHash('sha256');
  let bytes = 0;
  await readChunks(path, push, (chunk) => {
    bronze?.writeBytes(chunk);
    hash.update(chunk);
    bytes += chunk.length;
  }, label);
  return { bytes, sha256: hash.digest('hex') };
}
