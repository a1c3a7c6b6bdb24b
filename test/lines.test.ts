import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { LineSplitter, TOO_LONG_HEAD } from '../lib/io/lines.js';

type Got = [string, number, string][];

/** Feeds `input` in chunks of `size` bytes (0: whole) and records what comes out. */
function split(input: Buffer, size: number, max = 64): Got {
  const got: Got = [];
  const s = new LineSplitter({
    line: (b, pos) => got.push(['line', pos, b.toString('utf8')]),
    blank: (pos) => got.push(['blank', pos, '']),
    tooLong: (head, pos, bytes) => got.push(['long', pos, `${head.length}/${bytes}`]),
  }, max);
  if (size === 0) s.push(input);
  else for (let i = 0; i < input.length; i += size) s.push(input.subarray(i, i + size));
  s.end();
  return got;
}

const sample = Buffer.from('\uFEFF{"a":1}\r\n\n  \t\r\n{"b":"é€😀"}\r\n{"c":3}', 'utf8');
const expected: Got = [['line', 1, '{"a":1}'], ['blank', 2, ''], ['blank', 3, ''], ['line', 4, '{"b":"é€😀"}'], ['line', 5, '{"c":3}']];

test('splits lines with BOM, CRLF, blank lines and no final newline', () => {
  assert.equal(split(sample, 0), expected);
});

test('gives the same lines whatever the chunking (one byte at a time, CRLF and multi-byte split)', () => {
  for (const size of [1, 2, 3, 5, 7, 13]) assert.equal(split(sample, size), expected, `chunk size ${size}`);
});

test('a line over the limit is line_too_long, and the next line still comes through', () => {
  const long = 'x'.repeat(3000);
  const input = Buffer.from(`{"a":1}\n${long}\n{"b":2}\n`);
  for (const size of [0, 1, 100]) {
    assert.equal(split(input, size, 2048), [['line', 1, '{"a":1}'], ['long', 2, `${TOO_LONG_HEAD}/3000`], ['line', 3, '{"b":2}']]);
  }
});

test('a line of exactly the limit passes, with or without CR', () => {
  const line = 'y'.repeat(64);
  assert.equal(split(Buffer.from(`${line}\r\n${line}\n`), 1), [['line', 1, line], ['line', 2, line]]);
  assert.equal(split(Buffer.from(`${line}y\n`), 0)[0][0], 'long');
});

test('a too-long line reads the same whole or chunked: its CR and a BOM count in neither its bytes nor its head', () => {
  // Found by the chunking property (test/properties.test.ts): chunked, the CR counted as a byte,
  // and a BOM could tip a first line of exactly the limit over it.
  for (const size of [0, 1, 2, 5]) {
    assert.equal(split(Buffer.from('date,channel,spend\r\n'), size, 8), [['long', 1, '18/18']], `CRLF, chunk size ${size}`);
    assert.equal(split(Buffer.from(`\uFEFF${'x'.repeat(10)}\r\n`), size, 10), [['line', 1, 'x'.repeat(10)]], `BOM, chunk size ${size}`);
    assert.equal(split(Buffer.from(`\uFEFF${'x'.repeat(10)}\r\n`), size, 9), [['long', 1, '10/10']], `BOM, chunk size ${size}`);
  }
});

test('an unterminated long last line is still reported', () => {
  assert.equal(split(Buffer.from('z'.repeat(5000)), 7, 100), [['long', 1, `${TOO_LONG_HEAD}/5000`]]);
});

test('empty input gives nothing; a lone newline is one blank line', () => {
  assert.equal(split(Buffer.alloc(0), 0), []);
  assert.equal(split(Buffer.from('\n'), 0), [['blank', 1, '']]);
});

test.run();
