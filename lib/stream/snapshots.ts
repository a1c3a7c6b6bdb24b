// Live gold (`gold --emit-every`): while events stream in, every tick of wall time writes the
// current gold tables as a numbered snapshot, read from the same accumulators the end of input
// finishes, so taking one changes nothing that follows. Transport-free: the input is any async
// iterable of chunks, and the clock is a Ticker a test can drive by hand.
import { goldLines, type GoldStream, type SideSources } from './gold.js';

/** Wall-clock ticks, consumed one at a time. */
export interface Ticker {
  /** Resolves at the next tick, counted from this call. */
  next(): Promise<void>;
  /** No more ticks: a pending next() never resolves. */
  stop(): void;
}

/**
 * A tick `everyMs` ms of wall time after each next(). withTicks asks for the next tick once a
 * snapshot is written, so the input always gets `everyMs` between two snapshots: a snapshot
 * slower than the period (a large state, a slow reader) neither starves the input nor queues
 * snapshots up behind itself.
 */
export function wallTicker(everyMs: number): Ticker {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return {
    next: () => new Promise((resolve) => { timer = setTimeout(resolve, everyMs); }),
    stop: () => clearTimeout(timer),
  };
}

/** What withTicks yields between chunks when a tick has come. */
export const TICK: unique symbol = Symbol('tick');

/**
 * The items of `input`, with TICK between them whenever `ticker` ticks, even while the input
 * is idle. A tick goes before a chunk that is also ready, so a busy input cannot starve it;
 * the next tick is asked for only once the consumer is done with this one.
 */
export async function* withTicks<T>(input: AsyncIterable<T> | Iterable<T>, ticker: Ticker): AsyncGenerator<T | typeof TICK> {
  const items = Symbol.asyncIterator in input ? input[Symbol.asyncIterator]() : (async function* () { yield* input; })();
  let item = items.next();
  let tick: Promise<typeof TICK> = ticker.next().then((): typeof TICK => TICK);
  try {
    for (;;) {
      const got = await Promise.race([tick, item]);
      if (got === TICK) {
        yield TICK;
        tick = ticker.next().then((): typeof TICK => TICK);
        continue;
      }
      if (got.done === true) return;
      yield got.value;
      item = items.next();
    }
  } finally {
    ticker.stop();
    // Not awaited: a read still pending on an open input settles only when its owner ends it.
    items.return?.()?.catch(() => undefined);
  }
}

export interface GoldOutputOptions {
  /** Side sources, added before the first event so every snapshot counts them. Default none. */
  sides?: SideSources;
  /** Snapshot clock: with it, a numbered snapshot at each tick and at the end. Default: none, the tables once at the end. */
  ticker?: Ticker;
  /** Called after each chunk is pushed (to flush rejects, say). Default: nothing. */
  afterPush?: () => Promise<void> | void;
}

/**
 * Gold over the NDJSON event chunks of `input`, as NDJSON text to write in order. Without a
 * ticker: every table once at the end of input (goldLines). With one: at every tick and at
 * the end, every table as snapshot n = 1, 2, …, each row `{"snapshot":n,"table":…}`; the
 * last snapshot is the tables of the whole input. A snapshot with no rows yields ''.
 */
export async function* goldOutput(gold: GoldStream, input: AsyncIterable<Buffer | string> | Iterable<Buffer | string>, options: GoldOutputOptions = {}): AsyncGenerator<string> {
  if (options.sides !== undefined) gold.addSides(options.sides);
  const { ticker, afterPush } = options;
  if (ticker === undefined) {
    for await (const chunk of input) {
      gold.push(chunk);
      await afterPush?.();
    }
    yield goldLines(gold.finish());
    return;
  }
  let n = 0;
  for await (const item of withTicks(input, ticker)) {
    if (item === TICK) {
      yield goldLines(gold.snapshot(), ++n);
      continue;
    }
    gold.push(item);
    await afterPush?.();
  }
  yield goldLines(gold.finish(), ++n);
}
