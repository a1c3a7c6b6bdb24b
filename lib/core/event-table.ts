// The winning version of every event id of one partition, kept compact: numbers in typed
// vectors (mnemonist), each winner's silver line as bytes in one growing buffer, so a
// million winners cost the garbage collector almost nothing to keep until the end.
import { Float64Vector, Uint32Vector, Uint8Vector } from 'mnemonist';
import type { Calendar } from './calendar.js';
import { LOST, eventBeats, offerVersion } from './dedup.js';
import { BOT_IN_FLAGS, eventLineParts, FRESH_FLAGS } from './silver.js';
import type { SilverEvent } from './types.js';

export { VERSIONS_AFTER_BOT } from './silver.js';

/** Grows one buffer of back-to-back UTF-8 lines. */
export class LineBuffer {
  bytes: Buffer;
  length = 0;

  /** `capacity`: a good guess saves copies as it grows; untouched memory costs nothing. */
  constructor(capacity = 1 << 20) {
    this.bytes = Buffer.allocUnsafe(Math.max(1 << 16, capacity));
  }

  /** Appends `text`; returns where it starts. */
  push(text: string): number {
    const start = this.length;
    // A UTF-16 code unit takes at most 3 UTF-8 bytes.
    this.reserve(text.length * 3);
    this.length = this.writeAt(start, text);
    return start;
  }

  /** Makes room for `bytes` more bytes past `length`. */
  reserve(bytes: number): void {
    if (this.length + bytes <= this.bytes.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.length + bytes, this.bytes.length * 2));
    this.bytes.copy(bigger, 0, 0, this.length);
    this.bytes = bigger;
  }

  /** Writes `text` at `at`, in room already reserved, without moving `length`; returns where it ends. */
  writeAt(at: number, text: string): number {
    // An explicit length: on a buffer with over 2 GiB left, Node 20's write() without one writes nothing.
    return at + this.bytes.write(text, at, text.length * 3);
  }
}

/** What the table keeps of a version besides its line. */
export type OfferedEvent = Pick<SilverEvent, 'event_id' | 'user_id' | 'event_type' | 'ts' | 'pos' | 'usd_micros' | 'acquisition_channel'>;

/** Event types gold tells apart; every other type is plain activity to it. */
export const GOLD_KINDS = ['activity', 'signup', 'purchase', 'refund'] as const;
const kindOf = (type: string): number => (type === 'signup' ? 1 : type === 'purchase' ? 2 : type === 'refund' ? 3 : 0);

export class EventTable {
  private slots = new Map<string, number>();
  readonly ts = new Float64Vector(1024);
  readonly pos = new Float64Vector(1024);
  readonly versions = new Uint32Vector(1024);
  readonly start = new Float64Vector(1024);
  readonly end = new Float64Vector(1024);
  /** Byte offset of `false` in `"is_bot":false`, from the line's start. */
  readonly botAt = new Uint32Vector(1024);
  readonly ids: string[] = [];
  /** Index of each winner's user in `userNames`: one string per user, not per event. */
  readonly user = new Uint32Vector(1024);
  readonly userNames: string[] = [];
  private readonly userIndex = new Map<string, number>();
  /** What gold needs besides user and time: an index into GOLD_KINDS, USD micros (NaN: none), signup channels. */
  readonly kind = new Uint8Vector(1024);
  readonly micros = new Float64Vector(1024);
  readonly channels = new Map<number, string | null>();
  readonly lines: LineBuffer;
  /** Superseded versions: [event_id, pos]. */
  readonly losers: [string, number][] = [];
  /** The winner of the id on offer, read out of the vectors for offerVersion (one object for every offer). */
  private readonly current = { ts: 0, pos: 0, versions: 0 };
  /** The version on offer, likewise (a raw line is one version). */
  private readonly offered = { ts: 0, pos: 0, versions: 1 };

  /** `lineBytes`: a guess of the bytes all silver lines will take. */
  constructor(lineBytes?: number) {
    this.lines = new LineBuffer(lineBytes);
  }

  get size(): number {
    return this.ids.length;
  }

  /**
   * Offers a valid version; its silver line is written with is_bot false and versions 1.
   * The decision is dedup.ts's offerVersion: the later `ts`, then the later arrival (SPEC 3).
   */
  offer(e: SilverEvent, cal: Calendar): void {
    const { head, tail } = eventLineParts(e, cal);
    const lines = this.lines, start = lines.length;
    // A UTF-16 code unit takes at most 3 UTF-8 bytes.
    lines.reserve((head.length + tail.length) * 3 + FRESH_FLAGS.length);
    const flags = lines.writeAt(start, head);
    this.offerWritten(e, lines.writeAt(lines.writeAt(flags, FRESH_FLAGS), tail), flags - start + BOT_IN_FLAGS);
  }

  /**
   * Offers a valid version whose silver line (is_bot false, versions 1) is already written past
   * the end of `lines`, up to `end`, with its `false` at `botAt` from its start. The line is
   * kept only if the version wins.
   */
  offerWritten(e: OfferedEvent, end: number, botAt: number): void {
    const slot = this.slots.get(e.event_id);
    if (slot !== undefined) {
      const current = this.current, offered = this.offered;
      current.ts = this.ts.get(slot);
      current.pos = this.pos.get(slot);
      current.versions = this.versions.get(slot);
      offered.ts = e.ts;
      offered.pos = e.pos;
      offered.versions = 1;
      if (offerVersion(eventBeats, current, offered) === LOST) {
        this.versions.set(slot, current.versions);
        this.losers.push([e.event_id, e.pos]);
        return;
      }
      this.versions.set(slot, offered.versions);
      this.losers.push([e.event_id, current.pos]);
    }
    let user = this.userIndex.get(e.user_id);
    if (user === undefined) {
      user = this.userNames.length;
      this.userIndex.set(e.user_id, user);
      this.userNames.push(e.user_id);
    }
    const kind = kindOf(e.event_type), start = this.lines.length;
    if (slot === undefined) {
      // A new id, the common case: every column pushed once.
      const fresh = this.ids.length;
      this.slots.set(e.event_id, fresh);
      this.ids.push(e.event_id);
      this.user.push(user);
      this.kind.push(kind);
      this.micros.push(e.usd_micros ?? NaN);
      this.versions.push(1);
      this.ts.push(e.ts);
      this.pos.push(e.pos);
      this.start.push(start);
      this.end.push(end);
      this.botAt.push(botAt);
      if (kind === 1) this.channels.set(fresh, e.acquisition_channel);
      this.lines.length = end;
      return;
    }
    this.ts.set(slot, e.ts);
    this.pos.set(slot, e.pos);
    this.user.set(slot, user);
    this.kind.set(slot, kind);
    this.micros.set(slot, e.usd_micros ?? NaN);
    if (kind === 1) this.channels.set(slot, e.acquisition_channel);
    else this.channels.delete(slot);
    this.start.set(slot, start);
    this.end.set(slot, end);
    this.botAt.set(slot, botAt);
    this.lines.length = end;
  }

  /** Pos of the winner of `id`. */
  winnerPos(id: string): number {
    return this.pos.get(this.slots.get(id)!);
  }

  /** Forgets the id index once offering is over (winnerPos() then no longer works). */
  dropIndex(): void {
    this.slots = new Map();
  }

  /** Slots sorted by silver order, `(event_ts, event_id)`. */
  sortedSlots(): Uint32Array {
    return silverOrderOf(this.ts, this.ids);
  }
}

/** The indexes of `ids` sorted by `(ts, id)`, silver order, the times being in a vector (see silverOrder). */
export function silverOrderOf(ts: Float64Vector, ids: readonly string[]): Uint32Array {
  const times = new Float64Array(ids.length);
  for (let i = 0; i < times.length; i++) times[i] = ts.get(i);
  return silverOrder(times, ids, times.length);
}

/**
 * The indexes `0 … n−1` sorted by `(ts[i], ids[i])`, silver order. Sorting with a comparator
 * calls back into JavaScript for every comparison; instead, when every key fits a double
 * exactly, each index is packed with its time as `(ts − min) · n + i` and the keys are sorted
 * natively, then only runs of equal times are ordered by id.
 */
export function silverOrder(ts: Float64Array, ids: readonly string[], n: number): Uint32Array {
  const order = new Uint32Array(n);
  const byId = (a: number, b: number): number => (ids[a]! < ids[b]! ? -1 : ids[a]! > ids[b]! ? 1 : 0);
  // Instants are whole milliseconds; anything else (never seen) takes the comparator sort.
  let min = Infinity, max = -Infinity, whole = true;
  for (let i = 0; i < n; i++) {
    const t = ts[i]!;
    if (t < min) min = t;
    if (t > max) max = t;
    if (!Number.isInteger(t)) whole = false;
  }
  if (!(whole && n > 0 && (max - min + 1) * n <= Number.MAX_SAFE_INTEGER)) {
    for (let i = 0; i < n; i++) order[i] = i;
    return order.sort((a, b) => ts[a]! - ts[b]! || byId(a, b));
  }
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) keys[i] = (ts[i]! - min) * n + i;
  keys.sort();
  for (let k = 0; k < n; k++) {
    // keys[k] % n, without the slow floating-point modulo; the quotient may round one off.
    const key = keys[k]!, q = Math.floor(key / n);
    const i = key - q * n;
    order[k] = i < 0 ? i + n : i >= n ? i - n : i;
  }
  for (let from = 0; from < n;) {
    let to = from + 1;
    while (to < n && ts[order[to]!] === ts[order[from]!]) to++;
    if (to - from > 1) order.subarray(from, to).sort(byId);
    from = to;
  }
  return order;
}
