import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { makeCalendar } from '../lib/core/calendar.js';
import { addEvent, addMarketing, addSubscription, finishGold, initGold, mergeGold, packGold, unpackGold } from '../lib/gold/index.js';
import { synthetic } from './gold-fixtures.js';

test('a packed state, cloned as across a thread and unpacked, gives the same gold', () => {
  const data = synthetic(7);
  const cal = makeCalendar('Europe/Helsinki');
  const fill = () => {
    const s = initGold();
    data.events.forEach((e) => addEvent(s, e, cal));
    data.subs.forEach((x) => addSubscription(s, x));
    data.marketing.forEach((m) => addMarketing(s, m));
    return s;
  };
  const expected = finishGold(fill(), data.bots);
  assert.ok(expected.ltv_per_user.length > 50);
  const unpacked = unpackGold(structuredClone(packGold(fill())));
  assert.equal(finishGold(unpacked, data.bots), expected);
  // And it still merges: half the events packed and unpacked, merged with the other half.
  const a = initGold(), b = initGold();
  data.events.forEach((e, i) => addEvent(i % 2 === 0 ? a : b, e, cal));
  data.subs.forEach((x) => addSubscription(b, x));
  data.marketing.forEach((m) => addMarketing(a, m));
  assert.equal(finishGold(mergeGold(unpackGold(structuredClone(packGold(a))), b), data.bots), expected);
});

test.run();
