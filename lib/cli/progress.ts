// Progress of a long `run` on a terminal: one cli-progress bar on stderr with the step, the
// bytes of the events file read of its total, events (lines) per second and the ETA. The
// readers of every thread report over a BroadcastChannel (lib/readers.ts); an events file
// read by N threads counts 1/N per thread. Shown only when stderr is a terminal.
import { BroadcastChannel } from 'node:worker_threads';
import cliProgress from 'cli-progress';
import { PROGRESS_CHANNEL, PROGRESS_ENV, type ProgressMessage } from '../io/readers.js';

type Output = NodeJS.WritableStream & { isTTY?: boolean };

/** True when `stream` is a terminal (a TTY `WriteStream`, or anything saying `isTTY`). */
export const isTerminal = (stream: Output): boolean => stream.isTTY === true;

const MB = 1e6;

/**
 * Shows the progress of the run about to start on `stream`; returns the function that ends it.
 * Threads started before this call report nothing.
 */
export function showProgress(stream: Output): () => void {
  const bar = new cliProgress.SingleBar({
    stream,
    format: 'audicin run: {stage} |{bar}| {read}/{size} MB | {rate} events/s | ETA {eta_formatted}',
    barsize: 24,
    hideCursor: false,
    clearOnComplete: false,
    fps: 4,
    etaBuffer: 30,
  }, cliProgress.Presets.shades_classic);
  const started = performance.now();
  let expected: { path: string; reads: number; bytes: number } | null = null;
  let bytes = 0, lines = 0;
  const payload = (stage?: string): Record<string, string> => ({
    ...(stage === undefined ? {} : { stage }),
    read: (bytes / MB).toFixed(1),
    size: expected === null ? '?' : (expected.bytes / MB).toFixed(1),
    rate: Math.round(lines / Math.max(1e-3, (performance.now() - started) / 1000)).toLocaleString('en-US'),
  });
  bar.start(1, 0, { stage: 'starting', read: '0.0', size: '?', rate: '0' });
  const channel = new BroadcastChannel(PROGRESS_CHANNEL);
  channel.onmessage = (event: unknown) => {
    const msg = (event as { data: ProgressMessage }).data;
    if ('stage' in msg) {
      // A later step: the events are read (or, out of core, shuffled) by then.
      if (expected !== null && msg.stage !== 'reading events' && msg.stage !== 'shuffling events') bytes = expected.bytes;
      bar.update(bytes, payload(msg.stage));
      // Drawn at once, not at the next frame: a short step would otherwise never show.
      (bar as unknown as { render(): void }).render();
    } else if ('expect' in msg) {
      expected = msg.expect;
      bar.setTotal(Math.max(1, expected.bytes));
    } else if (expected !== null && msg.read.path === expected.path) {
      bytes = Math.min(expected.bytes, bytes + msg.read.bytes / expected.reads);
      lines += msg.read.lines / expected.reads;
      bar.update(Math.round(bytes), payload());
    }
  };
  process.env[PROGRESS_ENV] = '1';
  return () => {
    delete process.env[PROGRESS_ENV];
    channel.close();
    // The run is over: all was read, whatever messages are still on their way.
    if (expected !== null) bytes = expected.bytes;
    bar.update(expected?.bytes ?? 1, payload('done'));
    bar.stop();
  };
}
