// implausible_timestamp (SPEC 2): events before 2000 or more than one day after the run's
// clock (`now`, pinned here so these tests never depend on the day they run) are quarantined,
// in batch and in stream, where such an event must never move the watermark.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isAudicinError } from '../lib/core/errors.js';
import { DEFAULT_FX } from '../lib/core/fx.js';
import { resolveOptions } from '../lib/options.js';
import { runPipeline } from '../lib/pipeline.js';
import { resolveStreamOptions } from '../lib/stream/options.js';
import { createStreamEngine } from '../lib/stream/engine.js';
import type { QuarantineRow, SilverEvent } from '../lib/core/types.js';
import { validateEvent } from '../lib/core/validate-event.js';
import { ndjson, readNdjson, tempDir, writeInput } from './helpers.js';

const BIN = fileURLToPath(new URL('../../bin/audicin.js', import.meta.url));
const NOW = Date.parse('2026-03-01T12:00:00Z');
const DAY = 86_400_000;
const iso = (ms: number): string => new Date(ms).toISOString();

const event = (timestamp: unknown, now = NOW) =>
  validateEvent({ event_id: 'e1', user_id: 'u1', event_type: 'login', timestamp }, 'events.ndjson', 3, DEFAULT_FX, now);
const reasonOf = (r: object): string | undefined => (r as { reason?: string }).reason;

test('boundaries: 2000-01-01T00:00:00Z and exactly now + 1 day are plausible; 1 ms outside is not', () => {
  assert.is(reasonOf(event('2000-01-01T00:00:00Z')), undefined);
  assert.is(reasonOf(event('1999-12-31T23:59:59.999Z')), 'implausible_timestamp');
  assert.is(reasonOf(event(iso(NOW + DAY))), undefined, 'exactly one day ahead is allowed');
  assert.is(reasonOf(event(iso(NOW + DAY + 1))), 'implausible_timestamp');
  assert.is(reasonOf(event('9999-12-31')), 'invalid_timestamp', 'a date alone is no timestamp: invalid comes first');
  assert.is(reasonOf(event(946_684_799)), 'implausible_timestamp', 'epoch seconds of 1999-12-31T23:59:59Z');
  assert.is(reasonOf(event(0)), 'implausible_timestamp', 'epoch 0');
  // The detail names the instant but never the run's clock: quarantine files hold no wall-clock time.
  const far = event('2126-01-01T00:00:00Z') as { reason: string; detail: string };
  assert.equal(far, { reason: 'implausible_timestamp', detail: 'timestamp 2126-01-01T00:00:00.000Z is more than one day in the future' });
  assert.equal(event('1970-01-02T00:00:00Z'), { reason: 'implausible_timestamp', detail: 'timestamp 1970-01-02T00:00:00.000Z is before 2000-01-01' });
});

test('implausible_timestamp comes right after invalid_timestamp in the validation order', () => {
  const bad = validateEvent({ event_id: 'e', user_id: 'u', event_type: 'purchase', timestamp: '2126-01-01T00:00:00Z', amount: 'ten' },
    'f', 1, DEFAULT_FX, NOW);
  assert.is(reasonOf(bad), 'implausible_timestamp', 'before invalid_amount');
  const noUser = validateEvent({ event_id: 'e', event_type: 'login', timestamp: '2126-01-01T00:00:00Z' }, 'f', 1, DEFAULT_FX, NOW);
  assert.is(reasonOf(noUser), 'missing_user_id', 'after missing_user_id');
});

test('now: resolved once at the boundary, from any SPEC 1.2 form; default is the wall clock', () => {
  assert.is(resolveOptions({ now: '2026-03-01T12:00:00Z' }).now, NOW);
  assert.is(resolveOptions({ now: '2026-03-01T14:00:00+0200' }).now, NOW);
  assert.is(resolveOptions({ now: '2026-03-01 12:00:00' }).now, NOW);
  assert.is(resolveOptions({ now: NOW / 1000 }).now, NOW, 'epoch seconds');
  assert.is(resolveOptions({ now: NOW }).now, NOW, 'epoch ms');
  assert.is(resolveOptions({ now: String(NOW / 1000) }).now, NOW, 'epoch seconds as command-line text');
  assert.is(resolveStreamOptions({ now: '2026-03-01T12:00:00Z' }).now, NOW);
  const before = Date.now();
  const wall = resolveOptions({}).now;
  assert.ok(wall >= before && wall <= Date.now(), 'the wall clock when options are resolved');
  for (const bad of ['tomorrow', '2026-02-30T00:00:00Z', '', 'NaN']) {
    try {
      resolveOptions({ now: bad });
      assert.unreachable(bad);
    } catch (err) {
      assert.ok(isAudicinError(err), bad);
      assert.is((err as { code: string }).code, 'E_BAD_OPTION');
      assert.is((err as Error).message, `audicin: now: expected a timestamp like 2026-11-30T12:00:00Z or epoch seconds or ms, got '${bad}'`);
    }
  }
});

const EVENTS = [
  { event_id: 'a', user_id: 'u1', event_type: 'login', timestamp: '2026-02-01T10:00:00Z' },
  { event_id: 'future', user_id: 'u1', event_type: 'login', timestamp: '2126-01-01T00:00:00Z' },
  { event_id: 'old', user_id: 'u1', event_type: 'login', timestamp: '1999-06-01T00:00:00Z' },
  { event_id: 'nines', user_id: 'u2', event_type: 'login', timestamp: '9999-12-31T23:59:59Z' },
  { event_id: 'tomorrow', user_id: 'u2', event_type: 'login', timestamp: iso(NOW + DAY) },
  { event_id: 'b', user_id: 'u2', event_type: 'login', timestamp: '2026-02-01T11:00:00Z' },
];

test('a batch run quarantines implausible events, on 1 and 2 threads; gold never sees them', async () => {
  const input = writeInput({ events: ndjson(EVENTS) });
  for (const workers of [1, 2]) {
    const out = join(tempDir(), 'lake');
    const { report, gold } = await runPipeline({ input, out, now: NOW, workers });
    assert.equal(report.sources.events.quarantined, { implausible_timestamp: 3 });
    assert.equal(readNdjson(join(out, 'quarantine/events.ndjson')).map((r) => [r.pos, r.reason]),
      [[2, 'implausible_timestamp'], [3, 'implausible_timestamp'], [4, 'implausible_timestamp']]);
    assert.equal(gold.daily_active_users, [{ date: '2026-02-01', dau: 2 }, { date: '2026-03-02', dau: 1 }]);
    assert.not.ok(JSON.stringify(report).includes('2026-03-01'), 'the clock is not written to report.json');
  }
});

test('run --now pins the clock; an unreadable --now is one line, exit 1', () => {
  const input = writeInput({ events: ndjson(EVENTS) });
  const out = join(tempDir(), 'lake');
  // One day before the clock of the test: "tomorrow" (NOW + 1 day) is then two days ahead.
  const r = spawnSync(process.execPath, [BIN, 'run', '--input', input, '--out', out, '--now', iso(NOW - DAY)], { encoding: 'utf8' });
  assert.is(r.status, 0, r.stderr);
  assert.equal(readNdjson(join(out, 'quarantine/events.ndjson')).map((x) => JSON.parse(x.raw as string).event_id),
    ['future', 'old', 'nines', 'tomorrow']);
  const bad = spawnSync(process.execPath, [BIN, 'run', '--input', input, '--out', out, '--now', 'soon'], { encoding: 'utf8' });
  assert.is(bad.status, 1);
  assert.is(bad.stderr, "audicin: now: expected a timestamp like 2026-11-30T12:00:00Z or epoch seconds or ms, got 'soon'\n");
});

test('stream --now and gold --now quarantine the same events', () => {
  const text = ndjson(EVENTS);
  // A window wide enough that "b" is not late after "tomorrow".
  const s = spawnSync(process.execPath, [BIN, 'stream', '--now', '2026-03-01T12:00:00Z', '--window', '40d'], { input: text, encoding: 'utf8' });
  assert.is(s.status, 0, s.stderr);
  assert.equal(s.stdout.trim().split('\n').map((l) => JSON.parse(l).event_id), ['a', 'b', 'tomorrow']);
  assert.equal(s.stderr.trim().split('\n').map((l) => [JSON.parse(l).pos, JSON.parse(l).reason]),
    [[2, 'implausible_timestamp'], [3, 'implausible_timestamp'], [4, 'implausible_timestamp']]);
  const g = spawnSync(process.execPath, [BIN, 'gold', '--now', '2026-03-01T12:00:00Z', '--window', '40d'], { input: text, encoding: 'utf8' });
  assert.is(g.status, 0, g.stderr);
  assert.equal(g.stdout.trim().split('\n').map((l) => JSON.parse(l)).filter((r) => r.table === 'daily_active_users'),
    [{ table: 'daily_active_users', date: '2026-02-01', dau: 2 }, { table: 'daily_active_users', date: '2026-03-02', dau: 1 }]);
});

test('stream: an event dated 2126 never moves the watermark, so the events after it are not late', () => {
  const rows: SilverEvent[] = [];
  const rejects: QuarantineRow[] = [];
  const engine = createStreamEngine({ now: NOW }, { event: (e) => rows.push(e), reject: (r) => rejects.push(r) });
  const lines = [
    { event_id: 'x0', user_id: 'u1', event_type: 'login', timestamp: '2026-02-01T10:00:00Z' },
    { event_id: 'far', user_id: 'u1', event_type: 'login', timestamp: '2126-02-01T10:00:00Z' },
    ...Array.from({ length: 5 }, (_, i) => ({ event_id: `x${i + 1}`, user_id: 'u1', event_type: 'login',
      timestamp: iso(Date.parse('2026-02-01T10:00:00Z') + (i + 1) * 60_000) })),
  ];
  engine.push(ndjson(lines));
  assert.is(engine.info.watermark, Date.parse('2026-02-01T10:05:00Z'));
  engine.end();
  assert.equal(rejects.map((r) => [r.pos, r.reason]), [[2, 'implausible_timestamp']]);
  assert.equal(rows.map((e) => e.event_id), ['x0', 'x1', 'x2', 'x3', 'x4', 'x5']);
  assert.is(engine.info.quarantined.late_event, undefined);
});

test('stream without now: the clock is the wall clock as each chunk arrives, so a long feed stays plausible', () => {
  assert.is(resolveStreamOptions({}).now, null);
  const real = Date.now;
  let wall = Date.parse('2026-02-01T00:00:00Z');
  Date.now = () => wall;
  try {
    const rejects: QuarantineRow[] = [];
    const engine = createStreamEngine({}, { event: () => undefined, reject: (r) => rejects.push(r) });
    const line = (id: string) => ndjson([{ event_id: id, user_id: 'u1', event_type: 'login', timestamp: '2026-02-03T00:00:00Z' }]);
    engine.push(line('early')); // two days ahead of the wall clock
    wall = Date.parse('2026-02-04T00:00:00Z'); // three days into the feed
    engine.push(line('later'));
    engine.end();
    assert.equal(rejects.map((r) => [r.pos, r.reason]), [[1, 'implausible_timestamp']]);
    assert.is(engine.info.silver, 1);
  } finally {
    Date.now = real;
  }
});

test.run();
