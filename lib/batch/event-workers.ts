// Splits the events of a batch run across worker threads (partitions by event_id, see
// event-partition.ts) and merges what they return. One partition runs inline, no thread.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { AudicinError, type ErrorCode } from '../core/errors.js';
import { processEventPartition, type PartitionResult } from './event-partition.js';
import { uncompressedSize } from '../io/readers.js';
import { trace } from '../io/trace.js';
import type { ResolvedOptions } from '../core/types.js';

/** Below this size a thread costs more than it saves. */
const THREADS_FROM_BYTES = 16 << 20;

/** How many partitions to use: `opts.workers`, or with 0 (auto) every core for a large file. */
export function partitionCount(path: string, opts: ResolvedOptions): number {
  if (opts.workers > 0) return opts.workers;
  let size = 0;
  try { size = uncompressedSize(path); } catch { /* reported by the reader */ }
  return size >= THREADS_FROM_BYTES ? Math.min(64, Math.max(1, availableParallelism())) : 1;
}

function runWorker(worker: Worker, part: number): Promise<PartitionResult> {
  return new Promise((resolve, reject) => {
    worker.once('message', (msg: { result?: PartitionResult; error?: { code: ErrorCode | null; message: string } }) => {
      if (msg.error) {
        const { code, message } = msg.error;
        reject(code === null ? new Error(message) : new AudicinError(code, message.replace(/^audicin: /, '')));
      } else {
        trace(`events part ${part}: received`);
        const w = msg.result!.winners;
        // Buffers arrive as plain Uint8Arrays.
        w.lines = Buffer.from(w.lines.buffer, w.lines.byteOffset, w.lines.byteLength);
        w.idBytes = Buffer.from(w.idBytes.buffer, w.idBytes.byteOffset, w.idBytes.byteLength);
        resolve(msg.result!);
      }
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`event worker ${part} stopped with exit code ${code}`));
    });
  });
}

/** Every partition of the events file, in partition order. */
export async function processEvents(path: string, opts: ResolvedOptions): Promise<PartitionResult[]> {
  const count = partitionCount(path, opts);
  if (count === 1) return [await processEventPartition(path, opts, 0, 1)];
  const workers = Array.from({ length: count }, (_, part) =>
    new Worker(new URL('./event-worker.js', import.meta.url), { workerData: { path, opts, part, count } }));
  try {
    return await Promise.all(workers.map((worker, part) => runWorker(worker, part)));
  } catch (err) {
    // One failed partition fails the run: the others need not finish.
    await Promise.all(workers.map((worker) => worker.terminate()));
    throw err;
  }
}
