// A priority queue for input that arrives nearly in order, as a stream's events do: a sorted
// run takes each pushed item by stepping back from its end over the few items it precedes,
// and a heap takes the stragglers that fall further back. The run makes the common case a
// comparison or two, where a heap pays log(size) on every push and pop; a shuffled input
// degrades to the heap, never to quadratic inserts.
import { Heap } from 'mnemonist';

/** How far back a push may step into the run before the item goes to the heap. Default of NearOrderQueue. */
export const RUN_REACH = 32;

/** Popping a run's front leaves a hole; it is cut off once this long and half the run. */
const COMPACT_AT = 4096;

export class NearOrderQueue<T> {
  private readonly compare: (a: T, b: T) => number;
  private readonly reach: number;
  /** Items in order from `head` on; the slots before `head` are popped (cleared). */
  private run: (T | undefined)[] = [];
  private head = 0;
  private readonly stragglers: Heap<T>;

  /**
   * `compare` orders items (ties pop in either order); `reach` (default RUN_REACH) is how many
   * run items a push may step over.
   */
  constructor(compare: (a: T, b: T) => number, reach = RUN_REACH) {
    this.compare = compare;
    this.reach = reach;
    this.stragglers = new Heap<T>(compare);
  }

  get size(): number {
    return this.run.length - this.head + this.stragglers.size;
  }

  push(item: T): void {
    const run = this.run, compare = this.compare;
    const end = run.length;
    let i = end;
    const stop = Math.max(this.head, end - this.reach);
    while (i > stop && compare(run[i - 1] as T, item) > 0) i--;
    if (i === end) {
      run.push(item);
    } else if (i > this.head && compare(run[i - 1] as T, item) > 0) {
      this.stragglers.push(item);
    } else if (i === this.head && this.head > 0) {
      run[--this.head] = item;
    } else {
      // Here i - 1 holds an item not after this one, or i is the run's front: at most `reach` moves.
      run.push(run[end - 1]);
      for (let k = end - 1; k > i; k--) run[k] = run[k - 1];
      run[i] = item;
    }
  }

  /** The least item, or undefined when empty. */
  peek(): T | undefined {
    const first = this.head < this.run.length ? this.run[this.head] as T : undefined;
    const straggler = this.stragglers.peek();
    if (first === undefined) return straggler;
    return straggler !== undefined && this.compare(straggler, first) < 0 ? straggler : first;
  }

  /** Removes and returns the least item, or undefined when empty. */
  pop(): T | undefined {
    const run = this.run;
    const first = this.head < run.length ? run[this.head] as T : undefined;
    const straggler = this.stragglers.peek();
    if (first === undefined || (straggler !== undefined && this.compare(straggler, first) < 0)) return this.stragglers.pop();
    run[this.head++] = undefined;
    if (this.head === run.length) {
      run.length = 0;
      this.head = 0;
    } else if (this.head >= COMPACT_AT && this.head * 2 >= run.length) {
      this.run = run.slice(this.head);
      this.head = 0;
    }
    return first;
  }
}
