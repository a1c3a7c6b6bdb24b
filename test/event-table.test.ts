import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { LineBuffer, silverOrder } from '../lib/core/event-table.js';

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

test('silverOrder sorts by (ts, id) as a comparator sort does: packed keys, equal times by id, and the fallback', () => {
  // Times within a small range (packed keys, many ties) or spread past 2^53 / n (comparator).
  const rows = fc.array(fc.record({ t: fc.integer({ min: 0, max: 40 }), id: fc.string({ maxLength: 3 }) }), { maxLength: 300 });
  fc.assert(fc.property(rows, fc.constantFrom(1, 1e12), (rs, step) => {
    const ts = Float64Array.from(rs, (r) => 1.767e12 + r.t * step);
    const ids = rs.map((r) => r.id);
    const key = (i: number): [number, string] => [ts[i]!, ids[i]!];
    const want = rs.map((_, i) => i).sort((a, b) => ts[a]! - ts[b]! || (ids[a]! < ids[b]! ? -1 : ids[a]! > ids[b]! ? 1 : 0));
    const got = [...silverOrder(ts, ids, rs.length)];
    assert.equal(got.slice().sort((a, b) => a - b), want.slice().sort((a, b) => a - b));
    assert.equal(got.map(key), want.map(key));
  }), { numRuns: 500 });
  // Fractional times (never in silver) take the comparator sort and stay exact.
  assert.equal([...silverOrder(Float64Array.from([2.5, 1.25, 2.5, 0.5]), ['b', 'x', 'a', 'y'], 4)], [3, 1, 2, 0]);
  // A hand-made case: two ties on time, ordered by id; a lone later time.
  assert.equal([...silverOrder(Float64Array.from([5, 3, 5, 3, 9]), ['b', 'z', 'a', 'y', 'c'], 5)], [3, 1, 2, 0, 4]);
});

test.run();
