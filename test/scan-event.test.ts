// The byte scanner against the reference path (parseJsonLine, validateEvent, eventLine): where
// the scanner answers, its silver line, is_bot offset and dedup fields must be the
// reference's, to the byte; where it declines, the intake takes the reference path itself.
// Fuzzed lines (field order, white space, escapes, unicode, numbers in every form,
// truncations, duplicate keys) and every line of the fixtures.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { generate } from '../fixtures/generate.js';
import { makeCalendar, type Calendar } from '../lib/core/calendar.js';
import { DEFAULT_FX } from '../lib/core/fx.js';
import { latin1Of, parseJsonLine } from '../lib/io/readers.js';
import { EventScanner, validUtf8, type ByteSink } from '../lib/core/scan-event.js';
import { eventLine, VERSIONS_AFTER_BOT } from '../lib/core/silver.js';
import { EVENT_ID_FIELDS, validateEvent } from '../lib/core/validate-event.js';
import { silverTransform } from '../lib/stream/transform.js';
import type { SilverEvent } from '../lib/core/types.js';
import { tempDir } from './helpers.js';

const NOW = Date.UTC(2026, 1, 1);
const FX = { ...DEFAULT_FX, GBP: 1.27 };

interface Checker {
  /** Checks one line; returns whether the scanner answered. */
  check(line: Buffer, pos: number): boolean;
}

/** Lines the reference finds valid, and lines the scanner read, over every check. */
const stats = { valid: 0, scanned: 0 };

function checker(zone: string, ascii = true): Checker {
  const cal: Calendar = makeCalendar(zone);
  const scanner = new EventScanner({ source: 'events.ndjson', fx: FX, now: NOW, cal, ...(ascii ? { ascii: latin1Of } : {}) });
  const sink: ByteSink = { bytes: new Uint8Array(1 << 16), length: 7 };
  return {
    check(line, pos) {
      if (sink.bytes.length < sink.length + scanner.room(line.length)) sink.bytes = new Uint8Array(sink.length + scanner.room(line.length));
      const got = scanner.scan(line, pos, sink);
      const parsed = parseJsonLine(line, EVENT_ID_FIELDS);
      const want = parsed.error === null ? validateEvent(parsed.value, 'events.ndjson', pos, FX, NOW) : null;
      if (want !== null && !('reason' in want)) stats.valid++;
      if (got === null) return false;
      const text = line.toString('utf8');
      if (want === null || 'reason' in want) {
        assert.unreachable(`scanned a line the reference rejects (${want?.reason ?? 'invalid_json'}): ${text}`);
        return false;
      }
      stats.scanned++;
      const written = Buffer.from(sink.bytes.subarray(got.start, got.end)).toString('utf8');
      assert.is(written, eventLine(want, cal), text);
      assert.is(got.start, sink.length, 'written at the sink\'s end');
      const at = got.start + got.botAt;
      assert.is(Buffer.from(sink.bytes.subarray(at, at + 5)).toString(), 'false', text);
      assert.is(Buffer.from(sink.bytes.subarray(at + VERSIONS_AFTER_BOT, at + VERSIONS_AFTER_BOT + 1)).toString(), '1', text);
      assert.equal([got.event_id, got.user_id, got.event_type, got.ts, got.pos, got.usd_micros, got.acquisition_channel],
        [want.event_id, want.user_id, want.event_type, want.ts, want.pos, want.usd_micros, want.acquisition_channel], text);
      // The whole event, as the stream holds it; JSON shows what a deep compare would let pass (-0, key order).
      const whole = scanner.event();
      assert.equal(whole, want, text);
      assert.is(JSON.stringify(whole), JSON.stringify(want), text);
      return true;
    },
  };
}

// --- the fuzzer: raw events written token by token -------------------------------------

/** A JSON string token: plain, or with an escape JSON.parse must decode. */
const strTok = (s: fc.Arbitrary<string>): fc.Arbitrary<string> => fc.tuple(s, fc.nat(39)).map(([v, k]) => {
  if (k === 0 && v.length > 0) return `"\\u${v.charCodeAt(0).toString(16).padStart(4, '0')}${JSON.stringify(v).slice(2)}`;
  if (k === 1) return JSON.stringify(v).replace(/"$/, '\\/"');
  return JSON.stringify(v);
});
const NUMBERS = ['0', '-0', '1', '2', '7', '12', '-3', '1.5', '9.99', '-4.99', '0.50', '1e3', '1E2', '2.5e-3', '1e400', '-1e400',
  '1000000000', '1000000001', '9007199254740993', '12345678901234567890', '0.1', '123456789012345.6', '1.0000000000000002',
  '1700000000', '1700000000000', '1767225600123', '99999999999', '100000000000', '01', '1.', '.5', '-', '+1', '1e', 'NaN'];
const numTok = fc.oneof(fc.constantFrom(...NUMBERS), fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
  fc.integer().map(String), fc.nat(1e6).map((n) => (n / 100).toFixed(2)));
const TIMES = ['2026-01-17T14:57:08Z', '2026-01-17T14:57:08.123Z', '2026-01-17T14:57:08.123456Z', '2026-01-17T14:57:08.1Z',
  '2026-01-11T23:51:00+0200', '2026-01-02T14:40:00-05:00', '2026-01-06 23:49:57', '2026-01-06T23:49:57', ' 2026-01-06T23:49:57Z ',
  '2026-02-30T10:00:00Z', '2026-01-10T25:00:00Z', '2026-13-01T00:00:00Z', '2024-02-29T00:00:00Z', '2026-01-06T23:49:57+2400',
  '2026-01-06T23:49:57+05:60', '2026-01-06T23:49:57.Z', '2026-01-06T23:49:57z', 'yesterday', '', '1999-12-31T23:59:59Z',
  '2126-01-01T00:00:00Z', '9999-12-31T23:59:59Z', '2026-02-02T00:00:00Z', '2026-02-01T23:59:59Z', '0999-01-01T00:00:00Z',
  '2026-01-06T23:49:57+02', '2026-01-06\u00a023:49:57', '2026-01-06T23:49:57Z\u00a0', '２026-01-06T23:49:57Z'];
// Numeric instants over a few weeks: the zone's offsets are cached by quarter hour, and luxon is slow to ask.
const timeTok = fc.oneof(strTok(fc.constantFrom(...TIMES)), fc.constantFrom('946684799', '946684800000', '4102444800', '-1'),
  fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2026, 1, 3) }).chain((ms) => fc.constantFrom(String(ms), String(Math.floor(ms / 1000)), String(ms / 1000))));
const texts = fc.oneof(
  fc.constantFrom('e1', 'e2', 'u1', 'u2', ' e1 ', '  ', '', 'a"b', 'tab\there', 'é', ' é', 'ü ', '😀', '\u00a0x', 'x\u2028',
    'page_view', 'PURCHASE', ' Refund ', 'signup', 'SignUp', 'login', 'İstanbul', 'Google', ' google ', 'usd', 'eur ', 'NGN',
    'gbp', 'JPY', '9.99', ' -4.99 ', 'ten', '1,99', '2', '1e3', '__proto__', '/home'),
  fc.string({ maxLength: 6 }), fc.string({ unit: 'grapheme', maxLength: 4 }));
const valueTok = fc.oneof(
  { weight: 6, arbitrary: strTok(texts) },
  { weight: 3, arbitrary: numTok },
  { weight: 1, arbitrary: fc.constantFrom('true', 'false', 'null', '{}', '[]', '{"a":[1,{"b":null}]}', '[1,"x"]', 'nul', 'tru') },
);
const NAMES = ['event_id', 'user_id', 'event_type', 'timestamp', 'schema_version', 'amount', 'currency', 'tax',
  'refers_to_event_id', 'page', 'acquisition_channel'];
const extraKey = fc.constantFrom('device', 'app_version', '__proto__', '0', '12', '01', 'é', '', 'a b', 'Event_ID', 'amount ', 'x');

/** A mostly valid event's fields as tokens: the right fields with good values, then some broken, added or dropped. */
const fieldsArb = fc.record({
  id: fc.oneof(strTok(fc.constantFrom('e1', 'e2', ' e3 ', 'e4')), fc.constantFrom('17', '9007199254740993', '1e3', '-0', '1.50')),
  user: strTok(fc.constantFrom('u1', 'u2', ' u3')),
  type: strTok(fc.constantFrom('page_view', 'login', 'signup', 'purchase', 'refund', 'purchase', 'refund', 'PURCHASE', ' Refund ', 'share', 'Playlist_Created')),
  time: timeTok,
  version: fc.option(fc.constantFrom('1', '2', '"2"', '" 2 "', '2.0', 'null', 'true', '"x"', '1e999'), { nil: undefined }),
  amount: fc.option(fc.oneof(numTok, strTok(fc.constantFrom('9.99', ' -4.99 ', 'ten', '', '1e9', '1e10'))), { nil: undefined }),
  currency: fc.option(fc.oneof(strTok(fc.constantFrom('USD', 'eur', ' ngn ', 'GBP', 'JPY', '')), fc.constantFrom('null', '1')), { nil: undefined }),
  tax: fc.option(fc.oneof(numTok, fc.constantFrom('null', '"0.50"', '"abc"')), { nil: undefined }),
  refers: fc.option(fc.oneof(strTok(fc.constantFrom('e1', ' e2 ', '', ' é ')), fc.constantFrom('42', 'null', '1e400')), { nil: undefined }),
  page: fc.option(strTok(fc.constantFrom('/home', '/p/é', 'x😀y', '')), { nil: undefined }),
  channel: fc.option(fc.oneof(strTok(fc.constantFrom('Google', ' TikTok ', 'é', '')), fc.constantFrom('null', '3')), { nil: undefined }),
  extras: fc.array(fc.tuple(extraKey, valueTok), { maxLength: 2 }),
  breaks: fc.oneof({ weight: 3, arbitrary: fc.constant([]) },
    { weight: 1, arbitrary: fc.array(fc.tuple(fc.constantFrom(...NAMES), valueTok, fc.constantFrom('replace', 'drop', 'repeat')), { maxLength: 2 }) }),
}).map((r) => {
  let fields: [string, string][] = [['event_id', r.id], ['user_id', r.user], ['event_type', r.type], ['timestamp', r.time]];
  const opt: [string, string | undefined][] = [['schema_version', r.version], ['amount', r.amount], ['currency', r.currency],
    ['tax', r.tax], ['refers_to_event_id', r.refers], ['page', r.page], ['acquisition_channel', r.channel]];
  for (const [k, v] of opt) if (v !== undefined) fields.push([k, v]);
  fields.push(...r.extras);
  for (const [k, v, how] of r.breaks) {
    if (how === 'replace') fields = fields.map(([fk, fv]) => [fk, fk === k ? v : fv]);
    else if (how === 'drop') fields = fields.filter(([fk]) => fk !== k);
    else fields.push([k, v]);
  }
  return fields;
});

const WS = [' ', '  ', '\t', '\r', '\n ', ' \t'];
/**
 * Ten lines of one event's fields, as a writer might put them: compact, spaced, in other
 * orders, a key escaped, a field repeated, truncated. `seed` drives the choices.
 */
function renderings(fields: [string, string][], seed: number): string[] {
  let x = seed >>> 0 || 1;
  const rnd = (n: number): number => ((x = Math.imul(x ^ (x >>> 15), 0x2c1b3c6d) + 0x6d2b79f5 >>> 0) % n);
  const write = (fs: [string, string][], space: boolean, escapeKey = -1): string => {
    const sp = (): string => (space && rnd(3) === 0 ? WS[rnd(WS.length)] : '');
    const key = (k: string, i: number): string => (i === escapeKey && k.length > 0 ? `"\\u00${k.charCodeAt(0).toString(16)}${k.slice(1)}"` : JSON.stringify(k));
    return `${sp()}{${sp()}${fs.map(([k, v], i) => `${key(k, i)}${sp()}:${sp()}${v}${sp()}`).join(`,${sp()}`)}}${sp()}`;
  };
  const shuffled = (): [string, string][] => {
    const fs = [...fields];
    for (let i = fs.length - 1; i > 0; i--) { const j = rnd(i + 1); [fs[i], fs[j]] = [fs[j], fs[i]]; }
    return fs;
  };
  const compact = write(fields, false);
  return [compact, write(shuffled(), false), write(shuffled(), false), write(fields, true), write(shuffled(), true),
    write(fields, false, rnd(fields.length)), write([...fields, fields[rnd(fields.length)]], false),
    compact.slice(0, rnd(compact.length)), compact + (rnd(2) === 0 ? ',' : '}'), write(shuffled(), rnd(2) === 0)];
}

/** Lines not shaped like events at all. */
const oddLineArb = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.json(), fc.constantFrom('{}', '[]', 'null', '{"event_id":"e1"',
  '{"event_id":"e1",}', "{'event_id': 'e1'}", '\ufeff{"event_id":"e1"}'));
/** Raw bytes, for bad UTF-8 inside and outside strings. */
const bytesArb = fc.tuple(fieldsArb.map((f) => renderings(f, 1)[0]), fc.nat(300), fc.constantFrom(0x80, 0xc3, 0xe2, 0xed, 0xf0, 0xf5, 0xff, 0x00, 0x1f))
  .map(([text, at, byte]) => {
    const b = Buffer.from(text, 'utf8');
    if (b.length > 0) b[at % b.length] = byte;
    return b;
  });

/** Ten lines: renderings of one event, or odd lines and bad bytes. */
const batchArb = fc.oneof(
  { weight: 8, arbitrary: fc.tuple(fieldsArb, fc.nat()).map(([f, seed]) => renderings(f, seed).map((t) => Buffer.from(t, 'utf8'))) },
  { weight: 1, arbitrary: fc.array(oddLineArb.map((t) => Buffer.from(t, 'utf8')), { minLength: 10, maxLength: 10 }) },
  { weight: 1, arbitrary: fc.array(bytesArb, { minLength: 10, maxLength: 10 }) },
);

test('the scanner equals the reference on 100k fuzzed lines, and answers for most valid ones', () => {
  const checks = [checker('UTC'), checker('Europe/Helsinki', false)];
  let lines = 0, scanned = 0;
  fc.assert(fc.property(batchArb, fc.nat(1), (batch, which) => {
    for (const line of batch) {
      lines++;
      try {
        if (checks[which].check(line, lines)) scanned++;
      } catch (err) {
        // The batch shrinks poorly; name the one line.
        throw new Error(`${(err as Error).message}\n  line: ${JSON.stringify(line.toString('latin1'))}`);
      }
    }
  }), { numRuns: 10_000, seed: 10, endOnFailure: true });
  assert.ok(lines >= 100_000, `${lines} lines`);
  // Not vacuous: thousands of valid lines the scanner read itself (the rest of the valid ones
  // carry an escape, a duplicate, an index-like key or non-ASCII at a trimmed edge).
  assert.ok(scanned > 3000 && scanned > stats.valid * 0.2, `scanned ${scanned} of ${lines}, ${stats.valid} valid`);
});

test('the scanner equals the reference on every line of the fixtures, and reads nearly every valid one', async () => {
  const dir = tempDir();
  await generate({ dir: join(dir, 'shuffled'), events: 10_000, seed: 3 });
  await generate({ dir: join(dir, 'ordered'), events: 10_000, seed: 4, ordered: true });
  const sample = new URL('../../fixtures/sample/events.ndjson', import.meta.url).pathname;
  const runs: [string, string][] = [[sample, 'UTC'], [sample, 'Europe/Helsinki'], [join(dir, 'shuffled/events.ndjson'), 'UTC'],
    [join(dir, 'ordered/events.ndjson'), 'Asia/Kolkata']];
  for (const [file, zone] of runs) {
    const c = checker(zone);
    stats.valid = stats.scanned = 0;
    readFileSync(file, 'utf8').split('\n').forEach((text, i) => { c.check(Buffer.from(text.replace(/\r$/, ''), 'utf8'), i + 1); });
    assert.ok(stats.valid > 0 && stats.scanned >= stats.valid * 0.99, `${file}: scanned ${stats.scanned} of ${stats.valid} valid lines`);
  }
});

test('the stream writes the lines the scanner wrote as eventLine writes its objects, is_bot and versions patched', async () => {
  const dir = tempDir();
  await generate({ dir, events: 5_000, seed: 6, ordered: true });
  const input = readFileSync(join(dir, 'events.ndjson'));
  const run = async (output: 'ndjson' | 'objects'): Promise<unknown[]> => {
    const t = silverTransform({ output, now: NOW, botThreshold: 3, rejects: () => {} });
    const got: unknown[] = [];
    t.on('data', (d: unknown) => got.push(d));
    // Small chunks: lines span them.
    for (let i = 0; i < input.length; i += 4096) t.write(input.subarray(i, i + 4096));
    t.end();
    await new Promise((done) => t.on('end', done));
    return output === 'objects' ? got.map((e) => eventLine(e as SilverEvent, makeCalendar('UTC'))) : got;
  };
  const objects = (await run('objects')).join('');
  assert.ok(/"is_bot":true/.test(objects) && /"versions":[2-9]/.test(objects), 'bots and duplicates are in the input');
  assert.is(Buffer.concat((await run('ndjson')) as Buffer[]).toString('utf8'), objects);
});

test('validUtf8 agrees with the decoder on every short byte sequence shape', () => {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  fc.assert(fc.property(fc.uint8Array({ maxLength: 8 }), (b) => {
    let ok = true;
    try { decoder.decode(b); } catch { ok = false; }
    // The decoder lets a BOM through; so does validUtf8. It rejects what isUtf8 rejects.
    assert.is(validUtf8(b, 0, b.length), ok, Buffer.from(b).toString('hex'));
  }), { numRuns: 20_000, seed: 11 });
});

test.run();
