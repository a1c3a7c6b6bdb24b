#!/usr/bin/env node
// The CLI entry: the compiled engine lives in dist/ (built by `npm install`).
import { main } from '../dist/lib/cli.js';

process.exitCode = await main(process.argv.slice(2));
