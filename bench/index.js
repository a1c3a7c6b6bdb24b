#!/usr/bin/env node
// `node bench`: the benchmark harness. Its compiled code lives in dist/bench (built by `npm install`).
let bench;
try {
  bench = await import('../dist/bench/main.js');
} catch (err) {
  if (err?.code !== 'ERR_MODULE_NOT_FOUND') throw err;
  process.stderr.write('bench: dist/bench is missing; run `npm install` (or `npm run build`) first\n');
  process.exit(1);
}
process.exitCode = await bench.main(process.argv.slice(2));
