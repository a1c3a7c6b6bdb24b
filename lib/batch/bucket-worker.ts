// Worker-thread entry of the bucket pool (pool.ts): runs the jobs it is sent, one at a time,
// and answers each with its result or its error as plain data.
import { parentPort } from 'node:worker_threads';
import { isAudicinError } from '../core/errors.js';
import { runBucket } from './pool.js';

parentPort!.on('message', ({ id, job }) => {
  try {
    parentPort!.postMessage({ id, result: runBucket(job) });
  } catch (err) {
    const e = err as { message?: string };
    parentPort!.postMessage({ id, error: { code: isAudicinError(err) ? err.code : null, message: String(e.message ?? err) } });
  }
});
