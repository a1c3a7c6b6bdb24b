import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { BotCounter, OrderedBotFinder, WindowPeaks, botsInOrder } from '../lib/core/bots.js';

/** Feeds times in order, evicting as the batch run does, and says whether the user is a bot. */
function isBot(times: number[], threshold = 20, windowMs = 1000): boolean {
  const c = new BotCounter(threshold, windowMs);
  for (const t of [...times].sort((a, b) => a - b)) {
    c.evict('u', t);
    c.add('u', t);
  }
  return c.isBot('u');
}

const range = <T = number>(n: number, f: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => f(i));

test('21 events inside one second make a bot', () => {
  assert.ok(isBot(range(21, (i) => 1000 + i * 49))); // last − first = 980 ms
  assert.ok(isBot(range(21, () => 5000))); // all at once
});

test('near-misses are not bots: exactly 20 in a second, or 21 spread over exactly 1000 ms', () => {
  assert.not.ok(isBot(range(20, (i) => 1000 + i * 10)));
  assert.not.ok(isBot(range(21, (i) => 1000 + i * 50))); // last − first = 1000 ms
  assert.not.ok(isBot(range(200, (i) => i * 50))); // steady 20 per second for 10 s
});

test('a burst in the middle of a long, quiet history is found', () => {
  assert.ok(isBot([...range(100, (i) => i * 60_000), ...range(25, (i) => 3_000_000 + i * 30)]));
});

test('threshold and window are options', () => {
  assert.ok(isBot(range(6, (i) => i * 100), 5, 1000));
  assert.not.ok(isBot(range(6, (i) => i * 100), 5, 500));
});

test('out-of-order arrival (stream mode) finds the same bots', () => {
  const times = range(21, (i) => 1000 + i * 49);
  const c = new BotCounter(20, 1000);
  for (const t of [times[20], ...times.slice(0, 20).reverse()]) c.add('u', t);
  assert.ok(c.isBot('u'));
  assert.equal(c.bots(), ['u']);
});

test('OrderedBotFinder (batch) finds exactly the bots BotCounter finds, on random bursts', () => {
  let x = 99;
  const rand = (): number => (x = (x * 1103515245 + 12345) % 2147483648) / 2147483648;
  for (let round = 0; round < 30; round++) {
    const threshold = 1 + Math.floor(rand() * 25), windowMs = 100 + Math.floor(rand() * 2000), users = 40;
    const events: [number, number][] = [];
    for (let u = 0; u < users; u++) {
      let t = Math.floor(rand() * 10_000);
      const n = Math.floor(rand() * 60);
      // Steps around windowMs / threshold put users on both sides of the rule.
      for (let i = 0; i < n; i++) events.push([u, (t += Math.floor(rand() * 2.2 * windowMs / threshold))]);
    }
    events.sort((a, b) => a[1] - b[1]);
    const counter = new BotCounter(threshold, windowMs), finder = new OrderedBotFinder(users, threshold, windowMs);
    for (const [u, t] of events) {
      counter.evict(String(u), t);
      counter.add(String(u), t);
      finder.add(u, t);
    }
    const fromFinder = [...finder.isBot].flatMap((b, u) => (b === 1 ? [String(u)] : [])).sort();
    assert.equal(fromFinder, counter.bots(), `round ${round}`);
    if (round === 0) assert.ok(fromFinder.length > 0 && fromFinder.length < users);
  }
});

/** Most events inside one window, by trying every event as the window's first (O(n²)). */
function bruteForcePeak(times: number[], windowMs: number): number {
  let best = 0;
  for (const a of times) best = Math.max(best, times.filter((b) => b >= a && b - a < windowMs).length);
  return best;
}

test('WindowPeaks: the most events inside one window, by hand', () => {
  const peaks = new WindowPeaks(1000);
  // a: 21 events 49 ms apart (980 ms in all), then 3 more 1 s later; b: one event; c: 25 events at one instant.
  const feed: [string, number][] = [...range(21, (i): [string, number] => ['a', 1000 + i * 49]), ['b', 1500],
    ...range(25, (): [string, number] => ['c', 2500]), ...range(3, (i): [string, number] => ['a', 3000 + i])];
  for (const [user, ts] of feed.sort((x, y) => x[1] - y[1])) peaks.add(user, ts);
  assert.is(peaks.peak('a'), 21);
  assert.is(peaks.peak('b'), 1);
  assert.is(peaks.peak('c'), 25);
  assert.is(peaks.peak('nobody'), 0);
  // Exactly 1000 ms apart is outside one window (t_j − t_i < windowMs).
  const edge = new WindowPeaks(1000);
  for (const t of [0, 500, 1000, 1000]) edge.add('u', t);
  assert.is(edge.peak('u'), 3);
});

test('WindowPeaks equals a brute-force count on random bursts', () => {
  let x = 7;
  const rand = (): number => (x = (x * 1103515245 + 12345) % 2147483648) / 2147483648;
  for (let round = 0; round < 30; round++) {
    const windowMs = 100 + Math.floor(rand() * 2000);
    const byUser: number[][] = range(5, () => []);
    const events: [number, number][] = [];
    for (let u = 0; u < byUser.length; u++) {
      let t = Math.floor(rand() * 10_000);
      for (let i = Math.floor(rand() * 80); i > 0; i--) events.push([u, (t += Math.floor(rand() * windowMs / 8))]);
    }
    events.sort((a, b) => a[1] - b[1]);
    const peaks = new WindowPeaks(windowMs);
    for (const [u, t] of events) {
      peaks.add(u, t);
      byUser[u].push(t);
    }
    for (let u = 0; u < byUser.length; u++) assert.is(peaks.peak(u), bruteForcePeak(byUser[u], windowMs), `round ${round}, user ${u}`);
  }
});

test('botsInOrder: the same bots and peaks by the ring and by the map counter, equal to a brute-force count', () => {
  let x = 11;
  const rand = (): number => (x = (x * 1103515245 + 12345) % 2147483648) / 2147483648;
  for (let round = 0; round < 20; round++) {
    const events: [number, number][] = [];
    for (let u = 0; u < 6; u++) {
      let t = Math.floor(rand() * 5_000);
      // Some users burst (steps of ~0-60 ms), others stay slow.
      const step = u % 2 === 0 ? 60 : 400;
      for (let i = Math.floor(rand() * 60); i > 0; i--) events.push([u, (t += Math.floor(rand() * step))]);
    }
    events.sort((a, b) => a[1] - b[1]);
    const run = (ringBytes?: number) =>
      botsInOrder(6, events.length, (k) => events[k][0], (k) => events[k][1], 20, 1000, ringBytes);
    const ring = run(), map = run(0);
    assert.equal([...map.isBot], [...ring.isBot], `round ${round}`);
    assert.equal([...map.peaks], [...ring.peaks], `round ${round}`);
    for (let u = 0; u < 6; u++) {
      const peak = bruteForcePeak(events.filter((e) => e[0] === u).map((e) => e[1]), 1000);
      assert.is(ring.isBot[u], peak > 20 ? 1 : 0, `round ${round}, user ${u}`);
      if (peak > 20) assert.is(ring.peaks.get(u), peak);
    }
  }
});

test.run();
