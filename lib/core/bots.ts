// Bot detection (SPEC 4): a user is a bot when more than `threshold` of their events fall
// inside one sliding window of `windowMs` (t_j − t_i < windowMs). The counter keeps, per
// user, only the recent event times a window can still reach, so it serves batch (events
// fed in time order) and stream mode (bounded disorder) alike.

export class BotCounter {
  private readonly threshold: number;
  private readonly windowMs: number;
  /** Recent event times per user, ascending. */
  private readonly recent = new Map<string, number[]>();
  private readonly found = new Set<string>();

  constructor(threshold: number, windowMs: number) {
    this.threshold = threshold;
    this.windowMs = windowMs;
  }

  /** Counts one event; returns true when the user is (now or already) a bot. */
  add(user: string, ts: number): boolean {
    if (this.found.has(user)) return true;
    let times = this.recent.get(user);
    let i = 0;
    if (times === undefined) {
      // Most users have one recent event: an array of exactly one, not an empty one grown by push.
      times = [ts];
      this.recent.set(user, times);
    } else {
      i = times.length;
      while (i > 0 && times[i - 1] > ts) i--;
      if (i === times.length) times.push(ts);
      else times.splice(i, 0, ts);
    }
    // Only windows holding the new event can have changed; times are sorted, so slide a
    // window of threshold+1 consecutive events across the new one.
    const n = this.threshold;
    for (let a = Math.max(0, i - n); a <= i && a + n < times.length; a++) {
      if (times[a + n] - times[a] < this.windowMs) {
        this.found.add(user);
        this.recent.delete(user);
        return true;
      }
    }
    return false;
  }

  /** Forgets event times no window ending at or after `beforeTs` can reach. */
  evict(user: string, beforeTs: number): void {
    const times = this.recent.get(user);
    if (times === undefined) return;
    let k = 0;
    while (k < times.length && times[k] <= beforeTs - this.windowMs) k++;
    if (k === times.length) this.recent.delete(user);
    else if (k > 0) times.splice(0, k);
  }

  isBot(user: string): boolean {
    return this.found.has(user);
  }

  /** Bot user ids, sorted. */
  bots(): string[] {
    return [...this.found].sort();
  }
}

/**
 * The batch form of the same rule, for events fed in time order with users numbered
 * 0..users−1: each user's last `threshold` times sit in a ring, so the check is one
 * comparison per event, with no map and no allocation. With times in order, more than
 * `threshold` events inside one window means some event is less than `windowMs` after
 * the one `threshold` events before it.
 */
export class OrderedBotFinder {
  private readonly threshold: number;
  private readonly windowMs: number;
  private readonly ring: Float64Array;
  private readonly seen: Uint32Array;
  /** 1 for a bot, by user number. */
  readonly isBot: Uint8Array;

  constructor(users: number, threshold: number, windowMs: number) {
    this.threshold = threshold;
    this.windowMs = windowMs;
    this.ring = new Float64Array(users * threshold);
    this.seen = new Uint32Array(users);
    this.isBot = new Uint8Array(users);
  }

  /** Ring memory for `users` at `threshold`, to choose between this and BotCounter. */
  static bytes(users: number, threshold: number): number {
    return users * threshold * 8;
  }

  /** Counts one event; times must not go backwards. */
  add(user: number, ts: number): void {
    if (this.isBot[user] === 1) return;
    const n = this.seen[user]++;
    const slot = user * this.threshold + (n % this.threshold);
    // The slot holds the time of this user's event `threshold` events ago.
    if (n >= this.threshold && ts - this.ring[slot] < this.windowMs) this.isBot[user] = 1;
    else this.ring[slot] = ts;
  }
}

/**
 * Each user's peak: the most of their events inside one window (t_j − t_i < windowMs), for
 * events fed in time order. Only the times the current window still holds are kept, so
 * memory follows the peak, not the user's whole history. Fed bots only, it tells how far
 * past the threshold each one went.
 */
export class WindowPeaks<K = string | number> {
  private readonly windowMs: number;
  private readonly users = new Map<K, { times: number[]; head: number; peak: number }>();

  constructor(windowMs: number) {
    this.windowMs = windowMs;
  }

  /** Counts one event; times must not go backwards. */
  add(user: K, ts: number): void {
    let u = this.users.get(user);
    if (u === undefined) this.users.set(user, (u = { times: [], head: 0, peak: 0 }));
    while (u.head < u.times.length && ts - u.times[u.head] >= this.windowMs) u.head++;
    // Drop the consumed front now and then, so the array stays as long as the window.
    if (u.head > 1024 && u.head * 2 > u.times.length) {
      u.times.splice(0, u.head);
      u.head = 0;
    }
    u.times.push(ts);
    u.peak = Math.max(u.peak, u.times.length - u.head);
  }

  /** The user's peak so far; 0 for a user never seen. */
  peak(user: K): number {
    return this.users.get(user)?.peak ?? 0;
  }
}

/** Above this, the ring of OrderedBotFinder is too big and the map-based counter serves. */
export const RING_BYTES = 256 << 20;

/**
 * The bots among users numbered 0..users−1, from `count` events in time order (the k-th by
 * user `userAt(k)` at `tsAt(k)`), and each bot's peak count in one window: the one pass
 * that the in-memory merge and every user bucket make. `ringBytes` (default RING_BYTES) caps
 * OrderedBotFinder's ring; past it the map-based counter serves.
 */
export function botsInOrder(users: number, count: number, userAt: (k: number) => number, tsAt: (k: number) => number,
  threshold: number, windowMs: number, ringBytes = RING_BYTES): { isBot: Uint8Array; peaks: Map<number, number> } {
  let isBot: Uint8Array;
  if (OrderedBotFinder.bytes(users, threshold) <= ringBytes) {
    const finder = new OrderedBotFinder(users, threshold, windowMs);
    for (let k = 0; k < count; k++) finder.add(userAt(k), tsAt(k));
    isBot = finder.isBot;
  } else {
    const counter = new BotCounter(threshold, windowMs);
    for (let k = 0; k < count; k++) {
      const user = String(userAt(k)), t = tsAt(k);
      counter.evict(user, t);
      counter.add(user, t);
    }
    isBot = new Uint8Array(users);
    for (const user of counter.bots()) isBot[Number(user)] = 1;
  }
  // A second pass, over bots only: their peaks are known only once every event is seen.
  const window = new WindowPeaks<number>(windowMs);
  for (let k = 0; k < count; k++) if (isBot[userAt(k)] === 1) window.add(userAt(k), tsAt(k));
  const peaks = new Map<number, number>();
  for (let u = 0; u < users; u++) if (isBot[u] === 1) peaks.set(u, window.peak(u));
  return { isBot, peaks };
}
