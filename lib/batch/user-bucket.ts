// Step 3 of an out-of-core batch run, one user bucket: load the winners of its users from
// every event bucket, order them by (event_ts, event_id), find the bots among them (a user
// never spans buckets, so the rule sees all of a user's events), and write a sorted run of
// silver lines plus the bucket's partial gold: its small counters, and its ltv_per_user rows
// as a run sorted by user_id (ltv-runs.ts). Files in, files out.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { serialize } from 'node:v8';
import { Float64Vector, Uint32Vector } from 'mnemonist';
import { botsInOrder } from '../core/bots.js';
import { makeCalendar } from '../core/calendar.js';
import { silverOrderOf } from '../core/event-table.js';
import { fileError } from '../core/errors.js';
import { addWinnerToGold } from './event-partition.js';
import { reduceGold } from '../gold/partial.js';
import { initGold, userOf, type UserAcc } from '../gold/state.js';
import type { ResolvedOptions } from '../core/types.js';
import { FrameReader, FrameWriter } from './frames.js';
import { readWinner, type WinnerRecord } from './event-bucket.js';
import { writeRunRow } from './kway.js';
import { writeLtvRun } from './ltv-runs.js';

export interface UserBucketJob {
  /** This bucket's winners in each event bucket's winners file: path and byte range. */
  inputs: { path: string; from: number; to: number }[];
  dir: string;
  index: number;
  opts: ResolvedOptions;
}

export interface UserBucketResult {
  /** Silver rows in (event_ts, event_id) order (kway.ts run rows). */
  run: string;
  /** The bucket's partial gold (gold/partial.ts), v8-serialised, without its ltv rows. */
  gold: string;
  /** Its ltv rows, sorted by user_id (ltv-runs.ts). */
  ltv: string;
  /** The bots among the bucket's users, with their peak counts. */
  bots: [string, number][];
  /** Bytes of the files written. */
  bytes: number;
}

/** Grows one buffer of back-to-back byte strings. */
class Bytes {
  buf: Buffer;
  length = 0;

  /**
   * `capacity`: the bytes expected, allocated at once. Pages not yet written take no memory,
   * so a generous bound costs nothing, while growing by copies would hold two buffers.
   */
  constructor(capacity: number) {
    this.buf = Buffer.allocUnsafe(Math.max(1 << 16, capacity));
  }

  push(b: Buffer): number {
    if (this.length + b.length > this.buf.length) {
      const bigger = Buffer.allocUnsafe(Math.max(this.length + b.length, this.buf.length * 2));
      this.buf.copy(bigger, 0, 0, this.length);
      this.buf = bigger;
    }
    b.copy(this.buf, this.length);
    this.length += b.length;
    return this.length - b.length;
  }
}

export function userBucket(job: UserBucketJob): UserBucketResult {
  const { opts, dir, index } = job;
  const cal = makeCalendar(opts.timezone);
  const gold = initGold();
  // A winner's frame holds its line and more, so the frames' bytes bound the lines'.
  const frameBytes = job.inputs.reduce((n, input) => n + input.to - input.from, 0);
  const ts = new Float64Vector(1024), start = new Float64Vector(1024), versions = new Uint32Vector(1024);
  const botAt = new Uint32Vector(1024), user = new Uint32Vector(1024);
  const ids: string[] = [], userNames: string[] = [], userIndex = new Map<string, number>();
  /** Each user's gold accumulator, by number in userNames. */
  const accs: UserAcc[] = [];
  const lines = new Bytes(frameBytes);
  const w = {} as WinnerRecord;
  for (const input of job.inputs) {
    const r = new FrameReader(input.path, 1 << 20, input.from, input.to);
    while (readWinner(r, w) !== null) {
      let u = userIndex.get(w.user);
      if (u === undefined) {
        userIndex.set(w.user, (u = userNames.length));
        userNames.push(w.user);
        accs.push(userOf(gold, w.user));
      }
      // Gold does not care about order: it accumulates as the winners load.
      addWinnerToGold(accs[u]!, cal, w.id, w.ts, w.kind, w.micros, w.channel);
      ts.push(w.ts);
      versions.push(w.versions);
      botAt.push(w.botAt);
      user.push(u);
      ids.push(w.id);
      start.push(lines.push(w.line));
    }
  }
  const n = ids.length;
  start.push(lines.length);
  const order = silverOrderOf(ts, ids);

  // Bots (SPEC 4) on the time-ordered winners, then the bots' peaks.
  const { isBot, peaks } = botsInOrder(userNames.length, n, (k) => user.get(order[k]), (k) => ts.get(order[k]),
    opts.botThreshold, opts.botWindowMs);
  const bots: [string, number][] = [];
  for (let u = 0; u < userNames.length; u++) if (isBot[u] === 1) bots.push([userNames[u], peaks.get(u)!]);
  // A bucket holds every event of its users, so it knows their bots and reduces its gold here.
  const partial = reduceGold(gold, new Set(bots.map((b) => b[0])));
  const ltv = join(dir, `ltv-${index}.bin`);
  const ltvBytes = writeLtvRun(ltv, partial.ltv);
  partial.ltv = [];

  const run = join(dir, `run-${index}.bin`);
  const out = new FrameWriter(run, undefined, 1 << 20);
  for (let k = 0; k < n; k++) {
    const i = order[k];
    writeRunRow(out, ts.get(i), ids[i], lines.buf, start.get(i), start.get(i + 1), botAt.get(i), versions.get(i),
      isBot[user.get(i)] === 1);
  }
  out.close();
  const goldPath = join(dir, `gold-${index}.bin`);
  const packed = serialize(partial);
  try {
    writeFileSync(goldPath, packed);
  } catch (err) {
    throw fileError('E_OUTPUT', goldPath, err);
  }
  return { run, gold: goldPath, ltv, bots, bytes: lines.length + packed.length + ltvBytes + n * 40 };
}
