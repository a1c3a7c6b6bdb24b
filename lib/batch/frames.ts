// Binary records of the spill files. A frame is its length (u32, little-endian) and then its
// fields back to back: numbers as f64 or u32, byte strings and text as a u32 length and the
// bytes (length 0xffffffff: null). Each file kind writes and reads its fields in one order,
// fixed by the module that owns the kind; nothing in a frame says what it holds.
import { closeSync, openSync, readSync } from 'node:fs';
import { fileError } from '../core/errors.js';
import { FileSink } from '../io/output.js';
import type { OutputFs } from '../io/output-fs.js';

const NULL = 0xffffffff;

/** Writes frames to one spill file. */
export class FrameWriter {
  private readonly sink: FileSink;
  private scratch = Buffer.allocUnsafe(1 << 16);
  private at = 4;
  /** Bytes of the frames ended so far: where the next frame starts in the file. */
  written = 0;

  /** `bufferBytes`: the file's write buffer; small where many spill files are open at once. */
  constructor(path: string, fs?: OutputFs, bufferBytes = 1 << 16) {
    this.sink = new FileSink(path, fs, path, bufferBytes);
  }

  private room(n: number): void {
    if (this.at + n <= this.scratch.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.at + n, this.scratch.length * 2));
    this.scratch.copy(bigger, 0, 0, this.at);
    this.scratch = bigger;
  }

  f64(v: number): this {
    this.room(8);
    this.at = this.scratch.writeDoubleLE(v, this.at);
    return this;
  }

  u32(v: number): this {
    this.room(4);
    this.at = this.scratch.writeUInt32LE(v, this.at);
    return this;
  }

  bytes(b: Uint8Array, from = 0, to = b.length): this {
    this.u32(to - from);
    this.room(to - from);
    this.scratch.set(b.subarray(from, to), this.at);
    this.at += to - from;
    return this;
  }

  text(s: string | null | undefined): this {
    if (s == null) return this.u32(NULL);
    this.room(4 + s.length * 3);
    const n = this.scratch.write(s, this.at + 4, s.length * 3, 'utf8');
    this.scratch.writeUInt32LE(n, this.at);
    this.at += 4 + n;
    return this;
  }

  /** Ends the frame being built and hands it to the file. */
  end(): void {
    this.scratch.writeUInt32LE(this.at - 4, 0);
    this.sink.writeBytes(this.scratch, 0, this.at);
    this.written += this.at;
    this.at = 4;
  }

  close(): void {
    this.sink.close();
  }
}

/** Reads the frames of one spill file in order, holding one chunk of it at a time. */
export class FrameReader {
  private readonly path: string;
  private fd: number;
  private buf: Buffer;
  /** Bytes of `buf` read from the file. */
  private filled = 0;
  private eof = false;
  /** File offset of the next read, and where the frames to read end. */
  private filePos: number;
  private readonly fileEnd: number;
  /** Read position within the current frame, and where the frame ends. */
  private at = 0;
  private frameEnd = 0;

  /** Reads the frames of `path` in the byte range `[from, to)` (default: all of it). */
  constructor(path: string, chunkBytes = 1 << 20, from = 0, to = Infinity) {
    this.path = path;
    this.filePos = from;
    this.fileEnd = to;
    this.buf = Buffer.allocUnsafe(chunkBytes);
    try {
      this.fd = openSync(path, 'r');
    } catch (err) {
      throw fileError('E_SOURCE_UNREADABLE', path, err);
    }
  }

  /** Moves to the next frame; false (and the file closed) at the end. */
  next(): boolean {
    if (!this.ensure(this.frameEnd, 4)) return this.finish();
    const len = this.buf.readUInt32LE(this.frameEnd);
    if (!this.ensure(this.frameEnd + 4, len)) throw fileError('E_SOURCE_UNREADABLE', this.path, new Error('truncated spill file'));
    this.at = this.frameEnd + 4;
    this.frameEnd = this.at + len;
    return true;
  }

  f64(): number {
    const v = this.buf.readDoubleLE(this.at);
    this.at += 8;
    return v;
  }

  u32(): number {
    const v = this.buf.readUInt32LE(this.at);
    this.at += 4;
    return v;
  }

  /** The next byte string, as a view valid until next(). */
  bytes(): Buffer {
    const n = this.u32();
    this.at += n;
    return this.buf.subarray(this.at - n, this.at);
  }

  text(): string | null {
    const n = this.u32();
    if (n === NULL) return null;
    this.at += n;
    return this.buf.toString('utf8', this.at - n, this.at);
  }

  /** Whether `n` bytes from `from` are in the buffer, moving and reading more as needed. */
  private ensure(from: number, n: number): boolean {
    if (from + n <= this.filled) return true;
    // Keep the unread tail; `from` may be the frame's body, which starts 4 bytes after its length.
    const keep = from - (this.frameEnd === from ? 0 : 4);
    const tail = this.filled - keep;
    const need = tail + n + 4;
    const target = need > this.buf.length ? Buffer.allocUnsafe(Math.max(need, this.buf.length * 2)) : this.buf;
    this.buf.copy(target, 0, keep, this.filled);
    this.buf = target;
    this.filled = tail;
    this.frameEnd -= keep;
    while (!this.eof && this.filled < this.buf.length) {
      let got: number;
      try {
        got = readSync(this.fd, this.buf, this.filled, Math.min(this.buf.length - this.filled, this.fileEnd - this.filePos), this.filePos);
      } catch (err) {
        throw fileError('E_SOURCE_UNREADABLE', this.path, err);
      }
      if (got === 0) this.eof = true;
      this.filled += got;
      this.filePos += got;
    }
    return from - keep + n <= this.filled;
  }

  private finish(): false {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
    return false;
  }
}
