// The stream engine as a Node Transform: NDJSON bytes in, silver event rows out. A thin
// adapter over createStreamEngine; backpressure comes from the Transform's own flow (the
// next input chunk waits while the readable side is full) and from the rejects stream.
import { Transform, type TransformCallback } from 'node:stream';
import { badOption, checkOptionsObject } from '../options.js';
import { eventLine } from '../core/silver.js';
import { writeSilverLine } from '../core/silver.js';
import { createStreamEngine, type LineRow, type StreamEngine } from './engine.js';
import type { StreamOptions } from './options.js';
import type { QuarantineRow, SilverEvent } from '../core/types.js';

/** Rows are gathered into chunks of about this many bytes on the readable side. */
const CHUNK_BYTES = 1 << 20;
/** Past a push, the rest of a chunk serves the next rows while at least this long. */
const MIN_ROOM = 1 << 16;

export interface SilverTransformOptions extends StreamOptions {
  /**
   * The readable side. `ndjson` (default): text of `silver/events.ndjson` rows, many rows per
   * chunk. `objects`: one engine `SilverEvent` per chunk (object mode; `ts` in epoch ms).
   */
  output?: 'ndjson' | 'objects';
  /**
   * Quarantined rows (`late_event` included). A writable stream receives them as NDJSON and
   * its backpressure holds the input back; it is not ended by the transform. A function is
   * called once per row. Default: the transform emits a `'reject'` event per row.
   */
  rejects?: NodeJS.WritableStream | ((row: QuarantineRow) => void);
}

export class SilverTransform extends Transform {
  /** The core: its `info` holds the counters, `bots()` the bot users found. */
  readonly engine: StreamEngine;
  private readonly target: NodeJS.WritableStream | null;
  /** Rows encoded straight into the next chunk: no join, no second copy. */
  private chunk = Buffer.allocUnsafe(CHUNK_BYTES);
  private used = 0;
  private rejected: string[] = [];

  constructor(options: SilverTransformOptions = {}) {
    checkOptionsObject(options);
    if (options.output != null && options.output !== 'ndjson' && options.output !== 'objects') {
      throw badOption('output', "'ndjson' or 'objects'", options.output);
    }
    const rejects = options.rejects;
    if (rejects != null && typeof rejects !== 'function' && typeof (rejects as { write?: unknown }).write !== 'function') {
      throw badOption('rejects', 'a writable stream or a function', rejects);
    }
    const objects = options.output === 'objects';
    super({ readableObjectMode: objects, writableObjectMode: false, decodeStrings: true });
    this.target = typeof rejects === 'object' ? rejects : null;
    const onReject = typeof rejects === 'function' ? rejects
      : this.target !== null ? (row: QuarantineRow) => { this.rejected.push(JSON.stringify(row) + '\n'); }
        : (row: QuarantineRow) => { this.emit('reject', row); };
    let engine: StreamEngine | null = null;
    const out = {
      write: (text: string): void => { this.used += this.chunk.write(text, this.used, text.length * 3); },
      writeBytes: (bytes: Buffer, from: number, to: number): void => { this.used += bytes.copy(this.chunk, this.used, from, to); },
    };
    const room = (bytes: number): void => {
      if (this.used + bytes > this.chunk.length) {
        this.pushLines();
        if (bytes > this.chunk.length) this.chunk = Buffer.allocUnsafe(bytes);
      }
    };
    // Rows the scanner read come as their line: copied with is_bot and versions patched.
    const onLine = (row: LineRow): void => {
      // Patching grows a line by the digits of versions at most.
      room(row.end - row.start + 16);
      writeSilverLine(out, row.bytes, row.start, row.end, row.botAt, row.versions, row.is_bot);
    };
    const onEvent = objects ? (e: SilverEvent) => { this.push(e); } : (e: SilverEvent) => {
      const text = eventLine(e, engine!.calendar);
      // A UTF-16 code unit takes at most 3 UTF-8 bytes.
      room(text.length * 3);
      this.used += this.chunk.write(text, this.used, text.length * 3);
    };
    engine = createStreamEngine(options, { event: onEvent, reject: onReject, line: objects ? undefined : onLine });
    this.engine = engine;
    if (this.target !== null) this.target.on('error', (err: Error) => this.destroy(err));
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      this.engine.push(chunk);
    } catch (err) {
      return callback(err as Error);
    }
    this.pushLines();
    this.writeRejects(callback);
  }

  override _flush(callback: TransformCallback): void {
    try {
      this.engine.end();
    } catch (err) {
      return callback(err as Error);
    }
    this.pushLines();
    this.writeRejects(callback);
  }

  private pushLines(): void {
    if (this.used === 0) return;
    const full = this.chunk.subarray(0, this.used);
    // Rows of one input chunk fill a fraction of a chunk: the rest serves the next ones, as a
    // new buffer per input chunk made most of the garbage collector's work (external memory).
    this.chunk = this.chunk.length - this.used >= MIN_ROOM ? this.chunk.subarray(this.used) : Buffer.allocUnsafe(CHUNK_BYTES);
    this.used = 0;
    this.push(full);
  }

  /** Hands the pending rejects to their stream; calls back once it can take more. */
  private writeRejects(callback: TransformCallback): void {
    const target = this.target;
    if (target === null || this.rejected.length === 0) return callback();
    const text = this.rejected.join('');
    this.rejected = [];
    if (target.write(text)) return callback();
    const done = (err?: Error | null): void => {
      target.removeListener('drain', onDrain);
      target.removeListener('close', onClose);
      callback(err);
    };
    const onDrain = (): void => done();
    const onClose = (): void => done(new Error('audicin: the rejects stream closed before the input ended'));
    target.once('drain', onDrain);
    target.once('close', onClose);
  }
}

/**
 * A Transform for `stream.pipeline()`: NDJSON event bytes in, final silver event rows out
 * (see SilverTransformOptions). `transform.engine.info` holds the counters.
 */
export function silverTransform(options: SilverTransformOptions = {}): SilverTransform {
  return new SilverTransform(options);
}
