// Gold text forms (SPEC 6): CSV cells that a spreadsheet would run as a formula get a leading
// `'` (OWASP's advice); numbers never do, and the NDJSON twin keeps the exact values.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { goldCsv, goldNdjson } from '../lib/gold/index.js';
import { runPipeline } from '../lib/pipeline.js';
import { ndjson, readNdjson, tempDir, writeInput } from './helpers.js';

test('goldCsv: text starting with = + - @ tab or CR is prefixed; numbers and other text are not', () => {
  const rows = [
    { channel: '\tx', spend_usd: -12.5, signups: 1, cac_usd: -12.5 },
    { channel: '\rx', spend_usd: 0, signups: 2, cac_usd: null },
    { channel: '=SUM(A1:A2)', spend_usd: 1, signups: 1, cac_usd: 1 },
    { channel: 'a=b', spend_usd: -0.01, signups: 1, cac_usd: -0.01 },
    { channel: "'quoted", spend_usd: 1, signups: 1, cac_usd: 1 },
  ];
  assert.is(goldCsv('cac_by_channel', rows), [
    'channel,spend_usd,signups,cac_usd',
    "'\tx,-12.5,1,-12.5",
    "\"'\rx\",0,2,",
    "'=SUM(A1:A2),1,1,1",
    'a=b,-0.01,1,-0.01',
    "'quoted,1,1,1",
    '',
  ].join('\n'));
  assert.is(goldNdjson('cac_by_channel', rows.slice(0, 1)), '{"channel":"\\tx","spend_usd":-12.5,"signups":1,"cac_usd":-12.5}\n');
});

const HYPERLINK = '=HYPERLINK("http://evil.example","x")';

test('a whole run: channel names and user ids that look like formulas are neutralised in CSV only', async () => {
  const signup = (id: string, user: string, channel: string) =>
    ({ event_id: id, user_id: user, event_type: 'signup', timestamp: '2026-01-05T10:00:00Z', acquisition_channel: channel });
  const events = ndjson([
    signup('s1', '=1+1', HYPERLINK),
    signup('s2', '+1', '+1'),
    signup('s3', '-x', '-x'),
    signup('s4', '@a', '@a'),
    signup('s5', 'plain', 'Google'),
    { event_id: 'r1', user_id: '-x', event_type: 'refund', timestamp: '2026-01-06T10:00:00Z', amount: 5 },
    { event_id: 'p1', user_id: 'plain', event_type: 'purchase', timestamp: '2026-01-06T10:00:00Z', amount: 12.5 },
  ]);
  const marketing = 'date,channel,spend\n2026-01-05,"=HYPERLINK(""http://evil.example"",""x"")",100\n2026-01-05,-x,30\n2026-01-05,Google,10\n';
  const out = join(tempDir(), 'lake');
  await runPipeline({ input: writeInput({ events, marketing }), out, now: '2026-03-01T00:00:00Z' });
  const text = (name: string) => readFileSync(join(out, 'gold', name), 'utf8');
  const link = '=hyperlink(""http://evil.example"",""x"")';
  assert.is(text('cac_by_channel.csv'), [
    'channel,spend_usd,signups,cac_usd',
    "'+1,0,1,0",
    "'-x,30,1,30",
    `"'${link}",100,1,100`,
    "'@a,0,1,0",
    'google,10,1,10',
    '',
  ].join('\n'));
  assert.is(text('ltv_per_user.csv'), [
    'user_id,acquisition_channel,purchases_usd,refunds_usd,ltv_usd',
    "'+1,'+1,0,0,0",
    "'-x,'-x,0,5,-5",
    `'=1+1,"'${link}",0,0,0`,
    "'@a,'@a,0,0,0",
    'plain,google,12.5,0,12.5',
    '',
  ].join('\n'));
  assert.is(text('daily_revenue_net.csv'), [
    'date,gross_revenue_usd,refunds_usd,net_revenue_usd',
    '2026-01-06,12.5,5,7.5',
    '',
  ].join('\n'));
  // The NDJSON twins keep the exact values.
  assert.equal(readNdjson(join(out, 'gold/ltv_per_user.ndjson')).map((r) => [r.user_id, r.acquisition_channel, r.ltv_usd]), [
    ['+1', '+1', 0], ['-x', '-x', -5], ['=1+1', HYPERLINK.toLowerCase(), 0], ['@a', '@a', 0], ['plain', 'google', 12.5],
  ]);
  assert.equal(readNdjson(join(out, 'gold/cac_by_channel.ndjson')).map((r) => r.channel),
    ['+1', '-x', HYPERLINK.toLowerCase(), '@a', 'google']);
});

test.run();
