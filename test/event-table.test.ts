import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { LineBuffer } from '../lib/core/event-table.js';

test('LineBuffer keeps lines back to back and grows', () => {
  const b = new LineBuffer(1);
  const starts = ['a', 'é€😀\n', 'x'.repeat(100_000)].map((t) => b.push(t));
  assert.equal(starts, [0, 1, 1 + Buffer.byteLength('é€😀\n')]);
  assert.is(b.bytes.toString('utf8', 0, b.length), `aé€😀\n${'x'.repeat(100_000)}`);
});

test('LineBuffer writes into a buffer over 2 GiB (Node 20 writes nothing there without a length)', () => {
  const b = new LineBuffer(2 ** 31 + 16); // untouched, so it costs no memory
  b.push('hello');
  b.push(' world');
  assert.is(b.length, 11);
  assert.is(b.bytes.toString('utf8', 0, b.length), 'hello world');
});

test.run();
