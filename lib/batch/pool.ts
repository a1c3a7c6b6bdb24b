// Runs bucket jobs, `concurrent` at a time: inline for one, else on that many worker threads
// that take jobs as they free up. A job is plain data (paths and options) and so is its
// result: no memory is shared, which is what would let a bucket run elsewhere.
import { Worker } from 'node:worker_threads';
import { AudicinError, type ErrorCode } from '../core/errors.js';
import { dedupEventBucket, type EventBucketJob, type EventBucketResult } from './event-bucket.js';
import { userBucket, type UserBucketJob, type UserBucketResult } from './user-bucket.js';

export type BucketJob = { kind: 'events'; job: EventBucketJob } | { kind: 'users'; job: UserBucketJob };
type ResultOf<J extends BucketJob> = J extends { kind: 'events' } ? EventBucketResult : UserBucketResult;

/** Runs one job where it is called: the worker thread's entry calls this too. */
export function runBucket(j: BucketJob): EventBucketResult | UserBucketResult {
  return j.kind === 'events' ? dedupEventBucket(j.job) : userBucket(j.job);
}

interface Reply { id: number; result?: EventBucketResult | UserBucketResult; error?: { code: ErrorCode | null; message: string } }

/** The results of `jobs`, in job order. One failed job fails them all; the threads are stopped. */
export async function runBuckets<J extends BucketJob>(jobs: J[], concurrent: number): Promise<ResultOf<J>[]> {
  if (concurrent <= 1 || jobs.length <= 1) {
    const results: ResultOf<J>[] = [];
    for (const j of jobs) {
      results.push(runBucket(j) as ResultOf<J>);
      // Back to the event loop between buckets, so that a signal is handled within one bucket, not one step.
      await new Promise(setImmediate);
    }
    return results;
  }
  const results: ResultOf<J>[] = new Array(jobs.length);
  const workers = Array.from({ length: Math.min(concurrent, jobs.length) },
    () => new Worker(new URL('./bucket-worker.js', import.meta.url)));
  let next = 0;
  try {
    await Promise.all(workers.map((worker) => new Promise<void>((resolve, reject) => {
      const give = (): void => {
        if (next === jobs.length) return resolve();
        const id = next++;
        worker.postMessage({ id, job: jobs[id] });
      };
      worker.on('message', (msg: Reply) => {
        if (msg.error !== undefined) {
          const { code, message } = msg.error;
          reject(code === null ? new Error(message) : new AudicinError(code, message.replace(/^audicin: /, '')));
          return;
        }
        results[msg.id] = msg.result as ResultOf<J>;
        give();
      });
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`bucket worker stopped with exit code ${code}`)));
      give();
    })));
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
  return results;
}
