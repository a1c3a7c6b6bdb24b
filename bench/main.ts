// `node bench`: times the engine on seeded datasets against the JSON.parse floor.
//
// For each size it measures, each as its own child process: the floor (read the events
// file, split lines, JSON.parse each, one thread), `audicin run` (batch, every layer
// written) on a shuffled dataset, and `audicin stream` on a time-ordered dataset of the
// same size, with that dataset's own floor. Wall time is spawn-to-exit; peak RSS comes
// from a probe preloaded into the child. Datasets are cached outside the repository;
// outputs go to a temporary folder that is removed at the end.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join, relative, resolve, isAbsolute } from 'node:path';
import { parseArgs } from 'node:util';
import { DISORDER_MS, SEED, defaultCacheDir, ensureDataset, type Dataset } from './datasets.js';
import { median, parseCount, sizeLabel, table, thousands } from './format.js';
import { current, isFailure, measure, scripts, type Job, type Sample } from './measure.js';

const HELP = `node bench: the audicin benchmark

Usage: node bench [options]     (npm run bench -- [options])

Generates seeded datasets with every trap (cached), then times, each in its own child
process: the floor (read the events file, split lines, JSON.parse each, one thread),
'audicin run' (batch: every layer written, silver as Parquet) and the same run with
--format ndjson (batch-ndjson: silver as NDJSON), and 'audicin stream' (stdin to
/dev/null), and prints one table: wall s, events/s, MB/s, peak RSS MB and the ratio to
the floor, then the Parquet write cost: batch minus batch-ndjson.

Options:
  --sizes LIST     event counts, comma-separated, 100000 or 100k or 1M (default: 100k,1M)
  --large          also 10M events
  --scale          batch only, 10M and 50M events (about 7 GB), one run each, with the
                   bytes spilled out of core (the default 1 GiB memory budget)
  --modes LIST     batch, stream or both (default: batch,stream)
  --runs N         runs per measurement; the median is reported (default: 5 up to 100k
                   events, 3 above, when a run takes under 10 s; a single run otherwise)
  --cache DIR      dataset cache (default: $XDG_CACHE_HOME/audicin-bench or
                   ~/.cache/audicin-bench); must be outside the repository
  --json           print the figures as JSON on stdout instead of the table
  -h, --help       this text

Progress goes to stderr; stdout carries only the table (or the JSON).
`;

const OPTIONS = {
  sizes: { type: 'string' },
  large: { type: 'boolean' },
  scale: { type: 'boolean' },
  modes: { type: 'string' },
  runs: { type: 'string' },
  cache: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Mode = 'batch' | 'stream';
/** `batch-ndjson`: the batch run with `--format ndjson`, to tell the cost of writing silver as Parquet. */
type RowMode = 'floor' | Mode | 'batch-ndjson';

interface Args {
  sizes: number[];
  modes: Mode[];
  runs: number | undefined;
  cache: string;
  json: boolean;
  /** Traces batch runs to read their spill bytes. */
  scale: boolean;
}

/** One line of the result: a mode at a size. */
export interface Row {
  size: number;
  mode: RowMode;
  /** Which dataset: shuffled (batch) or time-ordered (stream). */
  input: 'shuffled' | 'ordered';
  status: 'ok' | 'unavailable' | 'failed';
  /** Why the mode is unavailable or failed. */
  error: string | null;
  event_records: number | null;
  events_bytes: number | null;
  runs: number;
  /** Median wall time, seconds. */
  wall_s: number | null;
  /** Each run's wall time, in run order. */
  wall_s_runs: number[];
  events_per_s: number | null;
  /** events file bytes / wall, in 10^6 bytes per second. */
  mb_per_s: number | null;
  /** Highest peak RSS of the runs, 10^6 bytes. */
  peak_rss_mb: number | null;
  /** Median user + system CPU time, seconds (above wall_s means more than one core was busy). */
  cpu_s: number | null;
  /** wall_s / the floor's wall_s on the same events file. */
  ratio_to_floor: number | null;
  /** Batch with --scale: bytes written to spill files out of core (0: in memory), 10^6 bytes. */
  spill_mb?: number | null;
  /** Batch: its wall_s minus batch-ndjson's, the cost of silver as Parquet rather than NDJSON, seconds. */
  parquet_cost_s?: number | null;
}

class UsageError extends Error {}

function parse(argv: string[]): Args | 'help' {
  let values;
  try {
    ({ values } = parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: false }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (values.help) return 'help';
  let sizes = [100_000, 1_000_000];
  if (values.sizes !== undefined) {
    sizes = values.sizes.split(',').filter((s) => s.trim() !== '').map((s) => {
      const n = parseCount(s);
      if (n === undefined) throw new UsageError(`--sizes: '${s}' is not a positive whole number`);
      return n;
    });
    if (sizes.length === 0) throw new UsageError('--sizes: no size given');
  }
  if (values.large) sizes.push(10_000_000);
  if (values.scale) sizes = [10_000_000, 50_000_000];
  sizes = [...new Set(sizes)].sort((a, b) => a - b);
  let modes: Mode[] = ['batch', 'stream'];
  if (values.modes !== undefined) {
    const asked = values.modes.split(',').map((s) => s.trim().toLowerCase()).filter((s) => s !== '');
    for (const m of asked) if (m !== 'batch' && m !== 'stream') throw new UsageError(`--modes: unknown mode '${m}' (batch, stream)`);
    modes = (['batch', 'stream'] as const).filter((m) => asked.includes(m));
    if (modes.length === 0) throw new UsageError('--modes: no mode given');
  }
  if (values.scale) modes = ['batch'];
  let runs: number | undefined = values.scale ? 1 : undefined;
  if (values.runs !== undefined) {
    runs = Number(values.runs);
    if (!Number.isInteger(runs) || runs < 1) throw new UsageError(`--runs: expected a positive whole number, got '${values.runs}'`);
  }
  const cache = resolve(values.cache ?? defaultCacheDir());
  const inRepo = relative(scripts.repo, cache);
  if (inRepo === '' || (!inRepo.startsWith('..') && !isAbsolute(inRepo))) {
    throw new UsageError(`--cache: ${cache} is inside the repository; choose a folder outside it`);
  }
  return { sizes, modes, runs, cache, json: values.json ?? false, scale: values.scale ?? false };
}

/** A measurement in progress: one mode at one size. */
interface Task {
  row: Row;
  job: () => Job;
  samples: Sample[];
  target: number;
}

const log = (s: string): void => { process.stderr.write(`bench: ${s}\n`); };

function emptyRow(size: number, mode: RowMode, input: Row['input'], data?: Dataset): Row {
  return {
    size, mode, input, status: 'ok', error: null,
    event_records: data?.eventRecords ?? null, events_bytes: data?.eventsBytes ?? null,
    runs: 0, wall_s: null, wall_s_runs: [], events_per_s: null, mb_per_s: null, peak_rss_mb: null, cpu_s: null,
    ratio_to_floor: null,
  };
}

function finish(task: Task, data: Dataset): void {
  const r = task.row;
  if (task.samples.length === 0) return;
  r.runs = task.samples.length;
  r.wall_s_runs = task.samples.map((s) => round(s.wall_s, 3));
  const wall = median(task.samples.map((s) => s.wall_s));
  r.wall_s = round(wall, 3);
  r.events_per_s = Math.round(data.eventRecords / wall);
  r.mb_per_s = round(data.eventsBytes / 1e6 / wall, 2);
  const rss = task.samples.map((s) => s.peak_rss_kib).filter((x): x is number => x !== null);
  r.peak_rss_mb = rss.length > 0 ? round(Math.max(...rss) * 1024 / 1e6, 1) : null;
  const cpu = task.samples.map((s) => s.cpu_s).filter((x): x is number => x !== null);
  r.cpu_s = cpu.length > 0 ? round(median(cpu), 3) : null;
  if (r.spill_mb !== undefined) {
    // The run's trace (AUDICIN_TRACE) names the bytes it spilled; no such line: it ran in memory.
    const m = / (\d+) bytes spilled/.exec(task.samples[0].stderr);
    r.spill_mb = m === null ? 0 : round(Number(m[1]) / 1e6, 0);
  }
}

const round = (x: number, digits: number): number => Math.round(x * 10 ** digits) / 10 ** digits;

/** Runs every task's first run, then further rounds (interleaved) until each has its runs. */
async function runTasks(tasks: Task[], defaultRuns: number, runs: number | undefined): Promise<void> {
  for (let round = 1; ; round++) {
    let ran = false;
    for (const t of tasks) {
      if (t.row.status !== 'ok' || (round > 1 && t.samples.length >= t.target)) continue;
      const r = await measure(t.job());
      ran = true;
      if (isFailure(r)) {
        t.row.status = 'failed';
        t.row.error = `exit ${r.exit}${r.stderr ? `: ${r.stderr}` : ''}`;
        log(`${sizeLabel(t.row.size)} ${t.row.mode}: failed (${t.row.error})`);
        continue;
      }
      t.samples.push(r);
      if (round === 1) t.target = runs ?? (r.wall_s < 10 ? defaultRuns : 1);
      log(`${sizeLabel(t.row.size)} ${t.row.mode} (${t.row.input}) run ${t.samples.length}/${t.target}: `
        + `${r.wall_s.toFixed(2)} s, peak RSS ${r.peak_rss_kib === null ? '?' : ((r.peak_rss_kib * 1024) / 1e6).toFixed(0)} MB`);
    }
    if (!ran) return;
  }
}

/** Whether `audicin stream` exists: run it on empty stdin; an unknown command makes the mode unavailable. */
async function streamUnavailable(tmp: string): Promise<string | null> {
  const r = await measure({ args: [scripts.cli, 'stream'], workDir: join(tmp, 'stream-check') });
  if (isFailure(r) && /unknown command/i.test(r.stderr)) return r.stderr;
  return null;
}

async function benchSize(size: number, args: Args, tmp: string, streamGone: string | null, runSeq: () => number): Promise<Row[]> {
  const rows: Row[] = [];
  const tasks: { task: Task; data: Dataset }[] = [];
  const work = (): string => join(tmp, `run-${runSeq()}`);
  const add = (mode: RowMode, data: Dataset, job: () => Job): Task => {
    const task: Task = { row: emptyRow(size, mode, data.ordered ? 'ordered' : 'shuffled', data), job, samples: [], target: 1 };
    tasks.push({ task, data });
    rows.push(task.row);
    return task;
  };
  const floorJob = (data: Dataset) => (): Job => ({ args: [scripts.floor, data.eventsFile], workDir: work() });
  const pairs: [Task, Task][] = [];
  if (args.modes.includes('batch')) {
    const data = await ensureDataset(args.cache, size, false, log);
    const floor = add('floor', data, floorJob(data));
    if (args.scale) process.env.AUDICIN_TRACE = '1';
    const runJob = (...extra: string[]) => (): Job => {
      const dir = work();
      return { args: [scripts.cli, 'run', '--input', data.dir, '--out', join(dir, 'lakehouse'), ...extra], workDir: dir };
    };
    const batch = add('batch', data, runJob());
    if (args.scale) batch.row.spill_mb = null;
    pairs.push([batch, floor]);
    if (!args.scale) {
      pairs.push([add('batch-ndjson', data, runJob('--format', 'ndjson')), floor]);
      batch.row.parquet_cost_s = null;
    }
  }
  if (args.modes.includes('stream')) {
    if (streamGone !== null) {
      const row = emptyRow(size, 'stream', 'ordered');
      row.status = 'unavailable';
      row.error = streamGone;
      rows.push(row);
    } else {
      const data = await ensureDataset(args.cache, size, true, log);
      const floor = add('floor', data, floorJob(data));
      const stream = add('stream', data, () => ({ args: [scripts.cli, 'stream'], stdin: data.eventsFile, workDir: work() }));
      pairs.push([stream, floor]);
    }
  }
  await runTasks(tasks.map((t) => t.task), size <= 100_000 ? 5 : 3, args.runs);
  for (const { task, data } of tasks) finish(task, data);
  for (const [mode, floor] of pairs) {
    if (floor.row.wall_s !== null) floor.row.ratio_to_floor = 1;
    if (mode.row.wall_s !== null && floor.row.wall_s !== null) mode.row.ratio_to_floor = round(mode.row.wall_s / floor.row.wall_s, 2);
  }
  const batch = rows.find((r) => r.mode === 'batch'), ndjson = rows.find((r) => r.mode === 'batch-ndjson');
  if (batch?.parquet_cost_s !== undefined && batch.wall_s !== null && ndjson?.wall_s != null) {
    batch.parquet_cost_s = round(batch.wall_s - ndjson.wall_s, 3);
  }
  return rows;
}

function render(rows: Row[]): string {
  const spill = rows.some((r) => r.spill_mb !== undefined);
  const head = ['size', 'mode', 'input', 'wall s', 'events/s', 'MB/s', 'peak RSS MB', 'x floor', 'runs', ...(spill ? ['spill MB'] : [])];
  const body = rows.map((r) => {
    const lead = [sizeLabel(r.size), r.mode, r.input];
    if (r.status !== 'ok' || r.wall_s === null) return [...lead, `${r.status}: ${r.error ?? 'no figures'}`];
    return [...lead, r.wall_s.toFixed(2), thousands(r.events_per_s!), r.mb_per_s!.toFixed(1),
      r.peak_rss_mb === null ? '?' : r.peak_rss_mb.toFixed(0), r.ratio_to_floor === null ? '-' : r.ratio_to_floor.toFixed(2), String(r.runs),
      ...(spill ? [r.spill_mb == null ? '-' : String(r.spill_mb)] : [])];
  });
  const costs = rows.filter((r) => r.parquet_cost_s != null).map((r) => {
    const ndjson = rows.find((x) => x.size === r.size && x.mode === 'batch-ndjson')!;
    return `Parquet write cost at ${sizeLabel(r.size)}: batch ${r.wall_s!.toFixed(2)} s, with --format ndjson ${ndjson.wall_s!.toFixed(2)} s: `
      + `${r.parquet_cost_s! >= 0 ? '+' : ''}${r.parquet_cost_s!.toFixed(2)} s (${(100 * r.parquet_cost_s! / ndjson.wall_s!).toFixed(0)}%)\n`;
  });
  const cpu = cpus();
  const caption = costs.join('') + `node ${process.version}, ${process.platform} ${process.arch}, ${cpu.length} CPU(s)`
    + `${cpu[0] ? ` (${cpu[0].model.trim()})` : ''}, ${Math.round(totalmem() / 2 ** 30)} GiB RAM\n`
    + 'wall s: median of the runs; MB = 10^6 bytes; MB/s: events file bytes / wall; peak RSS: highest of the runs;\n'
    + 'x floor: wall / the floor\'s wall on the same events file (floor = read, split lines, JSON.parse each, one thread)\n';
  return table([head, ...body], [false, false, false, true, true, true, true, true, true, true]) + caption;
}

function packageVersion(): string | null {
  try {
    return (JSON.parse(readFileSync(join(scripts.repo, 'package.json'), 'utf8')) as { version?: string }).version ?? null;
  } catch {
    return null;
  }
}

/** Runs the bench with `argv` (without node and the script); resolves to the exit code. */
export async function main(argv: string[]): Promise<number> {
  let args: Args | 'help';
  try {
    args = parse(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`bench: ${err.message} (see node bench --help)\n`);
    return 2;
  }
  if (args === 'help') {
    process.stdout.write(HELP);
    return 0;
  }
  if (!existsSync(scripts.cli) || !existsSync(join(scripts.repo, 'dist/lib/cli/main.js'))) {
    process.stderr.write('bench: the engine is not built; run `npm install` (or `npm run build`) first\n');
    return 1;
  }
  const tmp = mkdtempSync(join(tmpdir(), 'audicin-bench-'));
  const cleanup = (): void => { rmSync(tmp, { recursive: true, force: true }); };
  const onSignal = (signal: NodeJS.Signals): void => {
    current?.kill('SIGKILL');
    cleanup();
    process.stderr.write(`bench: interrupted (${signal})\n`);
    process.exit(130);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    log(`cache ${args.cache}; temporary outputs in ${tmp}`);
    const streamGone = args.modes.includes('stream') ? await streamUnavailable(tmp) : null;
    if (streamGone !== null) log(`stream mode unavailable: ${streamGone}`);
    let seq = 0;
    const rows: Row[] = [];
    for (const size of args.sizes) rows.push(...await benchSize(size, args, tmp, streamGone, () => ++seq));
    if (args.json) {
      const cpu = cpus();
      process.stdout.write(JSON.stringify({
        bench: 'audicin-lakehouse', version: packageVersion(),
        machine: { node: process.version, platform: process.platform, arch: process.arch, cpus: cpu.length,
          cpu_model: cpu[0]?.model.trim() ?? null, total_mem_mb: Math.round(totalmem() / 1e6) },
        seed: SEED, stream_disorder_ms: DISORDER_MS, cache: args.cache, rows,
      }, null, 2) + '\n');
    } else {
      process.stdout.write(render(rows));
    }
    return rows.some((r) => r.status === 'failed') ? 1 : 0;
  } catch (err) {
    process.stderr.write(`bench: ${(err as Error)?.message ?? String(err)}\n`);
    return 1;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    cleanup();
  }
}
