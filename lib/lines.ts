// Line splitter for NDJSON (SPEC 1, 9): transport-free, `push(chunk)` then `end()`.
// Lines may span chunk borders; a line over the limit is never buffered past its first
// KiB; CR before LF and a leading BOM are dropped. Positions are physical line numbers.

/** What the splitter hands on for each physical line. */
export interface LineSink {
  /** A non-blank line, without its line end. The buffer is only valid during the call. */
  line(bytes: Buffer, pos: number): void;
  /** A line holding nothing but spaces or tabs. */
  blank(pos: number): void;
  /** A line longer than the limit; `head` holds its first KiB. */
  tooLong(head: Buffer, pos: number, bytes: number): void;
}

/** Bytes of a too-long line kept for its quarantine row. */
export const TOO_LONG_HEAD = 1024;

const LF = 10, CR = 13, SPACE = 32, TAB = 9;

/** A copy of the first KiB of `parts`, joined. */
export const headOf = (parts: Buffer[]): Buffer => Buffer.from(Buffer.concat(parts).subarray(0, TOO_LONG_HEAD));

export class LineSplitter {
  private readonly sink: LineSink;
  private readonly maxBytes: number;
  private parts: Buffer[] = [];
  private partBytes = 0;
  private overflow = false;
  private pos: number;

  /** `firstPos` lets a worker that starts mid-file number lines from where its range starts. */
  constructor(sink: LineSink, maxBytes: number, firstPos = 1) {
    this.sink = sink;
    this.maxBytes = maxBytes;
    this.pos = firstPos;
  }

  /** The position the next line will get. */
  get nextPos(): number {
    return this.pos;
  }

  push(chunk: Buffer): void {
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(LF, start);
      if (nl === -1) {
        this.keep(chunk, start, chunk.length);
        return;
      }
      if (this.parts.length === 0 && !this.overflow) {
        this.emit(chunk.subarray(start, nl));
      } else {
        this.keep(chunk, start, nl);
        this.emit(this.parts.length === 1 ? this.parts[0] : Buffer.concat(this.parts, this.partBytes));
      }
      start = nl + 1;
    }
  }

  end(): void {
    if (this.parts.length > 0 || this.overflow) {
      this.emit(this.parts.length === 1 ? this.parts[0] : Buffer.concat(this.parts, this.partBytes));
    }
  }

  /** Buffers part of an unfinished line, or only its head once it is over the limit. */
  private keep(chunk: Buffer, from: number, to: number): void {
    if (from === to) return;
    this.partBytes += to - from;
    const piece = chunk.subarray(from, to);
    if (!this.overflow) {
      // Copy: the caller may reuse the chunk's memory after push() returns.
      this.parts.push(Buffer.from(piece));
      // One byte of slack for a CR that emit() drops.
      if (this.partBytes > this.maxBytes + 1) {
        this.overflow = true;
        this.parts = [headOf(this.parts)];
      }
    } else if (this.parts[0].length < TOO_LONG_HEAD) {
      this.parts = [headOf([this.parts[0], piece])];
    }
  }

  private emit(line: Buffer): void {
    const pos = this.pos++;
    if (this.overflow) {
      const bytes = this.partBytes;
      this.reset();
      this.sink.tooLong(line, pos, bytes);
      return;
    }
    this.reset();
    if (pos === 1 && line.length >= 3 && line[0] === 0xef && line[1] === 0xbb && line[2] === 0xbf) line = line.subarray(3);
    const len = line.length > 0 && line[line.length - 1] === CR ? line.length - 1 : line.length;
    if (len > this.maxBytes) {
      this.sink.tooLong(line.subarray(0, TOO_LONG_HEAD), pos, len);
      return;
    }
    for (let i = 0; i < len; i++) {
      const c = line[i];
      if (c !== SPACE && c !== TAB) {
        this.sink.line(len === line.length ? line : line.subarray(0, len), pos);
        return;
      }
    }
    this.sink.blank(pos);
  }

  private reset(): void {
    this.parts = [];
    this.partBytes = 0;
    this.overflow = false;
  }
}
