// Crash trials (issue 8): a child `run` over a 200k-event input is killed with SIGKILL at
// seeded random moments across reading, computing, writing and committing. After each
// kill `--out` must be a complete lakehouse whose report matches its files, and it must be
// exactly the old lakehouse or exactly the new one. The next run then succeeds with the
// bytes of an uninterrupted run, and leaves no staging, lock or temporary folder behind.
//
// Two inputs A and B (B is A plus a few records that change every kind of output file)
// alternate, so each run replaces a lakehouse with a different one: with one input, old and
// new are byte-identical and a mix of old and new files could not be seen at all.
//
// The same trials run out of core (`--memory` small enough to spill into many buckets, and
// buckets on worker threads): a kill in any step leaves the old or the new lakehouse, the next
// run removes the killed run's spill, and SIGINT or SIGTERM remove it at once.
//
// CRASH_SEED picks the kill moments, CRASH_TRIALS how many (default 20), CRASH_SPILL_TRIALS
// how many out of core (default 6: each step once).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, copyFileSync, lstatSync, mkdirSync, readFileSync, readdirSync, realpathSync, statSync,
  writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate } from '../fixtures/generate.js';
import { prng } from './gold-fixtures.js';
import { tempDir } from './helpers.js';

const BIN = fileURLToPath(new URL('../../bin/audicin.js', import.meta.url));
const SEED = Number(process.env.CRASH_SEED ?? 8);
const TRIALS = Number(process.env.CRASH_TRIALS ?? 20);
/** The trace line the pipeline prints just before its commit: kills of the last phase aim there. */
const COMMIT_CUE = /silver events written|commit/;
/** Names that only a run in progress may leave: staging, next generation, locks, temporary files. */
const TRANSIENT = /stag|next|lock|tmp|temp|partial/i;

type Files = Map<string, Buffer>;

/** Every file of a lakehouse by relative path, read once; follows a symlinked root; skips dot-names. */
function load(out: string): Files {
  const got: Files = new Map();
  const walk = (dir: string, rel: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue;
      const full = join(dir, entry.name), r = rel === '' ? entry.name : `${rel}/${entry.name}`;
      if (entry.isDirectory()) walk(full, r);
      else got.set(r, readFileSync(full));
    }
  };
  try {
    walk(realpathSync(out), '');
  } catch (err) {
    // A missing or dangling --out: every file shows as missing.
    got.clear();
    got.set('(--out)', Buffer.from((err as Error).message));
  }
  return got;
}

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

/** Each file as `sha256:bytes`. */
const fingerprint = (files: Files): Map<string, string> =>
  new Map([...files].map(([path, bytes]) => [path, `${sha256(bytes)}:${bytes.length}`]));

/** How `snap` differs from `refs[ref]`, naming the reference a differing file comes from; [] when equal. */
function differences(snap: Map<string, string>, refs: Record<string, Map<string, string>>, ref: string): string[] {
  const want = refs[ref]!;
  const out: string[] = [];
  for (const path of new Set([...want.keys(), ...snap.keys()])) {
    const got = snap.get(path);
    if (got === want.get(path)) continue;
    const like = Object.keys(refs).filter((k) => got !== undefined && refs[k]!.get(path) === got);
    out.push(`${path}: ${got === undefined ? 'missing' : want.has(path) ? `differs${like.length ? ` (is ${like.join('/')}'s)` : ''}` : 'extra'}`);
  }
  return out.sort();
}

const countLines = (bytes: Buffer): number => {
  let n = 0;
  for (let i = bytes.indexOf(10); i !== -1; i = bytes.indexOf(10, i + 1)) n++;
  return n;
};

/** The structural checks: the report parses and every count, hash and size it states holds for its files. */
function structure(files: Files): string[] {
  const problems: string[] = [];
  const expect = (rel: string, want: number): void => {
    const bytes = files.get(rel);
    if (bytes === undefined) problems.push(`${rel}: missing`);
    else if (countLines(bytes) !== want) problems.push(`${rel}: ${countLines(bytes)} lines, report says ${want}`);
  };
  let report: { sources: Record<string, { silver: number; superseded: number; quarantined: Record<string, number> }>;
    gold: Record<string, number> };
  if (!files.has('report.json')) return ['report.json: missing'];
  try {
    report = JSON.parse(files.get('report.json')!.toString('utf8'));
  } catch (err) {
    return [`report.json: ${(err as Error).message}`];
  }
  for (const [source, r] of Object.entries(report.sources)) {
    expect(`silver/${source}.ndjson`, r.silver);
    expect(`superseded/${source}.ndjson`, r.superseded);
    expect(`quarantine/${source}.ndjson`, Object.values(r.quarantined).reduce((a, b) => a + b, 0));
  }
  try {
    const manifest = JSON.parse(files.get('bronze/manifest.json')?.toString('utf8') ?? 'missing') as
      { files: { name: string; bytes: number; sha256: string }[] };
    for (const f of manifest.files) {
      const bytes = files.get(`bronze/${f.name}`);
      if (bytes === undefined) { problems.push(`bronze/${f.name}: missing`); continue; }
      if (bytes.length !== f.bytes) problems.push(`bronze/${f.name}: ${bytes.length} bytes, manifest says ${f.bytes}`);
      const sha = sha256(bytes);
      if (sha !== f.sha256) problems.push(`bronze/${f.name}: sha256 ${sha.slice(0, 12)}…, manifest says ${f.sha256.slice(0, 12)}…`);
    }
  } catch (err) {
    problems.push(`bronze/manifest.json: ${(err as Error).message}`);
  }
  for (const [name, rows] of Object.entries(report.gold)) {
    expect(`gold/${name}.ndjson`, rows);
    expect(`gold/${name}.csv`, rows + 1);
  }
  return problems;
}

/** What only a run in progress may leave, inside `out` or beside it (a hidden sibling may hold one generation). */
function leftovers(out: string, allowed: string[]): string[] {
  const problems: string[] = [];
  const walk = (dir: string, rel: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const r = `${rel}/${entry.name}`;
      if (entry.name.startsWith('.') || TRANSIENT.test(entry.name)) problems.push(`${r} left inside --out`);
      else if (entry.isDirectory()) walk(join(dir, entry.name), r);
    }
  };
  try {
    walk(realpathSync(out), basename(out));
  } catch (err) {
    problems.push(`--out: ${(err as Error).message}`);
  }
  const name = basename(out), parent = dirname(out);
  for (const entry of readdirSync(parent, { withFileTypes: true })) {
    if (entry.name === name || allowed.includes(entry.name)) continue;
    if (!entry.name.startsWith(`.${name}`) || TRANSIENT.test(entry.name) || !entry.isDirectory()) {
      problems.push(`${entry.name} left beside --out`);
      continue;
    }
    // The hidden sibling: its permanent content is the current generation, nothing in progress.
    const inside = readdirSync(join(parent, entry.name), { withFileTypes: true });
    for (const e of inside) if (TRANSIENT.test(e.name)) problems.push(`${entry.name}/${e.name} left beside --out`);
    const generations = inside.filter((e) => e.isDirectory()).length;
    if (generations > 1) problems.push(`${entry.name} holds ${generations} folders, expected at most one generation`);
  }
  return problems;
}

interface Ended { code: number | null; signal: string | null; ms: number; phase: string; stderr: string; traced: string }

interface RunOptions {
  /** Kill this many ms after the start; null: only on the cue, if any. */
  killAt?: number | null;
  /** Kill `jitter` ms after the first stderr text matching this (a trace line). */
  cue?: RegExp | null;
  jitter?: number;
  /** The signal sent. Default SIGKILL. */
  signal?: NodeJS.Signals;
  /** Extra flags, e.g. `--memory 8MB`. */
  args?: string[];
}

/** Runs the CLI; sends `signal` `killAt` ms after the start, or `jitter` ms after the `cue`. */
function run(input: string, out: string, { killAt = null, cue = null, jitter = 0, signal = 'SIGKILL', args = [] }: RunOptions = {}):
  Promise<Ended> {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(process.execPath, [BIN, 'run', '--input', input, '--out', out, '--now', '2026-03-01T00:00:00Z', '--format', 'ndjson', ...args],
      { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, AUDICIN_TRACE: '1' } });
    let stderr = '', phase = 'start', cued = false;
    const kill = (): void => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    };
    const timer = killAt === null ? null : setTimeout(kill, killAt);
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (text: string) => {
      stderr += text;
      const traced = [...stderr.matchAll(/audicin-trace +\d+ ms {2}(.*)/g)];
      if (traced.length > 0) phase = traced[traced.length - 1]![1]!;
      if (cue !== null && !cued && cue.test(text)) {
        cued = true;
        setTimeout(kill, jitter);
      }
    });
    child.on('close', (code, signal) => {
      if (timer !== null) clearTimeout(timer);
      resolve({ code, signal, ms: performance.now() - started, phase, traced: stderr,
        stderr: stderr.split('\n').filter((l) => l !== '' && !l.startsWith('audicin-trace')).join('\n') });
    });
  });
}

/** B: A with a few records more, so every kind of output file of B differs from A's. */
function inputB(a: string, b: string): void {
  mkdirSync(b);
  for (const f of ['events.ndjson', 'subscriptions.json', 'marketing_spend.csv']) copyFileSync(join(a, f), join(b, f));
  appendFileSync(join(b, 'events.ndjson'), [
    '{"event_id":"crash-b1","user_id":"crash-user","event_type":"signup","timestamp":"2026-01-15T11:00:00Z","acquisition_channel":"CrashTest"}',
    '{"event_id":"crash-b2","user_id":"crash-user","event_type":"purchase","timestamp":"2026-01-15T12:00:00Z","amount":1.23}',
    '{"event_id":"crash-b2","user_id":"crash-user","event_type":"purchase","timestamp":"2026-01-15T11:59:00Z","amount":9}',
    'not json',
  ].join('\n') + '\n');
  const subs = readFileSync(join(b, 'subscriptions.json'), 'utf8');
  writeFileSync(join(b, 'subscriptions.json'), subs.replace(/\]\s*$/, ',\n{"subscription_id":"crash-s1","user_id":"crash-user","price":3,"currency":"USD","start_date":"2026-01-15","status":"active","created_at":"2026-01-15T12:00:00Z"},\n{"subscription_id":"crash-s2"}\n]\n'));
  appendFileSync(join(b, 'marketing_spend.csv'), '2026-01-15,CrashTest,12.5\n2026-01-15,crashtest,13\n2026-01-15,,1\n');
}

/** Inputs A and B and the fingerprints of their uninterrupted in-memory runs, shared by the tests. */
const root = tempDir('audicin-crash-');
const inA = join(root, 'in-a'), inB = join(root, 'in-b');
const inputs: Record<string, string> = { A: inA, B: inB };
const refs: Record<string, Map<string, string>> = {};
/** The longest reference run, in ms. */
let duration = 0;

test(`crash trials: ${TRIALS} SIGKILLs across a run leave the old or the new lakehouse, whole`, async () => {
  const out = join(root, 'lake');
  await generate({ dir: inA, events: 200_000, seed: 5 });
  inputB(inA, inB);

  // The references: A into a new --out, then B over it (both uninterrupted).
  for (const name of ['A', 'B']) {
    const r = await run(inputs[name]!, out);
    assert.is(r.code, 0, `reference run ${name}: ${r.stderr}`);
    const files = load(out);
    assert.equal(structure(files), [], `reference run ${name} is consistent`);
    refs[name] = fingerprint(files);
    duration = Math.max(duration, r.ms);
  }
  assert.ok([...refs.A!.keys()].filter((p) => refs.A!.get(p) !== refs.B!.get(p)).length >= 20,
    'A and B differ in most files, so a mix of the two shows');

  const r = prng(SEED);
  const trials: Trial[] = [];
  for (let i = 0; i < TRIALS; i++) {
    // Four phases by share of one run's time; the last aims at the commit itself.
    const phase = ['reading', 'computing', 'writing', 'committing'][i % 4]!;
    const [lo, hi] = [[0.02, 0.3], [0.3, 0.75], [0.75, 0.97], [1, 1]][i % 4]!;
    // The commit lasts milliseconds: that phase waits for the pipeline's trace line just before it,
    // with a time-based kill only as a fallback should the line change.
    const killAt = Math.round(duration * (phase === 'committing' ? 2 : lo + (hi - lo) * r()));
    const jitter = Math.floor(r() * 4);
    trials.push({ what: `${phase}, ${phase === 'committing' ? `kill ${jitter} ms after the commit cue` : `kill at ${killAt} ms`}`,
      run: { killAt, cue: phase === 'committing' ? COMMIT_CUE : null, jitter } });
  }
  const { problems, outcomes } = await killTrials(out, trials, 'B', ['in-a', 'in-b']);
  // After every kill, one more run succeeds, gives the reference bytes and leaves nothing behind.
  problems.push(...await lastRun(out, ['in-a', 'in-b']));
  if (process.env.CRASH_VERBOSE) console.log(outcomes.join('\n'));
  assert.ok(lstatSync(out).isSymbolicLink() || statSync(out).isDirectory(), '--out is a folder or a link to one');
  assert.equal(problems, [], `seed ${SEED}:\n${problems.join('\n')}\n`);
});

/** One killed run of killTrials: what it aims at, and how. */
interface Trial { what: string; run: RunOptions }

/**
 * Runs each trial over `out`, alternating inputs A and B from `start`: after each kill `--out`
 * must be whole and exactly the old lakehouse or the new one; after a run that finished,
 * nothing of a run in progress may be left (`allowed`: other names beside `out`).
 */
async function killTrials(out: string, trials: Trial[], start: string | null, allowed: string[]):
  Promise<{ problems: string[]; outcomes: string[] }> {
  const problems: string[] = [];
  const outcomes: string[] = [];
  let current: string | null = start;
  let previous: Map<string, string> | null = null;
  for (const [i, trial] of trials.entries()) {
    const next: string = current === 'A' ? 'B' : 'A';
    const ended = await run(inputs[next]!, out, trial.run);
    const label = `trial ${i} (${trial.what}, ${next} over ${current ?? 'unknown'}, ` +
      `${ended.signal ?? `exit ${ended.code}`} after '${ended.phase}')`;
    outcomes.push(label);
    if (ended.signal === null && ended.code !== 0) problems.push(`${label}: ${ended.stderr}`);
    const files = load(out);
    const bad = structure(files);
    const snap = fingerprint(files);
    const may: string[] = ended.code === 0 ? [next] : current === null ? ['A', 'B'] : [current, next];
    const match: string | undefined = may.find((ref) => differences(snap, refs, ref).length === 0);
    const unchanged = previous !== null && differences(snap, { previous }, 'previous').length === 0;
    if ((bad.length > 0 || match === undefined) && !(current === null && unchanged && ended.code !== 0)) {
      const found = [...bad, ...differences(snap, refs, may[0]!).map((d) => `vs ${may[0]}: ${d}`)];
      problems.push(`${label}: ${found.slice(0, 8).join('; ')}${found.length > 8 ? `; … ${found.length - 8} more` : ''}`);
    }
    if (ended.code === 0) problems.push(...leftovers(out, allowed).map((p) => `${label}: ${p}`));
    // A broken lakehouse that a killed run left as it was is not reported again.
    current = match ?? null;
    previous = snap;
  }
  return { problems, outcomes };
}

/** One uninterrupted run of A over `out` (`args`: extra flags): it must give A's reference bytes and leave nothing behind. */
async function lastRun(out: string, allowed: string[], args: string[] = []): Promise<string[]> {
  const problems: string[] = [];
  const last = await run(inA, out, { args });
  if (last.code !== 0) problems.push(`the run after the kills: exit ${last.code} ${last.signal ?? ''}: ${last.stderr}`);
  const files = load(out);
  problems.push(...structure(files).map((p) => `after the kills: ${p}`));
  problems.push(...differences(fingerprint(files), refs, 'A').map((d) => `after the kills, vs A: ${d}`));
  problems.push(...leftovers(out, allowed));
  return problems;
}

// Out of core: `--memory 8MB` puts the 200k events (29 MB) in 64 event and 64 user buckets run
// one at a time in the main thread; `--memory 300MB --workers 2` in 2 and 2 run on two
// worker threads. Kills aim at each step through its trace line, a random time after it.
const SPILL_TRIALS = Number(process.env.CRASH_SPILL_TRIALS ?? 6);
const SMALL = ['--memory', '8MB'];
const THREADS = ['--memory', '300MB', '--workers', '2'];
/** The steps of an out-of-core run, by the trace line that starts each, and how long after it a kill may come (ms). */
const SPILL_STEPS: { step: string; cue: RegExp | null; within: number }[] = [
  { step: 'shuffling', cue: /events spill: \d+ event buckets/, within: 1500 },
  { step: 'event buckets', cue: /shuffled by event_id/, within: 2500 },
  { step: 'user buckets', cue: /event buckets deduplicated/, within: 2500 },
  // The landed copy's hash and the side sources wait for the buckets when these run in the main thread.
  { step: 'hashing, side sources, merging rejects', cue: /user buckets ordered/, within: 1500 },
  { step: 'merging silver runs', cue: /quarantine and superseded merged/, within: 1500 },
  { step: 'committing', cue: /report\.html drawn/, within: 4 },
];

test(`crash trials out of core: ${SPILL_TRIALS} SIGKILLs while spilling leave the old or the new lakehouse, and no spill`, async () => {
  assert.ok(refs.A !== undefined, 'the references of the first test');
  const out = join(root, 'spill', 'lake');
  mkdirSync(dirname(out));
  // Spilled, a run gives the in-memory bytes.
  for (const [name, args] of [['A', THREADS], ['B', SMALL]] as const) {
    const r = await run(inputs[name]!, out, { args: [...args] });
    assert.is(r.code, 0, `reference run ${name} ${args.join(' ')}: ${r.stderr}`);
    assert.match(r.phase, /commit/);
    assert.equal(differences(fingerprint(load(out)), refs, name), [], `${args.join(' ')}: the in-memory bytes of ${name}`);
  }
  const r = prng(SEED + 1);
  const trials: Trial[] = Array.from({ length: SPILL_TRIALS }, (_, i) => {
    const { step, cue, within } = SPILL_STEPS[i % SPILL_STEPS.length]!;
    const args = i % 3 === 2 ? THREADS : SMALL;
    const jitter = Math.floor(r() * within);
    return { what: `${args.join(' ')}, ${step}, kill ${jitter} ms after '${cue!.source}'`, run: { cue, jitter, args: [...args] } };
  });
  const { problems, outcomes } = await killTrials(out, trials, 'B', []);
  problems.push(...await lastRun(out, [], SMALL));
  if (process.env.CRASH_VERBOSE) console.log(outcomes.join('\n'));
  assert.ok(outcomes.every((o) => o.includes('SIGKILL')), `every run was killed:\n${outcomes.join('\n')}`);
  assert.equal(problems, [], `seed ${SEED}:\n${problems.join('\n')}\n`);
});

test('SIGINT and SIGTERM while spilling: exit 130 or 143, the old lakehouse as it was, no spill, staging or lock', async () => {
  assert.ok(refs.A !== undefined, 'the references of the first test');
  const out = join(root, 'signals', 'lake');
  mkdirSync(dirname(out));
  const first = await run(inA, out, { args: SMALL });
  assert.is(first.code, 0, first.stderr);
  const problems: string[] = [];
  for (const [signal, args, cue] of [
    ['SIGINT', SMALL, /events spill: \d+ event buckets/], ['SIGTERM', SMALL, /event buckets deduplicated/],
    ['SIGINT', THREADS, /shuffled by event_id/], ['SIGTERM', THREADS, /event buckets deduplicated/],
  ] as const) {
    const ended = await run(inB, out, { signal, cue, jitter: 200, args: [...args] });
    const label = `${signal} ${200} ms after '${cue.source}' with ${args.join(' ')} (after '${ended.phase}')`;
    const code = signal === 'SIGINT' ? 130 : 143;
    if (ended.code !== code) problems.push(`${label}: exit ${ended.code} ${ended.signal ?? ''}, expected ${code}: ${ended.stderr}`);
    if (!ended.stderr.includes(`interrupted by ${signal}`)) problems.push(`${label}: stderr '${ended.stderr}'`);
    problems.push(...differences(fingerprint(load(out)), refs, 'A').map((d) => `${label}: vs A: ${d}`));
    problems.push(...leftovers(out, []).map((p) => `${label}: ${p}`));
  }
  assert.equal(problems, []);
});

test('a signal during inline buckets is handled within a bucket, not after the whole step', async () => {
  const out = join(root, 'inline-signal', 'lake');
  mkdirSync(dirname(out));
  // 64 event buckets run one after another on the main thread; the signal arrives as the first starts.
  const ended = await run(inB, out, { signal: 'SIGTERM', cue: /shuffled by event_id/, args: [...SMALL] });
  assert.is(ended.code, 143, ended.stderr);
  assert.match(ended.stderr, 'interrupted by SIGTERM');
  // The run stopped inside the event buckets (the hash and the side sources may finish meanwhile).
  assert.match(ended.traced, /shuffled by event_id/);
  assert.not.match(ended.traced, /event buckets deduplicated/, `the last step traced: ${ended.phase}`);
  assert.equal(leftovers(out, []).filter((p) => !p.startsWith('--out')), []);
});

test.run();
