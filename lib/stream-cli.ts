// The `stream` and `gold` commands: Unix filters over stdin. Options are parsed and
// normalised here; cli.ts only dispatches. A reader that goes away (`| head -5`) ends the
// command quietly with exit code 0; every other failure is one line on stderr. SIGINT and
// SIGTERM end the input as its end would: `stream` flushes every row pending in its window,
// `gold` writes its tables over what was read; then the exit code is 130 or 143.
import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { constants } from 'node:os';
import { finished, pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { AudicinError, fileError } from './errors.js';
import { loadFx } from './fx.js';
import { wholeNumberArg } from './options.js';
import { quarantinedTotal } from './report.js';
import { createGoldStream, goldLines } from './stream-gold.js';
import { parseDuration, type StreamOptions } from './stream-options.js';
import { readMarketing, readSubscriptions } from './sides.js';
import { silverTransform } from './stream-transform.js';
import type { StreamInfo } from './stream.js';
import { isoUtc } from './time.js';
import type { QuarantineRow, SourceReport } from './types.js';

export const STREAM_HELP = `Usage:
  audicin stream [options] < events.ndjson   silver event rows on stdout, each once its window closes
  audicin gold [options] < events.ndjson     every gold table on stdout at the end of input

Options of stream and gold:
  --window DURATION      dedup window: 1h, 30m, 90s, 500ms or a number of ms (default: 1h)
  --retain DURATION      how long past the window a final id is still recognised, so a
                         later version of it is late_event (default: the window)
  --rejects FILE         quarantined rows, late_event included, as NDJSON (default: stderr)
  --source NAME          lineage source of rows and rejects (default: stdin)
  --timezone ZONE        IANA zone for event days, weeks and months (default: UTC)
  --fx FILE              rate table, JSON {"EUR": 1.08} or CSV currency,usd_per_unit
  --bot-threshold N      more than N events in one window make a bot (default: 20)
  --bot-window-ms N      the bot window in milliseconds (default: 1000)
  --max-line-bytes N     longer lines are quarantined as line_too_long (default: 1048576)
  --now TIMESTAMP        the clock: later events by more than a day are implausible_timestamp
                         (default: the wall clock as the input arrives)
  --verbose              a one-line count summary on stderr (always when stderr is a terminal)
Options of gold only:
  --subscriptions FILE   subscriptions (JSON array or NDJSON), read as the batch run does
  --marketing FILE       marketing spend CSV (date,channel,spend)
`;

const STREAM_OPTIONS = {
  window: { type: 'string' },
  retain: { type: 'string' },
  rejects: { type: 'string' },
  source: { type: 'string' },
  timezone: { type: 'string' },
  fx: { type: 'string' },
  'bot-threshold': { type: 'string' },
  'bot-window-ms': { type: 'string' },
  'max-line-bytes': { type: 'string' },
  now: { type: 'string' },
  verbose: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

const GOLD_OPTIONS = {
  ...STREAM_OPTIONS,
  subscriptions: { type: 'string' },
  marketing: { type: 'string' },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof GOLD_OPTIONS }>>['values'];

/** The process streams a command runs over; tests may pass their own. */
export interface CommandIo {
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
}

const processIo = (): CommandIo => ({ stdin: process.stdin, stdout: process.stdout, stderr: process.stderr });

const wholeNumber = (values: Values, name: 'bot-threshold' | 'bot-window-ms' | 'max-line-bytes'): number | undefined =>
  wholeNumberArg(name, values[name]);

async function streamOptions(values: Values): Promise<StreamOptions> {
  return {
    windowMs: values.window === undefined ? undefined : parseDuration(values.window, 'window'),
    retainMs: values.retain === undefined ? undefined : parseDuration(values.retain, 'retain'),
    source: values.source,
    timezone: values.timezone,
    fx: values.fx === undefined ? undefined : await loadFx(values.fx),
    botThreshold: wholeNumber(values, 'bot-threshold'),
    botWindowMs: wholeNumber(values, 'bot-window-ms'),
    maxLineBytes: wholeNumber(values, 'max-line-bytes'),
    now: values.now,
  };
}

async function openRejects(path: string): Promise<WriteStream> {
  const file = createWriteStream(path);
  try {
    await once(file, 'open');
  } catch (err) {
    throw fileError('E_OUTPUT', path, err);
  }
  return file;
}

/** True when `err` only says the reader of stdout went away. */
const readerGone = (err: unknown, stdout: NodeJS.WritableStream): boolean => {
  const code = (err as NodeJS.ErrnoException)?.code;
  return code === 'EPIPE' || ((code === 'ERR_STREAM_PREMATURE_CLOSE' || code === 'ERR_STREAM_DESTROYED')
    && (stdout as unknown as { destroyed?: boolean }).destroyed === true);
};

/** A failed write to stdout as one line (a full disk, an I/O error); other errors pass as is. */
const stdoutError = (err: unknown): unknown =>
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
interface Interruption {
  /** Resolves with the signal; never when none comes. */
  signal: Promise<NodeJS.Signals>;
  /** The signal received so far, or null. */
  received(): NodeJS.Signals | null;
  /** Removes the handlers. */
  release(): void;
}

function interruption(): Interruption {
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
const signalExit = (signal: NodeJS.Signals): number => 128 + constants.signals[signal];

/**
 * The chunks of `input` until it ends or `stop` resolves, whichever comes first; stopping
 * looks like the end of input to the consumer. `input` is destroyed when reading stops early.
 */
async function* readUntil(input: NodeJS.ReadableStream, stop: Promise<unknown>): AsyncGenerator<Buffer> {
  const chunks = (input as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  const stopped = stop.then(() => null);
  let done = false;
  try {
    for (;;) {
      const next = chunks.next();
      next.catch(() => undefined); // a read still pending when reading stops settles as the stream closes
      const got = await Promise.race([next, stopped]);
      if (got === null) return;
      if (got.done === true) { done = true; return; }
      yield got.value;
    }
  } finally {
    // The iterator's own return() waits for the pending read, which an open stdin never
    // completes: destroying the input settles it.
    if (!done) (input as NodeJS.ReadableStream & { destroy(): void }).destroy();
    chunks.return?.().catch(() => undefined);
  }
}

const sourceLine = (label: string, s: SourceReport): string =>
  `${label}: ${s.records} records, ${s.silver} silver, ${s.superseded} superseded, ${quarantinedTotal(s)} quarantined`;

const eventsLine = (info: StreamInfo): string =>
  `${sourceLine('events', info)} (${info.quarantined.late_event ?? 0} late), ${info.bots} bot user(s), `
  + `watermark ${info.watermark === null ? 'none' : isoUtc(info.watermark)}`;

async function streamCommand(values: Values, io: CommandIo): Promise<number> {
  const options = await streamOptions(values);
  const file = values.rejects === undefined ? null : await openRejects(values.rejects);
  const transform = silverTransform({ ...options, rejects: file ?? io.stderr });
  const interrupt = interruption();
  let gone = false;
  try {
    await pipeline(readUntil(io.stdin, interrupt.signal), transform, io.stdout);
  } catch (err) {
    if (!readerGone(err, io.stdout)) throw stdoutError(err);
    gone = true;
  } finally {
    interrupt.release();
    if (file !== null) {
      file.end();
      await finished(file);
    }
  }
  const signal = interrupt.received();
  if (!gone && (values.verbose || io.stderr.isTTY)) {
    const why = signal === null ? '' : `interrupted by ${signal}, pending rows flushed; `;
    io.stderr.write(`audicin stream: ${why}${eventsLine(transform.engine.info)}\n`);
  }
  return signal === null ? 0 : signalExit(signal);
}

async function goldCommand(values: Values, io: CommandIo): Promise<number> {
  const options = await streamOptions(values);
  const file = values.rejects === undefined ? null : await openRejects(values.rejects);
  const target = file ?? io.stderr;
  const interrupt = interruption();
  let rejected: string[] = [];
  const onReject = (row: QuarantineRow): void => { rejected.push(JSON.stringify(row) + '\n'); };
  const flushRejects = async (): Promise<void> => {
    if (rejected.length === 0) return;
    const text = rejected.join('');
    rejected = [];
    await writeOut(target, text, values.rejects ?? 'stderr');
  };
  try {
    const gold = createGoldStream(options, onReject);
    const { fx, maxLineBytes } = gold.engine.options;
    const subs = values.subscriptions === undefined ? null : await readSubscriptions(values.subscriptions, fx, maxLineBytes, onReject);
    await flushRejects();
    const marketing = values.marketing === undefined ? null : await readMarketing(values.marketing, maxLineBytes, onReject);
    await flushRejects();
    for await (const chunk of readUntil(io.stdin, interrupt.signal)) {
      gold.push(chunk);
      await flushRejects();
    }
    const tables = gold.finish({ subscriptions: subs?.rows, marketing: marketing?.rows });
    await flushRejects();
    const delivered = await writeOut(io.stdout, goldLines(tables));
    if (delivered && (values.verbose || io.stderr.isTTY)) {
      const parts = [eventsLine(gold.engine.info)];
      if (subs !== null) parts.push(sourceLine('subscriptions', subs.info));
      if (marketing !== null) parts.push(sourceLine('marketing_spend', marketing.info));
      const signal = interrupt.received();
      io.stderr.write(`audicin gold: ${signal === null ? '' : `interrupted by ${signal}, tables over the input read; `}${parts.join('; ')}\n`);
    }
  } finally {
    interrupt.release();
    if (file !== null) {
      file.end();
      await finished(file);
    }
  }
  const signal = interrupt.received();
  return signal === null ? 0 : signalExit(signal);
}

/** Runs `audicin stream|gold` with the arguments after the command; resolves to the exit code. */
export async function streamMain(command: 'stream' | 'gold', args: string[], io: CommandIo = processIo()): Promise<number> {
  let values: Values;
  try {
    values = parseArgs({ args, options: command === 'gold' ? GOLD_OPTIONS : STREAM_OPTIONS, strict: true }).values as Values;
  } catch (err) {
    throw new AudicinError('E_USAGE', `${command}: ${(err as Error).message} (see audicin ${command} --help)`);
  }
  if (values.help) {
    await writeOut(io.stdout, STREAM_HELP);
    return 0;
  }
  return command === 'gold' ? goldCommand(values, io) : streamCommand(values, io);
}
