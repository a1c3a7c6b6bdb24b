// Worker-thread entry of the silver events writer (see silver-writer.ts).
import { parentPort, workerData } from 'node:worker_threads';
import { FileSink } from './output.js';
import { writeSilverEvents } from './silver-writer.js';

try {
  const sink = new FileSink(workerData.path);
  writeSilverEvents(sink, workerData.job);
  sink.close();
  parentPort!.postMessage({});
} catch (err) {
  parentPort!.postMessage({ error: (err as Error).message ?? String(err) });
}
