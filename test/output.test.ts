// The output layer under a failing file system: a full disk, an I/O error or a kill at any
// step of the commit leaves `--out` the complete old lakehouse or the complete new one, and
// the next run repairs and writes the same bytes. Also the lock, and the one-time migration
// of a real `--out` folder.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, readlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, join } from 'node:path';
import { isAudicinError } from '../lib/core/errors.js';
import { lakehouseHome } from '../lib/io/output.js';
import { Stopped, faultyFs, type FaultPlan, type FsCall } from '../lib/io/output-fs.js';
import { runPipeline } from '../lib/pipeline.js';
import { ndjson, snapshot, tempDir, writeInput } from './helpers.js';

const event = (id: string, user: string, day: string, extra: object = {}) =>
  ({ event_id: id, user_id: user, event_type: 'purchase', timestamp: `2026-01-${day}T10:00:00Z`, amount: 3, ...extra });

// Two inputs whose lakehouses differ in every layer, so old and new are told apart.
const inputA = writeInput({
  events: ndjson([event('a1', 'u1', '05'), event('a2', 'u2', '06'), 'junk', event('a1', 'u1', '05', { amount: 4 })]),
  subscriptions: '[{"subscription_id":"s1","user_id":"u1","plan":"monthly","price":9.99,"currency":"USD","start_date":"2026-01-05","end_date":null,"status":"active","created_at":"2026-01-05T10:00:00Z"}]',
  marketing: 'date,channel,spend\n2026-01-05,Google,100\n',
});
const inputB = writeInput({
  events: ndjson(Array.from({ length: 40 }, (_, i) => event(`b${i}`, `u${i % 7}`, String(10 + (i % 9))))),
  marketing: 'date,channel,spend\n2026-01-06,TikTok,7\n2026-01-07,Google,1\n',
});

async function lakehouseOf(input: string): Promise<Record<string, string>> {
  const out = join(tempDir(), 'lake');
  await runPipeline({ input, out });
  return snapshot(out);
}
const A = await lakehouseOf(inputA);
const B = await lakehouseOf(inputB);

/** A fresh `--out` holding the lakehouse of input A. */
async function outWithA(): Promise<string> {
  const out = join(tempDir(), 'lake');
  await runPipeline({ input: inputA, out });
  assert.equal(snapshot(out), A);
  return out;
}

/** What the hidden folder holds besides the current generation. */
const leftovers = (out: string): string[] =>
  readdirSync(lakehouseHome(out)).filter((name) => name !== readlinkSync(out).split('/')[1]);

async function failing(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  return assert.unreachable('should fail');
}

test('--out is a relative link to a generation in a hidden sibling folder; nothing else is left', async () => {
  const out = await outWithA();
  assert.ok(lstatSync(out).isSymbolicLink());
  assert.is(readlinkSync(out), `.lake.audicin/gen-000001`);
  assert.is(lakehouseHome(out), join(out, '..', '.lake.audicin'));
  const { repaired } = await runPipeline({ input: inputB, out });
  assert.is(repaired, null);
  assert.is(readlinkSync(out), `.lake.audicin/gen-000002`);
  assert.equal(readdirSync(lakehouseHome(out)), ['gen-000002']);
  assert.equal(snapshot(out), B);
});

test('full disk, 1 worker: short writes are completed; ENOSPC at the k-th write is one line, old lakehouse kept', async () => {
  const out = await outWithA();
  // Every write takes at most 7 bytes: the files must still be whole.
  const short = faultyFs({ shortWrites: 7 });
  await runPipeline({ input: inputB, out, workers: 1 }, { fs: short });
  assert.equal(snapshot(out), B);
  const writes = short.calls.get('writeSync')!;
  assert.ok(writes > 100, `${writes} writes`);
  await runPipeline({ input: inputA, out });
  for (const at of [1, 30, Math.floor(writes / 2), writes - 1, writes]) {
    const err = await failing(runPipeline({ input: inputB, out, workers: 1 },
      { fs: faultyFs({ shortWrites: 7, fail: { call: 'writeSync', at, code: 'ENOSPC' } }) }));
    assert.ok(isAudicinError(err), String(err));
    assert.is(err.code, 'E_OUTPUT');
    // The first writes are of the lock file (7 bytes at a time); then the files of the lakehouse.
    const file = at === 1 ? `${lakehouseHome(out)}/lock`
      : `${out}/([a-z_]+(/[a-z_]+)?\\.(ndjson|csv|json|html|parquet)|silver/events/event_date=\\d{4}-\\d\\d-\\d\\d/part-0\\.parquet)`;
    assert.match(err.message, new RegExp(`^audicin: ${file}: no space left on device$`), `write ${at}: ${err.message}`);
    assert.equal(snapshot(out), A, `write ${at}`);
    assert.equal(leftovers(out), []);
  }
  const eio = await failing(runPipeline({ input: inputB, out }, { fs: faultyFs({ fail: { call: 'closeSync', at: 3, code: 'EIO' } }) }));
  assert.match((eio as Error).message, /^audicin: .*: input\/output error$/);
  const copy = await failing(runPipeline({ input: inputB, out }, { fs: faultyFs({ fail: { call: 'copyFile', at: 1, code: 'ENOSPC' } }) }));
  assert.is((copy as Error).message, `audicin: ${out}/bronze/events.ndjson: no space left on device`);
  assert.equal(snapshot(out), A);
});

test('full disk while a Parquet file is written: one line naming it, old lakehouse kept', async () => {
  const out = await outWithA();
  const seen = faultyFs({});
  await runPipeline({ input: inputB, out, workers: 1 }, { fs: seen });
  await runPipeline({ input: inputA, out });
  // The first write to each Parquet file: the log names the file of every write.
  const targets = new Map<string, number>();
  let writes = 0;
  for (const entry of seen.log) {
    const [call, path] = entry.split(' ') as [string, string];
    if (call !== 'writeSync') continue;
    writes++;
    if (path.endsWith('.parquet') && !targets.has(path)) targets.set(path, writes);
  }
  // Paths from the lakehouse root: after the staging folder's name.
  const rel = (p: string): string => p.slice(p.indexOf('/', p.indexOf('/stage-') + 1) + 1);
  const parquetFiles = [...targets.keys()].map(rel);
  assert.ok(parquetFiles.includes('gold/daily_active_users.parquet') && parquetFiles.includes('silver/subscriptions.parquet')
    && parquetFiles.some((f) => f.startsWith('silver/events/event_date=')), parquetFiles.join());
  for (const [path, at] of [...targets].filter((_, i) => i % 4 === 0)) {
    const err = await failing(runPipeline({ input: inputB, out, workers: 1 },
      { fs: faultyFs({ fail: { call: 'writeSync', at, code: 'ENOSPC' } }) }));
    assert.ok(isAudicinError(err), String(err));
    assert.is(err.message, `audicin: ${out}/${rel(path)}: no space left on device`);
    assert.equal(snapshot(out), A, path);
    assert.equal(leftovers(out), []);
  }
});

test('full disk, 2 workers: the silver writer thread completes short writes and reports ENOSPC; the run fails', async () => {
  for (const format of ['ndjson', 'parquet'] as const) {
    const out = await outWithA();
    const b = join(tempDir(), 'lake');
    await runPipeline({ input: inputB, out: b, format });
    await runPipeline({ input: inputB, out, workers: 2, format }, { threadFaults: { shortWrites: 5 } });
    assert.equal(snapshot(out), snapshot(b));
    await runPipeline({ input: inputA, out });
    const err = await failing(runPipeline({ input: inputB, out, workers: 2, format },
      { threadFaults: { shortWrites: 5, fail: { call: 'writeSync', at: 40, code: 'ENOSPC' } } }));
    assert.ok(isAudicinError(err), String(err));
    assert.is(err.code, 'E_OUTPUT');
    // Parquet: 5 bytes a write, so the 40th write is inside the first day's file.
    const file = format === 'ndjson' ? 'silver/events.ndjson' : 'silver/events/event_date=2026-01-10/part-0.parquet';
    assert.is(err.message, `audicin: ${out}/${file}: no space left on device`);
    assert.equal(snapshot(out), A);
    assert.equal(leftovers(out), []);
  }
});

test('a failure or a kill at every step of the commit: --out is old or new, the next run repairs it', async () => {
  // The calls a commit makes, found by recording one.
  const out0 = await outWithA();
  const recorder = faultyFs({});
  await runPipeline({ input: inputB, out: out0 }, { fs: recorder });
  const log = recorder.log;
  const first = log.findIndex((line) => line.startsWith('renameSync '));
  const steps = log.slice(first).map((line) => line.split(' ')[0] as FsCall);
  // rename staging → generation, link next, rename next → out, remove old generation, unlink lock.
  assert.equal(steps, ['renameSync', 'symlinkSync', 'renameSync', 'rmSync', 'unlinkSync']);
  const counts = new Map<FsCall, number>();
  const nth = log.map((line) => {
    const call = line.split(' ')[0] as FsCall;
    counts.set(call, (counts.get(call) ?? 0) + 1);
    return counts.get(call)!;
  }).slice(first);
  let checked = 0;
  for (const [i, call] of steps.entries()) {
    for (const mode of ['fail', 'stop'] as const) {
      const out = await outWithA();
      const plan: FaultPlan = mode === 'fail' ? { fail: { call, at: nth[i], code: 'EIO' } } : { stop: { call, at: nth[i] } };
      let err: unknown = null;
      try {
        await runPipeline({ input: inputB, out }, { fs: faultyFs(plan) });
      } catch (e) {
        err = e;
      }
      const what = `${mode} at ${call} #${nth[i]}`;
      if (mode === 'stop') assert.ok(err instanceof Stopped, `${what}: ${String(err)}`);
      else if (err !== null) assert.ok(isAudicinError(err) && err.code === 'E_OUTPUT', `${what}: ${String(err)}`);
      const now = snapshot(out);
      assert.ok(JSON.stringify(now) === JSON.stringify(A) || JSON.stringify(now) === JSON.stringify(B), `${what}: a mix`);
      // Before the switch, the old lakehouse; from the switch on, the new one.
      assert.equal(now, i < 2 || (i === 2 && err !== null) ? A : B, what);
      const next = await runPipeline({ input: inputB, out });
      assert.equal(snapshot(out), B, what);
      assert.equal(leftovers(out), [], what);
      if (mode === 'stop' && i < 4) assert.match(next.repaired ?? '', /^audicin: repaired .*: /, what);
      checked++;
    }
  }
  assert.is(checked, 10);
});

test('a kill while the first lakehouse is switched in, with --out missing, is finished by the next run', async () => {
  const out = join(tempDir(), 'lake');
  const err = await failing(runPipeline({ input: inputB, out }, { fs: faultyFs({ stop: { call: 'renameSync', at: 2 } }) }));
  assert.ok(err instanceof Stopped);
  assert.not.ok(existsSync(out));
  const { repaired } = await runPipeline({ input: inputA, out });
  assert.match(repaired ?? '', /finished an interrupted switch/);
  assert.equal(snapshot(out), A);
  assert.equal(leftovers(out), []);
});

test('a lock held by a live process: E_LOCKED naming its pid, host and start; nothing touched', async () => {
  const out = await outWithA();
  const lock = join(lakehouseHome(out), 'lock');
  const text = JSON.stringify({ pid: process.ppid, host: hostname(), since: '2026-11-30T05:00:00.000Z' }) + '\n';
  writeFileSync(lock, text);
  const err = await failing(runPipeline({ input: inputB, out }));
  assert.ok(isAudicinError(err));
  assert.is(err.code, 'E_LOCKED');
  assert.is(err.message, `audicin: ${out} is locked by pid ${process.ppid} on ${hostname()} since 2026-11-30T05:00:00.000Z`);
  assert.equal(snapshot(out), A);
  assert.is(readFileSync(lock, 'utf8'), text);
  // Another host's lock is never judged stale from here.
  writeFileSync(lock, JSON.stringify({ pid: 1, host: 'elsewhere', since: 'x' }));
  assert.match(String(await failing(runPipeline({ input: inputB, out }))), /is locked by pid 1 on elsewhere since x$/);
});

test('two runs at once into one --out: the second fails at once, the first completes', async () => {
  const out = await outWithA();
  const first = runPipeline({ input: inputB, out });
  const err = await failing(runPipeline({ input: inputA, out }));
  assert.ok(isAudicinError(err));
  assert.is(err.code, 'E_LOCKED');
  assert.match(err.message, `is locked by pid ${process.pid} on ${hostname()}`);
  await first;
  assert.equal(snapshot(out), B);
  assert.equal(leftovers(out), []);
});

test('a stale lock (its process is gone) and its staging folder are taken over and removed', async () => {
  const out = await outWithA();
  const gone = spawnSync(process.execPath, ['-e', '']).pid!;
  const home = lakehouseHome(out);
  writeFileSync(join(home, 'lock'), JSON.stringify({ pid: gone, host: hostname(), since: 'then' }) + '\n');
  mkdirSync(join(home, `stage-${gone}/silver`), { recursive: true });
  writeFileSync(join(home, `stage-${gone}/silver/events.ndjson`), 'half a li');
  const { repaired } = await runPipeline({ input: inputB, out });
  assert.is(repaired, `audicin: repaired ${out}: took over the stale lock of pid ${gone}, removed 1 stale staging folder(s)`);
  assert.equal(snapshot(out), B);
  assert.equal(leftovers(out), []);
});

test('migration: an empty folder is replaced; an old lakehouse folder becomes a generation; other files are refused', async () => {
  const empty = tempDir();
  await runPipeline({ input: inputA, out: empty });
  assert.ok(lstatSync(empty).isSymbolicLink());
  assert.equal(snapshot(empty), A);

  // A lakehouse written by an earlier version: a real folder, with a stale staging folder inside.
  const old = tempDir();
  cpSync(empty, old, { recursive: true, dereference: true });
  mkdirSync(join(old, '.staging-123/silver'), { recursive: true });
  const failed = await failing(runPipeline({ input: inputB, out: old }, { fs: faultyFs({ fail: { call: 'writeSync', at: 5, code: 'ENOSPC' } }) }));
  assert.ok(isAudicinError(failed));
  assert.equal(snapshot(old), A);
  assert.ok(lstatSync(old).isSymbolicLink());
  const { repaired } = await runPipeline({ input: inputB, out: old });
  assert.is(repaired, null);
  assert.equal(snapshot(old), B);

  const moved = tempDir();
  cpSync(empty, moved, { recursive: true, dereference: true });
  const first = await runPipeline({ input: inputB, out: moved });
  assert.is(first.repaired, `audicin: repaired ${moved}: moved the existing lakehouse into ${lakehouseHome(moved)}/gen-000001`);

  const user = tempDir();
  writeFileSync(join(user, 'thesis.tex'), 'precious');
  const err = await failing(runPipeline({ input: inputA, out: user }));
  assert.ok(isAudicinError(err));
  assert.is(err.message, `audicin: ${user}: a folder with files that are not a lakehouse; refusing to replace it`);
  assert.equal(readdirSync(user), ['thesis.tex']);
  assert.not.ok(existsSync(join(lakehouseHome(user), 'lock')));
  assert.is(basename(lakehouseHome(user)), `.${basename(user)}.audicin`);
});

test.run();
