// What every command shares about the process: writing to stdout (a reader that goes away is
// no error, any other failure is one line), SIGINT and SIGTERM, and reading stdin until either
// its end or a signal.
import { constants } from 'node:os';
import { fileError } from '../core/errors.js';

/** The process streams a command runs over; tests may pass their own. */
export interface CommandIo {
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
}

export const processIo = (): CommandIo => ({ stdin: process.stdin, stdout: process.stdout, stderr: process.stderr });

/** True when `err` only says the reader of stdout went away. */
export const readerGone = (err: unknown, stdout: NodeJS.WritableStream): boolean => {
  const code = (err as NodeJS.ErrnoException)?.code;
  return code === 'EPIPE' || ((code === 'ERR_STREAM_PREMATURE_CLOSE' || code === 'ERR_STREAM_DESTROYED')
    && (stdout as unknown as { destroyed?: boolean }).destroyed === true);
};

/** A failed write to stdout as one line (a full disk, an I/O error); other errors pass as is. */
export const stdoutError = (err: unknown): unknown =>
  ((err as NodeJS.ErrnoException)?.syscall === 'write' ? fileError('E_OUTPUT', 'stdout', err) : err);

/**
 * Writes `text`, resolving once `out` can take more; false when its reader went away.
 * Any other failure rejects as one line naming `label` (default stdout).
 */
export function writeOut(out: NodeJS.WritableStream, text: string, label = 'stdout'): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const settle = (err?: Error | null): void => {
      out.removeListener('error', settle);
      out.removeListener('drain', settle);
      if (err == null) resolve(true);
      else if (readerGone(err, out)) resolve(false);
      else reject((err as NodeJS.ErrnoException).syscall === 'write' ? fileError('E_OUTPUT', label, err) : err);
    };
    out.on('error', settle);
    if (out.write(text)) settle();
    else out.once('drain', settle);
  });
}

/** The first SIGINT or SIGTERM while a command runs; a second one kills as usual (the handlers are gone by then). */
export interface Interruption {
  /** Resolves with the signal; never when none comes. */
  signal: Promise<NodeJS.Signals>;
  /** The signal received so far, or null. */
  received(): NodeJS.Signals | null;
  /** Removes the handlers. */
  release(): void;
}

export function interruption(): Interruption {
  let got: NodeJS.Signals | null = null;
  let resolve!: (s: NodeJS.Signals) => void;
  const signal = new Promise<NodeJS.Signals>((r) => { resolve = r; });
  const release = (): void => {
    process.off('SIGINT', on);
    process.off('SIGTERM', on);
  };
  const on = (s: NodeJS.Signals): void => {
    got = s;
    release();
    resolve(s);
  };
  process.once('SIGINT', on);
  process.once('SIGTERM', on);
  return { signal, received: () => got, release };
}

/** The shell's exit code of a process ended by `signal`: 128 + its number (SIGINT 130, SIGTERM 143). */
export const signalExit = (signal: NodeJS.Signals): number => 128 + constants.signals[signal];

/**
 * The chunks of `input` until it ends or `stop` resolves, whichever comes first; stopping
 * looks like the end of input to the consumer. `input` is destroyed when reading stops early.
 */
export async function* readUntil(input: NodeJS.ReadableStream, stop: Promise<unknown>): AsyncGenerator<Buffer> {
  // Not a Promise.race per chunk against `stop`: each race leaves a reaction on the
  // long-lived `stop` that holds its chunk, so memory grew with the length of the input.
  // Stopping destroys the input instead, which also settles a read an open stdin never would.
  const readable = input as NodeJS.ReadableStream & { destroy(): void; readableEnded?: boolean };
  let stopped = false;
  void stop.then(() => {
    stopped = true;
    if (!readable.readableEnded) readable.destroy();
  });
  try {
    for await (const chunk of readable as AsyncIterable<Buffer>) {
      if (stopped) return;
      yield chunk;
    }
  } catch (err) {
    if (!stopped) throw err;
  } finally {
    if (!stopped && !readable.readableEnded) readable.destroy();
  }
}
