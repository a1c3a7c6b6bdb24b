// The floor: the least work any engine must do on an events file. Reads it, splits it
// into lines and JSON.parses each non-blank line, in one thread, and nothing else.
// Usage: node dist/bench/floor.js FILE  (prints the line counts, so nothing is elided).
import { closeSync, openSync, readSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';

function floor(file: string): { lines: number; parsed: number; invalid: number } {
  const fd = openSync(file, 'r');
  const buf = Buffer.allocUnsafe(1 << 20);
  const decoder = new StringDecoder('utf8');
  let lines = 0, parsed = 0, invalid = 0;
  let rest = '';
  const line = (s: string): void => {
    if (s.length > 0 && s.charCodeAt(s.length - 1) === 13) s = s.slice(0, -1);
    if (s.trim().length === 0) return;
    lines++;
    try {
      JSON.parse(s);
      parsed++;
    } catch {
      invalid++;
    }
  };
  try {
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      const text = rest + decoder.write(buf.subarray(0, n));
      let start = 0;
      for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
        line(text.slice(start, nl));
        start = nl + 1;
      }
      rest = text.slice(start);
    }
    line(rest + decoder.end());
  } finally {
    closeSync(fd);
  }
  return { lines, parsed, invalid };
}

const file = process.argv[2];
if (file === undefined) {
  process.stderr.write('usage: node dist/bench/floor.js EVENTS_FILE\n');
  process.exitCode = 2;
} else {
  process.stdout.write(JSON.stringify(floor(file)) + '\n');
}
