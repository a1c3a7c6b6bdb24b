// The one table of command-line flags: for each flag its name, its value, the commands that
// take it, its help line with the default, and how its text becomes an option value. The
// parseArgs options and every command's help are generated from it.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { AudicinError } from '../core/errors.js';
import { DEFAULT_FX } from '../core/fx.js';
import { loadFx } from '../io/fx-file.js';
import { DEFAULTS, SILVER_FORMATS, parseSize, wholeNumberArg } from '../options.js';
import { parseDuration } from '../stream/options.js';
import { parseDate } from '../core/time.js';
import type { SilverFormat } from '../core/types.js';

export type Command = 'run' | 'stream' | 'gold' | 'show';

/** The output formats of `show`. */
export const SHOW_FORMATS = ['table', 'csv', 'ndjson'] as const;
export type ShowFormat = (typeof SHOW_FORMATS)[number];

/**
 * Every flag's value once parsed, by key. Keys that name a library option (`botThreshold`,
 * `windowMs`, …) hold its value in the library's form, so a command passes them on as they are.
 */
export interface FlagValues {
  input?: string;
  out?: string;
  timezone?: string;
  fx?: Record<string, number>;
  botThreshold?: number;
  botWindowMs?: number;
  maxLineBytes?: number;
  workers?: number;
  memory?: number;
  now?: string;
  windowMs?: number;
  retainMs?: number;
  rejects?: string;
  source?: string;
  verbose?: boolean;
  subscriptions?: string;
  marketing?: string;
  emitEveryMs?: number;
  from?: string;
  to?: string;
  limit?: number;
  format?: ShowFormat;
  silverFormat?: SilverFormat;
  quiet?: boolean;
  help?: boolean;
}

export interface Flag<K extends keyof FlagValues = keyof FlagValues> {
  /** Long name, without the dashes. */
  name: string;
  /** Name of the value in help (`N`, `DIR`); a flag without one is a boolean switch. */
  arg?: string;
  short?: string;
  /** Where the parsed value goes. */
  key: K;
  /** The commands that take it. A name may appear twice, for disjoint commands, when its meaning differs. */
  commands: readonly Command[];
  /** What it does, one sentence. */
  help: string;
  /** The default as people read it; none for a switch or a flag whose absence is its own meaning. */
  default?: string;
  /** Text to value; may throw an `E_BAD_OPTION` AudicinError naming `--name`. Default: the text as is. */
  parse?: (text: string, name: string) => FlagValues[K] | Promise<FlagValues[K]>;
}

const flag = <K extends keyof FlagValues>(f: Flag<K>): Flag => f as unknown as Flag;

const whole = (text: string, name: string): number => wholeNumberArg(name, text)!;

function dateArg(text: string, name: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text) || parseDate(text) !== text) {
    throw new AudicinError('E_BAD_OPTION', `--${name}: expected a date like 2026-01-31, got '${text}'`);
  }
  return text;
}

/** A parser of a value among `choices`. */
const choiceArg = <T extends string>(choices: readonly T[]) => (text: string, name: string): T => {
  if (!(choices as readonly string[]).includes(text)) {
    throw new AudicinError('E_BAD_OPTION', `--${name}: expected one of ${choices.join(', ')}, got '${text}'`);
  }
  return text as T;
};

const fxText = Object.entries(DEFAULT_FX).map(([code, rate]) => `${code} ${rate}`).join(', ');
const FILTERS: readonly Command[] = ['stream', 'gold'];
const ENGINES: readonly Command[] = ['run', 'stream', 'gold'];

/** Every flag of every command, in help order. */
export const FLAGS: readonly Flag[] = [
  flag({ name: 'input', arg: 'DIR', key: 'input', commands: ['run'], parse: (t) => resolve(t),
    help: 'folder with events.ndjson, subscriptions.json, marketing_spend.csv', default: 'the bundled sample, fixtures/sample' }),
  flag({ name: 'out', arg: 'DIR', key: 'out', commands: ['run'], help: 'where the lakehouse goes', default: DEFAULTS.out }),
  flag({ name: 'out', arg: 'DIR', key: 'out', commands: ['show'], help: 'the lakehouse to read', default: DEFAULTS.out }),
  flag({ name: 'window', arg: 'DURATION', key: 'windowMs', commands: FILTERS, parse: parseDuration,
    help: 'dedup window: 1h, 30m, 90s, 500ms or a number of ms', default: '1h' }),
  flag({ name: 'retain', arg: 'DURATION', key: 'retainMs', commands: FILTERS, parse: parseDuration,
    help: 'how long past the window a final id is still recognised, so a later version of it is late_event',
    default: 'the window' }),
  flag({ name: 'rejects', arg: 'FILE', key: 'rejects', commands: FILTERS,
    help: 'quarantined rows, late_event included, as NDJSON', default: 'stderr' }),
  flag({ name: 'source', arg: 'NAME', key: 'source', commands: FILTERS, help: 'lineage source of rows and rejects', default: 'stdin' }),
  flag({ name: 'timezone', arg: 'ZONE', key: 'timezone', commands: ENGINES,
    help: 'IANA zone for event days, weeks and months', default: DEFAULTS.timezone }),
  flag({ name: 'fx', arg: 'FILE', key: 'fx', commands: ENGINES, parse: loadFx,
    help: 'rate table, JSON {"EUR": 1.08} or CSV currency,usd_per_unit', default: fxText }),
  flag({ name: 'bot-threshold', arg: 'N', key: 'botThreshold', commands: ENGINES, parse: whole,
    help: 'more than N events in one window make a bot', default: String(DEFAULTS.botThreshold) }),
  flag({ name: 'bot-window-ms', arg: 'N', key: 'botWindowMs', commands: ENGINES, parse: whole,
    help: 'the bot window in milliseconds', default: String(DEFAULTS.botWindowMs) }),
  flag({ name: 'max-line-bytes', arg: 'N', key: 'maxLineBytes', commands: ENGINES, parse: whole,
    help: 'longer lines are quarantined as line_too_long', default: String(DEFAULTS.maxLineBytes) }),
  flag({ name: 'workers', arg: 'N', key: 'workers', commands: ['run'], parse: whole,
    help: 'threads sharing the events file', default: 'every core for files of 16 MiB and more, else 1' }),
  flag({ name: 'memory', arg: 'SIZE', key: 'memory', commands: ['run'], parse: (text, name) => parseSize(text, `--${name}`),
    help: 'memory budget of a batch run: 512MB, 2GB, 1GiB; larger inputs run out of core', default: '1GiB' }),
  flag({ name: 'now', arg: 'TIMESTAMP', key: 'now', commands: ['run'],
    help: 'the run\'s clock: events more than a day after it (or before 2000) are implausible_timestamp',
    default: 'the wall clock' }),
  flag({ name: 'now', arg: 'TIMESTAMP', key: 'now', commands: FILTERS,
    help: 'the clock: later events by more than a day are implausible_timestamp', default: 'the wall clock as the input arrives' }),
  flag({ name: 'quiet', key: 'quiet', commands: ['run'],
    help: 'no progress bar on stderr (it is shown only when stderr is a terminal)' }),
  flag({ name: 'verbose', key: 'verbose', commands: FILTERS, help: 'a one-line count summary on stderr (always when stderr is a terminal)' }),
  flag({ name: 'subscriptions', arg: 'FILE', key: 'subscriptions', commands: ['gold'],
    help: 'subscriptions (JSON array or NDJSON), read as the batch run does' }),
  flag({ name: 'marketing', arg: 'FILE', key: 'marketing', commands: ['gold'], help: 'marketing spend CSV (date,channel,spend)' }),
  flag({ name: 'emit-every', arg: 'DURATION', key: 'emitEveryMs', commands: ['gold'], parse: parseDuration,
    help: 'every DURATION of wall time (counted from the previous snapshot) and at the end, every table as a numbered snapshot: {"snapshot":n,"table":…} rows',
    default: 'the tables once, at the end, without a snapshot field' }),
  flag({ name: 'from', arg: 'DATE', key: 'from', commands: ['show'], parse: dateArg,
    help: 'first day of rows to show (YYYY-MM-DD), by the table\'s date column' }),
  flag({ name: 'to', arg: 'DATE', key: 'to', commands: ['show'], parse: dateArg, help: 'last day of rows to show, included' }),
  flag({ name: 'limit', arg: 'N', key: 'limit', commands: ['show'], parse: whole,
    help: 'show at most N rows', default: '20 for table, every row for csv and ndjson' }),
  flag({ name: 'format', arg: 'FORMAT', key: 'silverFormat', commands: ['run'], parse: choiceArg(SILVER_FORMATS),
    help: 'silver tables as parquet (events in day partitions, silver/events/event_date=YYYY-MM-DD/part-0.parquet) or ndjson (silver/<table>.ndjson)',
    default: DEFAULTS.format }),
  flag({ name: 'format', arg: 'FORMAT', key: 'format', commands: ['show'], parse: choiceArg(SHOW_FORMATS),
    help: 'table (aligned, for people), csv or ndjson', default: 'table' }),
  flag({ name: 'verbose', key: 'verbose', commands: ['show'],
    help: 'the Parquet day partitions and row groups read and skipped, one line on stderr' }),
  flag({ name: 'help', short: 'h', key: 'help', commands: ['run', 'stream', 'gold', 'show'], help: 'this text' }),
];

/** The commands, in help order, with what they read and do. */
export const COMMANDS: readonly { name: Command; usage: string; summary: string }[] = [
  { name: 'run', usage: 'audicin run [options]', summary: 'an input folder to bronze, silver, quarantine and gold' },
  { name: 'stream', usage: 'audicin stream [options] < events.ndjson', summary: 'silver event rows on stdout, each once its window closes' },
  { name: 'gold', usage: 'audicin gold [options] < events.ndjson', summary: 'gold tables on stdout at the end, or every --emit-every' },
  { name: 'show', usage: 'audicin show [TABLE] [options]', summary: "a lakehouse's tables and row counts, or one table's rows" },
];

export const isCommand = (name: string | undefined): name is Command => COMMANDS.some((c) => c.name === name);

export const flagsOf = (command: Command): Flag[] => FLAGS.filter((f) => f.commands.includes(command));

const label = (f: Flag): string => `--${f.name}${f.arg === undefined ? '' : ` ${f.arg}`}${f.short === undefined ? '' : `, -${f.short}`}`;

const WIDTH = 92;
const INDENT = 25;

/** `text` in lines of at most WIDTH columns, the first after `head`, the rest indented to line up. */
function wrap(head: string, text: string): string {
  const lines: string[] = [];
  let line = head.length >= INDENT - 1 ? `${head}\n${' '.repeat(INDENT)}` : head.padEnd(INDENT);
  let fresh = true;
  for (const word of text.split(' ')) {
    const lastBreak = line.lastIndexOf('\n') + 1;
    if (!fresh && line.length - lastBreak + 1 + word.length > WIDTH) {
      lines.push(line);
      line = ' '.repeat(INDENT) + word;
    } else {
      line += (fresh ? '' : ' ') + word;
    }
    fresh = false;
  }
  lines.push(line);
  return lines.join('\n');
}

/** The options section of `command`'s help: one entry per flag, with its default. */
export function optionsHelp(command: Command): string {
  return flagsOf(command).map((f) => wrap(`  ${label(f)}`, f.default === undefined ? f.help : `${f.help} (default: ${f.default})`)).join('\n') + '\n';
}

/** `audicin COMMAND --help`. */
export function commandHelp(command: Command): string {
  const c = COMMANDS.find((x) => x.name === command)!;
  return `Usage: ${c.usage}\n  ${c.summary}\n\nOptions:\n${optionsHelp(command)}${COMMAND_NOTES[command]}`;
}

/** What a command's help says beyond its flags. */
const COMMAND_NOTES: Record<Command, string> = {
  run: '',
  stream: '',
  gold: '',
  show: `
TABLE is gold.<name> (or just <name>), silver.events, silver.subscriptions, silver.marketing_spend,
quarantine.<source> or superseded.<source>. Without TABLE: every table with its row count and
the quarantine reasons. --from/--to filter by event_date (silver.events), date (the daily gold
tables, silver.marketing_spend) or cohort_week (gold.weekly_cohort_retention).
`,
};

/** `audicin --help`: the commands, then every command's options. */
export function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.usage.length)) + 2;
  const usage = COMMANDS.map((c) => `  ${c.usage.padEnd(width)}${c.summary}`);
  return `audicin: the Audicin lakehouse engine

Usage:
${usage.join('\n')}
  ${'audicin COMMAND --help'.padEnd(width)}the options of one command
  ${'audicin --help'.padEnd(width)}this text
${COMMANDS.map((c) => `\nOptions of ${c.name}:\n${optionsHelp(c.name)}`).join('')}`;
}

/** Parsed command line of one command: its flags' values and its positional arguments. */
export interface Parsed {
  values: FlagValues;
  positionals: string[];
}

/**
 * Parses the arguments after `command`. A usage error (unknown flag, missing value, stray
 * argument) is `E_USAGE`; a flag value that does not parse is `E_BAD_OPTION`. With --help
 * nothing else is parsed.
 */
export async function parseFlags(command: Command, args: string[], usagePrefix = `${command}: `): Promise<Parsed> {
  const flags = flagsOf(command);
  const options: Record<string, { type: 'string' | 'boolean'; short?: string }> = {};
  for (const f of flags) options[f.name] = { type: f.arg === undefined ? 'boolean' : 'string', ...(f.short === undefined ? {} : { short: f.short }) };
  let raw: Record<string, string | boolean | undefined>;
  let positionals: string[];
  try {
    ({ values: raw, positionals } = parseArgs({ args, options, strict: true, allowPositionals: command === 'show' }) as
      { values: Record<string, string | boolean | undefined>; positionals: string[] });
  } catch (err) {
    throw new AudicinError('E_USAGE', `${usagePrefix}${(err as Error).message} (see audicin ${command} --help)`);
  }
  if (raw.help === true) return { values: { help: true }, positionals };
  const values: Record<string, unknown> = {};
  for (const f of flags) {
    const text = raw[f.name];
    if (text === undefined) continue;
    values[f.key] = typeof text === 'boolean' ? text : f.parse === undefined ? text : await f.parse(text, f.name);
  }
  return { values: values as FlagValues, positionals };
}
