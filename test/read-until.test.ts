// readUntil: the stdin reader of stream and gold, which stops at a signal as at end of input.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Readable } from 'node:stream';
import { readUntil } from '../lib/cli/output.js';

const MiB = 1 << 20;

test('readUntil holds no chunk it has handed on: memory stays flat over a long input', async () => {
  // 400 fresh 1 MiB chunks; a reader that kept them (a reaction per chunk left on the
  // never-settled stop promise) would hold 400 MiB of array buffers at the end.
  let made = 0;
  const input = Readable.from((function* () { while (made < 400) { made++; yield Buffer.alloc(MiB, made & 0xff); } })());
  let seen = 0, bytes = 0, peak = 0;
  for await (const chunk of readUntil(input, new Promise(() => undefined))) {
    seen++;
    bytes += chunk.length;
    if (seen % 50 === 0) peak = Math.max(peak, process.memoryUsage().arrayBuffers);
  }
  assert.is(seen, 400);
  assert.is(bytes, 400 * MiB);
  assert.ok(peak < 150 * MiB, `array buffers peaked at ${Math.round(peak / MiB)} MiB`);
});

test('readUntil: stopping ends the chunks as end of input would, and destroys the input', async () => {
  let release!: () => void;
  const stop = new Promise<void>((resolve) => { release = resolve; });
  const input = new Readable({ read() {} });
  input.push(Buffer.from('a'));
  const got: string[] = [];
  const reading = (async () => { for await (const c of readUntil(input, stop)) got.push(c.toString()); })();
  await new Promise((r) => setTimeout(r, 20));
  release();
  await reading; // an input that never ends would hang here without the stop
  assert.equal(got, ['a']);
  assert.ok(input.destroyed);
});

test('readUntil: an input that ends is read whole and not destroyed early', async () => {
  const input = Readable.from([Buffer.from('x'), Buffer.from('y')]);
  const got: string[] = [];
  for await (const c of readUntil(input, new Promise(() => undefined))) got.push(c.toString());
  assert.equal(got, ['x', 'y']);
});

test.run();
