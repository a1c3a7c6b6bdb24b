// Step timings for profiling (`AUDICIN_TRACE=1`): one line per step on stderr, so a
// performance note can say which step costs what. Silent otherwise.
const on = process.env.AUDICIN_TRACE !== undefined && process.env.AUDICIN_TRACE !== '';
const start = performance.now();

/** Prints `label` with the ms since the process (or worker) started this module. */
export function trace(label: string): void {
  if (on) process.stderr.write(`audicin-trace ${(performance.now() - start).toFixed(0).padStart(6)} ms  ${label}\n`);
}
