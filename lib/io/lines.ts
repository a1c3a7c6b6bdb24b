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
  /** Whether the last byte kept of the current line is a CR (a too-long line keeps only its head). */
  private lastCr = false;
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
    this.lastCr = piece[piece.length - 1] === CR;
    if (!this.overflow) {
      // Copy: the caller may reuse the chunk's memory after push() returns.
      this.parts.push(Buffer.from(piece));
      // Slack for what emit() drops: a CR, and a BOM on the first line; past it, the line is too long.
      if (this.partBytes > this.maxBytes + 1 + (this.pos === 1 ? 3 : 0)) {
        this.overflow = true;
        this.parts = [headOf(this.parts)];
      }
    } else if (this.parts[0].length < TOO_LONG_HEAD) {
      this.parts = [headOf([this.parts[0], piece])];
    }
  }

  /**
   * Hands on one line; `line` is the whole line, or only its head once over the limit. Either
   * way a leading BOM and a trailing CR are not part of it, so what comes out (the byte count
   * and head of a too-long line too) does not depend on where the chunks were cut.
   */
  private emit(line: Buffer): void {
    const pos = this.pos++;
    const overflow = this.overflow;
    const total = overflow ? this.partBytes : line.length;
    const cr = overflow ? this.lastCr : total > 0 && line[total - 1] === CR;
    this.reset();
    const bom = pos === 1 && line.length >= 3 && line[0] === 0xef && line[1] === 0xbb && line[2] === 0xbf ? 3 : 0;
    const len = total - bom - (cr ? 1 : 0);
    if (overflow || len > this.maxBytes) {
      this.sink.tooLong(line.subarray(bom, Math.min(line.length, TOO_LONG_HEAD, bom + len)), pos, len);
      return;
    }
    // A view only when bytes are cut off: one per line was most of the splitter's garbage.
    for (let i = bom; i < bom + len; i++) {
      const c = line[i];
      if (c !== SPACE && c !== TAB) {
        this.sink.line(bom === 0 && len === line.length ? line : line.subarray(bom, bom + len), pos);
        return;
      }
    }
    this.sink.blank(pos);
  }

  private reset(): void {
    this.parts = [];
    this.partBytes = 0;
    this.overflow = false;
    this.lastCr = false;
  }
}
