// Step timings for profiling (`AUDICIN_TRACE=1`): one line per step on stderr, so a
// performance note can say which step costs what: the ms since start, the RSS now, and the
// peak RSS of the whole process (worker threads included) since the previous line. The
// peak is sampled every 20 ms on a thread of its own, so long synchronous steps are seen
// too. Silent otherwise.
import { isMainThread, Worker } from 'node:worker_threads';

const on = process.env.AUDICIN_TRACE !== undefined && process.env.AUDICIN_TRACE !== '';
/**
 * The process's start on the wall clock, in ms: the main thread's time origin, which it hands
 * to its worker threads through the environment they copy, so every thread's lines share one
 * time line (a worker's own performance.now() starts with the worker).
 */
const T0 = 'AUDICIN_TRACE_T0';
if (on && isMainThread) process.env[T0] = String(performance.timeOrigin);
const start = Number(process.env[T0] ?? performance.timeOrigin) - performance.timeOrigin;
const MB = 1 << 20;
const peak = new Float64Array(new SharedArrayBuffer(8));
if (on && isMainThread) {
  new Worker(`const { workerData } = require('node:worker_threads');
const peak = new Float64Array(workerData);
setInterval(() => { peak[0] = Math.max(peak[0], process.memoryUsage.rss()); }, 20);`,
  { eval: true, workerData: peak.buffer }).unref();
}

/** Prints `label` with the ms since the process started, the RSS and the peak RSS. */
export function trace(label: string): void {
  if (!on) return;
  const rss = process.memoryUsage.rss();
  const ms = (performance.now() - start).toFixed(0).padStart(6);
  const high = isMainThread ? ` (peak ${(Math.max(peak[0]!, rss) / MB).toFixed(0).padStart(5)} MB)` : '';
  process.stderr.write(`audicin-trace ${ms} ms ${(rss / MB).toFixed(0).padStart(5)} MB${high}  ${label}\n`);
  peak[0] = 0;
}
