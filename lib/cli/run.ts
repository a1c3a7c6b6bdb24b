// The `run` command: the batch pipeline over an input folder, then a short summary on stdout.
import { resolve } from 'node:path';
import { abortActiveStagings } from '../io/output.js';
import { runPipeline } from '../pipeline.js';
import type { Options } from '../options.js';
import { quarantinedTotal } from '../core/report.js';
import type { FlagValues } from './flags.js';
import { signalExit, writeOut, type CommandIo } from './output.js';
import { isTerminal, showProgress } from './progress.js';

const runOptions = (v: FlagValues): Options => ({
  input: v.input, out: v.out, timezone: v.timezone, fx: v.fx, botThreshold: v.botThreshold,
  botWindowMs: v.botWindowMs, maxLineBytes: v.maxLineBytes, workers: v.workers, memory: v.memory, now: v.now, format: v.silverFormat,
});

/** On SIGINT or SIGTERM: the staging folder and the lock go, `--out` stays as it was. */
function onSignal(signal: NodeJS.Signals): void {
  abortActiveStagings();
  process.stderr.write(`audicin: interrupted by ${signal}\n`);
  process.exit(signalExit(signal));
}

/** `audicin run`: resolves to the exit code. */
export async function runCommand(values: FlagValues, io: CommandIo): Promise<number> {
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  let result;
  const endProgress = values.quiet === true || !isTerminal(io.stderr) ? null : showProgress(io.stderr);
  try {
    result = await runPipeline(runOptions(values));
  } finally {
    endProgress?.();
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
  const { report, gold, out, repaired } = result;
  if (repaired !== null) io.stderr.write(`${repaired}\n`);
  const line = (name: keyof typeof report.sources): string => {
    const s = report.sources[name];
    return `  ${name.padEnd(16)} ${String(s.records).padStart(8)} records  ${String(s.silver).padStart(8)} silver  ${String(s.superseded).padStart(6)} superseded  ${String(quarantinedTotal(s)).padStart(6)} quarantined`;
  };
  const summary = [
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
    `Full tables: ${resolve(out, 'gold')}/<table>.csv, .ndjson and .parquet; silver in ${resolve(out, 'silver')}, rejects in ${resolve(out, 'quarantine')}, counts in ${resolve(out, 'report.json')}`,
    `Look at them: audicin show --out ${out}`,
  ];
  // The lakehouse is already in place: a reader that goes away (`| head -3`) is no error.
  await writeOut(io.stdout, summary.join('\n') + '\n');
  return 0;
}
