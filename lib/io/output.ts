// Output files written aside and switched into place at once (SPEC 7). `--out` is a
// symbolic link to a generation folder kept in a hidden sibling, `<parent>/.<name>.audicin/`:
// a run writes its new generation there, and one rename(2) of a link over `--out` swaps the
// whole lakehouse, so a reader sees the complete old one or the complete new one, never a
// mix. A lock file in the hidden folder keeps a second run out. Writes are buffered and
// synchronous: a batch run owns its process, and this keeps the writer free of stream
// backpressure bookkeeping. Every call goes through an `OutputFs`, so tests can fail it.
import { hostname } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { AudicinError, OUTPUT_FULL, fileError } from '../core/errors.js';
import { realFs, type OutputFs } from './output-fs.js';

const BUFFER_BYTES = 1 << 20;

/** A system error becomes one line naming `path`; anything else (a bug, a simulated kill) passes as is. */
function outputError(path: string, err: unknown): unknown {
  return (err as NodeJS.ErrnoException)?.code === undefined || err instanceof AudicinError ? err : fileError('E_OUTPUT', path, err);
}

const codeOf = (err: unknown): string | undefined => (err as NodeJS.ErrnoException)?.code;

/**
 * Creates `path` and its missing parents, one level at a time. Not `mkdirSync(…, { recursive })`:
 * on Node 20 that never returns under a folder that refuses new entries with ENOENT (/proc).
 */
function ensureDir(fs: OutputFs, path: string): void {
  try {
    if (fs.statSync(path).isDirectory()) return;
    throw new AudicinError('E_OUTPUT', `${path}: not a folder`);
  } catch (err) {
    if (codeOf(err) !== 'ENOENT') throw outputError(path, err);
  }
  const parent = dirname(path);
  if (parent !== path) ensureDir(fs, parent);
  try {
    fs.mkdirSync(path);
  } catch (err) {
    if (codeOf(err) !== 'EEXIST') throw outputError(path, err);
  }
}

/** Writes all of `bytes[from, from + n)`: a write may take fewer bytes than asked (a full disk). */
function writeAll(fs: OutputFs, fd: number, bytes: Uint8Array, from: number, n: number, label: string): void {
  let done = 0;
  try {
    while (done < n) {
      const wrote = fs.writeSync(fd, bytes, from + done, n - done);
      if (!(wrote > 0)) throw Object.assign(new Error('wrote nothing'), { code: 'ENOSPC' });
      done += wrote;
    }
  } catch (err) {
    throw outputError(label, err);
  }
}

/** One output file being written, through a 1 MiB buffer. */
export class FileSink {
  readonly path: string;
  /** The path named in errors: where the file will be once committed. */
  readonly label: string;
  private readonly fs: OutputFs;
  private fd: number;
  private buf: Buffer;
  private used = 0;

  /**
   * Opens `path` for writing; errors name `label` (default `path`); `fs` defaults to node:fs;
   * `bufferBytes` (default 1 MiB) is smaller where many files are open at once.
   */
  constructor(path: string, fs: OutputFs = realFs, label = path, bufferBytes = BUFFER_BYTES) {
    this.path = path;
    this.label = label;
    this.fs = fs;
    this.buf = Buffer.allocUnsafe(bufferBytes);
    ensureDir(fs, dirname(path));
    try {
      this.fd = fs.openSync(path, 'w');
    } catch (err) {
      throw outputError(label, err);
    }
  }

  write(text: string): void {
    // A UTF-16 code unit takes at most 3 UTF-8 bytes.
    if (text.length * 3 > this.buf.length - this.used) {
      this.flush();
      if (text.length * 3 > this.buf.length) {
        const bytes = Buffer.from(text);
        writeAll(this.fs, this.fd, bytes, 0, bytes.length, this.label);
        return;
      }
    }
    this.used += this.buf.write(text, this.used);
  }

  /** Writes `bytes[from, to)`. */
  writeBytes(bytes: Buffer, from = 0, to = bytes.length): void {
    const n = to - from;
    if (n > this.buf.length - this.used) {
      this.flush();
      if (n > this.buf.length) {
        writeAll(this.fs, this.fd, bytes, from, n, this.label);
        return;
      }
    }
    bytes.copy(this.buf, this.used, from, to);
    this.used += n;
  }

  close(): void {
    this.flush();
    try {
      this.fs.closeSync(this.fd);
    } catch (err) {
      throw outputError(this.label, err);
    }
  }

  private flush(): void {
    if (this.used > 0) writeAll(this.fs, this.fd, this.buf, 0, this.used, this.label);
    this.used = 0;
  }
}

/** The hidden sibling folder that holds the generations and the lock of `out`. */
export function lakehouseHome(out: string): string {
  const abs = resolve(out);
  return join(dirname(abs), `.${basename(abs)}.audicin`);
}

const GEN = /^gen-(\d+)$/;
const genName = (n: number): string => `gen-${String(n).padStart(6, '0')}`;

interface LockInfo { pid: number; host: string; since: string }

/** Lock contents this process holds, by lock path: a lock naming our pid but not here is stale. */
const held = new Map<string, string>();
/** Runs of this process that have not committed or aborted yet (for signal handlers). */
const active = new Set<Staging>();

/** Aborts every run of this process still in progress: their staging folders and locks go. */
export function abortActiveStagings(): void {
  for (const staging of [...active]) staging.abort();
}

function parseLock(text: string): LockInfo | null {
  try {
    const v = JSON.parse(text) as LockInfo;
    return Number.isInteger(v.pid) && typeof v.host === 'string' ? v : null;
  } catch {
    return null;
  }
}

/** True when the holder may still be running: another host is never judged from here. */
function holderAlive(lockPath: string, text: string, info: LockInfo | null): boolean {
  if (info === null) return false;
  if (info.host !== hostname()) return true;
  if (info.pid === process.pid) return held.get(lockPath) === text;
  try {
    process.kill(info.pid, 0);
    return true;
  } catch (err) {
    return codeOf(err) === 'EPERM';
  }
}

/** A set of output files for `out`, staged in a new generation folder until `commit()`. */
export class Staging {
  readonly out: string;
  /** One line saying what this run repaired from an interrupted one, or null. */
  readonly repaired: string | null;
  private readonly fs: OutputFs;
  private readonly abs: string;
  private readonly home: string;
  private readonly lock: string;
  private readonly dir: string;
  /** The generation `out` points at before this run, if any. */
  private current: string | null = null;
  private state: 'open' | 'switched' | 'done' = 'open';
  /** The pid of a stale lock this run took over. */
  private staleHolder: number | null = null;

  /** Takes the lock on `out`, repairs what an interrupted run left, and opens a staging folder. */
  constructor(out: string, fs: OutputFs = realFs) {
    this.out = out;
    this.fs = fs;
    this.abs = resolve(out);
    if (basename(this.abs) === '') throw new AudicinError('E_OUTPUT', `${out}: the root folder cannot be an output`);
    this.home = lakehouseHome(out);
    this.lock = join(this.home, 'lock');
    this.dir = join(this.home, `stage-${process.pid}`);
    try {
      fs.lstatSync(this.abs);
    } catch (err) {
      if (codeOf(err) !== 'ENOENT') throw outputError(out, err);
    }
    ensureDir(fs, this.home);
    this.takeLock();
    try {
      this.repaired = this.repair();
      ensureDir(fs, this.dir);
    } catch (err) {
      this.finish();
      throw err;
    }
    active.add(this);
  }

  /** Opens `relPath` (e.g. `silver/events.ndjson`) for writing. */
  open(relPath: string): FileSink {
    return new FileSink(join(this.dir, relPath), this.fs, this.label(relPath));
  }

  /** Where `relPath` will be once committed: the path errors name. */
  label(relPath: string): string {
    return join(this.out, relPath);
  }

  /**
   * Copies `source` byte for byte to `relPath`, in the kernel where it can (a copy-on-write
   * clone where the file system has them), and returns the staged copy's path.
   */
  async copyIn(relPath: string, source: string): Promise<string> {
    const target = join(this.dir, relPath);
    ensureDir(this.fs, dirname(target));
    try {
      await this.fs.copyFile(source, target);
    } catch (err) {
      if (OUTPUT_FULL.has(codeOf(err) ?? '')) throw outputError(this.label(relPath), err);
      throw codeOf(err) === undefined ? err : fileError('E_SOURCE_UNREADABLE', source, err);
    }
    return target;
  }

  /** Reserves `relPath` for a file another thread writes; returns its staging path. */
  reserve(relPath: string): string {
    const path = join(this.dir, relPath);
    ensureDir(this.fs, dirname(path));
    return path;
  }

  /** Removes `relPath` (a file or a whole folder) from the staged files. */
  remove(relPath: string): void {
    try {
      this.fs.rmSync(join(this.dir, relPath));
    } catch (err) {
      throw outputError(this.label(relPath), err);
    }
  }

  /** Writes `line(item)` for each of `items`, in order, to `relPath`. */
  writeLines<T>(relPath: string, items: readonly T[], line: (item: T) => string): void {
    const sink = this.open(relPath);
    for (const item of items) sink.write(line(item));
    sink.close();
  }

  /** Writes a whole small file at once. */
  writeFile(relPath: string, text: string): void {
    const sink = this.open(relPath);
    sink.write(text);
    sink.close();
  }

  /**
   * Switches `out` to the staged files: the staging folder becomes a generation, a link
   * `next` to it is renamed over `out` (the one atomic step), then the old generation
   * and the lock go. Every file must be closed.
   */
  commit(): void {
    const { fs } = this;
    const n = this.current === null ? 1 : Number(GEN.exec(this.current)![1]) + 1;
    const gen = genName(n);
    const next = join(this.home, 'next');
    try {
      fs.renameSync(this.dir, join(this.home, gen));
      fs.symlinkSync(join(basename(this.home), gen), next);
      fs.renameSync(next, this.abs);
    } catch (err) {
      throw outputError(this.out, err);
    }
    this.state = 'switched';
    // The new lakehouse is in place: what is left is tidying, which the next run redoes.
    this.tidy(() => { if (this.current !== null) fs.rmSync(join(this.home, this.current)); });
    this.finish();
  }

  /** Drops everything staged; the previous outputs stay as they were. */
  abort(): void {
    const wasOpen = this.state === 'open';
    if (!this.forget()) return;
    if (wasOpen) {
      // Whatever commit() got to before failing: the staging folder, a generation, `next`.
      this.tidy(() => this.fs.rmSync(this.dir));
      this.tidy(() => {
        // Read again: a rename that reported a failure may still have happened.
        let target = '';
        try {
          if (this.fs.lstatSync(this.abs).isSymbolicLink()) target = this.fs.readlinkSync(this.abs);
        } catch (err) {
          if (codeOf(err) !== 'ENOENT') throw err;
        }
        this.current = target.startsWith(basename(this.home) + '/') ? target.slice(basename(this.home).length + 1) : null;
        this.removeUnreferenced();
      });
    }
    this.tidy(() => this.fs.unlinkSync(this.lock));
  }

  private finish(): void {
    if (this.forget()) this.tidy(() => this.fs.unlinkSync(this.lock));
  }

  /**
   * Drops this run from memory first, as a killed process would, so a failing disk never
   * keeps the lock held in this process; true if the run was still in progress.
   */
  private forget(): boolean {
    if (this.state === 'done') return false;
    this.state = 'done';
    active.delete(this);
    held.delete(this.lock);
    return true;
  }

  /** Runs a clean-up step; a failing one is left for the next run's repair. */
  private tidy(step: () => void): void {
    try {
      step();
    } catch (err) {
      if (codeOf(err) === undefined) throw err; // a bug, or a simulated kill
    }
  }

  private takeLock(): void {
    const { fs } = this;
    const info: LockInfo = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
    const text = JSON.stringify(info) + '\n';
    // Written whole aside, then linked: `lock` never exists half-written.
    const mine = `${this.lock}.${process.pid}`;
    try {
      const sink = new FileSink(mine, fs, this.lock);
      sink.write(text);
      sink.close();
      for (let attempt = 0; ; attempt++) {
        try {
          fs.linkSync(mine, this.lock);
          held.set(this.lock, text);
          return;
        } catch (err) {
          if (codeOf(err) !== 'EEXIST') throw err;
        }
        // Only a run that keeps replacing a stale lock as fast as this one gets here thrice.
        if (attempt === 3) throw this.lockedError({ pid: 0, host: '?', since: '?' });
        this.breakStaleLock();
      }
    } catch (err) {
      throw outputError(this.lock, err);
    } finally {
      try { fs.unlinkSync(mine); } catch { /* the next run's repair removes it */ }
    }
  }

  /** Removes `lock` if its holder is gone; otherwise fails naming the holder. */
  private breakStaleLock(): void {
    const { fs } = this;
    let text: string;
    try {
      text = fs.readFileSync(this.lock);
    } catch (err) {
      if (codeOf(err) === 'ENOENT') return;
      throw err;
    }
    const info = parseLock(text);
    if (holderAlive(this.lock, text, info)) throw this.lockedError(info!);
    // Moved aside first, then checked: if another run replaced the stale lock meanwhile, put it back.
    const aside = `${this.lock}.stale-${process.pid}`;
    fs.renameSync(this.lock, aside);
    const moved = fs.readFileSync(aside);
    if (moved !== text) {
      try { fs.linkSync(aside, this.lock); } catch { /* a third run holds it now */ }
      fs.unlinkSync(aside);
      throw this.lockedError(parseLock(moved) ?? { pid: 0, host: '?', since: '?' });
    }
    fs.unlinkSync(aside);
    this.staleHolder = info?.pid ?? null;
  }

  private lockedError(info: LockInfo): AudicinError {
    return new AudicinError('E_LOCKED', `${this.out} is locked by pid ${info.pid} on ${info.host} since ${info.since}`);
  }

  /** The generation `out` links to, null when there is none; refuses an `out` audicin did not make. */
  private linkedGeneration(): string | null {
    const { fs } = this;
    let stat;
    try {
      stat = fs.lstatSync(this.abs);
    } catch (err) {
      if (codeOf(err) === 'ENOENT') return null;
      throw outputError(this.out, err);
    }
    if (stat.isSymbolicLink()) {
      const target = fs.readlinkSync(this.abs);
      const gen = target.startsWith(basename(this.home) + '/') ? target.slice(basename(this.home).length + 1) : '';
      if (!GEN.test(gen)) {
        throw new AudicinError('E_OUTPUT', `${this.out}: a link to ${target}, not made by audicin; refusing to replace it`);
      }
      return gen;
    }
    if (!stat.isDirectory()) throw new AudicinError('E_OUTPUT', `${this.out}: not a folder`);
    return this.migrate();
  }

  /**
   * A real folder at `out`: empty, it is removed; holding a lakehouse of an earlier version,
   * it becomes the first generation (the one step where `out` is briefly missing); anything
   * else is refused, so no user file is ever deleted.
   */
  private migrate(): string | null {
    const { fs } = this;
    const names = fs.readdirSync(this.abs);
    const old = names.filter((name) => name.startsWith('.staging-'));
    const rest = names.filter((name) => !name.startsWith('.staging-'));
    if (rest.length > 0 && !rest.includes('report.json')) {
      throw new AudicinError('E_OUTPUT', `${this.out}: a folder with files that are not a lakehouse; refusing to replace it`);
    }
    for (const name of old) fs.rmSync(join(this.abs, name));
    if (rest.length === 0) {
      fs.rmdirSync(this.abs);
      return null;
    }
    // `next` first: if the run dies after the folder moved, the next run finds `out` missing
    // and `next` naming a whole generation, and finishes the move.
    const gen = genName(1);
    const next = join(this.home, 'next');
    fs.symlinkSync(join(basename(this.home), gen), next);
    fs.renameSync(this.abs, join(this.home, gen));
    fs.renameSync(next, this.abs);
    return gen;
  }

  /**
   * Finishes or undoes what an interrupted run left in the hidden folder, under the lock:
   * a `next` link with `out` missing is renamed into place (it names a whole generation);
   * any other `next`, staging folder or generation `out` does not link to is removed.
   */
  private repair(): string | null {
    const { fs } = this;
    const next = join(this.home, 'next');
    const notes: string[] = [];
    if (this.staleHolder !== null) notes.push(`took over the stale lock of pid ${this.staleHolder}`);
    const missing = ((): boolean => {
      try {
        fs.lstatSync(this.abs);
        return false;
      } catch (err) {
        if (codeOf(err) === 'ENOENT') return true;
        throw outputError(this.out, err);
      }
    })();
    if (fs.readdirSync(this.home).includes('next')) {
      const target = fs.readlinkSync(next);
      let whole = false;
      try {
        fs.statSync(join(dirname(this.abs), target));
        whole = true;
      } catch (err) {
        if (codeOf(err) !== 'ENOENT') throw err;
      }
      if (missing && whole) {
        fs.renameSync(next, this.abs);
        notes.push('finished an interrupted switch');
      } else {
        fs.unlinkSync(next);
        notes.push('removed a leftover next link');
      }
    }
    const hadRealFolder = !missing && fs.lstatSync(this.abs).isDirectory();
    this.current = this.linkedGeneration();
    if (hadRealFolder && this.current !== null) notes.push(`moved the existing lakehouse into ${join(this.home, this.current)}`);
    const removed = this.removeUnreferenced();
    const count = (what: string, n: number): void => { if (n > 0) notes.push(`removed ${n} ${what}`); };
    count('stale staging folder(s)', removed.staging);
    count('unreferenced generation(s)', removed.gen);
    return notes.length === 0 ? null : `audicin: repaired ${this.out}: ${notes.join(', ')}`;
  }

  /** Removes everything in the hidden folder but the lock, and the generation `out` links to. */
  private removeUnreferenced(): { staging: number; gen: number } {
    const { fs } = this;
    const removed = { staging: 0, gen: 0 };
    for (const name of fs.readdirSync(this.home)) {
      if (name === 'lock' || name === this.current) continue;
      // `lock.<pid>`: a lock being taken; another run may be writing it right now.
      const taking = /^lock\.(\d+)$/.exec(name);
      if (taking !== null && holderAlive('', '', { pid: Number(taking[1]), host: hostname(), since: '' })) continue;
      const path = join(this.home, name);
      if (name === 'next') fs.unlinkSync(path);
      else fs.rmSync(path);
      if (name.startsWith('stage-')) removed.staging++;
      else if (GEN.test(name)) removed.gen++;
    }
    return removed;
  }
}
