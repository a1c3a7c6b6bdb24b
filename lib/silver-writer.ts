// Writes silver/events.ndjson from merged partitions: each line copied from its partition's
// buffer, with is_bot and versions patched where they differ from `false` and `1`. A large
// run does it on a thread of its own, so the gold aggregation overlaps with the writing.
import { Worker } from 'node:worker_threads';
import { VERSIONS_AFTER_BOT } from './event-table.js';
import { AudicinError, type ErrorCode } from './errors.js';
import type { FileSink } from './output.js';
import type { FaultPlan } from './output-fs.js';

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

export function writeSilverEvents(sink: FileSink, job: SilverJob): void {
  const { parts, part, index } = job;
  const lines = parts.map((p) => Buffer.from(p.lines.buffer, p.lines.byteOffset, p.lines.byteLength));
  for (let k = 0; k < part.length; k++) {
    const w = parts[part[k]], i = index[k], bytes = lines[part[k]];
    const from = w.start[i], to = w.end[i], versions = w.versions[i];
    writeSilverLine(sink, bytes, from, to, w.botAt[i], versions, w.botFlags[w.users[i]] === 1);
  }
}

/**
 * Writes the silver line `bytes[from, to)`, written with is_bot false and versions 1, with
 * `is_bot` and `versions` patched where they differ; `botAt` is the offset of the `false`.
 */
export function writeSilverLine(sink: Pick<FileSink, 'write' | 'writeBytes'>, bytes: Buffer, from: number, to: number,
  botAt: number, versions: number, bot: boolean): void {
  if (!bot && versions === 1) {
    sink.writeBytes(bytes, from, to);
    return;
  }
  const at = from + botAt;
  sink.writeBytes(bytes, from, at);
  sink.write(`${bot},"versions":${versions}`);
  sink.writeBytes(bytes, at + VERSIONS_AFTER_BOT + 1, to);
}

/**
 * Writes the job to `path` on a worker thread, moving (not copying) its buffers there.
 * Errors name `label` (default `path`); `faults` (tests only) makes the thread's file system fail.
 */
export function writeSilverEventsOnThread(path: string, job: SilverJob, label = path, faults?: FaultPlan): Promise<void> {
  const moved = new Set<ArrayBuffer>([job.part.buffer, job.index.buffer] as ArrayBuffer[]);
  for (const p of job.parts) {
    for (const a of [p.lines, p.start, p.end, p.botAt, p.versions, p.users, p.botFlags]) moved.add(a.buffer as ArrayBuffer);
  }
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./silver-writer-worker.js', import.meta.url), {
      workerData: { path, label, job, faults }, transferList: [...moved],
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
