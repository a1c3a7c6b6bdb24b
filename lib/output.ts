// Output files written aside and renamed into place (SPEC 7): a run that fails part-way
// leaves the previous lakehouse intact. Writes are buffered and synchronous: a batch run
// owns its process, and this keeps the writer free of stream backpressure bookkeeping.
import { closeSync, constants, mkdirSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { copyFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { AudicinError, fileError } from './errors.js';

const BUFFER_BYTES = 1 << 20;

/**
 * Creates `path` and its missing parents, one level at a time. Not `mkdirSync(…, { recursive })`:
 * on Node 20 that never returns under a folder that refuses new entries with ENOENT (/proc).
 */
function ensureDir(path: string): void {
  try {
    if (statSync(path).isDirectory()) return;
    throw new AudicinError('E_OUTPUT', `${path}: not a folder`);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err instanceof AudicinError ? err : fileError('E_OUTPUT', path, err);
  }
  const parent = dirname(path);
  if (parent !== path) ensureDir(parent);
  try {
    mkdirSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw fileError('E_OUTPUT', path, err);
  }
}

/** One output file being written in the staging folder, through a 1 MiB buffer. */
export class FileSink {
  readonly path: string;
  private fd: number;
  private buf = Buffer.allocUnsafe(BUFFER_BYTES);
  private used = 0;

  constructor(path: string) {
    this.path = path;
    ensureDir(dirname(path));
    try {
      this.fd = openSync(path, 'w');
    } catch (err) {
      throw fileError('E_OUTPUT', path, err);
    }
  }

  write(text: string): void {
    // A UTF-16 code unit takes at most 3 UTF-8 bytes.
    if (text.length * 3 > this.buf.length - this.used) {
      this.flush();
      if (text.length * 3 > this.buf.length) {
        writeSync(this.fd, text);
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
        writeSync(this.fd, bytes, from, n);
        return;
      }
    }
    bytes.copy(this.buf, this.used, from, to);
    this.used += n;
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }

  private flush(): void {
    if (this.used > 0) writeSync(this.fd, this.buf, 0, this.used);
    this.used = 0;
  }
}

/** A set of output files under `out`, staged in a hidden folder until `commit()`. */
export class Staging {
  readonly out: string;
  private readonly dir: string;
  private readonly files = new Map<string, FileSink>();
  /** Files placed in the staging folder other than through open(): copies, or other threads. */
  private readonly placed: string[] = [];

  constructor(out: string) {
    this.out = out;
    this.dir = join(out, `.staging-${process.pid}`);
    ensureDir(out);
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** Opens `relPath` (e.g. `silver/events.ndjson`) for writing. */
  open(relPath: string): FileSink {
    const sink = new FileSink(join(this.dir, relPath));
    this.files.set(relPath, sink);
    return sink;
  }

  /**
   * Copies `source` byte for byte to `relPath`, in the kernel where it can (a copy-on-write
   * clone where the file system has them), and returns the staged copy's path.
   */
  async copyIn(relPath: string, source: string): Promise<string> {
    const target = join(this.dir, relPath);
    ensureDir(dirname(target));
    try {
      await copyFile(source, target, constants.COPYFILE_FICLONE);
    } catch (err) {
      throw fileError('E_SOURCE_UNREADABLE', source, err);
    }
    this.placed.push(relPath);
    return target;
  }

  /** Reserves `relPath` for a file another thread writes; returns its staging path. */
  reserve(relPath: string): string {
    const path = join(this.dir, relPath);
    ensureDir(dirname(path));
    this.placed.push(relPath);
    return path;
  }

  /** Writes a whole small file at once. */
  writeFile(relPath: string, text: string): void {
    const sink = this.open(relPath);
    sink.write(text);
    sink.close();
  }

  /** Renames every staged file into place; each rename is atomic. */
  commit(): void {
    for (const rel of [...this.files.keys(), ...this.placed]) {
      const target = join(this.out, rel);
      ensureDir(dirname(target));
      renameSync(join(this.dir, rel), target);
    }
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** Drops everything staged; the previous outputs stay as they were. */
  abort(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
