// The winning version of every event id of one partition, kept compact: numbers in typed
// vectors (mnemonist), each winner's silver line as bytes in one growing buffer, so a
// million winners cost the garbage collector almost nothing to keep until the end.
import { Float64Vector, Uint32Vector, Uint8Vector } from 'mnemonist';
import { LOST, eventBeats, offerVersion } from './dedup.js';
import type { SilverEvent } from './types.js';

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
    if (start + text.length * 3 > this.bytes.length) {
      const bigger = Buffer.allocUnsafe(Math.max(start + text.length * 3, this.bytes.length * 2));
      this.bytes.copy(bigger, 0, 0, start);
      this.bytes = bigger;
    }
    // An explicit length: on a buffer with over 2 GiB left, Node 20's write() without one writes nothing.
    this.length += this.bytes.write(text, start, text.length * 3);
    return start;
  }
}

/** Event types gold tells apart; every other type is plain activity to it. */
export const GOLD_KINDS = ['activity', 'signup', 'purchase', 'refund'] as const;
const kindOf = (type: string): number => (type === 'signup' ? 1 : type === 'purchase' ? 2 : type === 'refund' ? 3 : 0);

/** Byte offset, from the `false` of `"is_bot":false`, of the `1` of `"versions":1`. */
export const VERSIONS_AFTER_BOT = 17;

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

  /** `lineBytes`: a guess of the bytes all silver lines will take. */
  constructor(lineBytes?: number) {
    this.lines = new LineBuffer(lineBytes);
  }

  get size(): number {
    return this.ids.length;
  }

  /**
   * Offers a valid version and its silver line (written with is_bot false and versions 1).
   * The decision is dedup.ts's offerVersion: the later `ts`, then the later arrival (SPEC 3).
   */
  offer(e: SilverEvent, line: string): void {
    let slot = this.slots.get(e.event_id);
    if (slot !== undefined) {
      const current = this.current;
      current.ts = this.ts.get(slot);
      current.pos = this.pos.get(slot);
      current.versions = this.versions.get(slot);
      if (offerVersion(eventBeats, current, e) === LOST) {
        this.versions.set(slot, current.versions);
        this.losers.push([e.event_id, e.pos]);
        return;
      }
      this.losers.push([e.event_id, current.pos]);
    } else {
      slot = this.ids.length;
      this.slots.set(e.event_id, slot);
      this.ids.push(e.event_id);
      this.user.push(0);
      this.kind.push(0);
      this.micros.push(NaN);
      this.versions.push(1);
      this.ts.push(0);
      this.pos.push(0);
      this.start.push(0);
      this.end.push(0);
      this.botAt.push(0);
    }
    this.ts.set(slot, e.ts);
    this.pos.set(slot, e.pos);
    this.versions.set(slot, e.versions);
    let user = this.userIndex.get(e.user_id);
    if (user === undefined) {
      user = this.userNames.length;
      this.userIndex.set(e.user_id, user);
      this.userNames.push(e.user_id);
    }
    this.user.set(slot, user);
    const kind = kindOf(e.event_type);
    this.kind.set(slot, kind);
    this.micros.set(slot, e.usd_micros ?? NaN);
    if (kind === 1) this.channels.set(slot, e.acquisition_channel);
    else this.channels.delete(slot);
    const start = this.lines.push(line);
    this.start.set(slot, start);
    this.end.set(slot, this.lines.length);
    // Values before is_bot are JSON strings, whose quotes are escaped: the first match is the column.
    const at = line.indexOf('"is_bot":false') + 9;
    const ascii = this.lines.length - start === line.length;
    this.botAt.set(slot, ascii ? at : Buffer.byteLength(line.slice(0, at)));
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
    const order = new Uint32Array(this.size);
    for (let i = 0; i < order.length; i++) order[i] = i;
    const ts = this.ts, ids = this.ids;
    return order.sort((a, b) => ts.get(a) - ts.get(b) || (ids[a] < ids[b] ? -1 : ids[a] > ids[b] ? 1 : 0));
  }
}
