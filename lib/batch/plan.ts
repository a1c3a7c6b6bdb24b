// How a batch run fits its memory budget: in memory when the whole events file fits,
// otherwise out of core in B event buckets and U user buckets small enough that the
// buckets running at once fit the budget together.
//
//   in memory  when  FIXED + size × IN_MEMORY_PER_BYTE ≤ memory
//   otherwise  bucket = max(memory − FIXED, memory / 4) / (concurrent × BUCKET_PER_BYTE)
//              B = U = clamp(ceil(size / bucket), 2, MAX_BUCKETS)
//              and, when MAX_BUCKETS leaves buckets bigger than `bucket`, fewer at a time:
//              concurrent = max(1, floor(usable / (size / B × BUCKET_PER_BYTE)))
//
// `size` is the landed events file in bytes. The factors are measured, not derived: on the
// generated data (146 bytes a line), the in-memory path peaks at 160 MiB plus 5.4 bytes of
// RSS per input byte at 1M events (144 MB: 942 MB) and 6.9 at 10M (1.46 GB: 10.1 GB, where
// the maps are larger). 6 is taken because the default budget's boundary lies near 1M-event
// inputs, which must not spill when they fit; a budget of many GB can be overrun by about 15%
// on the in-memory path. A bucket holds a silver line (about 2.6 times its raw line) plus its
// id, user and table entries, and peaks near 6: at 10M events (20 buckets of 73 MB, 2 at a
// time) the event buckets peaked at 998 MiB and the user buckets at 960 MiB, with the main
// thread's share (the side sources, the merges' buffers) about 150 MiB of that. 7 leaves room
// for V8's heap growth above the data, so that 10M fits 1.0 GB, not just 1 GiB. The steps
// after the buckets hold no per-user state (gold is merged as partial counters, gold/partial.ts).

/** The process, its worker threads and their buffers, whatever the input: bytes. */
export const FIXED_BYTES = 160 << 20;
/** Peak RSS per byte of events in the in-memory path. */
export const IN_MEMORY_PER_BYTE = 6;
/** Peak memory per byte of a bucket's share of the events, while the bucket runs. */
export const BUCKET_PER_BYTE = 7;
/** More buckets cost more open files (B × U spill files) than they save. */
export const MAX_BUCKETS = 64;

/** Buckets of an out-of-core run. */
export interface BucketPlan {
  /** Buckets by hash of event_id. */
  events: number;
  /** Buckets by hash of user_id. */
  users: number;
  /** Buckets running at once. */
  concurrent: number;
}

/** The plan for `size` bytes of events under `memory` with `concurrent` buckets at a time; null: in memory. */
export function planBuckets(size: number, memory: number, concurrent: number): BucketPlan | null {
  if (FIXED_BYTES + size * IN_MEMORY_PER_BYTE <= memory) return null;
  const usable = Math.max(memory - FIXED_BYTES, memory / 4);
  const bucket = Math.max(1, usable / (Math.max(1, concurrent) * BUCKET_PER_BYTE));
  const n = Math.min(MAX_BUCKETS, Math.max(2, Math.ceil(size / bucket)));
  const fits = Math.floor(usable / ((size / n) * BUCKET_PER_BYTE));
  return { events: n, users: n, concurrent: Math.max(1, Math.min(concurrent, fits)) };
}
