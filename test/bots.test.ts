import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { BotCounter, OrderedBotFinder } from '../lib/bots.js';

/** Feeds times in order, evicting as the batch run does, and says whether the user is a bot. */
function isBot(times: number[], threshold = 20, windowMs = 1000): boolean {
  const c = new BotCounter(threshold, windowMs);
  for (const t of [...times].sort((a, b) => a - b)) {
    c.evict('u', t);
    c.add('u', t);
  }
  return c.isBot('u');
}

const range = (n: number, f: (i: number) => number): number[] => Array.from({ length: n }, (_, i) => f(i));

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

test.run();
