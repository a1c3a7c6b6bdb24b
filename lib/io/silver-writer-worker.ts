// Worker-thread entry of the silver events writer (see silver-writer.ts). Every failure,
// a full disk included, goes back to the main thread as a message: the run must fail.
import { parentPort, workerData } from 'node:worker_threads';
import { isAudicinError } from '../core/errors.js';
import { faultyFs, realFs } from './output-fs.js';
import { fileOpener, silverEventSink, writeSilverEvents } from './silver-writer.js';

try {
  const fs = workerData.faults === undefined ? realFs : faultyFs(workerData.faults);
  writeSilverEvents(silverEventSink(workerData.format, fileOpener(workerData.root, workerData.label, fs)), workerData.job);
  parentPort!.postMessage({});
} catch (err) {
  parentPort!.postMessage({ error: { code: isAudicinError(err) ? err.code : undefined, message: (err as Error)?.message ?? String(err) } });
}
