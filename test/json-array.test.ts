import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { JsonArraySplitter } from '../lib/io/json-array.js';

type Got = [string, number, string][];

function split(text: string, size: number): Got {
  return splitCounting(text, size).got;
}

/** The pieces a splitter hands on, and how often it resynchronised. */
function splitCounting(text: string, size: number): { got: Got; resynchronised: number } {
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
  return { got, resynchronised: s.resynchronised };
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
  // The next element's line resynchronises; the separator comma is not part of the piece.
  assert.equal(got.map((g) => g[2]), ['{"id":"a}', '{"id":"b"}', '{"id":"c"}']);
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

// Ten elements, one a line, like the real subscriptions.json; element 5 is broken in four ways.
const el = (n: number): string => `{"id":"s${n}","n":${n}}`;
const tenWith = (broken: string, lines = Array.from({ length: 10 }, (_, i) => el(i + 1))): string =>
  `[\n${lines.map((l, i) => (i === 4 ? broken : l)).join(',\n')}\n]\n`;
/** Elements 1–10 as handed on, element 5 replaced by the broken text. */
const tenGot = (broken: string): Got =>
  Array.from({ length: 10 }, (_, i) => ['el', i + 1, i === 4 ? broken : el(i + 1)] as [string, number, string]);

test('resynchronises at the next element after a stray {, a stray [, a missing } or an unterminated string', () => {
  const cases: [string, string, string][] = [
    // [what, element 5 as written, the broken piece handed on]
    ['stray {', `{${el(5)}`, `{${el(5)}`],
    ['stray [', `[${el(5)}`, `[${el(5)}`],
    ['missing }', '{"id":"s5","n":5', '{"id":"s5","n":5'],
    ['unterminated string', '{"id":"s5,"n":5}', '{"id":"s5,"n":5}'],
  ];
  for (const [what, written, piece] of cases) {
    for (const size of [0, 1, 7]) {
      const { got, resynchronised } = splitCounting(tenWith(written), size);
      assert.equal(got, tenGot(piece), `${what}, chunk size ${size}`);
      assert.is(resynchronised, 1, `${what}, chunk size ${size}`);
    }
  }
});

test('resynchronises on one line at a "},{" boundary inside an object', () => {
  const text = `[${[1, 2, 3, 4].map(el).join(',')},{${el(5)},${[6, 7].map(el).join(',')}]`;
  for (const size of [0, 1]) {
    assert.equal(splitCounting(text, size), {
      got: [1, 2, 3, 4, 5, 6, 7].map((n) => ['el', n, n === 5 ? `{${el(5)}` : el(n)] as [string, number, string]),
      resynchronised: 1,
    });
  }
});

test('a stray { in a pretty-printed array costs that element only; a lone stray line or a missing comma costs nothing', () => {
  const pretty = JSON.stringify([1, 2, 3, 4].map((n) => ({ id: `s${n}`, tags: [{ k: n }] })), null, 2).replace('  {\n    "id": "s3"', '  {{\n    "id": "s3"');
  const got = split(pretty, 1);
  assert.equal(got.map((g) => [g[0], g[1], JSON.parse(g[2].replace('{{', '{')).id]), [['el', 1, 's1'], ['el', 2, 's2'], ['el', 3, 's3'], ['el', 4, 's4']]);
  assert.ok(got[2][2].startsWith('{{') && got[2][2].endsWith('}'));
  // A stray bracket alone on its line becomes its own piece, the element after it whole.
  const lone = `[\n${el(1)},\n[\n${el(2)},\n${el(3)}\n]`;
  assert.equal(splitCounting(lone, 1), { got: [['el', 1, el(1)], ['el', 2, '['], ['el', 3, el(2)], ['el', 4, el(3)]], resynchronised: 1 });
  assert.equal(splitCounting(`[\n${el(1)}\n${el(2)},\n${el(3)}\n]`, 1),
    { got: [['el', 1, el(1)], ['el', 2, el(2)], ['el', 3, el(3)]], resynchronised: 1 });
  // A stray ] ends the array early; the element lines after it are read again.
  assert.equal(splitCounting(`[\n${el(1)}],\n${el(2)},\n${el(3)}\n]`, 1),
    { got: [['el', 1, el(1)], ['el', 2, el(2)], ['el', 3, el(3)]], resynchronised: 1 });
});

test('well-formed arrays never resynchronise, nested objects on their own lines included', () => {
  const pretty = JSON.stringify([{ a: [{ b: 1 }, { c: [{}] }] }, { d: '},{' }, [{ e: 1 }, { f: 2 }]], null, 2);
  const { got, resynchronised } = splitCounting(pretty, 1);
  assert.is(resynchronised, 0);
  assert.equal(got.map((g) => JSON.parse(g[2])), JSON.parse(pretty));
  assert.is(splitCounting(array, 1).resynchronised, 0);
});

test.run();
