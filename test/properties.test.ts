// Properties over generated record soups (issue 8), with fast-check: conservation of every
// lineage key, independence from input order (but for the arrival order of ties), from
// chunking, from the worker count, exact merging of partial gold states, and batch equal to
// the stream engine with an unbounded window.
// PROPS_SEED fixes the seed (fast-check prints seed and path on failure), PROPS_SCALE
// multiplies the number of runs.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import {
  JsonArraySplitter, LineSplitter, addEvent, addMarketing, addSubscription, createStreamEngine, finishGold, initGold,
  finishPartial, makeCalendar, mergeGold, mergePartials, packGold, reduceGold, runPipeline, unpackGold, type GoldState,
  type LineSink,
} from '../lib/index.js';
import { mergeLtvRuns, writeLtvRun } from '../lib/batch/ltv-runs.js';
import { sortedReasons } from '../lib/core/report.js';
import { eventLine } from '../lib/core/silver.js';
import type { SilverEvent, SilverMarketing, SilverSubscription } from '../lib/core/types.js';
import { ev, prng, spend, sub } from './gold-fixtures.js';
import { readNdjson, snapshot, tempDir, writeInput } from './helpers.js';
import { soup, soupFiles, soupPositions, tieShuffle, type Soup } from './soup.js';

const SEED = Number(process.env.PROPS_SEED ?? 20261130);
const SCALE = Number(process.env.PROPS_SCALE ?? 1);
const params = (numRuns: number): fc.Parameters<unknown> => ({ seed: SEED, numRuns: Math.max(1, Math.round(numRuns * SCALE)) });

const SOURCES = [
  { name: 'events', file: 'events.ndjson' },
  { name: 'subscriptions', file: 'subscriptions.json' },
  { name: 'marketing_spend', file: 'marketing_spend.csv' },
] as const;

type Row = Record<string, unknown>;
interface Lake { dir: string; report: { sources: Record<string, { records: number; blank_lines: number; silver: number;
  superseded: number; quarantined: Record<string, number> }> } }

/** Runs the batch pipeline over a soup into a new folder. */
async function lakehouse(s: Soup, workers = 1): Promise<Lake> {
  const input = writeInput(soupFiles(s));
  const dir = join(tempDir('audicin-prop-'), 'lake');
  await runPipeline({ input, out: dir, workers, now: '2026-03-01T00:00:00Z', format: 'ndjson' });
  rmSync(input, { recursive: true, force: true });
  return { dir, report: JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) };
}

const rows = (lake: Lake, kind: string, source: string): Row[] => readNdjson(join(lake.dir, `${kind}/${source}.ndjson`));
const drop = (lake: Lake): void => rmSync(join(lake.dir, '..'), { recursive: true, force: true });

test('conservation: records = silver + superseded + quarantined, and every lineage key is in exactly one of them', async () => {
  await fc.assert(fc.asyncProperty(soup, async (s) => {
    const lake = await lakehouse(s);
    const positions = soupPositions(s);
    const expected = { events: positions.events, subscriptions: positions.subscriptions, marketing_spend: positions.marketing };
    const blanks = { events: s.events, subscriptions: [], marketing_spend: s.marketing };
    for (const { name, file } of SOURCES) {
      const r = lake.report.sources[name]!;
      const silver = rows(lake, 'silver', name), superseded = rows(lake, 'superseded', name), quarantine = rows(lake, 'quarantine', name);
      const quarantined = Object.values(r.quarantined).reduce((a, b) => a + b, 0);
      assert.is(r.records, r.silver + r.superseded + quarantined, `${name}: the report's invariant`);
      assert.equal([silver.length, superseded.length, quarantine.length], [r.silver, r.superseded, quarantined], `${name}: files hold what the report counts`);
      assert.is(r.records, expected[name].length, `${name}: one record per non-blank line or element`);
      assert.is(r.blank_lines, blanks[name].filter((l) => l.blank).length, `${name}: blank lines`);
      const keys = [...silver, ...superseded, ...quarantine].map((row) => `${row.source as string}:${row.pos as number}`).sort();
      assert.equal(keys, expected[name].map((pos) => `${file}:${pos}`).sort(), `${name}: each lineage key exactly once`);
    }
    drop(lake);
  }), params(15));
});

/** Rows of a lakehouse with each lineage position mapped through `back`, sorted as written or by pos. */
function mapped(lake: Lake, back: Record<string, (pos: number) => number>): Record<string, Row[]> {
  const out: Record<string, Row[]> = {};
  for (const { name } of SOURCES) {
    const map = (row: Row): Row => ({ ...row, pos: back[name]!(row.pos as number),
      ...('winner_pos' in row ? { winner_pos: back[name]!(row.winner_pos as number) } : {}) });
    const byPos = (a: Row, b: Row): number => (a.pos as number) - (b.pos as number);
    out[`silver/${name}`] = rows(lake, 'silver', name).map(map);
    out[`superseded/${name}`] = rows(lake, 'superseded', name).map(map).sort(byPos);
    out[`quarantine/${name}`] = rows(lake, 'quarantine', name).map(map).sort(byPos);
  }
  return out;
}

const goldAndReport = (dir: string): Record<string, string> =>
  Object.fromEntries(Object.entries(snapshot(dir)).filter(([path]) => path.startsWith('gold/') || path === 'report.json'));

test('order: shuffling lines, ties kept in their arrival order, changes no row but its pos, and no gold byte', async () => {
  await fc.assert(fc.asyncProperty(soup, fc.integer(), async (s, seed) => {
    const random = prng(seed);
    const order = { events: tieShuffle(s.events, random), subscriptions: tieShuffle(s.subscriptions, random),
      marketing: tieShuffle(s.marketing, random) };
    const shuffled: Soup = { ...s, events: order.events.map((i) => s.events[i]!),
      subscriptions: order.subscriptions.map((i) => s.subscriptions[i]!), marketing: order.marketing.map((i) => s.marketing[i]!) };
    const a = await lakehouse(s), b = await lakehouse(shuffled);
    const identity = { events: (p: number) => p, subscriptions: (p: number) => p, marketing_spend: (p: number) => p };
    const back = {
      events: (p: number) => order.events[p - 1]! + 1,
      subscriptions: (p: number) => order.subscriptions[p - 1]! + 1,
      marketing_spend: (p: number) => order.marketing[p - 2]! + 2, // the header is line 1
    };
    assert.equal(mapped(b, back), mapped(a, identity));
    assert.equal(goldAndReport(b.dir), goldAndReport(a.dir));
    drop(a);
    drop(b);
  }), params(10));
});

/** What a splitter hands on, as comparable text. */
function recorder(): { sink: LineSink; calls: string[] } {
  const calls: string[] = [];
  return { calls, sink: {
    line: (bytes, pos) => calls.push(`line ${pos} ${bytes.toString('hex')}`),
    blank: (pos) => calls.push(`blank ${pos}`),
    tooLong: (head, pos, bytes) => calls.push(`long ${pos} ${bytes} ${head.toString('hex')}`),
  } };
}

/** `bytes` cut at `cuts` (any offsets; repeated and out-of-range ones give empty or no chunks). */
function chunked(bytes: Buffer, cuts: number[]): Buffer[] {
  const at = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let prev = 0;
  for (const c of [...at, bytes.length]) { out.push(bytes.subarray(prev, c)); prev = c; }
  return out;
}

/** Bytes that hit the splitters' edges: line ends, CR, brackets, quotes, escapes, a BOM, multi-byte UTF-8. */
const edgyBytes = fc.array(fc.constantFrom(...[0x0a, 0x0d, 0x20, 0x09, 0x5b, 0x5d, 0x7b, 0x7d, 0x2c, 0x22, 0x5c, 0x61, 0x31,
  0xc3, 0xa9, 0xef, 0xbb, 0xbf, 0xf0, 0x9f, 0x98, 0x80]), { maxLength: 300 }).map((b) => Buffer.from(b));

const splitterInput = fc.oneof(
  soup.map((s) => Buffer.from(soupFiles(s).events)),
  soup.map((s) => Buffer.from(soupFiles(s).subscriptions)),
  soup.map((s) => Buffer.from(soupFiles(s).marketing)),
  edgyBytes,
  edgyBytes.map((b) => Buffer.concat([Buffer.from('[\n'), b, Buffer.from(']')])),
);

test('chunking: LineSplitter and JsonArraySplitter hand on the same records however the bytes are cut', () => {
  fc.assert(fc.property(splitterInput, fc.array(fc.nat(), { maxLength: 40 }), fc.constantFrom(8, 40, 300, 1 << 20),
    (bytes, cuts, maxBytes) => {
      for (const Splitter of [LineSplitter, JsonArraySplitter]) {
        const whole = recorder(), parts = recorder();
        const a = new Splitter(whole.sink, maxBytes), b = new Splitter(parts.sink, maxBytes);
        a.push(bytes);
        a.end();
        for (const chunk of chunked(bytes, cuts)) b.push(chunk);
        b.end();
        assert.equal(parts.calls, whole.calls, Splitter.name);
      }
    }), params(300));
  // One byte at a time, once, on a soup with every kind of line.
  const bytes = Buffer.from(soupFiles(fc.sample(soup, { seed: SEED, numRuns: 1 })[0]!).events);
  const whole = recorder(), parts = recorder();
  const a = new LineSplitter(whole.sink, 1 << 20), b = new LineSplitter(parts.sink, 1 << 20);
  a.push(bytes);
  a.end();
  for (let i = 0; i < bytes.length; i++) b.push(bytes.subarray(i, i + 1));
  b.end();
  assert.equal(parts.calls, whole.calls);
});

test('chunking: the stream engine emits the same rows, rejects and counters however its input is cut', () => {
  fc.assert(fc.property(soup, fc.array(fc.nat(), { maxLength: 40 }), fc.constantFrom(60_000, 3_600_000, 86_400_000 * 30),
    (s, cuts, windowMs) => {
      const bytes = Buffer.from(soupFiles(s).events);
      const runs = [[bytes], chunked(bytes, cuts)].map((chunks) => {
        const out: unknown[] = [];
        const engine = createStreamEngine({ source: 'events.ndjson', windowMs },
          { event: (e) => out.push({ event: { ...e } }), reject: (r) => out.push({ reject: r }) });
        for (const chunk of chunks) engine.push(chunk);
        engine.end();
        return { out, info: engine.info, bots: engine.bots() };
      });
      assert.equal(runs[1], runs[0]);
    }), params(100));
});

test('batch is stream with an infinite window: the same silver bytes, quarantine rows, counters and bots', async () => {
  await fc.assert(fc.asyncProperty(soup, fc.array(fc.nat(), { maxLength: 20 }), async (s, cuts) => {
    const lake = await lakehouse(s);
    const bytes = Buffer.from(soupFiles(s).events);
    const silver: string[] = [];
    const rejects: Row[] = [];
    const engine = createStreamEngine({ source: 'events.ndjson', windowMs: Number.MAX_SAFE_INTEGER, now: '2026-03-01T00:00:00Z' },
      { event: (e) => silver.push(eventLine(e, engine.calendar)), reject: (r) => rejects.push({ ...r }) });
    for (const chunk of chunked(bytes, cuts)) engine.push(chunk);
    engine.end();
    assert.is(silver.join(''), readFileSync(join(lake.dir, 'silver/events.ndjson'), 'utf8'), 'silver bytes');
    assert.equal(rejects, rows(lake, 'quarantine', 'events'), 'quarantine rows, in pos order');
    const { records, blank_lines, silver: n, superseded, quarantined } = engine.info;
    const want = lake.report.sources.events!;
    assert.equal({ records, blank_lines, silver: n, superseded, quarantined: sortedReasons(engine.info).quarantined },
      { records: want.records, blank_lines: want.blank_lines, silver: want.silver, superseded: want.superseded, quarantined: want.quarantined });
    assert.equal(engine.bots(), JSON.parse(readFileSync(join(lake.dir, 'report.json'), 'utf8')).bots);
    drop(lake);
  }), params(15));
});

test('workers: 1 and 2 threads write byte-identical lakehouses', async () => {
  await fc.assert(fc.asyncProperty(soup, async (s) => {
    const one = await lakehouse(s, 1), two = await lakehouse(s, 2);
    assert.equal(snapshot(two.dir), snapshot(one.dir));
    drop(one);
    drop(two);
  }), params(3));
});

// Silver rows for the merge property, built like the gold tests build them.
const DAY = 86_400_000, T0 = Date.parse('2025-12-25T00:00:00Z');
const silverEvent = fc.record({
  user: fc.nat(6), type: fc.constantFrom('signup', 'login', 'page_view', 'purchase', 'refund', 'share'),
  at: fc.integer({ min: 0, max: 60 * DAY }), micros: fc.oneof(fc.integer({ min: 0, max: 50_000_000 }), fc.constantFrom(5_000, 4_999, 0)),
  channel: fc.constantFrom(null, 'Google', ' google ', 'TikTok', 'Organic', ''), part: fc.nat(3),
});
const isoDate = (d: number): string => new Date(T0 + d * DAY).toISOString().slice(0, 10);
const silverSub = fc.record({ user: fc.nat(6), usd: fc.constantFrom(9.99, 4.99, 0, 12.345, 7.005), start: fc.nat(90),
  length: fc.option(fc.nat(120)), part: fc.nat(3) });
const silverSpend = fc.record({ day: fc.nat(40), channel: fc.constantFrom('google', 'tiktok', 'podcast', 'organic'),
  usd: fc.integer({ min: 0, max: 6000 }).map((c) => c / 100), part: fc.nat(3) });

test('merge: gold states of any split, merged in any order (some packed and unpacked), equal the whole', () => {
  fc.assert(fc.property(
    fc.array(silverEvent, { maxLength: 120 }), fc.array(silverSub, { maxLength: 12 }), fc.array(silverSpend, { maxLength: 20 }),
    fc.subarray([0, 1, 2, 3, 4, 5, 6]), fc.constantFrom('UTC', 'Europe/Helsinki', 'America/New_York', 'Pacific/Chatham'),
    fc.shuffledSubarray([0, 1, 2, 3], { minLength: 4 }), fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
    (es, ss, ms, botUsers, zone, order, pack) => {
      const events: [SilverEvent, number][] = es.map((e, i) => [ev(`e${i}`, `u${e.user}`, e.type, T0 + e.at, {
        micros: e.type === 'purchase' || e.type === 'refund' ? e.micros : undefined,
        channel: e.type === 'signup' ? e.channel : null }), e.part]);
      const subs: [SilverSubscription, number][] = ss.map((x, i) => [sub(`s${i}`, `u${x.user}`, x.usd, isoDate(x.start),
        x.length === null ? null : isoDate(x.start + x.length)), x.part]);
      const spends: [SilverMarketing, number][] = ms.map((m) => [spend(isoDate(m.day), m.channel, m.usd), m.part]);
      const cal = makeCalendar(zone);
      const fill = (part: number | null): GoldState => {
        const state = initGold();
        for (const [e, p] of events) if (part === null || p === part) addEvent(state, e, cal);
        for (const [x, p] of subs) if (part === null || p === part) addSubscription(state, x);
        for (const [m, p] of spends) if (part === null || p === part) addMarketing(state, m);
        return state;
      };
      const bots = new Set(botUsers.map((u) => `u${u}`));
      const states = order.map((part) => (pack[part] ? unpackGold(structuredClone(packGold(fill(part)))) : fill(part)));
      const merged = states.reduce((acc, state) => mergeGold(acc, state));
      assert.equal(finishGold(merged, bots), finishGold(fill(null), bots));
    }), params(60));
});

// Ids whose JS order (UTF-16 code units) differs from their UTF-8 byte order: ltv_per_user sorts as Arquero did.
const USERS = ['u0', 'U1', 'é2', '\u{1F600}3', '\uFF5E4', 'u5', ' u6'];
const bigSilverEvent = fc.record({ user: fc.nat(USERS.length - 1), type: fc.constantFrom('signup', 'login', 'purchase', 'refund'),
  at: fc.integer({ min: 0, max: 60 * DAY }), micros: fc.oneof(fc.integer({ min: 0, max: 50_000_000 }), fc.constant(2 ** 52 + 1)),
  channel: fc.constantFrom(null, 'Google', ' google ', 'TikTok', '') });

test('partials: the partial of all users equals the merge of the partials of any split of the users, also through files', () => {
  const dir = tempDir('audicin-partials-');
  let round = 0;
  fc.assert(fc.property(
    fc.array(bigSilverEvent, { maxLength: 100 }), fc.array(silverSub, { maxLength: 10 }), fc.array(silverSpend, { maxLength: 12 }),
    fc.subarray([0, 1, 2, 3, 4, 5, 6]), fc.array(fc.nat(3), { minLength: USERS.length, maxLength: USERS.length }),
    fc.constantFrom('UTC', 'Europe/Helsinki', 'Pacific/Chatham'), fc.shuffledSubarray([0, 1, 2, 3], { minLength: 4 }),
    fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
    (es, ss, ms, botUsers, userPart, zone, order, clone) => {
      const cal = makeCalendar(zone);
      const events = es.map((e, i) => ev(`e${i}`, USERS[e.user]!, e.type, T0 + e.at, {
        micros: e.type === 'purchase' || e.type === 'refund' ? e.micros : undefined, channel: e.type === 'signup' ? e.channel : null }));
      const subs: [SilverSubscription, number][] = ss.map((x, i) => [sub(`s${i % 4}`, USERS[x.user]!, x.usd, isoDate(x.start),
        x.length === null ? null : isoDate(x.start + x.length)), x.part]);
      const spends: [SilverMarketing, number][] = ms.map((m) => [spend(isoDate(m.day), m.channel, m.usd), m.part]);
      const partOf = new Map(USERS.map((u, i) => [u, userPart[i]!]));
      // A user's events all go to one part; subscriptions (versions of four ids) and spend anywhere.
      const fill = (part: number | null): GoldState => {
        const state = initGold();
        for (const e of events) if (part === null || partOf.get(e.user_id) === part) addEvent(state, e, cal);
        for (const [x, p] of subs) if (part === null || p === part) addSubscription(state, x);
        for (const [m, p] of spends) if (part === null || p === part) addMarketing(state, m);
        return state;
      };
      const bots = new Set(botUsers.map((u) => USERS[u]!));
      const whole = reduceGold(fill(null), bots);
      // Each part knows only its own bots, as a user bucket does.
      const partBots = (part: number): Set<string> => new Set([...bots].filter((b) => partOf.get(b) === part));
      const parts = order.map((part) => {
        const p = reduceGold(fill(part), partBots(part));
        return clone[part] ? deserialize(serialize(p)) as typeof p : p;
      });
      const runs = order.map((part) => {
        const path = join(dir, `ltv-${round++}.bin`);
        writeLtvRun(path, reduceGold(fill(part), partBots(part)).ltv);
        return path;
      });
      assert.equal([...mergeLtvRuns(runs)], whole.ltv, 'ltv runs merged from files');
      const merged = parts.reduce((acc, p) => mergePartials(acc, p));
      assert.equal(merged, whole);
      assert.equal(finishPartial(merged, bots), finishPartial(whole, bots));
    }), params(60));
  rmSync(dir, { recursive: true, force: true });
});

test('the soups hold what they are meant to: ties, every reason, bots, blanks', async () => {
  // A guard on the generator itself: over a sample, the lakehouses show each kind of record.
  const seen = new Set<string>();
  for (const s of fc.sample(soup, { seed: SEED, numRuns: 12 })) {
    const lake = await lakehouse(s);
    for (const { name } of SOURCES) {
      const r = lake.report.sources[name]!;
      Object.keys(r.quarantined).forEach((reason) => seen.add(`${name}:${reason}`));
      if (r.superseded > 0) seen.add(`${name}:superseded`);
      if (r.blank_lines > 0) seen.add(`${name}:blank`);
    }
    if (readdirSync(lake.dir).length > 0 && (JSON.parse(readFileSync(join(lake.dir, 'report.json'), 'utf8')).bots as string[]).length > 0) seen.add('bots');
    if (s.events.some((l, i) => l.tie !== null && s.events.findIndex((m) => m.tie === l.tie) !== i)) seen.add('events:tie');
    drop(lake);
  }
  for (const want of ['events:invalid_json', 'events:not_an_object', 'events:missing_event_id', 'events:missing_user_id',
    'events:missing_event_type', 'events:invalid_timestamp', 'events:invalid_amount', 'events:missing_amount',
    'events:negative_amount', 'events:unknown_currency', 'events:invalid_tax', 'events:superseded', 'events:blank', 'events:tie',
    'subscriptions:invalid_price', 'subscriptions:superseded', 'marketing_spend:superseded', 'marketing_spend:malformed_row',
    'bots']) {
    assert.ok(seen.has(want), `soups include ${want}`);
  }
});

test.run();
