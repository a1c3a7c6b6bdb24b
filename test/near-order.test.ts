// NearOrderQueue (the stream window's order): it pops exactly as a sort by byTimeThenId
// orders, whatever the disorder of the input, with ties, superseded entries, and pops
// interleaved with pushes as the stream engine makes them.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { NearOrderQueue } from '../lib/core/near-order.js';
import { byTimeThenId } from '../lib/core/silver.js';
import type { SilverEvent } from '../lib/core/types.js';

const SEED = Number(process.env.PROPS_SEED ?? 20261130);
const SCALE = Number(process.env.PROPS_SCALE ?? 1);
const params = (numRuns: number): fc.Parameters<unknown> => ({ seed: SEED, numRuns: Math.max(1, Math.round(numRuns * SCALE)) });

/** The fields byTimeThenId reads, plus the arrival number that tells versions apart. */
interface Item { ts: number; event_id: string; pos: number }
const order = byTimeThenId as unknown as (a: Item, b: Item) => number;
const key = (x: Item): string => `${x.ts}/${x.event_id}`;

/**
 * Items in arrival order: a time that drifts forward with a jitter of up to `disorder`
 * (a huge one shuffles), ids from a small pool so times tie and ids repeat (new versions).
 */
const arrivals = fc.record({
  steps: fc.array(fc.record({ step: fc.nat(3), jitter: fc.nat(1000), id: fc.nat(40) }), { maxLength: 400 }),
  disorder: fc.constantFrom(0, 1, 3, 20, 200, 1_000_000),
  reach: fc.constantFrom(1, 2, 4, 32),
}).map(({ steps, disorder, reach }) => {
  let t = 0;
  const items = steps.map(({ step, jitter, id }, pos): Item => {
    t += step;
    return { ts: t + (disorder === 0 ? 0 : jitter % (disorder + 1)), event_id: `e${id}`, pos };
  });
  return { items, reach };
});

test('pops every item in the order of a sort by (event_ts, event_id), ties included', () => {
  fc.assert(fc.property(arrivals, ({ items, reach }) => {
    const q = new NearOrderQueue<Item>(order, reach);
    for (const x of items) q.push(x);
    assert.is(q.size, items.length);
    const popped: string[] = [];
    for (let x = q.pop(); x !== undefined; x = q.pop()) popped.push(key(x));
    assert.equal(popped, [...items].sort(order).map(key));
    assert.is(q.size, 0);
    assert.is(q.peek(), undefined);
  }), params(300));
});

test('pops interleaved with pushes: each pop is the least item held, and peek shows it', () => {
  fc.assert(fc.property(arrivals, fc.array(fc.nat(5), { minLength: 1 }), ({ items, reach }, popCounts) => {
    const q = new NearOrderQueue<Item>(order, reach);
    const held = new Set<Item>();
    const popSome = (n: number): void => {
      for (let k = 0; k < n && held.size > 0; k++) {
        const least = [...held].sort(order)[0];
        const top = q.peek()!;
        assert.is(order(top, least), 0);
        const x = q.pop()!;
        assert.is(x, top);
        assert.ok(held.delete(x));
      }
    };
    items.forEach((x, i) => {
      q.push(x);
      held.add(x);
      popSome(popCounts[i % popCounts.length]);
      assert.is(q.size, held.size);
    });
    popSome(Infinity);
    assert.is(q.pop(), undefined);
  }), params(200));
});

test('as the window uses it: superseded entries skipped, winners emitted in sorted order', () => {
  fc.assert(fc.property(arrivals, fc.nat(50), ({ items, reach }, lag) => {
    // The engine's rule, with the frontier `lag` behind the latest time: the later ts wins, ties to the later arrival.
    const current = new Map<string, Item | number>();
    const q = new NearOrderQueue<Item>(order, reach);
    const emitted: Item[] = [];
    const late: Item[] = [];
    let frontier = -Infinity;
    const advance = (): void => {
      for (let top = q.peek(); top !== undefined && top.ts < frontier; top = q.peek()) {
        q.pop();
        if (current.get(top.event_id) !== top) continue;
        current.set(top.event_id, top.ts);
        emitted.push(top);
      }
    };
    for (const x of items) {
      const slot = current.get(x.event_id);
      if (x.ts < frontier || typeof slot === 'number') {
        late.push(x);
        continue;
      }
      if (slot === undefined || x.ts > slot.ts || (x.ts === slot.ts && x.pos > slot.pos)) {
        current.set(x.event_id, x);
        q.push(x);
      }
      frontier = Math.max(frontier, x.ts - lag);
      advance();
    }
    frontier = Infinity;
    advance();
    // Independently: the winners among the versions that were not late, sorted.
    const winners = new Map<string, Item>();
    for (const x of items) {
      if (late.includes(x)) continue;
      const w = winners.get(x.event_id);
      if (w === undefined || x.ts > w.ts || (x.ts === w.ts && x.pos > w.pos)) winners.set(x.event_id, x);
    }
    const final = new Set(emitted);
    const expected = [...winners.values()].filter((w) => final.has(w)).sort(order);
    // Every id ends final; emission is in sorted order once grouped by the frontier's steps.
    assert.is(emitted.length, winners.size);
    assert.equal(emitted.map(key), expected.map(key));
  }), params(300));
});

test('a shuffled input still pops sorted, the stragglers held in the heap', () => {
  const items: Item[] = [];
  let s = 12345;
  for (let i = 0; i < 5000; i++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    items.push({ ts: s % 700, event_id: `e${s % 97}`, pos: i });
  }
  const q = new NearOrderQueue<Item>(order);
  for (const x of items) q.push(x);
  const popped: string[] = [];
  for (let x = q.pop(); x !== undefined; x = q.pop()) popped.push(key(x));
  assert.equal(popped, [...items].sort(order).map(key));
});

test('a long near-ordered stream, popped as it goes, compacts its run and stays sorted', () => {
  const q = new NearOrderQueue<Item>(order);
  const items: Item[] = [];
  const popped: string[] = [];
  let s = 777;
  for (let i = 0; i < 30_000; i++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    const x = { ts: i + (s % 60), event_id: `e${s % 13}`, pos: i };
    items.push(x);
    q.push(x);
    while (q.size > 100) popped.push(key(q.pop()!));
  }
  for (let x = q.pop(); x !== undefined; x = q.pop()) popped.push(key(x));
  assert.equal(popped, [...items].sort(order).map(key));
});

test.run();
