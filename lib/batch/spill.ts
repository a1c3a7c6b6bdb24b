// The out-of-core events of a batch run, when the events file does not fit the memory budget
// (plan.ts). Shuffle by event_id into event buckets (shuffle.ts); deduplicate each bucket
// (event-bucket.ts) and shuffle its winners by user_id into user buckets; order each user
// bucket, find its bots and accumulate its gold (user-bucket.ts); then merge the buckets'
// sorted files into the outputs (kway.ts), their partial gold with mergePartials and their
// ltv runs as the gold is written (ltv-runs.ts). Every spill file lives in
// `<staging>/.spill/`, removed (removeSpill) before the commit, or with the staging folder
// when the run fails. The outputs equal the in-memory path's byte for byte.
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname } from 'node:path';
import { deserialize } from 'node:v8';
import { fileError } from '../core/errors.js';
import { mergePartials, type GoldPartial, type LtvRow } from '../gold/partial.js';
import type { Staging } from '../io/output.js';
import type { OutputFs } from '../io/output-fs.js';
import type { QuarantineSamples } from '../report-html/index.js';
import { postProgress } from '../io/readers.js';
import { SourceCounts } from '../core/report.js';
import { trace } from '../io/trace.js';
import { silverEventSink } from '../io/silver-writer.js';
import type { ResolvedOptions, SilverFormat, SourceReport } from '../core/types.js';
import type { EventBucketResult } from './event-bucket.js';
import { mergeByPos, mergeRuns } from './kway.js';
import { mergeLtvRuns } from './ltv-runs.js';
import type { BucketPlan } from './plan.js';
import { runBuckets } from './pool.js';
import { shuffleEvents, type ShuffleResult } from './shuffle.js';
import type { UserBucketResult } from './user-bucket.js';

const SPILL = '.spill';

/** How many buckets run at once: `workers`, or with 0 (auto) one per core. */
export const bucketConcurrency = (opts: ResolvedOptions): number => (opts.workers > 0 ? opts.workers : availableParallelism());

/** What the bucket steps leave for the merge: file paths and counters. */
export interface SpilledBuckets {
  shuffle: ShuffleResult;
  events: EventBucketResult[];
  users: UserBucketResult[];
}

/** Shuffles the landed events file and runs every bucket; the outputs come from mergeSpilled. */
export async function spillEvents(landed: string, opts: ResolvedOptions, staging: Staging, plan: BucketPlan, fs?: OutputFs):
  Promise<SpilledBuckets> {
  const dir = dirname(staging.reserve(`${SPILL}/plan`));
  const concurrent = plan.concurrent;
  trace(`events spill: ${plan.events} event buckets, ${plan.users} user buckets, ${concurrent} at a time`);
  const shuffle = await shuffleEvents(landed, opts, dir, plan.events, fs);
  trace('events spill: shuffled by event_id');
  postProgress({ stage: 'event buckets' });
  const events = await runBuckets(shuffle.buckets.map((input, index) =>
    ({ kind: 'events' as const, job: { input, dir, index, users: plan.users, opts } })), concurrent);
  shuffle.buckets.forEach((_, b) => staging.remove(`${SPILL}/shuffle-${b}.bin`));
  trace('events spill: event buckets deduplicated');
  postProgress({ stage: 'user buckets' });
  const users = await runBuckets(Array.from({ length: plan.users }, (_, index) =>
    ({ kind: 'users' as const, job: { inputs: events.map(({ winners: w }) => ({ path: w.path, from: w.offsets[index], to: w.offsets[index + 1] })), dir, index, opts } })), concurrent);
  events.forEach((_, b) => staging.remove(`${SPILL}/winners-${b}.bin`));
  trace('events spill: user buckets ordered, bots found, gold accumulated');
  postProgress({ stage: 'merging buckets' });
  return { shuffle, events, users };
}

export interface SpilledEvents {
  info: SourceReport;
  /** Bot user ids, sorted. */
  bots: string[];
  botPeaks: Record<string, number>;
  /** The merged partial gold of every user bucket, its ltv rows left in their runs. */
  partial: GoldPartial;
  /** ltv_per_user's rows, read from the runs in user_id order; once, before removeSpill. */
  ltv: Iterable<LtvRow>;
}

/** Removes the spill folder, once the ltv runs are read. */
export const removeSpill = (staging: Staging): void => staging.remove(SPILL);

/**
 * Writes silver, quarantine and superseded events from the buckets' files, and merges their
 * counters, bots and partial gold. The spill folder stays for the ltv runs.
 */
export function mergeSpilled(spilled: SpilledBuckets, staging: Staging, samples: QuarantineSamples, format: SilverFormat): SpilledEvents {
  const { shuffle, events, users } = spilled;
  const counts = new SourceCounts(shuffle.info);
  for (const e of events) counts.merge(e.info);
  const info = counts.info;
  const quarantine = staging.open('quarantine/events.ndjson');
  mergeByPos([shuffle.quarantine, ...events.map((e) => e.quarantine)], quarantine,
    (pos, text) => samples.addLines('events', { pos: [pos], text: [text] }));
  quarantine.close();
  const superseded = staging.open('superseded/events.ndjson');
  mergeByPos(events.map((e) => e.superseded), superseded);
  superseded.close();
  trace('events spill: quarantine and superseded merged');
  mergeRuns(users.map((u) => u.run), silverEventSink(format, (relPath) => staging.open(relPath)));
  trace('silver events written');
  const found = users.flatMap((u) => u.bots).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  // Partials are counters per day, cohort week and channel: small whatever the bucket count.
  let partial: GoldPartial | null = null;
  for (const u of users) {
    let p: GoldPartial;
    try {
      p = deserialize(readFileSync(u.gold)) as GoldPartial;
    } catch (err) {
      throw fileError('E_SOURCE_UNREADABLE', u.gold, err);
    }
    partial = partial === null ? p : mergePartials(partial, p);
  }
  trace('events spill: partial gold merged');
  const bytes = shuffle.bytes + events.reduce((n, e) => n + e.bytes, 0) + users.reduce((n, u) => n + u.bytes, 0);
  trace(`events spill: ${bytes} bytes spilled`);
  return { info, bots: found.map((b) => b[0]), botPeaks: Object.fromEntries(found), partial: partial!,
    ltv: { [Symbol.iterator]: () => mergeLtvRuns(users.map((u) => u.ltv)) } };
}
