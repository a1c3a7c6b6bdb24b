// Options: normalised once at the boundary (CLI or library) into ResolvedOptions.
import { fileURLToPath } from 'node:url';
import { isValidZone } from './calendar.js';
import { AudicinError } from './errors.js';
import { DEFAULT_FX } from './fx.js';
import { parseTimestamp } from './time.js';
import type { ResolvedOptions } from './types.js';

/** What a library user or the CLI may set; every field has a default. */
export type Options = Partial<Omit<ResolvedOptions, 'files' | 'now'>> & {
  files?: Partial<ResolvedOptions['files']>;
  /** The run's clock: a SPEC 1.2 timestamp, epoch seconds or ms (a number, or its text). Default: the wall clock. */
  now?: number | string;
};

/** The committed sample of this package. */
export const SAMPLE_INPUT = fileURLToPath(new URL('../../fixtures/sample', import.meta.url));

/** Every default but `now`, which is the wall clock at resolution. */
export const DEFAULTS: Readonly<Omit<ResolvedOptions, 'now'>> = Object.freeze({
  input: SAMPLE_INPUT,
  out: 'lakehouse',
  files: { events: 'events.ndjson', subscriptions: 'subscriptions.json', marketing_spend: 'marketing_spend.csv' },
  timezone: 'UTC',
  fx: DEFAULT_FX,
  botThreshold: 20,
  botWindowMs: 1000,
  maxLineBytes: 1 << 20,
  windowMs: 3_600_000,
  workers: 0,
});

function positiveInt(name: string, value: number): number {
  if (!Number.isInteger(value) || value <= 0) {
    throw new AudicinError('E_BAD_OPTION', `${name}: expected a positive whole number, got ${value}`);
  }
  return value;
}

/** A command-line value that must be a positive whole number, or undefined when absent. */
export function wholeNumberArg(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw new AudicinError('E_BAD_OPTION', `--${name}: expected a positive whole number, got '${raw}'`);
  return n;
}

/** Most threads a batch run may use: partitions are numbered in a byte. */
const MAX_WORKERS = 64;

function workerCount(value: number): number {
  if (positiveInt('workers', value) > MAX_WORKERS) {
    throw new AudicinError('E_BAD_OPTION', `workers: expected at most ${MAX_WORKERS}, got ${value}`);
  }
  return value;
}

/**
 * The run's clock in UTC ms: `now` as a SPEC 1.2 timestamp, or epoch seconds or ms (a plain
 * number given as text counts as a number: the command line has only text); the wall clock when absent.
 */
export function resolveNow(now: number | string | undefined): number {
  if (now === undefined) return Date.now();
  const value = typeof now === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(now) ? Number(now) : now;
  const ms = parseTimestamp(value);
  if (Number.isNaN(ms)) {
    throw new AudicinError('E_BAD_OPTION', `now: expected a timestamp like 2026-11-30T12:00:00Z or epoch seconds or ms, got '${now}'`);
  }
  return ms;
}

export function resolveOptions(options: Options = {}): ResolvedOptions {
  const timezone = options.timezone ?? DEFAULTS.timezone;
  if (!isValidZone(timezone)) {
    throw new AudicinError('E_BAD_OPTION', `timezone: expected an IANA zone like Europe/Helsinki, got '${timezone}'`);
  }
  return {
    input: options.input ?? DEFAULTS.input,
    out: options.out ?? DEFAULTS.out,
    files: { ...DEFAULTS.files, ...options.files },
    timezone,
    fx: options.fx ?? DEFAULTS.fx,
    botThreshold: positiveInt('bot-threshold', options.botThreshold ?? DEFAULTS.botThreshold),
    botWindowMs: positiveInt('bot-window-ms', options.botWindowMs ?? DEFAULTS.botWindowMs),
    maxLineBytes: positiveInt('max-line-bytes', options.maxLineBytes ?? DEFAULTS.maxLineBytes),
    windowMs: positiveInt('window', options.windowMs ?? DEFAULTS.windowMs),
    workers: options.workers === undefined || options.workers === 0 ? 0 : workerCount(options.workers),
    now: resolveNow(options.now),
  };
}
