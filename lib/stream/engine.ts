// Streaming mode (SPEC 8): the transport-free core. NDJSON bytes go in with `push(chunk)`;
// silver events come out through `sink.event` once final, quarantined records through
// `sink.reject`. Node streams, stdin and the CLI are thin adapters (stream-transform.ts).
//
// Time model. The watermark W is the latest event_ts of a valid event seen so far; the
// frontier is F = W − window. Everything strictly before F is closed:
//  - an id's winner is final once its event_ts < F (the watermark is MORE than the window
//    past it), so an event exactly one window behind the watermark is still on time;
//  - an arriving event with event_ts < F is `late_event`, whatever its id;
//  - a version of an id already final is `late_event` while the id is remembered: a final
//    id is forgotten once F passes its winner's event_ts + retainMs (default: one more
//    window). Hence the guarantee: a version whose event_ts is at most retainMs after the
//    final winner's is ALWAYS `late_event` (remembered, or else older than F). Only a version
//    more than retainMs newer than a final winner, arriving after the id was forgotten, is
//    taken for a new id and emitted a second time.
// Only valid events move the watermark (an invalid line's time is not trusted). A placeholder
// time (2126, 9999) is `implausible_timestamp`, so it never does; a plausible event far ahead
// (less than a day past the clock) still closes every window, and what follows it is late.
// Without a pinned `now` the clock is the wall clock as each chunk arrives: a feed that runs
// for weeks must not find its own events implausible a day after it started.
// Finalisation pops ids in (event_ts, event_id) order, so the bot counter sees winners in
// exactly the batch run's order and finds exactly its bots. A final row is held until the
// frontier is a bot window past it too (event_ts + botWindowMs <= F): every window that
// can hold it is then complete, so its `is_bot` is what batch says unless the user's burst
// comes later than that. Output rows are in silver order, (event_ts, event_id).
import { Queue } from 'mnemonist';
import { BotCounter } from '../core/bots.js';
import { makeCalendar, type Calendar } from '../core/calendar.js';
import { LOST, NEW, eventBeats, offerVersion } from '../core/dedup.js';
import { NearOrderQueue } from '../core/near-order.js';
import { LineSplitter } from '../io/lines.js';
import { jsonRecords, latin1Of } from '../io/readers.js';
import { SourceCounts, newSourceReport } from '../core/report.js';
import { EventScanner, type ScannedEvent } from '../core/scan-event.js';
import { byTimeThenId } from '../core/silver.js';
import { resolveStreamOptions, type ResolvedStreamOptions, type StreamOptions } from './options.js';
import { isoUtc } from '../core/time.js';
import type { QuarantineReason, QuarantineRow, SilverEvent, SourceReport } from '../core/types.js';
import { EVENT_ID_FIELDS, validateEvent } from '../core/validate-event.js';

/** Where the engine hands its output. Every method is called synchronously from push() and end(). */
export interface StreamSink {
  /** A final silver event, `is_bot` as known when emitted; rows come in (event_ts, event_id) order. */
  event(e: SilverEvent): void;
  /** A quarantined record: invalid, or `late_event`. */
  reject(row: QuarantineRow): void;
  /**
   * Given, the rows the byte scanner read come here instead of to `event()`, in the same order,
   * as their silver line and the few fields the window keeps: no event object is built, and
   * writing a row costs a copy. Default: none, every row comes to `event()`.
   */
  line?(row: LineRow): void;
}

/**
 * A row the byte scanner read, for a sink with `line()`: its silver line as first written (is_bot
 * false, versions 1) is `bytes[start, end)`, the `false` of is_bot at `start + botAt`; `is_bot`
 * and `versions` are the final ones, to patch in (writeSilverLine).
 */
export class LineRow {
  readonly event_id: string;
  readonly user_id: string;
  readonly ts: number;
  readonly pos: number;
  readonly bytes: Buffer;
  readonly start: number;
  readonly end: number;
  readonly botAt: number;
  versions = 1;
  is_bot = false;

  constructor(scanned: ScannedEvent, bytes: Buffer) {
    this.event_id = scanned.event_id;
    this.user_id = scanned.user_id;
    this.ts = scanned.ts;
    this.pos = scanned.pos;
    this.bytes = bytes;
    this.start = scanned.start;
    this.end = scanned.end;
    this.botAt = scanned.botAt;
  }
}

/** A row in the window: a whole event, or a scanned line for a sink with `line()`. */
type Row = SilverEvent | LineRow;

/** Lines are written into slabs of this size; a slab is dropped once its rows are emitted. */
const SLAB_BYTES = 1 << 20;

/** Counters of a stream, updated as it runs (the batch report's per-source shape, plus state). */
export interface StreamInfo extends SourceReport {
  /** Latest event_ts (UTC ms) of a valid event so far; null before the first. */
  watermark: number | null;
  /** Valid ids received but not yet emitted (awaiting their window, or the bot window). */
  pending: number;
  /** Bot users found so far. */
  bots: number;
}

export interface StreamEngine {
  /** Feeds NDJSON bytes; lines may span chunks. */
  push(chunk: Buffer | string): void;
  /** Ends the input: every pending id is final and emitted; checks the report invariant. */
  end(): void;
  readonly info: StreamInfo;
  readonly options: ResolvedStreamOptions;
  /** The reporting calendar of `options.timezone`, for writing rows. */
  readonly calendar: Calendar;
  /** Bot user ids found so far, sorted. */
  bots(): string[];
  /** Sizes of the windowed state, for monitoring: ids remembered (pending or final), rows awaiting emission. */
  stateSize(): { ids: number; timeline: number; ready: number };
}

/** Creates a stream engine writing to `sink`. Options are resolved here (see StreamOptions). */
export function createStreamEngine(options: StreamOptions, sink: StreamSink): StreamEngine {
  return new StreamCore(resolveStreamOptions(options), sink);
}

const duration = (ms: number): string =>
  ms % 3_600_000 === 0 ? `${ms / 3_600_000}h` : ms % 60_000 === 0 ? `${ms / 60_000}m` : ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;

/** A slot of the id map: the current winner of a pending id, or the event_ts of a final one. */
type Slot = Row | number;

class StreamCore implements StreamEngine {
  readonly options: ResolvedStreamOptions;
  readonly calendar: Calendar;
  readonly info: StreamInfo;
  /** Owns the report counters of `info`; the stream's own fields (watermark, pending, bots) are set directly. */
  private readonly counts: SourceCounts<StreamInfo>;
  private readonly sink: StreamSink;
  private readonly splitter: LineSplitter;
  /**
   * Every id the window can still reach: pending ids map to their current winner (the batch
   * dedup decision, offerVersion), final ids to their winner's event_ts until forgotten. One map
   * serves both, so a version costs one lookup to be told pending, final or new.
   */
  private readonly slots = new Map<string, Slot>();
  /**
   * Winners by (event_ts, event_id); entries whose record no longer wins are skipped when popped.
   * Events arrive nearly in time order, which the queue turns into a comparison or two each.
   */
  private readonly byTime = new NearOrderQueue<Row>(byTimeThenId);
  /** Final rows waiting for the bot window, in finalisation order. */
  private readonly ready = new Queue<Row>();
  /** Final ids still remembered, oldest first, with their winners' event_ts. */
  private readonly finalIds = new Queue<string>();
  private readonly finalTimes = new Queue<number>();
  private readonly counter: BotCounter;
  /** Bot users counted in `info.bots` so far. */
  private readonly botSet = new Set<string>();
  private watermark = -Infinity;
  /** watermark − window: ids whose winner is older are final; events older are late. */
  private frontier = -Infinity;
  private ended = false;
  /** The clock events are judged by: the pinned `now`, or the wall clock when the current chunk arrived. */
  private clock: number;

  constructor(options: ResolvedStreamOptions, sink: StreamSink) {
    this.options = options;
    this.sink = sink;
    this.clock = options.now ?? Date.now();
    this.calendar = makeCalendar(options.timezone);
    this.counter = new BotCounter(options.botThreshold, options.botWindowMs);
    this.counts = new SourceCounts<StreamInfo>({ ...newSourceReport(options.source), watermark: null, pending: 0, bots: 0 });
    this.info = this.counts.info;
    const { source, fx } = options;
    // The byte scanner reads what it is sure of; the parse and validateEvent decide the rest.
    const core = this;
    const scanner = new EventScanner({ source, fx, cal: this.calendar, ascii: latin1Of, get now() { return core.clock; } });
    const parsed = jsonRecords({
      record: (value, pos, raw) => {
        const result = validateEvent(value, source, pos, fx, this.clock);
        if ('reason' in result) return this.reject(pos, result.reason, result.detail, raw.toString('utf8'));
        this.offer(result, raw);
      },
      reject: (pos, reason, detail, raw) => this.reject(pos, reason, detail, raw),
      blank: () => { this.counts.blank(); },
    }, EVENT_ID_FIELDS);
    const slab = { bytes: Buffer.allocUnsafe(SLAB_BYTES), length: 0 };
    const lines = sink.line !== undefined;
    this.splitter = new LineSplitter({
      line: (bytes, pos) => {
        let out: typeof slab | null = null;
        if (lines) {
          const room = scanner.room(bytes.length);
          if (slab.length + room > slab.bytes.length) {
            slab.bytes = Buffer.allocUnsafe(Math.max(SLAB_BYTES, room));
            slab.length = 0;
          }
          out = slab;
        }
        const scanned = scanner.scan(bytes, pos, out);
        if (scanned === null) return parsed.line(bytes, pos);
        if (!lines) return this.offer(scanner.event(), bytes);
        slab.length = scanned.end;
        this.offer(new LineRow(scanned, slab.bytes), bytes);
      },
      blank: (pos) => parsed.blank(pos),
      tooLong: (head, pos, bytes) => parsed.tooLong(head, pos, bytes),
    }, options.maxLineBytes);
  }

  push(chunk: Buffer | string): void {
    if (this.ended) throw new Error('audicin: stream engine: push() after end()');
    if (this.options.now === null) this.clock = Date.now();
    this.splitter.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);
  }

  end(): void {
    if (this.ended) return;
    this.splitter.end();
    this.ended = true;
    this.frontier = Infinity;
    this.advance();
    this.counts.check('events');
  }

  bots(): string[] {
    return this.counter.bots();
  }

  stateSize(): { ids: number; timeline: number; ready: number } {
    return { ids: this.slots.size, timeline: this.byTime.size, ready: this.ready.size };
  }

  private reject(pos: number, reason: QuarantineReason, detail: string, raw: string): void {
    this.counts.quarantine(reason);
    this.sink.reject({ source: this.options.source, pos, reason, detail, raw });
  }

  /**
   * One valid version: late, or offered to dedup. State is brought up to date after every
   * version that moves the watermark, so the result never depends on how input is chunked.
   */
  private offer(e: Row, raw: Buffer): void {
    if (e.ts < this.frontier) {
      return this.reject(e.pos, 'late_event', `event_ts ${isoUtc(e.ts)} is more than the window `
        + `(${duration(this.options.windowMs)}) behind the watermark ${isoUtc(this.watermark)}`, raw.toString('utf8'));
    }
    const id = e.event_id;
    const slot = this.slots.get(id);
    if (typeof slot === 'number') {
      return this.reject(e.pos, 'late_event', `event_id ${id} is already final (winner event_ts `
        + `${isoUtc(slot)}, watermark ${isoUtc(this.watermark)})`, raw.toString('utf8'));
    }
    this.counts.valid();
    const outcome = offerVersion(eventBeats, slot, e);
    if (outcome === NEW) this.info.pending++;
    else this.counts.superseded();
    if (outcome !== LOST) {
      this.slots.set(id, e);
      this.byTime.push(e);
    }
    if (e.ts > this.watermark) {
      this.watermark = e.ts;
      this.info.watermark = e.ts;
      this.frontier = e.ts - this.options.windowMs;
      this.advance();
    }
  }

  /** Finalises ids before the frontier, emits rows a bot window behind it, forgets old ids. */
  private advance(): void {
    const F = this.frontier;
    const { slots, byTime, counter, info } = this;
    for (let top = byTime.peek(); top !== undefined && top.ts < F; top = byTime.peek()) {
      byTime.pop();
      if (slots.get(top.event_id) !== top) continue; // superseded since it was pushed
      slots.set(top.event_id, top.ts);
      this.finalIds.enqueue(top.event_id);
      this.finalTimes.enqueue(top.ts);
      // No evict-before-add as in batch: times a bot window behind are dropped on emission
      // below, and older times can never share a window with this one anyway.
      if (counter.add(top.user_id, top.ts) && !this.botSet.has(top.user_id)) {
        this.botSet.add(top.user_id);
        info.bots++;
      }
      this.ready.enqueue(top);
    }
    const botWindow = this.options.botWindowMs;
    for (let e = this.ready.peek(); e !== undefined && e.ts + botWindow <= F; e = this.ready.peek()) {
      this.ready.dequeue();
      e.is_bot = counter.isBot(e.user_id);
      // Every later event of this user is at or after F: times up to F − botWindow are done with.
      counter.evict(e.user_id, F);
      info.pending--;
      this.counts.silver();
      if (e instanceof LineRow) this.sink.line!(e);
      else this.sink.event(e);
    }
    const forgetBefore = F - this.options.retainMs;
    for (let ts = this.finalTimes.peek(); ts !== undefined && ts < forgetBefore; ts = this.finalTimes.peek()) {
      this.finalTimes.dequeue();
      const id = this.finalIds.dequeue()!;
      // An id forgotten once and seen again as new may be final again, with a later time.
      if (slots.get(id) === ts) slots.delete(id);
    }
  }
}
