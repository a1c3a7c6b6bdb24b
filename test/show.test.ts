// `audicin show` on a lakehouse of the committed sample (the run's clock pinned), with the
// exact text expected; hostile cells; errors as one line.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { main } from '../lib/cli/main.js';
import { cellText, textTable } from '../lib/cli/render.js';
import { runPipeline } from '../lib/pipeline.js';
import { ndjson, tempDir, writeInput } from './helpers.js';

const BIN = fileURLToPath(new URL('../../bin/audicin.js', import.meta.url));

const lake = join(tempDir(), 'lake');
await runPipeline({ out: lake, now: '2026-03-01T00:00:00Z' });
/** The same run with NDJSON silver: the text `show` must give back from the Parquet one. */
const ndLake = join(tempDir(), 'lake-ndjson');
await runPipeline({ out: ndLake, now: '2026-03-01T00:00:00Z', format: 'ndjson' });

/** Runs the CLI in this process; stdout and stderr as text. */
async function show(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '', stderr = '';
  const sink = (add: (s: string) => void): Writable => new Writable({ write(chunk, _enc, done) { add(String(chunk)); done(); } });
  const code = await main(['show', ...args], {
    stdin: process.stdin,
    stdout: sink((s) => { stdout += s; }),
    stderr: sink((s) => { stderr += s; }),
  });
  return { code, stdout, stderr };
}

test('without a table: every table with its row count, then the quarantine reasons', async () => {
  const r = await show('--out', lake);
  assert.is(r.code, 0, r.stderr);
  const report = JSON.parse(readFileSync(join(lake, 'report.json'), 'utf8'));
  assert.is(r.stdout, `table                         rows
----------------------------  ----
gold.daily_active_users         31
gold.daily_revenue_gross        25
gold.daily_revenue_net          26
gold.mrr_monthly                 4
gold.weekly_cohort_retention    14
gold.cac_by_channel              6
gold.ltv_per_user               22
gold.ltv_cac_ratio               7
silver.events                  472
silver.subscriptions            51
silver.marketing_spend         124
quarantine.events               38
quarantine.subscriptions        20
quarantine.marketing_spend       6
superseded.events                7
superseded.subscriptions         2
superseded.marketing_spend       2

quarantine reasons:
source           reason                   rows
---------------  -----------------------  ----
events           implausible_timestamp       3
events           invalid_amount              3
events           invalid_json                3
events           invalid_tax                 2
events           invalid_timestamp           6
events           missing_amount              3
events           missing_event_id            4
events           missing_event_type          2
events           missing_user_id             4
events           negative_amount             2
events           not_an_object               4
events           unknown_currency            2
subscriptions    end_before_start            1
subscriptions    invalid_created_at          1
subscriptions    invalid_end_date            1
subscriptions    invalid_json                1
subscriptions    invalid_price               4
subscriptions    invalid_start_date          2
subscriptions    invalid_status              1
subscriptions    missing_end_date            2
subscriptions    missing_subscription_id     2
subscriptions    missing_user_id             2
subscriptions    not_an_object               2
subscriptions    unknown_currency            1
marketing_spend  invalid_date                1
marketing_spend  invalid_spend               1
marketing_spend  malformed_row               2
marketing_spend  missing_channel             1
marketing_spend  negative_spend              1
`);
  // The counts are the files' line counts, as an independent check of the listing.
  const lines = (path: string): number => readFileSync(join(lake, path), 'utf8').split('\n').filter((l) => l !== '').length;
  assert.is(readFileSync(join(ndLake, 'silver/events.ndjson'), 'utf8').split('\n').filter((l) => l !== '').length, 472);
  assert.is(lines('quarantine/events.ndjson'), 38);
  assert.is(lines('gold/daily_active_users.ndjson'), report.gold.daily_active_users);
});

test('a gold table by its short name: aligned, numbers right, the first 20 rows by default', async () => {
  const r = await show('mrr_monthly', '--out', lake);
  assert.is(r.stdout, `month    active_subscriptions  mrr_usd
-------  --------------------  -------
2025-12                    14   412.26
2026-01                    33    956.6
2026-02                    39  1029.54
2026-03                    34   979.59
(4 rows)
`);
  const dau = await show('gold.daily_active_users', '--out', lake);
  const shown = dau.stdout.split('\n');
  assert.is(shown.length, 2 + 20 + 1 + 1);
  assert.is(shown[2], '2026-01-01    2');
  assert.is(shown[22], '(20 of 31 rows; more with --limit N or --format csv)');
});

test('--from/--to select days by the date column, in every format', async () => {
  const net = await show('daily_revenue_net', '--out', lake, '--from', '2026-01-04', '--to', '2026-01-07');
  assert.is(net.stdout, `date        gross_revenue_usd  refunds_usd  net_revenue_usd
----------  -----------------  -----------  ---------------
2026-01-04               5.39            0             5.39
2026-01-05              74.97            0            74.97
2026-01-06             127.98            0           127.98
2026-01-07              99.98         4.99            94.99
(4 rows)
`);
  const csv = await show('daily_revenue_net', '--out', lake, '--from', '2026-01-04', '--to', '2026-01-07', '--format', 'csv');
  assert.is(csv.stdout, `date,gross_revenue_usd,refunds_usd,net_revenue_usd
2026-01-04,5.39,0,5.39
2026-01-05,74.97,0,74.97
2026-01-06,127.98,0,127.98
2026-01-07,99.98,4.99,94.99
`);
  const spend = await show('silver.marketing_spend', '--out', lake, '--from', '2026-01-01', '--to', '2026-01-01', '--format', 'ndjson');
  assert.is(spend.stdout, `{"date":"2026-01-01","channel":"facebook","spend_usd":1.35,"versions":1,"source":"marketing_spend.csv","pos":3}
{"date":"2026-01-01","channel":"google","spend_usd":1.99,"versions":2,"source":"marketing_spend.csv","pos":6}
{"date":"2026-01-01","channel":"influencer","spend_usd":2.06,"versions":1,"source":"marketing_spend.csv","pos":5}
{"date":"2026-01-01","channel":"tiktok","spend_usd":1.7,"versions":1,"source":"marketing_spend.csv","pos":4}
`);
  // silver.events: every row of the day, as the file holds them (counted independently by their text).
  const day = await show('silver.events', '--out', lake, '--from', '2026-01-31', '--to', '2026-01-31', '--format', 'ndjson');
  const expected = readFileSync(join(ndLake, 'silver/events.ndjson'), 'utf8').split('\n').filter((l) => l.includes('"event_date":"2026-01-31"'));
  assert.is(expected.length, 39);
  assert.is(day.stdout, expected.join('\n') + '\n');
  const two = await show('silver.events', '--out', lake, '--from', '2026-01-31', '--limit', '2', '--format', 'csv');
  assert.is(two.stdout, `event_id,user_id,event_type,event_ts,event_date,schema_version,amount,currency,amount_usd,tax,refers_to_event_id,page,acquisition_channel,is_bot,versions,source,pos,attributes
e0000214,u00004,purchase,2026-01-31T03:35:08.000Z,2026-01-31,2,9.99,USD,9.99,,,,,false,1,events.ndjson,225,"{""device"":""ios""}"
e0000185,u00008,purchase,2026-01-31T03:59:19.000Z,2026-01-31,2,49.99,EUR,53.9892,,,,,false,1,events.ndjson,192,"{""device"":""ios""}"
`);
  const cohort = await show('weekly_cohort_retention', '--out', lake, '--from', '2026-01-05', '--to', '2026-01-05');
  assert.is(cohort.stdout, `cohort_week  week_number  cohort_size  active_users  retention_rate
-----------  -----------  -----------  ------------  --------------
2026-01-05             0            6             6               1
2026-01-05             1            6             6               1
2026-01-05             2            6             6               1
2026-01-05             3            6             5          0.8333
(4 rows)
`);
});

test('quarantine rows: long cells cut with …, --limit', async () => {
  const r = await show('quarantine.events', '--out', lake, '--limit', '2');
  assert.is(r.stdout, `source         pos  reason           detail                         raw
-------------  ---  ---------------  -----------------------------  ----------------------------------------
events.ndjson   10  missing_user_id  user_id is nothing             {"event_id":"e0000010","event_type":"lo…
events.ndjson   30  not_an_object    expected an object, got "str"  "str"
(2 of 38 rows; more with --limit N or --format csv)
`);
});

test('hostile cells: control and bidi characters escaped, nulls blank, one line per row', async () => {
  const input = writeInput({ events: ndjson([
    { event_id: 'x1', user_id: 'u1', event_type: 'page_view', timestamp: '2026-01-10T10:00:00Z', page: '\u001b[2J\u202eevil\nline\u0085' },
  ]) });
  const out = join(tempDir(), 'lake');
  await runPipeline({ input, out, now: '2026-03-01T00:00:00Z' });
  const r = await show('silver.events', '--out', out);
  const lines = r.stdout.split('\n');
  assert.is(lines.length, 5);
  assert.ok(!/[\u0000-\u001f\u007f-\u009f\u202e]/.test(r.stdout.replace(/\n/g, '')), 'no raw control or bidi character');
  assert.match(lines[2], '\\u001b[2J\\u202eevil\\u000aline\\u0085');
  assert.is(cellText(null), '');
  assert.is(cellText('\u2066x\u2069'), '\\u2066x\\u2069');
  assert.is(cellText('a'.repeat(41)), 'a'.repeat(39) + '…');
  assert.is(cellText('a'.repeat(40)), 'a'.repeat(40));
  assert.is(textTable(['n', 's'], [{ n: 1, s: null }, { n: null, s: 'x' }, { n: 10, s: 'yy' }]), ' n  s\n--  --\n 1\n    x\n10  yy\n');
});

test('errors: one line, exit 1 for a bad table or value, 2 for usage', async () => {
  const none = await show('nope', '--out', lake);
  assert.is(none.code, 1);
  assert.match(none.stderr, /^audicin: show: no table 'nope'; tables: gold\.daily_active_users, .*superseded\.marketing_spend\n$/);
  const noDate = await show('quarantine.events', '--out', lake, '--from', '2026-01-01');
  assert.is(noDate.code, 1);
  assert.match(noDate.stderr, /^audicin: show: quarantine\.events has no date column for --from\/--to; tables with one: silver\.events, [^\n]*\n$/);
  assert.equal(await show('daily_active_users', '--out', lake, '--from', '2026-02-30'),
    { code: 1, stdout: '', stderr: "audicin: --from: expected a date like 2026-01-31, got '2026-02-30'\n" });
  assert.equal(await show('daily_active_users', '--out', lake, '--from', '2026-02-01', '--to', '2026-01-01'),
    { code: 1, stdout: '', stderr: 'audicin: show: --from 2026-02-01 is after --to 2026-01-01\n' });
  assert.equal(await show('daily_active_users', '--out', lake, '--format', 'xml'),
    { code: 1, stdout: '', stderr: "audicin: --format: expected one of table, csv, ndjson, got 'xml'\n" });
  assert.equal(await show('--out', '/nonexistent/lake'), { code: 1, stdout: '', stderr: 'audicin: /nonexistent/lake: no such file or folder\n' });
  const notLake = tempDir();
  assert.equal(await show('--out', notLake),
    { code: 1, stdout: '', stderr: `audicin: ${notLake}: not a lakehouse (no report.json): write one with audicin run --out ${notLake}\n` });
  assert.is((await show('a', 'b', '--out', lake)).code, 2);
  assert.is((await show('--limit', '3', '--out', lake)).code, 2);
  assert.is((await show('--bogus')).code, 2);
});

test('through bin/audicin.js: a reader that leaves early is no error', () => {
  const r = spawnSync('bash', ['-c', `set -o pipefail; "${process.execPath}" "${BIN}" show silver.events --format ndjson --out "${lake}" | head -1`], { encoding: 'utf8' });
  assert.is(r.status, 0);
  assert.is(r.stderr, '');
  assert.is(r.stdout, readFileSync(join(ndLake, 'silver/events.ndjson'), 'utf8').split('\n')[0] + '\n');
});

test.run();
