// Runs one command as a child `node` process and measures it: wall time from spawn to
// exit, and peak RSS as reported by the preloaded probe (probe.ts).
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PROBE = new URL('./probe.js', import.meta.url).href;

export interface Sample {
  wall_s: number;
  /** Null when the child died before its probe could report. */
  peak_rss_kib: number | null;
  cpu_s: number | null;
  /** The last 8 KiB of the child's stderr. */
  stderr: string;
}

export interface ChildFailure {
  failed: true;
  /** Exit code, or the signal that killed it. */
  exit: number | string;
  /** The last lines of the child's stderr. */
  stderr: string;
}

export interface Job {
  /** Arguments after `node` (a script and its arguments). */
  args: string[];
  /** A file to connect to the child's stdin (else /dev/null). */
  stdin?: string;
  /** A fresh folder for this run: the child's working directory, removed afterwards. */
  workDir: string;
}

/** The child currently running, so an interrupt can stop it. */
export let current: ReturnType<typeof spawn> | undefined;

/** Runs `job` once; resolves to its sample, or to a failure when it does not exit 0. */
export async function measure(job: Job): Promise<Sample | ChildFailure> {
  mkdirSync(job.workDir, { recursive: true });
  const probeFile = join(job.workDir, '.probe.json');
  const stdin = job.stdin === undefined ? 'ignore' : openSync(job.stdin, 'r');
  try {
    let stderr = '';
    const t0 = process.hrtime.bigint();
    const child = spawn(process.execPath, ['--import', PROBE, ...job.args], {
      cwd: job.workDir,
      stdio: [stdin, 'ignore', 'pipe'],
      env: { ...process.env, AUDICIN_BENCH_PROBE: probeFile },
    });
    current = child;
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (s: string) => { stderr = (stderr + s).slice(-8192); });
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((done, fail) => {
      child.on('error', fail);
      child.on('exit', (c, s) => done([c, s]));
    });
    const wall = Number(process.hrtime.bigint() - t0) / 1e9;
    await new Promise<void>((done) => { if (child.stderr!.readableEnded) done(); else child.stderr!.on('close', () => done()); });
    current = undefined;
    if (code !== 0) {
      const lines = stderr.trim().split('\n').filter((l) => l.trim().length > 0);
      return { failed: true, exit: code ?? signal ?? 'unknown', stderr: lines.slice(-3).join(' | ') };
    }
    let probe: { peak_rss_kib?: number; user_cpu_s?: number; system_cpu_s?: number } = {};
    try {
      probe = JSON.parse(readFileSync(probeFile, 'utf8'));
    } catch {
      // the probe did not report: leave the figures empty
    }
    return {
      wall_s: wall,
      peak_rss_kib: probe.peak_rss_kib ?? null,
      cpu_s: probe.user_cpu_s === undefined ? null : probe.user_cpu_s + (probe.system_cpu_s ?? 0),
      stderr,
    };
  } finally {
    current = undefined;
    if (typeof stdin === 'number') closeSync(stdin);
    rmSync(job.workDir, { recursive: true, force: true });
  }
}

export function isFailure(r: Sample | ChildFailure): r is ChildFailure {
  return 'failed' in r;
}

/** Paths of the scripts the bench runs, from the compiled dist/bench folder. */
export const scripts = {
  cli: fileURLToPath(new URL('../../bin/audicin.js', import.meta.url)),
  floor: fileURLToPath(new URL('./floor.js', import.meta.url)),
  repo: fileURLToPath(new URL('../../', import.meta.url)),
};
