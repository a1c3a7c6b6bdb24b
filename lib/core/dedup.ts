// Deduplication (SPEC 3): one winner per key, latest version wins, ties to the last arrival.
// The map keeps only the current winner of each key and how many valid versions it has
// seen, so memory is one record per key. Stream mode bounds it by evicting finished keys.

/** A record that can compete: `pos` orders ties (each source is one file, so the later arrival is the higher pos). */
export interface Version {
  pos: number;
  versions: number;
}

/** Whether `a` beats `b` (both valid versions of one key). */
export type Beats<T> = (a: T, b: T) => boolean;

/** Events: the later `ts` wins; on a tie, the later arrival. */
export const eventBeats: Beats<{ ts: number; pos: number }> = (a, b) =>
  a.ts > b.ts || (a.ts === b.ts && a.pos > b.pos);

/** Subscriptions: the later `created_at` wins; on a tie, the later arrival. */
export const subscriptionBeats: Beats<{ created_at: number; pos: number }> = (a, b) =>
  a.created_at > b.created_at || (a.created_at === b.created_at && a.pos > b.pos);

/** Marketing rows: the last arrival wins. */
export const arrivalBeats: Beats<{ pos: number }> = (a, b) => a.pos > b.pos;

/** What offering a version to its key did (see offerVersion). */
export const NEW = 0, WON = 1, LOST = 2;
export type Outcome = typeof NEW | typeof WON | typeof LOST;

/**
 * The dedup decision (SPEC 3), the one every engine makes, whatever holds its winners
 * (DedupMap's objects, EventTable's typed vectors, the stream's windowed map): offers
 * `offered` to a key whose winner so far is `current` (undefined: a new key).
 * NEW: `offered` is the key's first version and its winner. WON: it beats `current`, which
 * is superseded. LOST: it is superseded at once. Either way the key's winner then counts
 * every version seen: its `versions` is set to the sum of both.
 */
export function offerVersion<T extends { versions: number }>(beats: Beats<T>, current: T | undefined, offered: T): Outcome {
  if (current === undefined) return NEW;
  const versions = current.versions + offered.versions;
  if (beats(offered, current)) {
    offered.versions = versions;
    return WON;
  }
  current.versions = versions;
  return LOST;
}

/** Winners by key, one object each: the side sources' dedup (events keep theirs in EventTable). */
export class DedupMap<T extends Version> {
  private readonly winners = new Map<string, T>();
  private readonly beats: Beats<T>;

  constructor(beats: Beats<T>) {
    this.beats = beats;
  }

  /** Offers a valid version of `key`; returns the version it superseded, or null for a new key. */
  offer(key: string, record: T): T | null {
    const current = this.winners.get(key);
    const outcome = offerVersion(this.beats, current, record);
    if (outcome === LOST) return record;
    this.winners.set(key, record);
    return outcome === WON ? current! : null;
  }

  get(key: string): T | undefined {
    return this.winners.get(key);
  }

  /** Removes a key whose winner is final (stream mode). */
  delete(key: string): void {
    this.winners.delete(key);
  }

  get size(): number {
    return this.winners.size;
  }

  values(): IterableIterator<T> {
    return this.winners.values();
  }
}
