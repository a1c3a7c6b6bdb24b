// Element splitter for one JSON array (SPEC 1, 9): transport-free, `push(chunk)` then `end()`.
// It finds element borders by bracket depth outside strings, without parsing, so one broken
// element is handed on as text (and quarantined) while the elements around it still load.
// If the first non-blank byte is not `[`, the input is taken as NDJSON and handed to a
// LineSplitter instead.
//
// Resynchronisation. A structural error (a stray `{` or `[`, a missing `}`, an unterminated
// string) leaves the depth count wrong for the rest of the file, so without help one broken
// element would swallow every element after it. The splitter therefore cuts the element in
// progress, and starts a new one, at the next sure element boundary:
//  - a `}` back at depth 1, then `,` and `{`, inside an element that is an object: inside an
//    object a comma is followed by a key, never by `{`, so this is always an error, and the
//    `{` starts the next element;
//  - a line whose first non-blank byte is `{`, indented exactly like the first element that
//    started a line, while an element is in progress (or after a stray `]` ended the array).
//    Elements of a real file start lines this way; a nested object never sits at its
//    element's own indentation in pretty-printed JSON.
// A raw line break cannot be inside a JSON string, so it ends the string: the element goes
// on, broken, and the line rule finds the next one. The text before a cut is one piece
// (blanks and one trailing comma, the element separator, dropped). Positions count the pieces
// handed on, in file order: stable for the same bytes and unique, equal to the element index
// while the array is well formed.
import { LineSplitter, TOO_LONG_HEAD, headOf, type LineSink } from './lines.js';

const LBRACK = 0x5b, RBRACK = 0x5d, LBRACE = 0x7b, RBRACE = 0x7d, COMMA = 0x2c, QUOTE = 0x22,
  BACKSLASH = 0x5c, LF = 0x0a, SPACE = 0x20, TAB = 0x09;

const isSpace = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;

/** Longest indentation remembered; a line indented more never starts an element. */
const MAX_INDENT = 256;

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
  /** The element in progress holds a non-blank byte. */
  private content = false;
  /** The byte that opened the element in progress (`{` for an object), or 0. */
  private opener = 0;
  /** The last two non-blank bytes outside strings (a string counts as its closing quote). */
  private prev = 0;
  private prev2 = 0;
  /** At the start of a line, before its first non-blank byte; `indent` holds the blanks so far. */
  private lineStart = false;
  private indent = '';
  /** The indentation of element starts, learnt from the first element that starts a line. */
  private elementIndent: string | null = null;
  private resyncs = 0;

  constructor(sink: LineSink, maxBytes: number) {
    this.sink = sink;
    this.maxBytes = maxBytes;
  }

  /** How many times the splitter cut a broken stretch and started again at an element boundary. */
  get resynchronised(): number {
    return this.resyncs;
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
      if (this.lineStart && !this.inString) {
        if (c === SPACE || c === TAB) {
          this.indented(c);
          continue;
        }
        this.lineStart = false;
        if (c === LBRACE) {
          if (this.elementIndent === null && this.mode === 'array' && !this.content) this.elementIndent = this.indent;
          else if (this.indent === this.elementIndent && (this.content || this.mode === 'after')) {
            from = this.cut(chunk, from, i);
          }
        }
      }
      if (c === LF) {
        // A raw line break cannot be inside a JSON string: the string ends here, broken.
        this.inString = false;
        this.escaped = false;
        this.startLine();
        continue;
      }
      if (this.mode === 'after') continue;
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === BACKSLASH) this.escaped = true;
        else if (c === QUOTE) this.inString = false;
        continue;
      }
      if (isSpace(c)) continue;
      if (c === LBRACE && this.depth === 1 && this.opener === LBRACE && this.prev === COMMA && this.prev2 === RBRACE) {
        from = this.cut(chunk, from, i);
      }
      if (c === QUOTE) {
        this.inString = true;
      } else if (c === LBRACE || c === LBRACK) {
        if (this.depth++ === 0 && !this.content) this.opener = c;
      } else if ((c === RBRACE || c === RBRACK) && this.depth > 0) {
        this.depth--;
      } else if (this.depth === 0 && (c === COMMA || c === RBRACK)) {
        this.keep(chunk, from, i);
        this.flush(c === RBRACK);
        from = i + 1;
        if (c === RBRACK) this.mode = 'after';
        continue;
      }
      this.content = true;
      this.prev2 = this.prev;
      this.prev = c;
    }
    this.keep(chunk, from, chunk.length);
  }

  end(): void {
    if (this.mode === 'lines') return this.lines!.end();
    // In a truncated array, what is left is one more (broken) element; after the closing
    // bracket, any non-blank text is one more record.
    if (this.mode !== 'start') this.flush(true);
  }

  private startLine(): void {
    this.lineStart = true;
    this.indent = '';
  }

  private indented(c: number): void {
    if (this.indent.length < MAX_INDENT) this.indent += c === TAB ? '\t' : ' ';
    else this.indent = '\u0000'; // matches no learnt indentation
  }

  /** Hands on what was gathered before `chunk[at]` as a broken piece; the next element starts at `at`. */
  private cut(chunk: Buffer, from: number, at: number): number {
    this.keep(chunk, from, at);
    this.flush(false, true);
    this.resyncs++;
    this.mode = 'array';
    return at;
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

  /**
   * Hands on the element gathered so far; a blank last slot before `]` is no element. A piece
   * cut by resynchronisation drops one trailing comma (the separator), and is nothing if blank.
   */
  private flush(closing: boolean, resync = false): void {
    const text = Buffer.concat(this.parts);
    const bytes = this.bytes, overflow = this.overflow;
    this.parts = [];
    this.bytes = 0;
    this.overflow = false;
    this.depth = 0;
    this.inString = false;
    this.escaped = false;
    this.content = false;
    this.opener = 0;
    this.prev = 0;
    this.prev2 = 0;
    let a = 0, b = text.length;
    while (a < b && isSpace(text[a])) a++;
    while (b > a && isSpace(text[b - 1])) b--;
    if (overflow) return this.sink.tooLong(text.subarray(a), this.pos++, bytes);
    if (resync) {
      if (b > a && text[b - 1] === COMMA) b--;
      while (b > a && isSpace(text[b - 1])) b--;
      if (a === b) return;
    }
    if (a === b) {
      // `[]` and a trailing comma leave nothing out; `[a,,b]` has an empty slot.
      if (!closing) this.sink.blank(this.pos++);
      return;
    }
    this.sink.line(text.subarray(a, b), this.pos++);
  }
}
