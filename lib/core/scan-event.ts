// The byte-level event scanner (issue 10): reads a flat event object straight from the bytes
// of its line, validates it (SPEC 1.1–2) and writes its silver line from the scanned slices:
// field names matched as bytes, strings sliced without decoding when they hold no escapes,
// numbers parsed in place, the SPEC 1.2 timestamps read digit by digit. No JSON.parse and no
// intermediate object, because that parse alone caps a thread near 900k lines/s.
//
// The reference path (parseJsonLine, validateEvent, eventLine) stays the definition: the
// scanner answers only for lines it is sure of and returns null for anything else, and the
// caller then takes that path. It declines escapes, nesting, duplicate keys, integer-like
// extra keys (an object lists those first), non-ASCII where a value is decoded or trimmed, and
// every rejection: they are rare, and their detail shows the parsed value.
// test/scan-event.test.ts holds the two paths equal on fuzzed lines and on the fixtures.
import { dayString, type Calendar } from './calendar.js';
import { normaliseCurrency } from './fx.js';
import { fromMicros, MONEY_LIMIT, readNumber, toMicros } from './numbers.js';
import { numericId } from './numeric-ids.js';
import { BOT_IN_FLAGS, FRESH_FLAGS, KEY } from './silver.js';
import { clockOf, implausibility, parseTimestamp, utcInstant } from './time.js';
import type { SilverEvent } from './types.js';

/** Where the scanner writes a silver line: at `length`, in room the caller reserved (EventScanner.room). */
export interface ByteSink {
  bytes: Uint8Array;
  length: number;
}

/** What the scanner needs to know of its run. */
export interface ScanContext {
  /** The source file name written in every line. */
  source: string;
  /** USD per unit by upper-case code. */
  fx: Readonly<Record<string, number>>;
  /** The run's clock, UTC ms (implausible_timestamp). */
  now: number;
  cal: Calendar;
  /**
   * Decodes ASCII bytes `[start, end)` of `bytes` to a string. Default: String.fromCharCode;
   * Node callers pass Buffer#latin1Slice, which is faster.
   */
  ascii?: (bytes: Uint8Array, start: number, end: number) => string;
}

/**
 * A scanned valid event: what dedup and gold need of it, and where its silver line was
 * written. One object is reused for every line: read it before the next scan.
 */
export type ScannedEvent = Pick<SilverEvent, 'event_id' | 'user_id' | 'event_type' | 'ts' | 'pos' | 'usd_micros'
  | 'acquisition_channel'> & {
  /** The silver line, written with is_bot false and versions 1, spans `[start, end)` of the sink. */
  start: number;
  end: number;
  /** Offset, from the line's start, of the `false` of `"is_bot":false`. */
  botAt: number;
};

const QUOTE = 0x22, BACKSLASH = 0x5c, COLON = 0x3a, COMMA = 0x2c, LBRACE = 0x7b, RBRACE = 0x7d, MINUS = 0x2d,
  PLUS = 0x2b, DOT = 0x2e, SPACE = 0x20, ZERO = 0x30, NINE = 0x39, T = 0x54, Z = 0x5a;
const isWs = (c: number): boolean => c === SPACE || c === 0x0a || c === 0x0d || c === 0x09;
const isDigit = (c: number): boolean => c >= ZERO && c <= NINE;

// Value kinds.
const STR = 1, NUM = 2, TRUE = 3, FALSE = 4, NULL = 5;
/** More fields than this and the line takes the reference path. */
const MAX_FIELDS = 32;

// The columns read from a raw event, by index.
const NAMES = ['event_id', 'user_id', 'event_type', 'timestamp', 'schema_version', 'amount', 'currency', 'tax',
  'refers_to_event_id', 'page', 'acquisition_channel'] as const;
const EVENT_ID = 0, USER_ID = 1, EVENT_TYPE = 2, TIMESTAMP = 3, SCHEMA_VERSION = 4, AMOUNT = 5, CURRENCY = 6, TAX = 7,
  REFERS = 8, PAGE = 9, CHANNEL = 10;
/** Event types spelled once, so the common ones cost no string per line. */
const TYPES = ['page_view', 'login', 'signup', 'purchase', 'refund'];

const bytesOf = (s: string): Uint8Array => {
  const b = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i);
  return b;
};
const NAME_BYTES = NAMES.map(bytesOf);
const TYPE_BYTES = TYPES.map(bytesOf);

/** True when bytes `[s, e)` are well-formed UTF-8 (what isUtf8 accepts: no overlong forms, surrogates or code points past U+10FFFF). */
export function validUtf8(b: Uint8Array, s: number, e: number): boolean {
  for (let i = s; i < e;) {
    const c = b[i];
    if (c < 0x80) { i++; continue; }
    let n: number, min: number, cp: number;
    if (c >= 0xc2 && c <= 0xdf) { n = 1; min = 0x80; cp = c & 0x1f; }
    else if (c >= 0xe0 && c <= 0xef) { n = 2; min = 0x800; cp = c & 0x0f; }
    else if (c >= 0xf0 && c <= 0xf4) { n = 3; min = 0x10000; cp = c & 0x07; }
    else return false;
    if (i + n >= e) return false;
    for (let k = 1; k <= n; k++) {
      const t = b[i + k];
      if ((t & 0xc0) !== 0x80) return false;
      cp = (cp << 6) | (t & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
    i += n + 1;
  }
  return true;
}

const utf8 = new TextDecoder();

const latin1 = (b: Uint8Array, s: number, e: number): string => {
  let out = '';
  for (let i = s; i < e; i++) out += String.fromCharCode(b[i]);
  return out;
};

const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

/**
 * Reads event lines to silver lines; see the file's head. One scanner serves one run (its
 * context is fixed) and writes into any sink.
 */
export class EventScanner {
  private readonly ctx: ScanContext;
  private readonly ascii: (bytes: Uint8Array, start: number, end: number) => string;
  private readonly source: Uint8Array;
  // The fixed text between values, quotes included, from silver.ts's layout.
  private readonly fType = bytesOf(`${KEY.event_type}"`);
  private readonly fTs = bytesOf(`"${KEY.event_ts}"`);
  private readonly fDate = bytesOf(`"${KEY.event_date}"`);
  private readonly fVersion = bytesOf(`"${KEY.schema_version}`);
  private readonly fCurrency = bytesOf(`${KEY.currency}"`);
  private readonly fUsd = bytesOf(`"${KEY.amount_usd}`);
  private readonly fNoMoney = bytesOf(`${KEY.amount}null${KEY.currency}null${KEY.amount_usd}null${KEY.tax}null${KEY.refers_to_event_id}`);
  private readonly fTail: Uint8Array;
  private readonly k = Object.fromEntries(Object.entries(KEY).map(([name, text]) => [name, bytesOf(text)])) as Record<keyof typeof KEY, Uint8Array>;
  /** The time of day of the instant being written (clockOf). */
  private readonly clock = [0, 0, 0, 0];
  /** `YYYY-MM-DD` of the last UTC day and calendar day written. */
  private utcDay = NaN;
  private readonly utcDate = new Uint8Array(10);
  private calDay = NaN;
  private readonly calDate = new Uint8Array(10);
  // The fields of the line being scanned, in order.
  private readonly col = new Int8Array(MAX_FIELDS);
  private readonly keyS = new Int32Array(MAX_FIELDS);
  private readonly keyE = new Int32Array(MAX_FIELDS);
  private readonly valS = new Int32Array(MAX_FIELDS);
  private readonly valE = new Int32Array(MAX_FIELDS);
  private readonly kind = new Uint8Array(MAX_FIELDS);
  /** Per field: its string holds a byte past ASCII. */
  private readonly high = new Uint8Array(MAX_FIELDS);
  /** Field index of each column, -1 when absent. */
  private readonly at = new Int8Array(NAMES.length);
  private readonly result: ScannedEvent = {
    event_id: '', user_id: '', event_type: '', ts: 0, pos: 0, usd_micros: null, acquisition_channel: null, start: 0, end: 0, botAt: 0,
  };
  // Bounds of trimmed strings, set by trim().
  private ts0 = 0;
  private ts1 = 0;
  private line: Uint8Array = new Uint8Array(0);
  /** What event() needs of the last scan besides `result`. */
  private readonly last = {
    n: 0, money: false, version: 1, amount: 0, currency: '', tax: NaN, refersId: null as string | null, refers0: 0, refers1: 0,
  };

  constructor(ctx: ScanContext) {
    this.ctx = ctx;
    this.ascii = ctx.ascii ?? latin1;
    this.source = new TextEncoder().encode(JSON.stringify(ctx.source));
    const flags = bytesOf(`${FRESH_FLAGS}${KEY.source}`), pos = bytesOf(KEY.pos);
    this.fTail = new Uint8Array(flags.length + this.source.length + pos.length);
    this.fTail.set(flags);
    this.fTail.set(this.source, flags.length);
    this.fTail.set(pos, flags.length + this.source.length);
  }

  /** Bytes a sink must have free past its `length` before scanning a line of `lineBytes`. */
  room(lineBytes: number): number {
    // Raw slices take at most the line twice over; the rest is keys, numbers and formatted ids.
    return 4096 + this.source.length + 2 * lineBytes;
  }

  /**
   * Scans one events line found at `pos`: a valid event has its silver line written at
   * `out.length` (which is not moved) and is returned; null means the reference path decides.
   * With `out` null no line is written (`start`, `end` and `botAt` are then 0); event() still
   * tells the whole event.
   */
  scan(b: Uint8Array, pos: number, out: ByteSink | null): ScannedEvent | null {
    this.line = b;
    const n = this.fields(b);
    if (n < 0) return null;
    const at = this.at, kind = this.kind, valS = this.valS, valE = this.valE, high = this.high;

    // SPEC 2, in order; any rejection is the reference path's to tell.
    const eventId = this.id(at[EVENT_ID]);
    if (eventId === null) return null;
    const userId = this.id(at[USER_ID]);
    if (userId === null) return null;
    let f = at[EVENT_TYPE];
    if (f < 0 || kind[f] !== STR || high[f] === 1 || !this.trim(f)) return null;
    const type0 = this.ts0, type1 = this.ts1;
    if (type0 === type1) return null;
    const eventType = this.eventType(b, type0, type1);

    f = at[TIMESTAMP];
    if (f < 0) return null;
    let ts: number;
    if (kind[f] === NUM) ts = parseTimestamp(this.number(f));
    else if (kind[f] === STR && high[f] === 0) ts = this.timestamp(b, valS[f], valE[f]);
    else return null;
    if (Number.isNaN(ts) || implausibility(ts, this.ctx.now) !== null) return null;

    const money = eventType === 'purchase' || eventType === 'refund';
    let amount = 0, currency = '', usd = 0, tax = NaN;
    if (money) {
      f = at[AMOUNT];
      if (f < 0) return null;
      amount = this.numeric(f);
      if (Number.isNaN(amount) || Math.abs(amount) > MONEY_LIMIT || (eventType === 'purchase' && amount < 0)) return null;
      amount = Math.abs(amount);
      f = at[CURRENCY];
      if (f < 0 || kind[f] === NULL) currency = 'USD';
      else if (kind[f] === STR && high[f] === 0) currency = normaliseCurrency(this.ascii(b, valS[f], valE[f]))!;
      else return null;
      const rate = this.ctx.fx[currency];
      if (rate === undefined) return null;
      f = at[TAX];
      if (f >= 0 && kind[f] !== NULL) {
        tax = this.numeric(f);
        if (!(tax >= 0 && tax <= MONEY_LIMIT)) return null;
      }
      usd = toMicros(amount, rate);
    }
    f = at[SCHEMA_VERSION];
    let version = f < 0 ? NaN : kind[f] === NUM || kind[f] === STR ? this.numeric(f) : NaN;
    if (Number.isNaN(version)) {
      if (f >= 0 && kind[f] === STR && high[f] === 1) return null;
      version = 1;
    }
    // refers_to_event_id, page and acquisition_channel are written from their bytes.
    const refers = at[REFERS];
    let refersId: string | null = null;
    if (refers >= 0 && kind[refers] === NUM) refersId = this.id(refers);
    else if (refers >= 0 && kind[refers] === STR && !this.trim(refers)) return null;
    const refers0 = this.ts0, refers1 = this.ts1;
    const page = at[PAGE];
    if (page >= 0 && kind[page] === STR && high[page] === 1 && !validUtf8(b, valS[page], valE[page])) return null;
    const chan = at[CHANNEL];
    let channel: string | null = null;
    if (chan >= 0 && kind[chan] === STR) {
      if (high[chan] === 1 || !this.trim(chan)) return null;
      channel = this.ascii(b, this.ts0, this.ts1);
    }
    const chan0 = this.ts0, chan1 = this.ts1;
    // Attributes: every field that is not a column, in order (money fields are columns only for money).
    let extras = 0;
    for (let i = 0; i < n; i++) {
      const c = this.col[i];
      if (c >= 0 && (money || (c !== AMOUNT && c !== CURRENCY && c !== TAX))) continue;
      if (!this.plainExtra(i, n)) return null;
      extras++;
    }

    const r = this.result;
    r.event_id = eventId;
    r.user_id = userId;
    r.event_type = eventType;
    r.ts = ts;
    r.pos = pos;
    r.usd_micros = money ? usd : null;
    r.acquisition_channel = channel;
    r.start = r.end = r.botAt = 0;
    const last = this.last;
    last.n = n;
    last.money = money;
    last.version = version;
    last.amount = amount;
    last.currency = currency;
    last.tax = tax;
    last.refersId = refersId;
    last.refers0 = refers0;
    last.refers1 = refers1;
    if (out === null) return r;

    // Valid: write the line.
    const o = out.bytes, start = out.length, k = this.k;
    let w = put(o, start, k.event_id);
    w = this.idText(o, w, at[EVENT_ID], eventId);
    w = put(o, w, k.user_id);
    w = this.idText(o, w, at[USER_ID], userId);
    w = put(o, w, this.fType);
    for (let i = type0; i < type1; i++) {
      const c = b[i];
      o[w++] = c >= 0x41 && c <= 0x5a ? c + 32 : c;
    }
    w = put(o, w, this.fTs);
    w = this.instant(o, w, ts);
    w = put(o, w, this.fDate);
    const day = this.ctx.cal.dayNumber(ts);
    if (day !== this.calDay) {
      this.calDay = day;
      bytesInto(this.calDate, dayString(day));
    }
    w = put(o, w, this.calDate);
    w = put(o, w, this.fVersion);
    w = version >= 0 && version <= 9 && Number.isInteger(version) ? (o[w] = ZERO + version, w + 1) : text(o, w, String(version));
    if (money) {
      w = put(o, w, k.amount);
      w = text(o, w, String(amount));
      w = put(o, w, this.fCurrency);
      w = text(o, w, currency);
      w = put(o, w, this.fUsd);
      w = text(o, w, String(fromMicros(usd)));
      w = put(o, w, k.tax);
      w = text(o, w, Number.isNaN(tax) ? 'null' : String(tax));
      w = put(o, w, k.refers_to_event_id);
    } else {
      w = put(o, w, this.fNoMoney);
    }
    if (refersId !== null) w = this.idText(o, w, refers, refersId);
    else if (refers >= 0 && kind[refers] === STR && refers0 < refers1) w = quoted(o, w, b, refers0, refers1);
    else w = text(o, w, 'null');
    w = put(o, w, k.page);
    w = page >= 0 && kind[page] === STR ? quoted(o, w, b, valS[page], valE[page]) : text(o, w, 'null');
    w = put(o, w, k.acquisition_channel);
    w = channel !== null ? quoted(o, w, b, chan0, chan1) : text(o, w, 'null');
    const botAt = w - start + BOT_IN_FLAGS;
    w = put(o, w, this.fTail);
    w = digits(o, w, pos);
    w = put(o, w, k.attributes);
    if (extras === 0) {
      w = text(o, w, 'null');
    } else {
      let first = true;
      for (let i = 0; i < n; i++) {
        const c = this.col[i];
        if (c >= 0 && (money || (c !== AMOUNT && c !== CURRENCY && c !== TAX))) continue;
        o[w++] = first ? LBRACE : COMMA;
        first = false;
        w = quoted(o, w, b, this.keyS[i], this.keyE[i]);
        o[w++] = COLON;
        const kd = kind[i];
        if (kd === STR) w = quoted(o, w, b, valS[i], valE[i]);
        else if (kd === NUM) {
          const x = this.number(i);
          w = text(o, w, Number.isFinite(x) ? String(x) : 'null');
        } else w = copy(o, w, b, valS[i], valE[i]);
      }
      o[w++] = RBRACE;
    }
    o[w++] = RBRACE;
    o[w++] = 0x0a;

    r.start = start;
    r.end = w;
    r.botAt = botAt;
    return r;
  }

  /**
   * The whole silver event of the last scan that returned one (is_bot false, versions 1), as
   * validateEvent would give it. Valid only until the next scan.
   */
  event(): SilverEvent {
    const r = this.result, last = this.last, at = this.at, kind = this.kind;
    const refers = at[REFERS], page = at[PAGE];
    let attributes: Record<string, unknown> | null = null;
    for (let i = 0; i < last.n; i++) {
      const c = this.col[i];
      if (c >= 0 && (last.money || (c !== AMOUNT && c !== CURRENCY && c !== TAX))) continue;
      const kd = kind[i];
      const value = kd === STR ? this.text(i, this.valS[i], this.valE[i]) : kd === NUM ? this.number(i)
        : kd === TRUE ? true : kd === FALSE ? false : null;
      // Defined, not assigned, as extraFields does: `__proto__` is a field like any other.
      Object.defineProperty(attributes ??= {}, this.text(i, this.keyS[i], this.keyE[i], true), { value, enumerable: true, writable: true, configurable: true });
    }
    return {
      event_id: r.event_id,
      user_id: r.user_id,
      event_type: r.event_type,
      ts: r.ts,
      schema_version: last.version,
      amount: last.money ? last.amount : null,
      currency: last.money ? last.currency : null,
      usd_micros: r.usd_micros,
      tax: last.money && !Number.isNaN(last.tax) ? last.tax : null,
      refers_to_event_id: last.refersId ?? (refers >= 0 && kind[refers] === STR && last.refers0 < last.refers1
        ? this.text(refers, last.refers0, last.refers1) : null),
      page: page >= 0 && kind[page] === STR ? this.text(page, this.valS[page], this.valE[page]) : null,
      acquisition_channel: r.acquisition_channel,
      attributes,
      source: this.ctx.source,
      pos: r.pos,
      versions: 1,
      is_bot: false,
    };
  }

  /** Bytes `[s, e)` of field `f`'s string (or key) as a string. */
  private text(f: number, s: number, e: number, key = false): string {
    const b = this.line;
    let high = !key && this.high[f] === 1;
    if (key) for (let i = s; i < e && !high; i++) high = b[i] >= 0x80;
    return high ? utf8.decode(b.subarray(s, e)) : this.ascii(b, s, e);
  }

  /** Writes `ts` as isoUtc does: `YYYY-MM-DDTHH:MM:SS.mmmZ`. */
  private instant(o: Uint8Array, w: number, ts: number): number {
    const clock = this.clock;
    const day = clockOf(ts, clock);
    if (day !== this.utcDay) {
      this.utcDay = day;
      bytesInto(this.utcDate, dayString(day));
    }
    w = put(o, w, this.utcDate);
    const h = clock[0]!, m = clock[1]!, s = clock[2]!, rest = clock[3]!;
    o[w] = T;
    o[w + 1] = ZERO + Math.floor(h / 10);
    o[w + 2] = ZERO + (h % 10);
    o[w + 3] = COLON;
    o[w + 4] = ZERO + Math.floor(m / 10);
    o[w + 5] = ZERO + (m % 10);
    o[w + 6] = COLON;
    o[w + 7] = ZERO + Math.floor(s / 10);
    o[w + 8] = ZERO + (s % 10);
    o[w + 9] = DOT;
    o[w + 10] = ZERO + Math.floor(rest / 100);
    o[w + 11] = ZERO + (Math.floor(rest / 10) % 10);
    o[w + 12] = ZERO + (rest % 10);
    o[w + 13] = Z;
    return w + 14;
  }

  /**
   * Reads the top-level fields of a flat object into the field arrays; returns their count,
   * or -1 when the line is not one the scanner is sure of.
   */
  private fields(b: Uint8Array): number {
    const len = b.length;
    const at = this.at;
    at.fill(-1);
    let i = 0;
    while (i < len && isWs(b[i])) i++;
    if (b[i++] !== LBRACE) return -1;
    while (i < len && isWs(b[i])) i++;
    let n = 0;
    for (;;) {
      if (n === MAX_FIELDS || b[i++] !== QUOTE) return -1;
      // The key.
      const ks = i;
      let hi = 0;
      for (;; i++) {
        if (i >= len) return -1;
        const c = b[i];
        if (c === QUOTE) break;
        if (c === BACKSLASH || c < SPACE) return -1;
        if (c >= 0x80) hi = 1;
      }
      const ke = i++;
      if (hi === 1 && !validUtf8(b, ks, ke)) return -1;
      const col = hi === 1 ? -1 : column(b, ks, ke);
      if (col >= 0) {
        if (at[col] >= 0) return -1; // a duplicate: JSON.parse keeps the last, at the first's place
        at[col] = n;
      }
      while (i < len && isWs(b[i])) i++;
      if (b[i++] !== COLON) return -1;
      while (i < len && isWs(b[i])) i++;
      // The value.
      const vs = i;
      const c = b[i];
      let kd: number;
      hi = 0;
      if (c === QUOTE) {
        kd = STR;
        for (i++; ; i++) {
          if (i >= len) return -1;
          const d = b[i];
          if (d === QUOTE) break;
          if (d === BACKSLASH || d < SPACE) return -1;
          if (d >= 0x80) hi = 1;
        }
        this.valS[n] = vs + 1;
        this.valE[n] = i++;
      } else {
        if (c === MINUS || isDigit(c)) {
          kd = NUM;
          i = numberEnd(b, i);
          if (i < 0) return -1;
        } else if (c === 0x74 && b[i + 1] === 0x72 && b[i + 2] === 0x75 && b[i + 3] === 0x65) {
          kd = TRUE;
          i += 4;
        } else if (c === 0x66 && b[i + 1] === 0x61 && b[i + 2] === 0x6c && b[i + 3] === 0x73 && b[i + 4] === 0x65) {
          kd = FALSE;
          i += 5;
        } else if (c === 0x6e && b[i + 1] === 0x75 && b[i + 2] === 0x6c && b[i + 3] === 0x6c) {
          kd = NULL;
          i += 4;
        } else {
          return -1; // nesting, or not JSON
        }
        this.valS[n] = vs;
        this.valE[n] = i;
      }
      this.col[n] = col;
      this.keyS[n] = ks;
      this.keyE[n] = ke;
      this.kind[n] = kd;
      this.high[n] = hi;
      n++;
      while (i < len && isWs(b[i])) i++;
      const sep = b[i++];
      if (sep === RBRACE) break;
      if (sep !== COMMA) return -1;
      while (i < len && isWs(b[i])) i++;
    }
    while (i < len && isWs(b[i])) i++;
    return i === len ? n : -1;
  }

  /** The value of number field `f`, as JSON.parse reads it. */
  private number(f: number): number {
    const b = this.line, s = this.valS[f], e = this.valE[f];
    // Up to 15 digits with at most a fraction: the exact integer over a power of ten is
    // correctly rounded, so it equals the parse. Anything longer asks Number.
    let i = s;
    const neg = b[i] === MINUS;
    if (neg) i++;
    let m = 0, digits = 0, frac = -1;
    for (; i < e; i++) {
      const c = b[i];
      if (c === DOT) { frac = 0; continue; }
      if (!isDigit(c)) return Number(this.ascii(b, s, e));
      m = m * 10 + (c - ZERO);
      digits++;
      if (frac >= 0) frac++;
    }
    if (digits > 15) return Number(this.ascii(b, s, e));
    const x = frac > 0 ? m / POW10[frac] : m;
    return neg ? -x : x;
  }

  /** readNumber of field `f` (a number, or a numeric string); NaN for anything else. */
  private numeric(f: number): number {
    const kd = this.kind[f];
    if (kd === NUM) {
      const x = this.number(f);
      return Number.isFinite(x) ? x : NaN;
    }
    if (kd === STR && this.high[f] === 0) return readNumber(this.ascii(this.line, this.valS[f], this.valE[f]));
    return NaN;
  }

  /**
   * Trims the spaces around string field `f` into ts0/ts1. False when what is left starts or
   * ends past ASCII (JS trimming knows more white space than the space) or holds bad UTF-8.
   */
  private trim(f: number): boolean {
    const b = this.line;
    let s = this.valS[f], e = this.valE[f];
    while (s < e && b[s] === SPACE) s++;
    while (e > s && b[e - 1] === SPACE) e--;
    this.ts0 = s;
    this.ts1 = e;
    if (this.high[f] === 0) return true;
    return s === e || (b[s] < 0x80 && b[e - 1] < 0x80 && validUtf8(b, s, e));
  }

  /** readId of field `f`, for a string without bytes past ASCII or a number; null otherwise (absent, empty or unsure). */
  private id(f: number): string | null {
    if (f < 0) return null;
    if (this.kind[f] === NUM) {
      const x = this.number(f);
      // As keepExactIds: an integer a double holds exactly is its decimal, anything else as written.
      return Number.isSafeInteger(x) ? String(x) : numericId(this.ascii(this.line, this.valS[f], this.valE[f]));
    }
    if (this.kind[f] !== STR || this.high[f] === 1) return null;
    this.trim(f);
    return this.ts0 === this.ts1 ? null : this.ascii(this.line, this.ts0, this.ts1);
  }

  /** Writes id `value` of field `f`: its trimmed bytes when it is a string. */
  private idText(o: Uint8Array, w: number, f: number, value: string): number {
    if (this.kind[f] !== STR) {
      o[w++] = QUOTE;
      w = text(o, w, value);
      o[w++] = QUOTE;
      return w;
    }
    const b = this.line;
    let s = this.valS[f], e = this.valE[f];
    while (s < e && b[s] === SPACE) s++;
    while (e > s && b[e - 1] === SPACE) e--;
    return quoted(o, w, b, s, e);
  }

  /** The trimmed, lower-cased event type of ASCII bytes `[s, e)`: a constant for the usual ones. */
  private eventType(b: Uint8Array, s: number, e: number): string {
    next: for (let t = 0; t < TYPE_BYTES.length; t++) {
      const want = TYPE_BYTES[t];
      if (want.length !== e - s) continue;
      for (let i = 0; i < want.length; i++) if ((b[s + i] | (b[s + i] >= 0x41 && b[s + i] <= 0x5a ? 32 : 0)) !== want[i]) continue next;
      return TYPES[t];
    }
    return this.ascii(b, s, e).toLowerCase();
  }

  /** Whether extra field `i` can be copied as JSON.stringify writes it: a key that is no array index, seen once; a value that is no escape. */
  private plainExtra(i: number, n: number): boolean {
    const b = this.line, ks = this.keyS[i], ke = this.keyE[i];
    let index = ke > ks;
    for (let j = ks; j < ke && index; j++) index = isDigit(b[j]);
    if (index) return false;
    for (let j = 0; j < n; j++) {
      if (j === i || this.keyE[j] - this.keyS[j] !== ke - ks) continue;
      let same = true;
      for (let x = 0; x < ke - ks && same; x++) same = b[this.keyS[j] + x] === b[ks + x];
      if (same) return false;
    }
    return this.kind[i] !== STR || this.high[i] === 0 || validUtf8(b, this.valS[i], this.valE[i]);
  }

  /** Reads a SPEC 1.2 textual timestamp from ASCII bytes `[s, e)`; NaN when it is not one (the reference path then decides). */
  private timestamp(b: Uint8Array, s: number, e: number): number {
    while (s < e && b[s] === SPACE) s++;
    while (e > s && b[e - 1] === SPACE) e--;
    if (e - s < 19 || b[s + 4] !== MINUS || b[s + 7] !== MINUS || (b[s + 10] !== T && b[s + 10] !== SPACE)
      || b[s + 13] !== COLON || b[s + 16] !== COLON) return NaN;
    const y = d2(b, s) * 100 + d2(b, s + 2), mo = d2(b, s + 5), d = d2(b, s + 8), h = d2(b, s + 11), mi = d2(b, s + 14),
      sec = d2(b, s + 17);
    let i = s + 19, ms = 0;
    if (i < e && b[i] === DOT) {
      const from = ++i;
      for (; i < e && isDigit(b[i]); i++) if (i - from < 3) ms += (b[i] - ZERO) * POW10[2 - (i - from)];
      if (i === from) return NaN;
    }
    if (i === e) return utcInstant(y, mo, d, h, mi, sec, ms, 1, 0, 0);
    const z = b[i];
    if (z === Z) return i + 1 === e ? utcInstant(y, mo, d, h, mi, sec, ms, 1, 0, 0) : NaN;
    if (z !== PLUS && z !== MINUS) return NaN;
    const colon = e - i === 6 && b[i + 3] === COLON;
    if (!colon && e - i !== 5) return NaN;
    return utcInstant(y, mo, d, h, mi, sec, ms, z === MINUS ? -1 : 1, d2(b, i + 1), d2(b, colon ? i + 4 : i + 3));
  }
}

/** The index in NAMES of the key at `[s, e)`, or -1. */
function column(b: Uint8Array, s: number, e: number): number {
  const len = e - s;
  next: for (let c = 0; c < NAME_BYTES.length; c++) {
    const name = NAME_BYTES[c];
    if (name.length !== len) continue;
    for (let i = 0; i < len; i++) if (b[s + i] !== name[i]) continue next;
    return c;
  }
  return -1;
}

/** The end of the JSON number starting at `i`, or -1 when the grammar is broken (leading zeros, a bare dot, ...). */
function numberEnd(b: Uint8Array, i: number): number {
  if (b[i] === MINUS) i++;
  if (b[i] === ZERO) i++;
  else if (b[i] > ZERO && b[i] <= NINE) while (isDigit(b[i])) i++;
  else return -1;
  if (b[i] === DOT) {
    if (!isDigit(b[++i])) return -1;
    while (isDigit(b[i])) i++;
  }
  if (b[i] === 0x65 || b[i] === 0x45) {
    i++;
    if (b[i] === PLUS || b[i] === MINUS) i++;
    if (!isDigit(b[i])) return -1;
    while (isDigit(b[i])) i++;
  }
  return i;
}

/** Two ASCII digits at `i` as a number; NaN when either is not a digit. */
function d2(b: Uint8Array, i: number): number {
  const x = b[i] - ZERO, y = b[i + 1] - ZERO;
  return x >= 0 && x <= 9 && y >= 0 && y <= 9 ? x * 10 + y : NaN;
}

function put(o: Uint8Array, w: number, frag: Uint8Array): number {
  if (frag.length > 12) {
    o.set(frag, w);
    return w + frag.length;
  }
  for (let i = 0; i < frag.length; i++) o[w++] = frag[i];
  return w;
}

/** Writes ASCII `s` into `into`, which has its length. */
function bytesInto(into: Uint8Array, s: string): void {
  for (let i = 0; i < s.length; i++) into[i] = s.charCodeAt(i);
}

/** Writes a non-negative integer in decimal. */
function digits(o: Uint8Array, w: number, n: number): number {
  if (n < 10) {
    o[w] = ZERO + n;
    return w + 1;
  }
  if (n >= 1e15) return text(o, w, String(n));
  let len = 1;
  while (POW10[len] <= n) len++;
  for (let i = w + len - 1; i >= w; i--) {
    o[i] = ZERO + (n % 10);
    n = Math.floor(n / 10);
  }
  return w + len;
}

function copy(o: Uint8Array, w: number, b: Uint8Array, s: number, e: number): number {
  for (let i = s; i < e; i++) o[w++] = b[i];
  return w;
}

function quoted(o: Uint8Array, w: number, b: Uint8Array, s: number, e: number): number {
  o[w++] = QUOTE;
  for (let i = s; i < e; i++) o[w++] = b[i];
  o[w++] = QUOTE;
  return w;
}

/** Writes an ASCII string. */
function text(o: Uint8Array, w: number, s: string): number {
  for (let i = 0; i < s.length; i++) o[w++] = s.charCodeAt(i);
  return w;
}
