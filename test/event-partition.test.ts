import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { idHash, quickIdHash } from '../lib/batch/event-partition.js';
import { processEvents } from '../lib/batch/event-workers.js';
import { isAudicinError } from '../lib/core/errors.js';
import { resolveOptions } from '../lib/options.js';

const line = (text: string): Buffer => Buffer.from(text, 'utf8');

test('quickIdHash reads a plain top-level event_id and hashes it as idHash hashes the normalised id', () => {
  assert.is(quickIdHash(line('{"event_id":"e42","user_id":"u1"}')), idHash('e42'));
  assert.is(quickIdHash(line(`{"user_id":"u1", "event_id" : "x-é€-42"}`)), idHash("x-é€-42"));
  assert.is(quickIdHash(line('{"page":"{[\\"x","event_id":"e1"}')), -1); // a backslash anywhere
});

test('quickIdHash declines whatever parsing could read differently', () => {
  for (const text of [
    '{"event_id":" e42 "}', // trimming changes it
    '{"event_id":"e42\u00a0"}', // so does a non-ASCII space
    '{"event_id":42}', // a number: its decimal string is known only after parsing
    '{"event_id":""}',
    '{"meta":{"event_id":"x"},"event_id":"y"}', // the key twice
    '{"meta":{"event_id":"x"}}', // nested only
    '{"event\\u005fid":"y","meta":{"event_id":"x"}}', // an escaped spelling of the key
    '{"note":"event_id","event_id":"e1"}', // the key as a value still counts twice
    '{"event_id":"unterminated',
    '[{"event_id":"e1"}]',
  ]) assert.is(quickIdHash(line(text)), -1, text);
});

test('a string value that only looks like a brace does not change the depth', () => {
  assert.is(quickIdHash(line('{"page":"}{","event_id":"e9"}')), idHash('e9'));
});

test('a partition failing on its worker thread is one error naming the file', async () => {
  for (const workers of [1, 2]) {
    try {
      await processEvents('/nonexistent/events.ndjson', resolveOptions({ workers }));
      assert.unreachable('should fail');
    } catch (err) {
      assert.ok(isAudicinError(err), String(err));
      assert.is(err.code, 'E_SOURCE_UNREADABLE');
      assert.is(err.message, 'audicin: /nonexistent/events.ndjson: no such file or folder');
    }
  }
});

test.run();
