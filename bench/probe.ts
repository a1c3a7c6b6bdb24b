// Preloaded into every measured child (`node --import <this file> ...`). When the child
// exits, it writes its own peak resident set size to the file named by
// AUDICIN_BENCH_PROBE, so the parent can report it (child_process gives no rusage).
//
// Linux: VmHWM from /proc/self/status, the high-water mark of this process's own memory
// map. getrusage's ru_maxrss is avoided there: after a vfork+exec it also counts the
// parent's address space (the kernel folds the pre-exec map into maxrss), which would
// report the bench's own memory. Elsewhere: process.resourceUsage().maxRSS.
import { readFileSync, writeFileSync } from 'node:fs';
import { isMainThread } from 'node:worker_threads';

/** Peak RSS in KiB, and where it came from. */
function peakRss(): { kib: number; source: string } {
  if (process.platform === 'linux') {
    try {
      const m = /^VmHWM:\s*(\d+)\s*kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
      if (m) return { kib: Number(m[1]), source: 'VmHWM' };
    } catch {
      // fall through
    }
  }
  return { kib: process.resourceUsage().maxRSS, source: 'maxRSS' };
}

const target = process.env.AUDICIN_BENCH_PROBE;
if (target && isMainThread) {
  // Not inherited by anything the child spawns in turn.
  delete process.env.AUDICIN_BENCH_PROBE;
  process.on('exit', (code) => {
    const usage = process.resourceUsage();
    const rss = peakRss();
    writeFileSync(target, JSON.stringify({
      peak_rss_kib: rss.kib, rss_source: rss.source, exit_code: code,
      user_cpu_s: usage.userCPUTime / 1e6, system_cpu_s: usage.systemCPUTime / 1e6,
    }) + '\n');
  });
}
