// The pure parts of report.html: chart specs from a hand-made gold set, the quarantine
// samples, id scoping of Vega's SVG, escaping, and the same bytes for the same input.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { GoldTables } from '../lib/gold/schema.js';
import type { Report } from '../lib/core/report.js';
import { reportHtml } from '../lib/report-html/index.js';
import { escapeHtml, escapeRaw, reportPage } from '../lib/report-html/page.js';
import { renderSvg, scopeIds } from '../lib/report-html/render.js';
import { QuarantineSamples, cutText } from '../lib/report-html/samples.js';
import { cacChart, chartSpecs, dauChart, ltvCacChart, mrrChart, retentionChart, revenueChart } from '../lib/report-html/specs.js';

/** A tiny gold set, written by hand: two days, two months, one cohort, four channels. */
const GOLD: GoldTables = {
  daily_active_users: [{ date: '2026-01-05', dau: 2 }, { date: '2026-01-06', dau: 1 }],
  daily_revenue_gross: [{ date: '2026-01-05', purchases: 2, gross_revenue_usd: 31.6 }],
  daily_revenue_net: [
    { date: '2026-01-05', gross_revenue_usd: 31.6, refunds_usd: 0, net_revenue_usd: 31.6 },
    { date: '2026-01-06', gross_revenue_usd: 0, refunds_usd: 10, net_revenue_usd: -10 },
  ],
  mrr_monthly: [{ month: '2026-01', active_subscriptions: 1, mrr_usd: 9.99 }, { month: '2026-02', active_subscriptions: 0, mrr_usd: 0 }],
  weekly_cohort_retention: [
    { cohort_week: '2026-01-05', week_number: 0, cohort_size: 2, active_users: 2, retention_rate: 1 },
    { cohort_week: '2026-01-05', week_number: 1, cohort_size: 2, active_users: 1, retention_rate: 0.5 },
  ],
  cac_by_channel: [
    { channel: 'facebook', spend_usd: 7.5, signups: 0, cac_usd: null },
    { channel: 'google', spend_usd: 50, signups: 1, cac_usd: 50 },
    { channel: 'organic', spend_usd: 0, signups: 1, cac_usd: 0 },
    { channel: '<script>alert(1)</script>', spend_usd: 20, signups: 2, cac_usd: 10 },
  ],
  ltv_per_user: [],
  ltv_cac_ratio: [
    { channel: 'google', customers: 1, avg_ltv_usd: 31.6, cac_usd: 50, ltv_cac_ratio: 0.632 },
    { channel: 'organic', customers: 1, avg_ltv_usd: -10, cac_usd: 0, ltv_cac_ratio: null },
    { channel: 'all', customers: 4, avg_ltv_usd: 5.4, cac_usd: 19.38, ltv_cac_ratio: 0.2786 },
  ],
};

const values = (spec: { data?: unknown }): unknown => (spec.data as { values: unknown }).values;

test('chart specs: the rows each chart draws, from the hand-made gold set', () => {
  assert.equal(values(dauChart(GOLD).spec), [{ date: '2026-01-05', dau: 2 }, { date: '2026-01-06', dau: 1 }]);
  assert.equal(values(revenueChart(GOLD).spec), [
    { date: '2026-01-05', series: 'Gross', usd: 31.6 }, { date: '2026-01-05', series: 'Net (after refunds)', usd: 31.6 },
    { date: '2026-01-06', series: 'Gross', usd: 0 }, { date: '2026-01-06', series: 'Net (after refunds)', usd: -10 },
  ]);
  assert.equal(values(mrrChart(GOLD).spec), [
    { month: '2026-01', mrr_usd: 9.99, active_subscriptions: 1 }, { month: '2026-02', mrr_usd: 0, active_subscriptions: 0 },
  ]);
  assert.equal(values(retentionChart(GOLD).spec), [
    { cohort_week: '2026-01-05', week_number: 0, cohort_size: 2, active_users: 2, retention_rate: 1 },
    { cohort_week: '2026-01-05', week_number: 1, cohort_size: 2, active_users: 1, retention_rate: 0.5 },
  ]);
  // Cheapest first; facebook has no signups, so no CAC, and is named in the note instead.
  const cac = cacChart(GOLD);
  assert.equal(values(cac.spec), [
    { channel: 'organic', cac_usd: 0, spend_usd: 0, signups: 1 },
    { channel: '<script>alert(1)</script>', cac_usd: 10, spend_usd: 20, signups: 2 },
    { channel: 'google', cac_usd: 50, spend_usd: 50, signups: 1 },
  ]);
  assert.is(cac.note, 'No signups, so no CAC: facebook.');
  const ratio = ltvCacChart(GOLD);
  assert.equal(values(ratio.spec), [
    { channel: 'google', ltv_cac_ratio: 0.632, avg_ltv_usd: 31.6, cac_usd: 50, customers: 1, group: 'Channel' },
    { channel: 'all', ltv_cac_ratio: 0.2786, avg_ltv_usd: 5.4, cac_usd: 19.38, customers: 4, group: 'All channels' },
  ]);
  assert.is(ratio.note, 'No ratio where there was no spend or no signup: organic.');
  assert.equal(chartSpecs(GOLD).map((c) => [c.id, c.rows]),
    [['chart-dau', 2], ['chart-revenue', 2], ['chart-mrr', 2], ['chart-retention', 2], ['chart-cac', 3], ['chart-ltv-cac', 2]]);
});

/** Items drawn by the marks of `type` (rect, line, symbol, …): Vega groups each mark's items. */
function marks(svg: string, type: string): number {
  let n = 0;
  for (const [, body] of svg.matchAll(new RegExp(`<g class="mark-${type} role-mark[^"]*"[^>]*>(.*?)</g>`, 'g'))) {
    n += body.split('<path').length - 1;
  }
  return n;
}

test('every chart renders without a Vega warning, one mark per row', async () => {
  const svgs: Record<string, string> = {};
  for (const chart of chartSpecs(GOLD)) {
    const { svg, warnings } = await renderSvg(chart.spec, chart.id);
    assert.equal(warnings, [], chart.id);
    assert.ok(svg.startsWith('<svg'), chart.id);
    svgs[chart.id] = svg;
  }
  assert.is(marks(svgs['chart-mrr'], 'rect'), 2);
  assert.is(marks(svgs['chart-cac'], 'rect'), 3);
  assert.is(marks(svgs['chart-ltv-cac'], 'rect'), 2);
  assert.is(marks(svgs['chart-retention'], 'rect'), 2);
  assert.is(marks(svgs['chart-revenue'], 'line'), 2);
  assert.is(marks(svgs['chart-revenue'], 'symbol'), 4);
  assert.is(marks(svgs['chart-dau'], 'symbol'), 2);
  // The hostile channel is text in the SVG, never markup.
  assert.not.ok(/<script/i.test(svgs['chart-cac']));
  assert.ok(svgs['chart-cac'].includes('>&lt;script&gt;alert(1)'), 'the axis label, cut to its width');
});

test('scopeIds: ids and their references renamed in order, text left alone', () => {
  const svg = '<svg><defs><clipPath id="clip7"><rect/></clipPath><linearGradient id="gradient_3"/></defs>'
    + '<g clip-path="url(#clip7)"><path fill="url(#gradient_3)"/><use xlink:href="#clip7"/><text>url(#clip7) id="clip7"</text></g></svg>';
  assert.is(scopeIds(svg, 'chart-x'), '<svg><defs><clipPath id="chart-x-1"><rect/></clipPath><linearGradient id="chart-x-2"/></defs>'
    + '<g clip-path="url(#chart-x-1)"><path fill="url(#chart-x-2)"/><use xlink:href="#chart-x-1"/><text>url(#clip7) id="clip7"</text></g></svg>');
});

test('the same chart drawn twice in one process gives the same SVG (Vega\'s gradient counter is global)', async () => {
  const spec = retentionChart(GOLD).spec;
  const first = (await renderSvg(spec, 'r')).svg;
  const second = (await renderSvg(spec, 'r')).svg;
  assert.ok(first.includes('id="r-1"') && first.includes('url(#r-1)'), 'the legend gradient is scoped');
  assert.is(second, first);
});

test('day axes do not move with the host\'s time zone', async () => {
  const before = process.env.TZ;
  const drawn: string[] = [];
  try {
    for (const zone of ['UTC', 'America/Los_Angeles', 'Asia/Tokyo']) {
      process.env.TZ = zone; // Node applies a new TZ to Date at once
      drawn.push((await renderSvg(dauChart(GOLD).spec, 'd')).svg);
    }
  } finally {
    if (before === undefined) delete process.env.TZ;
    else process.env.TZ = before;
  }
  assert.ok(drawn[0].includes('>Jan 5</text>'), 'the first day is labelled as itself');
  assert.is(drawn[1], drawn[0]);
  assert.is(drawn[2], drawn[0]);
});

test('escaping: markup characters, and control characters shown as pictures', () => {
  assert.is(escapeHtml(`<script>"a" & 'b'</script>`), '&lt;script&gt;&quot;a&quot; &amp; &#39;b&#39;&lt;/script&gt;');
  assert.is(escapeRaw('a\u0000b\u001bc\td\ne\u007f<'), 'a\u2400b\u241bc\td\ne\u2421&lt;');
});

test('quarantine samples: the 3 smallest positions per reason, whatever the order, raw cut', () => {
  const samples = new QuarantineSamples(3, 10);
  const row = (pos: number, reason: 'invalid_json' | 'missing_user_id', raw = `r${pos}`) =>
    ({ source: 'events.ndjson', pos, reason, detail: `d${pos}`, raw });
  for (const pos of [9, 4, 7, 1, 8]) samples.add('events', row(pos, 'invalid_json'));
  samples.add('subscriptions', row(2, 'missing_user_id', 'x'.repeat(25)));
  // JSON lines as the event partitions write them; a file name that tries to fake a reason.
  const line = (pos: number, reason: string): string =>
    JSON.stringify({ source: 'a","reason":"fake', pos, reason, detail: 'd', raw: `line ${pos}` }) + '\n';
  samples.addLines('events', { pos: [3, 6], text: [line(3, 'missing_user_id'), line(6, 'invalid_json')] });
  samples.addLines('events', { pos: [2], text: [line(2, 'missing_user_id')] });
  assert.equal(samples.groupsInOrder().map((g) => [g.source, g.reason, g.rows.map((r) => r.pos)]), [
    ['events', 'invalid_json', [1, 4, 6]],
    ['events', 'missing_user_id', [2, 3]],
    ['subscriptions', 'missing_user_id', [2]],
  ]);
  const cut = samples.groupsInOrder()[2].rows[0];
  assert.equal([cut.raw, cut.rawLength], ['xxxxxxxxxx', 25]);
  assert.is(samples.groupsInOrder()[1].rows[1].raw, 'line 3');
  // A cut never splits a surrogate pair.
  assert.is(cutText('ab😀c', 3), 'ab');
  assert.is(cutText('ab😀c', 4), 'ab😀');
});

const REPORT: Report = {
  sources: {
    events: { file: 'ev<i>ents</i>.ndjson', records: 1234, blank_lines: 1, silver: 1200, superseded: 3, quarantined: { invalid_json: 30 } },
    subscriptions: { file: 'subscriptions.json', records: 2, blank_lines: 0, silver: 2, superseded: 0, quarantined: {} },
    marketing_spend: { file: 'marketing_spend.csv', records: 1, blank_lines: 0, silver: 0, superseded: 0, quarantined: { malformed_row: 1 } },
  },
  bots: ['<img src=x onerror=alert(1)>', 'b2'],
  bot_peaks: { '<img src=x onerror=alert(1)>': 21, b2: 40 },
  gold: {},
  options: { timezone: 'UTC', bot_threshold: 20, bot_window_ms: 1000, fx: { USD: 1 } },
};

test('the page: counts from the report, hostile text escaped, no script, empty charts said so', () => {
  const samples = new QuarantineSamples();
  samples.add('events', { source: 'events.ndjson', pos: 5, reason: 'invalid_json', detail: 'bad "json"', raw: '</pre><script>alert(1)</script>\u0000' });
  const charts = chartSpecs({ ...GOLD, mrr_monthly: [] }).map((chart) => ({ chart, svg: chart.rows > 0 ? '<svg></svg>' : null, error: null }));
  const html = reportPage({ report: REPORT, charts, samples: samples.groupsInOrder() });
  assert.not.ok(/<script|<img/i.test(html), 'no markup from data');
  assert.ok(html.includes('ev&lt;i&gt;ents&lt;/i&gt;.ndjson'));
  assert.ok(html.includes('&lt;/pre&gt;&lt;script&gt;alert(1)&lt;/script&gt;\u2400'));
  assert.ok(html.includes('<td class="n" data-source="events" data-field="records">1,234</td>'));
  assert.ok(html.includes('<td class="n" data-source="events" data-reason="invalid_json">30</td>'));
  assert.ok(html.includes('<td class="n" data-source="marketing_spend" data-reason="malformed_row">1</td>'));
  // Bots by peak, highest first.
  assert.ok(html.indexOf('data-bot="b2">40<') < html.indexOf('data-bot="&lt;img src=x onerror=alert(1)&gt;">21<'));
  assert.ok(html.includes('Peak events per second'));
  assert.match(html, /<figure class="chart" id="chart-mrr">.*No rows in this table for this run\./);
  assert.ok(html.includes('content="default-src \'none\'; style-src \'unsafe-inline\'; img-src data:"'));
});

test('reportHtml: the same input gives the same bytes, in one process too', async () => {
  const first = await reportHtml(REPORT, GOLD, []);
  assert.is(await reportHtml(REPORT, GOLD, []), first);
  for (const id of ['chart-dau', 'chart-revenue', 'chart-mrr', 'chart-retention', 'chart-cac', 'chart-ltv-cac']) {
    assert.match(first, new RegExp(`<figure class="chart" id="${id}"><h3>[^<]+</h3><p class="caption">[^<]+</p><div class="svg" role="img" aria-label="[^"]+"><svg `));
  }
});

test.run();
