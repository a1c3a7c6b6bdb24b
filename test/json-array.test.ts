import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { JsonArraySplitter } from '../lib/json-array.js';

type Got = [string, number, string][];

function split(text: string, size: number): Got {
  const got: Got = [];
  const s = new JsonArraySplitter({
    line: (b, pos) => got.push(['el', pos, b.toString('utf8')]),
    blank: (pos) => got.push(['blank', pos, '']),
    tooLong: (head, pos, bytes) => got.push(['long', pos, `${head.length}/${bytes}`]),
  }, 200);
  const input = Buffer.from(text, 'utf8');
  if (size === 0) s.push(input);
  else for (let i = 0; i < input.length; i += size) s.push(input.subarray(i, i + size));
  s.end();
  return got;
}

const array = '\uFEFF [\n {"id":"a,]}","n":[1,{"x":2}]},\r\n {"id": "b", "price": },\n {"id":"c\\"\\\\"} ,\n {"id":"é"}\n]\n';
const elements: Got = [
  ['el', 1, '{"id":"a,]}","n":[1,{"x":2}]}'],
  ['el', 2, '{"id": "b", "price": }'],
  ['el', 3, '{"id":"c\\"\\\\"}'],
  ['el', 4, '{"id":"é"}'],
];

test('splits array elements by depth, ignoring brackets and commas in strings', () => {
  assert.equal(split(array, 0), elements);
});

test('same elements whatever the chunking', () => {
  for (const size of [1, 2, 3, 11]) assert.equal(split(array, size), elements, `chunk size ${size}`);
});

test('an unterminated string ends with its line, so it costs its own element only', () => {
  const got = split('[\n{"id":"a},\n{"id":"b"},\n{"id":"c"}\n]', 1);
  assert.equal(got.map((g) => g[2]), ['{"id":"a},', '{"id":"b"}', '{"id":"c"}']);
});

test('empty arrays, trailing commas, empty slots and text after the array', () => {
  assert.equal(split('[]', 0), []);
  assert.equal(split('[ {"a":1}, ]', 0), [['el', 1, '{"a":1}']]);
  assert.equal(split('[1,,2]', 0), [['el', 1, '1'], ['blank', 2, ''], ['el', 3, '2']]);
  assert.equal(split('[1] junk', 0), [['el', 1, '1'], ['el', 2, 'junk']]);
});

test('a truncated array hands on what is left as one element', () => {
  assert.equal(split('[{"a":1},{"b":', 0), [['el', 1, '{"a":1}'], ['el', 2, '{"b":']]);
});

test('input that is not an array is read as NDJSON lines', () => {
  assert.equal(split('{"a":1}\n\n{"b":2}\n', 1), [['el', 1, '{"a":1}'], ['blank', 2, ''], ['el', 3, '{"b":2}']]);
});

test('NDJSON after leading blank lines and a BOM keeps its line numbers however it is chunked', () => {
  // Found by the chunking property (test/properties.test.ts): blank bytes that came in a chunk
  // of their own, before the first byte that decides the format, were dropped.
  const text = '\uFEFF\n \r\n{"a":1}\n';
  const expected: Got = [['blank', 1, ''], ['blank', 2, ''], ['el', 3, '{"a":1}']];
  for (const size of [0, 1, 2, 4]) assert.equal(split(text, size), expected, `chunk size ${size}`);
});

test('an element over the limit is reported as too long', () => {
  const big = `{"x":"${'q'.repeat(500)}"}`;
  assert.equal(split(`[${big},{"a":1}]`, 0), [['long', 1, `${big.length}/${big.length}`], ['el', 2, '{"a":1}']]);
});

test.run();
