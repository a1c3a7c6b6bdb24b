import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DedupMap, arrivalBeats, eventBeats } from '../lib/dedup.js';

interface V { id: string; ts: number; pos: number; versions: number; tag: string }
const v = (id: string, ts: number, pos: number, tag: string): V => ({ id, ts, pos, versions: 1, tag });

function winnersOf(order: V[]): string[] {
  const map = new DedupMap<V>(eventBeats);
  for (const rec of order) map.offer(rec.id, { ...rec });
  return [...map.values()].map((w) => `${w.id}:${w.tag}:${w.versions}`).sort();
}

test('latest time wins; ties go to the last arrival, whatever the order of offering', () => {
  const versions = [v('a', 10, 1, 'old'), v('a', 20, 2, 'tie-first'), v('a', 20, 5, 'tie-last'), v('a', 15, 9, 'late-arrival'),
    v('b', 5, 3, 'only')];
  const expected = ['a:tie-last:4', 'b:only:1'];
  assert.equal(winnersOf(versions), expected);
  assert.equal(winnersOf([...versions].reverse()), expected);
  assert.equal(winnersOf([versions[2], versions[0], versions[4], versions[3], versions[1]]), expected);
});

test('offer returns the superseded version', () => {
  const map = new DedupMap<V>(eventBeats);
  assert.is(map.offer('a', v('a', 1, 1, 'x')), null);
  assert.is(map.offer('a', v('a', 0, 2, 'older'))?.tag, 'older');
  assert.is(map.offer('a', v('a', 3, 3, 'newer'))?.tag, 'x');
  assert.is(map.get('a')?.versions, 3);
});

test('marketing: the last arrival wins', () => {
  const map = new DedupMap<{ pos: number; versions: number }>(arrivalBeats);
  map.offer('k', { pos: 5, versions: 1 });
  map.offer('k', { pos: 2, versions: 1 });
  assert.is(map.get('k')?.pos, 5);
});

test.run();
