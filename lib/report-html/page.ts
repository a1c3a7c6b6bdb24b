// The report page: one self-contained HTML file. Charts arrive as SVG text (render.ts);
// everything else comes from report.json's counters and the quarantine samples, and every
// piece of it is escaped here, since ids, channel names and raw records come from the data.
// No script, and a policy that forbids scripts and fetches, so the page is inert offline.
import type { Report } from '../core/report.js';
import type { SourceName, SourceReport } from '../core/types.js';
import type { SampleGroup } from './samples.js';
import type { ChartSpec } from './specs.js';

/** A chart of the page: drawn (`svg`), skipped for lack of rows, or failed (`error`). */
export interface PageChart {
  chart: ChartSpec;
  svg: string | null;
  error: string | null;
}

export interface PageInput {
  report: Report;
  charts: PageChart[];
  samples: SampleGroup[];
}

/** Bots listed on the page; report.json has them all. */
export const MAX_BOTS_SHOWN = 100;

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text made safe for HTML content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

/**
 * Raw record text escaped, with control characters shown as their Unicode pictures (␀, ␛, …)
 * instead of being swallowed by the HTML parser; tab and line feed stay as they are.
 */
export function escapeRaw(text: string): string {
  return escapeHtml(text).replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, (c) =>
    String.fromCharCode(c === '\u007f' ? 0x2421 : 0x2400 + c.charCodeAt(0)));
}

const COUNT = new Intl.NumberFormat('en-US');
const count = (n: number): string => COUNT.format(n);
const SOURCES: readonly SourceName[] = ['events', 'subscriptions', 'marketing_spend'];
const quarantinedOf = (report: Report, source: SourceName): number =>
  Object.values(report.sources[source].quarantined).reduce((sum, n) => sum + (n ?? 0), 0);

const STYLE = `
:root { --ink: #1f2430; --muted: #5b6270; --line: #e3e6eb; --card: #fff; --bg: #f5f6f8; --accent: #4c78a8; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--ink); font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; }
header, main, footer { max-width: 1440px; margin: 0 auto; padding: 0 20px; }
header { padding-top: 24px; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 20px; margin: 32px 0 12px; }
h3 { font-size: 16px; margin: 0 0 2px; }
.meta, .caption, .note, footer { color: var(--muted); font-size: 13px; }
.caption { margin: 0 0 8px; }
.note { margin: 6px 0 0; font-style: italic; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(170px, 1fr)); gap: 12px; margin: 16px 0 0; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 12px 14px; }
.card .value { display: block; font-size: 24px; font-weight: 650; font-variant-numeric: tabular-nums; }
.card .label { color: var(--muted); font-size: 13px; }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 600px), 1fr)); gap: 16px; }
.chart { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 14px 16px; margin: 0; min-width: 0; }
.chart svg { display: block; max-width: 100%; height: auto; margin: 0 auto; }
.chart .empty, .chart .failed { color: var(--muted); padding: 24px 0; text-align: center; }
.panel { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 14px 16px; margin: 16px 0; overflow-x: auto; }
table { border-collapse: collapse; font-size: 14px; }
th, td { text-align: left; padding: 5px 14px 5px 0; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-weight: 600; color: var(--muted); }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
code, pre { font: 12.5px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
pre.raw { margin: 0; white-space: pre-wrap; word-break: break-all; max-width: 80ch; background: #f7f7f9; padding: 4px 6px; border-radius: 4px; }
.cut { color: var(--muted); font-style: italic; }
.samples tr.more td { border-top: none; }
.samples tr.first td { border-top: 2px solid var(--line); }
.dq { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 460px), 1fr)); gap: 16px; align-items: start; }
.dq .panel { margin: 0; }
footer { padding: 24px 20px 32px; }
`;

function card(id: string, value: number, label: string): string {
  return `<div class="card" id="${id}"><span class="value">${count(value)}</span><span class="label">${escapeHtml(label)}</span></div>`;
}

function chartFigure({ chart, svg, error }: PageChart): string {
  const body = svg !== null ? `<div class="svg" role="img" aria-label="${escapeHtml(`${chart.title}. ${chart.caption}`)}">${svg}</div>`
    : error !== null ? `<p class="failed">This chart could not be drawn: ${escapeHtml(error)}</p>`
    : '<p class="empty">No rows in this table for this run.</p>';
  const note = chart.note === null ? '' : `<p class="note">${escapeHtml(chart.note)}</p>`;
  return `<figure class="chart" id="${escapeHtml(chart.id)}"><h3>${escapeHtml(chart.title)}</h3>`
    + `<p class="caption">${escapeHtml(chart.caption)}</p>${body}${note}</figure>`;
}

function sourcesTable(report: Report): string {
  const rows = SOURCES.map((source) => {
    const s = report.sources[source];
    const cell = (field: string, n: number): string => `<td class="n" data-source="${source}" data-field="${field}">${count(n)}</td>`;
    return `<tr><td>${source}</td><td><code>${escapeHtml(s.file)}</code></td>${cell('records', s.records)}${cell('blank_lines', s.blank_lines)}`
      + `${cell('silver', s.silver)}${cell('superseded', s.superseded)}${cell('quarantined', quarantinedOf(report, source))}</tr>`;
  });
  return '<table id="dq-sources"><thead><tr><th>Source</th><th>File</th><th class="n">Records</th><th class="n">Blank lines</th>'
    + '<th class="n">Silver</th><th class="n">Superseded versions</th><th class="n">Quarantined</th></tr></thead>'
    + `<tbody>${rows.join('')}</tbody></table>`;
}

/** Reasons down, sources across: the count of each, blank where a source never had the reason. */
function reasonsTable(report: Report): string {
  const reasons = [...new Set(SOURCES.flatMap((source) => Object.keys(report.sources[source].quarantined)))].sort();
  if (reasons.length === 0) return '<p id="dq-reasons">No record was quarantined.</p>';
  const rows = reasons.map((reason) => `<tr><td><code>${escapeHtml(reason)}</code></td>${SOURCES.map((source) => {
    const n = report.sources[source].quarantined[reason as keyof SourceReport['quarantined']];
    return n === undefined ? '<td class="n"></td>'
      : `<td class="n" data-source="${source}" data-reason="${escapeHtml(reason)}">${count(n)}</td>`;
  }).join('')}</tr>`);
  return `<table id="dq-reasons"><thead><tr><th>Reason</th>${SOURCES.map((s) => `<th class="n">${s}</th>`).join('')}</tr></thead>`
    + `<tbody>${rows.join('')}</tbody></table>`;
}

function botsTable(report: Report): string {
  const { bot_threshold: threshold, bot_window_ms: windowMs } = report.options;
  const rule = `A bot has more than ${count(threshold)} events within ${count(windowMs)} ms of event time; its events stay in silver, flagged, and are left out of gold.`;
  if (report.bots.length === 0) return `<p>${escapeHtml(rule)}</p><p id="dq-bots">No bot was found.</p>`;
  const peakOf = (user: string): number => (Object.hasOwn(report.bot_peaks, user) ? report.bot_peaks[user] : 0);
  const shown = [...report.bots].sort((a, b) => peakOf(b) - peakOf(a) || (a < b ? -1 : a > b ? 1 : 0)).slice(0, MAX_BOTS_SHOWN);
  const unit = windowMs === 1000 ? 'Peak events per second' : `Peak events in ${count(windowMs)} ms`;
  const rows = shown.map((user) => `<tr><td><code>${escapeHtml(user)}</code></td><td class="n" data-bot="${escapeHtml(user)}">${count(peakOf(user))}</td></tr>`);
  const more = report.bots.length > shown.length
    ? `<p class="note">${count(report.bots.length - shown.length)} more bots are listed in report.json.</p>` : '';
  return `<p>${escapeHtml(rule)}</p><table id="dq-bots"><thead><tr><th>User</th><th class="n">${unit}</th></tr></thead>`
    + `<tbody>${rows.join('')}</tbody></table>${more}`;
}

/** One table, a row per sample; source and reason span the rows of their group. */
function samplesTable(groups: SampleGroup[]): string {
  if (groups.length === 0) return '<p id="dq-samples">No record was quarantined.</p>';
  const rows = groups.flatMap(({ source, reason, rows: samples }) => samples.map((r, i) => {
    const cut = r.rawLength > r.raw.length ? ` <span class="cut">… ${count(r.rawLength - r.raw.length)} more characters</span>` : '';
    const group = i > 0 ? '' : `<td rowspan="${samples.length}">${source}</td><td rowspan="${samples.length}"><code>${escapeHtml(reason)}</code></td>`;
    return `<tr class="${i === 0 ? 'first' : 'more'}" data-source="${source}" data-reason="${escapeHtml(reason)}">${group}`
      + `<td class="n">${count(r.pos)}</td><td>${escapeHtml(r.detail)}</td><td><pre class="raw">${escapeRaw(r.raw)}${cut}</pre></td></tr>`;
  }));
  return '<table id="dq-samples" class="samples"><thead><tr><th>Source</th><th>Reason</th><th class="n">Position</th><th>Detail</th><th>Raw record</th></tr></thead>'
    + `<tbody>${rows.join('')}</tbody></table>`;
}

/** The whole page, as text; the same input gives the same bytes. */
export function reportPage({ report, charts, samples }: PageInput): string {
  const totals = (f: (source: SourceName) => number): number => SOURCES.reduce((sum, s) => sum + f(s), 0);
  const files = SOURCES.map((s) => `<code>${escapeHtml(report.sources[s].file)}</code>`).join(', ');
  const fx = Object.entries(report.options.fx).map(([code, rate]) => `${escapeHtml(code)} ${rate}`).join(', ');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>Audicin lakehouse report</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>Audicin lakehouse report</h1>
<p class="meta">From ${files}. Days, weeks and months in ${escapeHtml(report.options.timezone)}; money in USD (rates per unit: ${fx}).</p>
<div class="cards">
${card('card-events', report.sources.events.silver, 'events in silver')}
${card('card-subscriptions', report.sources.subscriptions.silver, 'subscriptions in silver')}
${card('card-superseded', totals((s) => report.sources[s].superseded), 'superseded versions')}
${card('card-quarantined', totals((s) => quarantinedOf(report, s)), 'records quarantined')}
${card('card-bots', report.bots.length, 'bot users')}
</div>
</header>
<main>
<section id="metrics">
<h2>Business metrics</h2>
<p class="meta">Bots are left out of every figure.</p>
<div class="grid">
${charts.map(chartFigure).join('\n')}
</div>
</section>
<section id="data-quality">
<h2>Data quality</h2>
<div class="panel"><h3>Records per source</h3><p class="caption">Every record lands in exactly one of silver, superseded (an older version of a record that won) and quarantine.</p>${sourcesTable(report)}</div>
<div class="dq">
<div class="panel"><h3>Quarantine reasons</h3><p class="caption">Records set aside, by the first rule they broke.</p>${reasonsTable(report)}</div>
<div class="panel"><h3>Bots</h3>${botsTable(report)}</div>
</div>
<div class="panel"><h3>Sample quarantined records</h3><p class="caption">The first records of each reason, by position in their source, as read (long records cut).</p>${samplesTable(samples)}</div>
</section>
</main>
<footer>Written by <code>audicin run</code> from this lakehouse's report.json and gold tables; quarantine/&lt;source&gt;.ndjson holds every rejected record.</footer>
</body>
</html>
`;
}
