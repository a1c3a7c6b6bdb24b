import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DedupMap, LOST, NEW, WON, arrivalBeats, eventBeats, offerVersion } from '../lib/core/dedup.js';

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

test('offerVersion: new key, a win or a loss, and the winner counts every version', () => {
  const a = v('a', 10, 1, 'first');
  assert.is(offerVersion(eventBeats, undefined, a), NEW);
  assert.is(a.versions, 1);
  const older = v('a', 5, 2, 'older');
  assert.is(offerVersion(eventBeats, a, older), LOST);
  assert.equal([a.versions, older.versions], [2, 1]);
  const tie = v('a', 10, 3, 'tie-later');
  assert.is(offerVersion(eventBeats, a, tie), WON, 'a tie goes to the later arrival');
  assert.equal([tie.versions, a.versions], [3, 2]);
  // A tie against a later arrival (offered out of order, as a merge might) loses.
  assert.is(offerVersion(eventBeats, tie, v('a', 10, 2, 'tie-earlier')), LOST);
  assert.is(tie.versions, 4);
});

test.run();
