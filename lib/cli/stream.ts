// The `stream` and `gold` commands: Unix filters over stdin. A reader that goes away
// (`| head -5`) ends the command quietly with exit code 0; every other failure is one line on
// stderr. SIGINT and SIGTERM end the input as its end would: `stream` flushes every row
// pending in its window, `gold` writes its tables over what was read; then the exit code is
// 130 or 143.
import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { finished, pipeline } from 'node:stream/promises';
import { fileError } from '../core/errors.js';
import { quarantinedTotal } from '../core/report.js';
import { readMarketing, readSubscriptions } from '../io/sides.js';
import { createGoldStream } from '../stream/gold.js';
import type { StreamOptions } from '../stream/options.js';
import { goldOutput, wallTicker } from '../stream/snapshots.js';
import { silverTransform } from '../stream/transform.js';
import type { StreamInfo } from '../stream/engine.js';
import { isoUtc } from '../core/time.js';
import type { QuarantineRow, SourceReport } from '../core/types.js';
import type { FlagValues } from './flags.js';
import { interruption, readerGone, readUntil, signalExit, stdoutError, writeOut, type CommandIo } from './output.js';

const streamOptions = (v: FlagValues): StreamOptions => ({
  windowMs: v.windowMs, retainMs: v.retainMs, source: v.source, timezone: v.timezone, fx: v.fx,
  botThreshold: v.botThreshold, botWindowMs: v.botWindowMs, maxLineBytes: v.maxLineBytes, now: v.now,
});

async function openRejects(path: string): Promise<WriteStream> {
  const file = createWriteStream(path);
  try {
    await once(file, 'open');
  } catch (err) {
    throw fileError('E_OUTPUT', path, err);
  }
  return file;
}

async function closeRejects(file: WriteStream | null): Promise<void> {
  if (file === null) return;
  file.end();
  await finished(file);
}

const sourceLine = (label: string, s: SourceReport): string =>
  `${label}: ${s.records} records, ${s.silver} silver, ${s.superseded} superseded, ${quarantinedTotal(s)} quarantined`;

const eventsLine = (info: StreamInfo): string =>
  `${sourceLine('events', info)} (${info.quarantined.late_event ?? 0} late), ${info.bots} bot user(s), `
  + `watermark ${info.watermark === null ? 'none' : isoUtc(info.watermark)}`;

/** `audicin stream`: silver event rows on stdout. */
export async function streamCommand(values: FlagValues, io: CommandIo): Promise<number> {
  const options = streamOptions(values);
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
    await closeRejects(file);
  }
  const signal = interrupt.received();
  if (!gone && (values.verbose || io.stderr.isTTY)) {
    const why = signal === null ? '' : `interrupted by ${signal}, pending rows flushed; `;
    io.stderr.write(`audicin stream: ${why}${eventsLine(transform.engine.info)}\n`);
  }
  return signal === null ? 0 : signalExit(signal);
}

/** `audicin gold`: every gold table on stdout at the end, or a numbered snapshot every --emit-every. */
export async function goldCommand(values: FlagValues, io: CommandIo): Promise<number> {
  const options = streamOptions(values);
  const file = values.rejects === undefined ? null : await openRejects(values.rejects);
  const target = file ?? io.stderr;
  const interrupt = interruption();
  // Reading stops at a signal, or when stdout's reader is gone or failed: an open stdin must not keep the process.
  let stopReading!: () => void;
  const stopped = new Promise<void>((resolve) => { stopReading = resolve; });
  let rejected: string[] = [];
  const onReject = (row: QuarantineRow): void => { rejected.push(JSON.stringify(row) + '\n'); };
  const flushRejects = async (): Promise<void> => {
    if (rejected.length === 0) return;
    const text = rejected.join('');
    rejected = [];
    await writeOut(target, text, values.rejects ?? 'stderr');
  };
  let delivered = true;
  try {
    const gold = createGoldStream(options, onReject);
    const { fx, maxLineBytes } = gold.engine.options;
    const subs = values.subscriptions === undefined ? null : await readSubscriptions(values.subscriptions, fx, maxLineBytes, onReject);
    await flushRejects();
    const marketing = values.marketing === undefined ? null : await readMarketing(values.marketing, maxLineBytes, onReject);
    await flushRejects();
    const input = readUntil(io.stdin, Promise.race([interrupt.signal, stopped]));
    const texts = goldOutput(gold, input, {
      sides: { subscriptions: subs?.rows, marketing: marketing?.rows },
      ticker: values.emitEveryMs === undefined ? undefined : wallTicker(values.emitEveryMs),
      afterPush: flushRejects,
    });
    for await (const text of texts) {
      await flushRejects();
      if (!delivered || text === '') continue;
      delivered = await writeOut(io.stdout, text);
      if (!delivered) stopReading();
    }
    if (delivered && (values.verbose || io.stderr.isTTY)) {
      const parts = [eventsLine(gold.engine.info)];
      if (subs !== null) parts.push(sourceLine('subscriptions', subs.info));
      if (marketing !== null) parts.push(sourceLine('marketing_spend', marketing.info));
      const signal = interrupt.received();
      io.stderr.write(`audicin gold: ${signal === null ? '' : `interrupted by ${signal}, tables over the input read; `}${parts.join('; ')}\n`);
    }
  } finally {
    stopReading();
    interrupt.release();
    await closeRejects(file);
  }
  const signal = interrupt.received();
  return signal === null ? 0 : signalExit(signal);
}
