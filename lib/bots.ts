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
    if (times === undefined) {
      times = [];
      this.recent.set(user, times);
    }
    let i = times.length;
    while (i > 0 && times[i - 1] > ts) i--;
    if (i === times.length) times.push(ts);
    else times.splice(i, 0, ts);
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
