// Worker-thread entry: runs one event partition and posts it back, moving (not copying)
// its typed arrays. Errors travel as plain data so the main thread can show one line.
import { parentPort, workerData } from 'node:worker_threads';
import { isAudicinError } from '../core/errors.js';
import { processEventPartition } from './event-partition.js';
import { packGold, packedBuffers } from '../gold/codec.js';
import { trace } from '../io/trace.js';

const { path, opts, part, count } = workerData;
try {
  const result = await processEventPartition(path, opts, part, count);
  const w = result.winners;
  trace(`events part ${part}: posting`);
  const gold = packGold(result.gold);
  const moved = [w.lines, w.ts, w.start, w.end, w.botAt, w.versions, w.idBytes, w.idStart, w.users].map((a) => a.buffer as ArrayBuffer);
  parentPort!.postMessage({ result: { ...result, gold } }, [...packedBuffers(gold), ...moved]);
} catch (err) {
  const e = err as { message?: string };
  parentPort!.postMessage({ error: { code: isAudicinError(err) ? err.code : null, message: String(e.message ?? err) } });
}
