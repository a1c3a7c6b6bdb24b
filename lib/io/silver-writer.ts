// Writes silver events from merged partitions, as NDJSON (each line copied from its
// partition's buffer, with is_bot and versions patched where they differ from `false` and
// `1`) or as Parquet day partitions (the same lines cut into columns). A large run does it
// on a thread of its own, so the gold aggregation, and here the Parquet encoding, overlap
// with the main thread's work.
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { writeSilverLine } from '../core/silver.js';
import { AudicinError, type ErrorCode } from '../core/errors.js';
import { FileSink } from './output.js';
import type { FaultPlan, OutputFs } from './output-fs.js';
import { SilverEventsParquet } from '../parquet/silver-events.js';
import { sinkOutput } from '../parquet/staging.js';
import type { SilverFormat } from '../core/types.js';

/** Where silver events go, one row at a time in silver order, whatever the format. */
export interface SilverEventSink {
  /**
   * The silver line `bytes[from, to)` as built (is_bot false, versions 1), `botAt` the offset
   * of its `false`, and the row's real `versions` and bot flag.
   */
  add(bytes: Buffer, from: number, to: number, botAt: number, versions: number, bot: boolean): void;
  /** Ends the table; every file is whole once this returns. */
  close(): void;
}

/** The silver events table's files, relative to the lakehouse: `silver/events.ndjson`, or day partitions under `silver/events`. */
export const SILVER_EVENTS = { ndjson: 'silver/events.ndjson', parquet: 'silver/events' } as const;

/** A sink of silver events in `format`, opening its files by path relative to the lakehouse with `open`. */
export function silverEventSink(format: SilverFormat, open: (relPath: string) => FileSink): SilverEventSink {
  if (format === 'ndjson') {
    const sink = open(SILVER_EVENTS.ndjson);
    return {
      add: (bytes, from, to, botAt, versions, bot) => writeSilverLine(sink, bytes, from, to, botAt, versions, bot),
      close: () => sink.close(),
    };
  }
  const table = new SilverEventsParquet(SILVER_EVENTS.parquet, (relPath) => {
    const sink = open(relPath);
    return { out: sinkOutput(sink), close: () => sink.close() };
  });
  return {
    add: (bytes, from, to, _botAt, versions, bot) => table.add(bytes, from, to, bot, versions),
    close: () => table.finish(),
  };
}

/** Opens files under the folder `root` (a staging folder), naming them under `label` in errors. */
export const fileOpener = (root: string, label: string, fs?: OutputFs) => (relPath: string): FileSink =>
  new FileSink(join(root, relPath), fs, join(label, relPath));

/** One partition's winners, as the writer needs them. */
export interface LinesOf {
  lines: Uint8Array;
  start: Float64Array;
  end: Float64Array;
  botAt: Uint32Array;
  versions: Uint32Array;
  /** Local user number of each winner. */
  users: Uint32Array;
  /** 1 for a bot, by local user number. */
  botFlags: Uint8Array;
}

/** What to write: the partitions, and for each row in silver order its partition and index. */
export interface SilverJob {
  parts: LinesOf[];
  part: Uint8Array;
  index: Uint32Array;
}

/** Hands every row of `job` to `sink` in silver order, then closes it. */
export function writeSilverEvents(sink: SilverEventSink, job: SilverJob): void {
  const { parts, part, index } = job;
  const lines = parts.map((p) => Buffer.from(p.lines.buffer, p.lines.byteOffset, p.lines.byteLength));
  for (let k = 0; k < part.length; k++) {
    const w = parts[part[k]], i = index[k];
    sink.add(lines[part[k]], w.start[i], w.end[i], w.botAt[i], w.versions[i], w.botFlags[w.users[i]] === 1);
  }
  sink.close();
}

/**
 * Writes the job in `format` under the folder `root` (files as silverEventSink names them)
 * on a worker thread, moving (not copying) its buffers there. Errors name the files under
 * `label`; `faults` (tests only) makes the thread's file system fail.
 */
export function writeSilverEventsOnThread(format: SilverFormat, root: string, label: string, job: SilverJob,
  faults?: FaultPlan): Promise<void> {
  const moved = new Set<ArrayBuffer>([job.part.buffer, job.index.buffer] as ArrayBuffer[]);
  for (const p of job.parts) {
    for (const a of [p.lines, p.start, p.end, p.botAt, p.versions, p.users, p.botFlags]) moved.add(a.buffer as ArrayBuffer);
  }
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./silver-writer-worker.js', import.meta.url), {
      workerData: { format, root, label, job, faults }, transferList: [...moved],
    });
    // The thread reports how it ended in one message; an AudicinError keeps its code and line.
    worker.once('message', (msg: { error?: { code?: ErrorCode; message: string } }) => {
      if (msg.error === undefined) resolve();
      else if (msg.error.code !== undefined) reject(new AudicinError(msg.error.code, msg.error.message.replace(/^audicin: /, '')));
      else reject(new Error(`silver writer: ${msg.error.message}`));
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      reject(new Error(`silver writer stopped with exit code ${code} before reporting`));
    });
  });
}
