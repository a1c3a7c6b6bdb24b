#!/usr/bin/env node
// The CLI entry: the compiled engine lives in dist/ (built by `npm install`).
let cli;
try {
  cli = await import('../dist/lib/cli/main.js');
} catch (err) {
  if (err?.code !== 'ERR_MODULE_NOT_FOUND') throw err;
  process.stderr.write('audicin: the engine is not built yet: run `npm install` (or `npm run build`) first\n');
  process.exit(1);
}
process.exitCode = await cli.main(process.argv.slice(2));
