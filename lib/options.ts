// Options: normalised once at the boundary (CLI or library) into ResolvedOptions.
import { fileURLToPath } from 'node:url';
import { isValidZone } from './core/calendar.js';
import { AudicinError } from './core/errors.js';
import { isObject, show } from './core/fields.js';
import { DEFAULT_FX, fxEntries, fxTable } from './core/fx.js';
import { parseTimestamp } from './core/time.js';
import type { ResolvedOptions, SilverFormat, SourceName } from './core/types.js';

/** What a library user or the CLI may set; every field has a default. */
export type Options = Partial<Omit<ResolvedOptions, 'files' | 'now' | 'memory'>> & {
  /** Memory budget: bytes, or a size like `512MB`, `2GB`, `1GiB` (see parseSize). Default 1 GiB. */
  memory?: number | string;
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
  memory: 1 << 30,
  format: 'parquet',
});

/** One line for an option a library user set wrong: its name, what it should be, what it is. */
export const badOption = (name: string, expected: string, got: unknown): AudicinError =>
  new AudicinError('E_BAD_OPTION', `${name}: expected ${expected}, got ${show(got)}`);

/** Fails unless `options` is an object (or absent, when the caller gives the default). */
export function checkOptionsObject(options: unknown): void {
  if (!isObject(options)) throw badOption('options', 'an object', options);
}

function positiveInt(name: string, value: unknown): number {
  if (!Number.isSafeInteger(value) || (value as number) <= 0) throw badOption(name, 'a positive whole number', value);
  return value as number;
}

/**
 * A command-line value that must be a positive whole number, written in plain decimal digits
 * (`0x10`, `1e3` or `+5` are refused, not read as numbers), or undefined when absent.
 */
export function wholeNumberArg(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const n = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(n) || n <= 0) throw new AudicinError('E_BAD_OPTION', `--${name}: expected a positive whole number, got '${raw}'`);
  return n;
}

function folderPath(name: string, value: unknown, fallback: string): string {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'string' || value === '') throw badOption(name, 'a folder path (a non-empty string)', value);
  return value;
}

const SOURCES = Object.keys(DEFAULTS.files) as SourceName[];

/**
 * Source file names: each a plain name inside `input`, so its bronze copy stays inside
 * `out` (`../x` would land `bronze/../x`). Unset sources keep their default names.
 */
function sourceFiles(files: unknown): Record<SourceName, string> {
  const out = { ...DEFAULTS.files };
  if (files === undefined || files === null) return out;
  if (!isObject(files)) throw badOption('files', 'an object of file names by source', files);
  for (const [source, name] of Object.entries(files)) {
    if (!SOURCES.includes(source as SourceName)) {
      throw new AudicinError('E_BAD_OPTION', `files.${source}: expected one of ${SOURCES.join(', ')}`);
    }
    if (name === undefined || name === null) continue;
    if (typeof name !== 'string' || name === '' || name === '.' || name === '..' || /[/\\\u0000]/.test(name)) {
      throw badOption(`files.${source}`, 'a plain file name (no folder, not . or ..)', name);
    }
    out[source as SourceName] = name;
  }
  return out;
}

/** A user's rate table, checked as a --fx file is (codes upper-cased, rates in range). */
function fxOption(fx: unknown): Record<string, number> {
  if (fx === undefined || fx === null) return DEFAULTS.fx;
  if (!isObject(fx)) throw badOption('fx', 'an object of rates in USD per unit', fx);
  return fxTable(fxEntries(fx), 'fx', 'E_BAD_OPTION');
}

/** Most threads a batch run may use: partitions are numbered in a byte. */
const MAX_WORKERS = 64;

function workerCount(value: number): number {
  if (positiveInt('workers', value) > MAX_WORKERS) {
    throw new AudicinError('E_BAD_OPTION', `workers: expected at most ${MAX_WORKERS}, got ${value}`);
  }
  return value;
}

const UNITS: Record<string, number> = {
  '': 1, b: 1, k: 1e3, kb: 1e3, m: 1e6, mb: 1e6, g: 1e9, gb: 1e9, t: 1e12, tb: 1e12,
  kib: 2 ** 10, mib: 2 ** 20, gib: 2 ** 30, tib: 2 ** 40,
};

/**
 * A size in bytes from text like `512MB`, `2GB`, `1GiB` or `1048576`: KB, MB, GB, TB are
 * powers of 1000, KiB, MiB, GiB, TiB powers of 1024; case and a space before the unit do
 * not matter. Anything else, or a size below one byte, is E_BAD_OPTION.
 */
export function parseSize(text: string, name = 'memory'): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  const unit = m === null ? undefined : UNITS[m[2].toLowerCase()];
  const bytes = unit === undefined ? NaN : Math.floor(Number(m![1]) * unit);
  if (!Number.isSafeInteger(bytes) || bytes < 1) {
    throw new AudicinError('E_BAD_OPTION', `${name}: expected a size like 512MB, 2GB or 1GiB, got '${text}'`);
  }
  return bytes;
}

function memoryOption(value: unknown): number {
  if (value === undefined || value === null) return DEFAULTS.memory;
  if (typeof value === 'string') return parseSize(value);
  return positiveInt('memory', value);
}

/** The silver formats of a batch run. */
export const SILVER_FORMATS: readonly SilverFormat[] = ['parquet', 'ndjson'];

function formatOption(value: unknown): SilverFormat {
  if (value === undefined || value === null) return DEFAULTS.format;
  if (!SILVER_FORMATS.includes(value as SilverFormat)) throw badOption('format', SILVER_FORMATS.join(' or '), value);
  return value as SilverFormat;
}

/**
 * The run's clock in UTC ms: `now` as a SPEC 1.2 timestamp, or epoch seconds or ms (a plain
 * number given as text counts as a number: the command line has only text); the wall clock when absent.
 */
export function resolveNow(now: number | string | null | undefined): number {
  if (now == null) return Date.now();
  const value = typeof now === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(now) ? Number(now) : now;
  const ms = parseTimestamp(value);
  if (Number.isNaN(ms)) {
    throw new AudicinError('E_BAD_OPTION', `now: expected a timestamp like 2026-11-30T12:00:00Z or epoch seconds or ms, got '${now}'`);
  }
  return ms;
}

/**
 * Checks the type and value of every option once, here, and fills in the defaults: an
 * option left undefined or null takes its default.
 */
export function resolveOptions(options: Options = {}): ResolvedOptions {
  checkOptionsObject(options);
  const timezone: unknown = options.timezone ?? DEFAULTS.timezone;
  if (typeof timezone !== 'string') throw badOption('timezone', 'an IANA zone like Europe/Helsinki', timezone);
  if (!isValidZone(timezone)) {
    throw new AudicinError('E_BAD_OPTION', `timezone: expected an IANA zone like Europe/Helsinki, got '${timezone}'`);
  }
  return {
    input: folderPath('input', options.input, DEFAULTS.input),
    out: folderPath('out', options.out, DEFAULTS.out),
    files: sourceFiles(options.files),
    timezone,
    fx: fxOption(options.fx),
    botThreshold: positiveInt('bot-threshold', options.botThreshold ?? DEFAULTS.botThreshold),
    botWindowMs: positiveInt('bot-window-ms', options.botWindowMs ?? DEFAULTS.botWindowMs),
    maxLineBytes: positiveInt('max-line-bytes', options.maxLineBytes ?? DEFAULTS.maxLineBytes),
    windowMs: positiveInt('window', options.windowMs ?? DEFAULTS.windowMs),
    workers: options.workers == null || options.workers === 0 ? 0 : workerCount(options.workers),
    memory: memoryOption(options.memory),
    format: formatOption(options.format),
    now: resolveNow(options.now),
  };
}
