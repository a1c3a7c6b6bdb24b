// The command line: `audicin run|stream|gold`. Options are parsed and normalised here;
// errors meant for people are printed as one line, never a stack.
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { AudicinError, isAudicinError } from './errors.js';
import { abortActiveStagings } from './output.js';
import { loadFx } from './fx.js';
import { runPipeline } from './pipeline.js';
import { wholeNumberArg, type Options } from './options.js';
import { quarantinedTotal } from './report.js';
import { STREAM_HELP, streamMain, writeOut } from './stream-cli.js';

const HELP = `audicin: the Audicin lakehouse engine

Usage:
  audicin run [options]     read an input folder, write bronze, silver, quarantine, gold
  audicin stream [options]  NDJSON events on stdin, silver event rows on stdout (see below)
  audicin gold [options]    NDJSON events on stdin, every gold table on stdout at the end
  audicin --help            this text

Options of run:
  --input DIR            folder with events.ndjson, subscriptions.json, marketing_spend.csv
                         (default: the bundled sample, fixtures/sample)
  --out DIR              where the lakehouse goes (default: lakehouse)
  --timezone ZONE        IANA zone for event days, weeks and months (default: UTC)
  --fx FILE              rate table, JSON {"EUR": 1.08} or CSV currency,usd_per_unit
                         (default: USD 1, EUR 1.08, NGN 0.00065)
  --bot-threshold N      more than N events in one window make a bot (default: 20)
  --bot-window-ms N      the bot window in milliseconds (default: 1000)
  --max-line-bytes N     longer lines are quarantined as line_too_long (default: 1048576)
  --workers N            threads sharing the events file (default: every core for
                         files of 16 MiB and more, else 1)
  --now TIMESTAMP        the run's clock: events more than a day after it (or before
                         2000) are implausible_timestamp (default: the wall clock)

${STREAM_HELP}`;

const OPTIONS = {
  input: { type: 'string' },
  out: { type: 'string' },
  timezone: { type: 'string' },
  fx: { type: 'string' },
  'bot-threshold': { type: 'string' },
  'bot-window-ms': { type: 'string' },
  'max-line-bytes': { type: 'string' },
  workers: { type: 'string' },
  memory: { type: 'string' },
  now: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];

const num = (values: Values, name: 'bot-threshold' | 'bot-window-ms' | 'max-line-bytes' | 'workers'): number | undefined =>
  wholeNumberArg(name, values[name]);

/** Options shared by every command, normalised from the command line. */
async function commonOptions(values: Values): Promise<Options> {
  return {
    input: values.input === undefined ? undefined : resolve(values.input),
    out: values.out,
    timezone: values.timezone,
    fx: values.fx === undefined ? undefined : await loadFx(values.fx),
    botThreshold: num(values, 'bot-threshold'),
    botWindowMs: num(values, 'bot-window-ms'),
    maxLineBytes: num(values, 'max-line-bytes'),
    workers: num(values, 'workers'),
    memory: values.memory,
    now: values.now,
  };
}

const SIGNAL_EXIT = { SIGINT: 130, SIGTERM: 143 } as const;

/** On SIGINT or SIGTERM: the staging folder and the lock go, `--out` stays as it was. */
function onSignal(signal: keyof typeof SIGNAL_EXIT): void {
  abortActiveStagings();
  process.stderr.write(`audicin: interrupted by ${signal}\n`);
  process.exit(SIGNAL_EXIT[signal]);
}

async function run(values: Values): Promise<void> {
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  let result;
  try {
    result = await runPipeline(await commonOptions(values));
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
  const { report, gold, out, repaired } = result;
  if (repaired !== null) process.stderr.write(`${repaired}\n`);
  const line = (name: string): string => {
    const s = report.sources[name as keyof typeof report.sources];
    return `  ${name.padEnd(16)} ${String(s.records).padStart(8)} records  ${String(s.silver).padStart(8)} silver  ${String(s.superseded).padStart(6)} superseded  ${String(quarantinedTotal(s)).padStart(6)} quarantined`;
  };
  const out1 = [
    `audicin: lakehouse written to ${resolve(out)}`,
    line('events'), line('subscriptions'), line('marketing_spend'),
    `  bots             ${report.bots.length} user(s)`,
    '',
    'daily_active_users (first rows):',
    ...gold.daily_active_users.slice(0, 5).map((r) => `  ${r.date}  dau=${r.dau}`),
    'daily_revenue_net (first rows):',
    ...gold.daily_revenue_net.slice(0, 5).map((r) => `  ${r.date}  gross=${r.gross_revenue_usd}  refunds=${r.refunds_usd}  net=${r.net_revenue_usd}`),
    '',
    `Report with charts: ${resolve(out, 'report.html')} (open it in a browser)`,
    `Full tables: ${resolve(out, 'gold')}/<table>.csv and .ndjson; silver in ${resolve(out, 'silver')}, rejects in ${resolve(out, 'quarantine')}, counts in ${resolve(out, 'report.json')}`,
  ];
  // The lakehouse is already in place: a reader that goes away (`| head -3`) is no error.
  await writeOut(process.stdout, out1.join('\n') + '\n');
}

const ignore = (): void => undefined;

/** Runs the CLI with `argv` (without node and the script); resolves to the exit code. */
export async function main(argv: string[]): Promise<number> {
  // Each write to stdout reports its own failure (writeOut); without a listener, the same
  // error would also be thrown as an unhandled 'error' event, with a stack.
  if (!process.stdout.listeners('error').includes(ignore)) process.stdout.on('error', ignore);
  try {
    if (argv[0] === 'stream' || argv[0] === 'gold') return await streamMain(argv[0], argv.slice(1));
    let parsed;
    try {
      parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
    } catch (err) {
      throw new AudicinError('E_USAGE', `${(err as Error).message} (see audicin --help)`);
    }
    const { values, positionals } = parsed;
    const command = positionals[0];
    if (values.help || command === 'help' || command === undefined) {
      await writeOut(process.stdout, HELP);
      return command === undefined && !values.help ? 2 : 0;
    }
    if (command === 'run') {
      await run(values);
      return 0;
    }
    throw new AudicinError('E_USAGE', `unknown command '${command}' (see audicin --help)`);
  } catch (err) {
    if (isAudicinError(err)) {
      process.stderr.write(`${err.message}\n`);
      return err.code === 'E_USAGE' ? 2 : 1;
    }
    process.stderr.write(`audicin: internal error: ${(err as Error)?.message ?? String(err)}\n`);
    return 70;
  }
}
