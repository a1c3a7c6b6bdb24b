// Step 2 of an out-of-core batch run, one event bucket: validate and deduplicate its
// records with the in-memory path's intake and EventTable (exact: every version of an id is
// here), write its quarantine and superseded rows, and send each winner to the user bucket
// its user_id hashes to. Input, outputs and result are files and plain data: a bucket could
// run in another process or on another machine.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { dedupStage, idHash, settleDedup } from './event-partition.js';
import type { EventTable } from '../core/event-table.js';
import type { ResolvedOptions, SourceReport } from '../core/types.js';
import { FrameReader, FrameWriter } from './frames.js';
import { writePosRows } from './pos-rows.js';

export interface EventBucketJob {
  /** The bucket's shuffled records (shuffle.ts). */
  input: string;
  /** Folder for the bucket's outputs. */
  dir: string;
  index: number;
  /** How many user buckets its winners go to. */
  users: number;
  opts: ResolvedOptions;
}

export interface EventBucketResult {
  info: SourceReport;
  /** Rows by pos (pos-rows.ts). */
  quarantine: string;
  superseded: string;
  /** This bucket's winners (see readWinner), grouped by user bucket: u's are at bytes [offsets[u], offsets[u + 1]). */
  winners: { path: string; offsets: number[] };
  /** Bytes of the files written. */
  bytes: number;
}

/** One winner as a user bucket needs it. */
export interface WinnerRecord {
  ts: number;
  versions: number;
  /** Offset within `line` of the `false` of `"is_bot":false`. */
  botAt: number;
  /** Index into GOLD_KINDS, USD micros (NaN: none), signup channel. */
  kind: number;
  micros: number;
  channel: string | null;
  id: string;
  user: string;
  /** The silver line, written with is_bot false and versions 1; a view valid until the next read. */
  line: Buffer;
}

/** Reads the next winner of `r`, or null at the end of its file. */
export function readWinner(r: FrameReader, into: WinnerRecord): WinnerRecord | null {
  if (!r.next()) return null;
  into.ts = r.f64();
  into.versions = r.u32();
  into.botAt = r.u32();
  into.kind = r.u32();
  into.micros = r.f64();
  into.channel = r.text();
  into.id = r.text()!;
  into.user = r.text()!;
  into.line = r.bytes();
  return into;
}

/** The user bucket of a user id, of `count`. */
export const userBucketOf = (user: string, count: number): number => idHash(user) % count;

export function dedupEventBucket(job: EventBucketJob): EventBucketResult {
  const { opts, dir, index, users } = job;
  const { file, counts, table, quarantine: rows, intake } = dedupStage(opts, statSync(job.input).size);
  const reader = new FrameReader(job.input);
  while (reader.next()) {
    const pos = reader.f64();
    intake(reader.bytes(), pos);
  }
  const quarantine = writePosRows(join(dir, `quarantine-${index}.bin`), rows);
  writePosRows(join(dir, `superseded-${index}.bin`), settleDedup(file, table, counts));
  const path = join(dir, `winners-${index}.bin`);
  const { offsets, bytes } = writeWinnersByUser(table, users, path);
  return { info: counts.info, quarantine, superseded: join(dir, `superseded-${index}.bin`), winners: { path, offsets }, bytes };
}

/**
 * The send stage of an event bucket: writes the winners of `table` to one file at `path`,
 * grouped by user bucket of `users` (see readWinner), so user bucket u reads bytes
 * [offsets[u], offsets[u + 1]).
 */
function writeWinnersByUser(table: EventTable, users: number, path: string): { offsets: number[]; bytes: number } {
  const bucketOf = Uint32Array.from(table.userNames, (name) => userBucketOf(name, users));
  const count = new Uint32Array(users + 1);
  for (let slot = 0; slot < table.size; slot++) count[bucketOf[table.user.get(slot)] + 1]++;
  for (let u = 0; u < users; u++) count[u + 1] += count[u];
  const order = new Uint32Array(table.size);
  for (let slot = 0; slot < table.size; slot++) order[count[bucketOf[table.user.get(slot)]]++] = slot;
  const w = new FrameWriter(path, undefined, 1 << 20);
  const offsets = new Array<number>(users + 1).fill(0);
  const lines = table.lines.bytes;
  let u = 0;
  for (let k = 0; k < order.length; k++) {
    const slot = order[k], user = table.user.get(slot), kind = table.kind.get(slot);
    while (u < bucketOf[user]) offsets[++u] = w.written;
    w.f64(table.ts.get(slot)).u32(table.versions.get(slot)).u32(table.botAt.get(slot)).u32(kind)
      .f64(table.micros.get(slot)).text(kind === 1 ? table.channels.get(slot) ?? null : null)
      .text(table.ids[slot]).text(table.userNames[user]).bytes(lines, table.start.get(slot), table.end.get(slot)).end();
  }
  while (u < users) offsets[++u] = w.written;
  w.close();
  return { offsets, bytes: w.written };
}
