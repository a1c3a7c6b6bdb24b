// The FX table (SPEC 1.3, 2): three-letter codes, rates finite, > 0 and <= 1e6 written as
// plain numbers, a non-empty table; anything else is one E_FX_FILE line naming the file and entry.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadFx } from '../lib/io/fx-file.js';
import { tempDir, writeInput } from './helpers.js';

const BIN = fileURLToPath(new URL('../../bin/audicin.js', import.meta.url));

let n = 0;
function fxFile(text: string, ext = 'csv'): string {
  const file = join(tempDir(), `fx${n++}.${ext}`);
  writeFileSync(file, text);
  return file;
}

async function rejects(text: string, ext: string, message: (file: string) => string): Promise<void> {
  const file = fxFile(text, ext);
  try {
    await loadFx(file);
  } catch (err) {
    assert.is((err as { code?: string }).code, 'E_FX_FILE', String(err));
    assert.is((err as Error).message, `audicin: ${file}: ${message(file)}`);
    return;
  }
  assert.unreachable(`${text} was accepted`);
}

const RATE = 'expected a rate in USD per unit, a plain number > 0 and <= 1e6';

test('an empty table is an error, not "every currency unknown"', async () => {
  await rejects('{}', 'json', () => 'expected at least one currency rate, got none');
  await rejects('currency,usd_per_unit\n', 'csv', () => 'expected at least one currency rate, got none');
  await rejects('currency,usd_per_unit\n\n  \n', 'csv', () => 'expected at least one currency rate, got none');
});

test('CSV rates follow the numeric-string rule: NaN, Infinity, 0x10, empty and junk are errors', async () => {
  await rejects('currency,usd_per_unit\nUSD,1\nEUR,NaN\n', 'csv', () => `line 3 ('EUR'): ${RATE}, got "NaN"`);
  await rejects('currency,usd_per_unit\nEUR,Infinity\n', 'csv', () => `line 2 ('EUR'): ${RATE}, got "Infinity"`);
  await rejects('currency,usd_per_unit\nEUR,0x10\n', 'csv', () => `line 2 ('EUR'): ${RATE}, got "0x10"`);
  await rejects('currency,usd_per_unit\nEUR,\n', 'csv', () => `line 2 ('EUR'): ${RATE}, got ""`);
  await rejects('currency,usd_per_unit\nEUR,1e308\n', 'csv', () => `line 2 ('EUR'): ${RATE}, got "1e308"`);
  await rejects('currency,usd_per_unit\nEUR,1.08,x\n', 'csv', () => 'line 2: expected currency,usd_per_unit, got "EUR,1.08,x"');
  await rejects('currency,usd_per_unit\nEUR\n', 'csv', () => 'line 2: expected currency,usd_per_unit, got "EUR"');
});

test('JSON rates are JSON numbers, finite, > 0 and <= 1e6', async () => {
  await rejects('{"EUR": "1.08"}', 'json', () => `entry 1 ('EUR'): ${RATE}, got "1.08"`);
  await rejects('{"USD": 1, "EUR": 0}', 'json', () => `entry 2 ('EUR'): ${RATE}, got 0`);
  await rejects('{"EUR": -1.08}', 'json', () => `entry 1 ('EUR'): ${RATE}, got -1.08`);
  await rejects('{"EUR": 1000000.01}', 'json', () => `entry 1 ('EUR'): ${RATE}, got 1000000.01`);
  await rejects('{"EUR": 1e400}', 'json', () => `entry 1 ('EUR'): ${RATE}, got Infinity`);
  await rejects('{"EUR": null}', 'json', () => `entry 1 ('EUR'): ${RATE}, got null`);
  await rejects('{"EUR": {"rate": 1}}', 'json', () => `entry 1 ('EUR'): ${RATE}, got {"rate":1}`);
  await rejects('[{"EUR": 1}]', 'json', () => 'expected a JSON object of rates, got an array');
  await rejects('{"EUR": NaN}', 'json', () => 'expected a JSON object of rates, got invalid JSON');
});

test('codes are three letters after trimming and upper-casing, each once', async () => {
  await rejects('{"\\"EUR\\"": 1.08}', 'json', () => 'entry 1: expected a currency code of three letters, got "\\"EUR\\""');
  await rejects('currency,usd_per_unit\n"""EUR""",1.08\n', 'csv', () => 'line 2: expected a currency code of three letters, got "\\"EUR\\""');
  await rejects('{"EURO": 1.08}', 'json', () => 'entry 1: expected a currency code of three letters, got "EURO"');
  await rejects('{"": 1}', 'json', () => 'entry 1: expected a currency code of three letters, got ""');
  await rejects('{"E1R": 1}', 'json', () => 'entry 1: expected a currency code of three letters, got "E1R"');
  await rejects('{"eur": 1.08, " EUR ": 1.1}', 'json', () => `entry 2 ('EUR'): expected each currency once, got EUR again`);
  await rejects('currency,usd_per_unit\nEUR,1\neur,2\n', 'csv', () => `line 3 ('EUR'): expected each currency once, got EUR again`);
});

test('good tables: codes normalised, CSV quoting, CRLF, blank lines, the 1e6 bound itself', async () => {
  assert.equal(await loadFx(fxFile('{" usd ": 1, "gbp": 1.27, "XAU": 1e6}', 'json')), { USD: 1, GBP: 1.27, XAU: 1e6 });
  assert.equal(await loadFx(fxFile('Currency, USD_per_unit\r\n"EUR",1.08\r\n\r\n ngn , 0.00065 \r\nJPY,"6.5e-3"\n')),
    { EUR: 1.08, NGN: 0.00065, JPY: 0.0065 });
});

test('the CLI reports a bad FX table as one line naming the file and the entry, exit 1', () => {
  const file = fxFile('currency,usd_per_unit\nUSD,1\nEUR,0x10\n');
  const r = spawnSync(process.execPath, [BIN, 'run', '--input', writeInput({}), '--out', tempDir(), '--fx', file], { encoding: 'utf8' });
  assert.is(r.status, 1);
  assert.is(r.stderr, `audicin: ${file}: line 3 ('EUR'): ${RATE}, got "0x10"\n`);
  const s = spawnSync(process.execPath, [BIN, 'stream', '--fx', fxFile('{}', 'json')], { encoding: 'utf8', input: '' });
  assert.is(s.status, 1);
  assert.match(s.stderr, /^audicin: \S+: expected at least one currency rate, got none\n$/);
});

test.run();
