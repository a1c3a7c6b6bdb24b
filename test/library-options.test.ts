// Options at the library and CLI boundary (issue 8, item 12): misuse is one E_BAD_OPTION line
// naming the option, what was expected and what was got; never an untyped TypeError, and never
// a bronze copy outside the output folder.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveOptions, wholeNumberArg, type Options } from '../lib/options.js';
import { runPipeline } from '../lib/pipeline.js';
import { createStreamEngine } from '../lib/stream/engine.js';
import { SilverTransform, type SilverTransformOptions } from '../lib/stream/transform.js';
import { resolveStreamOptions, type StreamOptions } from '../lib/stream/options.js';
import { tempDir, writeInput } from './helpers.js';

const BIN = fileURLToPath(new URL('../../bin/audicin.js', import.meta.url));

function fails(run: () => unknown, message: string): void {
  try {
    run();
  } catch (err) {
    assert.is((err as { code?: string }).code, 'E_BAD_OPTION', String(err));
    assert.is((err as Error).message, `audicin: ${message}`);
    return;
  }
  assert.unreachable(`accepted, expected: ${message}`);
}

async function runFails(options: unknown, message: string): Promise<void> {
  try {
    await runPipeline(options as Options);
  } catch (err) {
    assert.is((err as { code?: string }).code, 'E_BAD_OPTION', String(err));
    assert.is((err as Error).message, `audicin: ${message}`);
    return;
  }
  assert.unreachable(`accepted, expected: ${message}`);
}

const FILE = 'expected a plain file name (no folder, not . or ..)';

test('runPipeline: wrong types are E_BAD_OPTION naming the option, expected and got', async () => {
  await runFails(null, 'options: expected an object, got null');
  await runFails([], 'options: expected an object, got []');
  await runFails({ out: 7 }, 'out: expected a folder path (a non-empty string), got 7');
  await runFails({ input: '' }, 'input: expected a folder path (a non-empty string), got ""');
  await runFails({ files: { events: 5 } }, `files.events: ${FILE}, got 5`);
  await runFails({ files: 'events.ndjson' }, 'files: expected an object of file names by source, got "events.ndjson"');
  await runFails({ files: { event: 'x.ndjson' } }, 'files.event: expected one of events, subscriptions, marketing_spend');
  await runFails({ timezone: 5 }, 'timezone: expected an IANA zone like Europe/Helsinki, got 5');
  await runFails({ botThreshold: '5' }, 'bot-threshold: expected a positive whole number, got "5"');
  await runFails({ workers: 1.5 }, 'workers: expected a positive whole number, got 1.5');
  await runFails({ maxLineBytes: -1 }, 'max-line-bytes: expected a positive whole number, got -1');
  await runFails({ fx: 5 }, 'fx: expected an object of rates in USD per unit, got 5');
  await runFails({ fx: {} }, 'fx: expected at least one currency rate, got none');
  await runFails({ fx: { USD: 1, EUR: NaN } }, "fx: entry 2 ('EUR'): expected a rate in USD per unit, a plain number > 0 and <= 1e6, got NaN");
  await runFails({ fx: { USD: 10n } }, "fx: entry 1 ('USD'): expected a rate in USD per unit, a plain number > 0 and <= 1e6, got 10n");
  await runFails({ format: 'csv' as never }, 'format: expected parquet or ndjson, got "csv"');
  await runFails({ format: 1 as never }, 'format: expected parquet or ndjson, got 1');
});

test('files: a source name is a plain name, so no bronze copy lands outside --out', async () => {
  const root = tempDir();
  const out = join(root, 'a', 'b', 'out');
  for (const name of ['../../x.ndjson', 'sub/events.ndjson', '/tmp/events.ndjson', 'a\\b.ndjson', '.', '..', 'x\u0000y', '']) {
    await runFails({ input: writeInput({}), out, files: { events: name } }, `files.events: ${FILE}, got ${JSON.stringify(name)}`);
  }
  assert.equal(readdirSync(root), []);
  assert.not.ok(existsSync(join(root, 'x.ndjson')));
  // Plain names still work; an option left null or undefined is the default.
  const input = writeInput({});
  const { report } = await runPipeline({ input, out, files: { events: 'events.ndjson', subscriptions: null as never, marketing_spend: undefined },
    workers: null as never });
  assert.is(report.sources.subscriptions.file, 'subscriptions.json');
});

test('fx option: codes normalised like a file, the table checked like a file', () => {
  assert.equal(resolveOptions({ fx: { ' eur ': 2, usd: 1 } }).fx, { EUR: 2, USD: 1 });
  fails(() => resolveOptions({ fx: { EUR: 2e6 } }), "fx: entry 1 ('EUR'): expected a rate in USD per unit, a plain number > 0 and <= 1e6, got 2000000");
  fails(() => resolveOptions({ fx: { EUR: '1.08' } as never }), "fx: entry 1 ('EUR'): expected a rate in USD per unit, a plain number > 0 and <= 1e6, got \"1.08\"");
  fails(() => resolveOptions({ fx: { EURO: 1 } }), 'fx: entry 1: expected a currency code of three letters, got "EURO"');
});

test('stream options: wrong types are E_BAD_OPTION too', () => {
  const sink = { event: () => undefined, reject: () => undefined };
  fails(() => resolveStreamOptions(null as unknown as StreamOptions), 'options: expected an object, got null');
  fails(() => createStreamEngine(7 as unknown as StreamOptions, sink), 'options: expected an object, got 7');
  fails(() => resolveStreamOptions({ source: 5 } as unknown as StreamOptions), 'source: expected a non-empty string, got 5');
  fails(() => resolveStreamOptions({ retainMs: '1' } as unknown as StreamOptions), 'retain: expected a whole number of ms >= 0, got "1"');
  fails(() => resolveStreamOptions({ fx: [] } as unknown as StreamOptions), 'fx: expected an object of rates in USD per unit, got []');
  fails(() => resolveStreamOptions({ windowMs: Infinity }), 'window: expected a positive whole number, got Infinity');
  fails(() => new SilverTransform(null as unknown as SilverTransformOptions), 'options: expected an object, got null');
  fails(() => new SilverTransform({ output: 'xml' } as unknown as SilverTransformOptions), 'output: expected \'ndjson\' or \'objects\', got "xml"');
  fails(() => new SilverTransform({ rejects: 'file.ndjson' } as unknown as SilverTransformOptions),
    'rejects: expected a writable stream or a function, got "file.ndjson"');
});

test('--bot-threshold and the other counts take plain decimal digits only', () => {
  assert.is(wholeNumberArg('bot-threshold', '16'), 16);
  assert.is(wholeNumberArg('bot-threshold', '016'), 16);
  assert.is(wholeNumberArg('bot-threshold', undefined), undefined);
  for (const raw of ['0x10', '1e3', '16.0', '+16', ' 16', '16 ', '', '0', '-1', '0b1', '99999999999999999999']) {
    fails(() => wholeNumberArg('bot-threshold', raw), `--bot-threshold: expected a positive whole number, got '${raw}'`);
  }
  const r = spawnSync(process.execPath, [BIN, 'run', '--input', writeInput({}), '--out', tempDir(), '--bot-threshold', '0x10'], { encoding: 'utf8' });
  assert.is(r.status, 1);
  assert.is(r.stderr, "audicin: --bot-threshold: expected a positive whole number, got '0x10'\n");
  const s = spawnSync(process.execPath, [BIN, 'stream', '--max-line-bytes', '1e3'], { encoding: 'utf8', input: '' });
  assert.is(s.status, 1);
  assert.is(s.stderr, "audicin: --max-line-bytes: expected a positive whole number, got '1e3'\n");
});

test.run();
