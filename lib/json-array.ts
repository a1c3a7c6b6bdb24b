// Element splitter for one JSON array (SPEC 1, 9): transport-free, `push(chunk)` then `end()`.
// It finds element borders by bracket depth outside strings, without parsing, so one broken
// element is handed on as text (and quarantined) while the elements around it still load.
// A string cannot hold a raw line break in JSON, so a line break inside a string ends the
// element there: an unterminated quote costs its own element only. If the first non-blank byte is not
// `[`, the input is taken as NDJSON and handed to a LineSplitter instead.
import { LineSplitter, TOO_LONG_HEAD, headOf, type LineSink } from './lines.js';

const LBRACK = 0x5b, RBRACK = 0x5d, LBRACE = 0x7b, RBRACE = 0x7d, COMMA = 0x2c, QUOTE = 0x22,
  BACKSLASH = 0x5c, LF = 0x0a;

const isSpace = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;

/**
 * Hands on each element with its 1-based index as `pos` (or each line, for NDJSON input).
 * Empty slots (`[a,,b]`, a trailing comma) are reported as blank; text after the closing
 * bracket is one more record, which will not parse.
 */
export class JsonArraySplitter {
  private readonly sink: LineSink;
  private readonly maxBytes: number;
  private mode: 'start' | 'array' | 'after' | 'lines' = 'start';
  private lines: LineSplitter | null = null;
  private bom = 0;
  /** Chunks wholly skipped before the first byte that decides the format: NDJSON needs them back. */
  private skipped: Buffer[] = [];
  private depth = 0;
  private inString = false;
  private escaped = false;
  private parts: Buffer[] = [];
  private bytes = 0;
  private overflow = false;
  private pos = 1;

  constructor(sink: LineSink, maxBytes: number) {
    this.sink = sink;
    this.maxBytes = maxBytes;
  }

  push(chunk: Buffer): void {
    if (this.mode === 'lines') return this.lines!.push(chunk);
    let i = 0;
    if (this.mode === 'start') {
      while (i < chunk.length && this.bom < 3 && chunk[i] === [0xef, 0xbb, 0xbf][this.bom]) { i++; this.bom++; }
      while (i < chunk.length && isSpace(chunk[i])) i++;
      if (i === chunk.length) {
        this.skipped.push(Buffer.from(chunk));
        return;
      }
      const skipped = this.skipped;
      this.skipped = [];
      if (chunk[i] !== LBRACK) {
        this.mode = 'lines';
        this.lines = new LineSplitter(this.sink, this.maxBytes);
        for (const earlier of skipped) this.lines.push(earlier);
        return this.lines.push(chunk);
      }
      this.mode = 'array';
      i++;
    }
    let from = i;
    for (; i < chunk.length; i++) {
      const c = chunk[i];
      if (this.mode === 'after') continue;
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === BACKSLASH) this.escaped = true;
        else if (c === QUOTE) this.inString = false;
        else if (c === LF) {
          // A raw line break cannot be inside a JSON string: this element is broken.
          // End it here, so the next line starts afresh.
          this.keep(chunk, from, i);
          this.flush(false);
          from = i + 1;
        }
      } else if (c === QUOTE) {
        this.inString = true;
      } else if (c === LBRACE || c === LBRACK) {
        this.depth++;
      } else if ((c === RBRACE || c === RBRACK) && this.depth > 0) {
        this.depth--;
      } else if (this.depth === 0 && (c === COMMA || c === RBRACK)) {
        this.keep(chunk, from, i);
        this.flush(c === RBRACK);
        from = i + 1;
        if (c === RBRACK) this.mode = 'after';
      }
    }
    this.keep(chunk, from, chunk.length);
  }

  end(): void {
    if (this.mode === 'lines') return this.lines!.end();
    // In a truncated array, what is left is one more (broken) element; after the closing
    // bracket, any non-blank text is one more record.
    if (this.mode !== 'start') this.flush(true);
  }

  private keep(chunk: Buffer, from: number, to: number): void {
    if (from >= to) return;
    this.bytes += to - from;
    const piece = chunk.subarray(from, to);
    if (!this.overflow) {
      this.parts.push(Buffer.from(piece));
      if (this.bytes > this.maxBytes) {
        this.overflow = true;
        this.parts = [headOf(this.parts)];
      }
    } else if (this.parts[0].length < TOO_LONG_HEAD) {
      this.parts = [headOf([this.parts[0], piece])];
    }
  }

  /** Hands on the element gathered so far; a blank last slot before `]` is no element. */
  private flush(closing: boolean): void {
    const text = Buffer.concat(this.parts);
    const bytes = this.bytes, overflow = this.overflow;
    this.parts = [];
    this.bytes = 0;
    this.overflow = false;
    this.depth = 0;
    this.inString = false;
    let a = 0, b = text.length;
    while (a < b && isSpace(text[a])) a++;
    while (b > a && isSpace(text[b - 1])) b--;
    if (overflow) return this.sink.tooLong(text.subarray(a), this.pos++, bytes);
    if (a === b) {
      // `[]` and a trailing comma leave nothing out; `[a,,b]` has an empty slot.
      if (!closing) this.sink.blank(this.pos++);
      return;
    }
    this.sink.line(text.subarray(a, b), this.pos++);
  }
}
