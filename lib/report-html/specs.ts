// The charts of report.html as Vega-Lite specs, one function per chart, data inline. Each
// takes gold rows and knows nothing of rendering (render.ts) or of the page (page.ts).
import type { TopLevelSpec } from 'vega-lite';
import type { GoldRow, GoldTables } from '../gold/schema.js';

/** One chart of the page: a stable id (the element id), its heading and its spec. */
export interface ChartSpec {
  id: string;
  title: string;
  /** One sentence under the heading: what is drawn and from which table. */
  caption: string;
  /** The gold rows the chart draws; none means the page says so instead of drawing axes. */
  rows: number;
  /** Gold rows left out of the chart (e.g. channels without a CAC), said under it. */
  note: string | null;
  spec: TopLevelSpec;
}

/** Width of the plot area in px; the page scales each SVG down to its column. */
export const CHART_WIDTH = 640;
const CHART_HEIGHT = 220;
const FONT = 'system-ui, -apple-system, Segoe UI, Roboto, Helvetica, Arial, sans-serif';
const BLUE = '#4c78a8', GREEN = '#54a24b', ORANGE = '#f58518', TEAL = '#439894', GREY = '#9d9d9d';
/** Axis money: whole dollars, with cents only where a tick needs them ($0.5 on a small scale). */
const USD_AXIS = '$,.2~f', USD0 = '$,.0f', USD2 = '$,.2f';

// No ARIA labels per mark: they double the drawing time, and hundreds of "date: …; dau: …"
// labels say less than the figure's own heading and caption, which label the chart instead.
const CONFIG = {
  aria: false,
  background: 'white',
  font: FONT,
  padding: 8,
  view: { stroke: null },
  axis: {
    labelFontSize: 11, titleFontSize: 12, titleFontWeight: 600, titleColor: '#333', labelColor: '#444',
    gridColor: '#e8ebef', domainColor: '#8a8f98', tickColor: '#8a8f98', labelLimit: 160,
  },
  legend: { labelFontSize: 12, titleFontSize: 12, titleFontWeight: 600, titleColor: '#333', labelColor: '#444' },
} as const;

/**
 * Dates are calendar days of the reporting zone: drawn and labelled as UTC, so the host's
 * zone never moves them. Over half a year, ticks name months and years instead of days.
 */
const dayAxis = (title: string, dates: readonly GoldRow[string][]) => {
  const span = dates.length < 2 ? 0 : Date.parse(String(dates[dates.length - 1])) - Date.parse(String(dates[0]));
  return {
    field: 'date', type: 'temporal', title, scale: { type: 'utc' },
    axis: { format: span > 183 * 86_400_000 ? '%b %Y' : '%b %-d', labelAngle: 0, tickCount: 8 },
  } as const;
};

const num = (v: GoldRow[string]): number => Number(v ?? 0);
/** Up to this many rows, a chart marks or labels each one; beyond, they would crowd. */
const LABELLED_ROWS = 62;
const LABELLED_BARS = 12;

/** Daily active users: one line, a point per day. */
export function dauChart(tables: GoldTables): ChartSpec {
  const values = tables.daily_active_users.map((r) => ({ date: r.date, dau: num(r.dau) }));
  return {
    id: 'chart-dau', title: 'Daily active users', rows: values.length, note: null,
    caption: 'Distinct non-bot users with at least one event each day (gold/daily_active_users).',
    spec: {
      config: CONFIG, width: CHART_WIDTH, height: CHART_HEIGHT, data: { values },
      mark: { type: 'line', color: BLUE, strokeWidth: 2, point: values.length <= LABELLED_ROWS ? { filled: true, size: 28, color: BLUE } : false },
      encoding: {
        x: dayAxis('Day', values.map((v) => v.date)),
        y: { field: 'dau', type: 'quantitative', title: 'Active users', axis: { format: ',d', tickMinStep: 1 } },
      },
    },
  };
}

/** Daily gross and net revenue: two lines, told apart by a legend. */
export function revenueChart(tables: GoldTables): ChartSpec {
  const values = tables.daily_revenue_net.flatMap((r) => [
    { date: r.date, series: 'Gross', usd: num(r.gross_revenue_usd) },
    { date: r.date, series: 'Net (after refunds)', usd: num(r.net_revenue_usd) },
  ]);
  return {
    id: 'chart-revenue', title: 'Daily revenue, gross and net', rows: tables.daily_revenue_net.length, note: null,
    caption: 'Purchases, and purchases minus refunds on the refund\'s own day, in USD (gold/daily_revenue_net).',
    spec: {
      config: CONFIG, width: CHART_WIDTH, height: CHART_HEIGHT, data: { values },
      mark: { type: 'line', strokeWidth: 2, point: tables.daily_revenue_net.length <= LABELLED_ROWS ? { filled: true, size: 24 } : false },
      encoding: {
        x: dayAxis('Day', tables.daily_revenue_net.map((r) => r.date)),
        y: { field: 'usd', type: 'quantitative', title: 'Revenue (USD)', axis: { format: USD_AXIS } },
        color: {
          field: 'series', type: 'nominal', title: null, sort: ['Gross', 'Net (after refunds)'],
          scale: { domain: ['Gross', 'Net (after refunds)'], range: [BLUE, GREEN] },
          legend: { orient: 'top', direction: 'horizontal', symbolType: 'stroke', symbolStrokeWidth: 3, labelLimit: 0 },
        },
      },
    },
  };
}

/** MRR at each month end: bars labelled with their amount. */
export function mrrChart(tables: GoldTables): ChartSpec {
  const values = tables.mrr_monthly.map((r) => ({ month: r.month, mrr_usd: num(r.mrr_usd), active_subscriptions: num(r.active_subscriptions) }));
  const x = { field: 'month', type: 'ordinal', title: 'Month', axis: { labelAngle: values.length > 8 ? -40 : 0 } } as const;
  const y = { field: 'mrr_usd', type: 'quantitative', title: 'MRR (USD)', axis: { format: USD_AXIS } } as const;
  return {
    id: 'chart-mrr', title: 'Monthly recurring revenue', rows: values.length, note: null,
    caption: 'Monthly price of the subscriptions active at each month end, in USD (gold/mrr_monthly).',
    spec: {
      config: CONFIG, width: CHART_WIDTH, height: CHART_HEIGHT, data: { values },
      layer: [
        { mark: { type: 'bar', color: BLUE, cornerRadiusTopLeft: 2, cornerRadiusTopRight: 2 }, encoding: { x, y } },
        ...(values.length > LABELLED_BARS ? [] : [{
          mark: { type: 'text', dy: -6, fontSize: 10, color: '#333' },
          encoding: { x, y, text: { field: 'mrr_usd', type: 'quantitative', format: USD0 } },
        } as const]),
      ],
    },
  };
}

/** Weekly cohort retention: a heat map of cohort × weeks since signup, each cell labelled. */
export function retentionChart(tables: GoldTables): ChartSpec {
  const values = tables.weekly_cohort_retention.map((r) => ({
    cohort_week: r.cohort_week, week_number: num(r.week_number), cohort_size: num(r.cohort_size),
    active_users: num(r.active_users), retention_rate: num(r.retention_rate),
  }));
  // A year of cohorts is 52 × 52 cells: then they shrink to fit the width, unlabelled.
  const weeks = 1 + Math.max(0, ...values.map((v) => v.week_number));
  const cohorts = new Set(values.map((v) => v.cohort_week)).size;
  const labelled = weeks <= LABELLED_BARS && cohorts <= 26;
  const step = labelled ? 52 : Math.max(6, Math.floor(CHART_WIDTH / weeks));
  const x = { field: 'week_number', type: 'ordinal', title: 'Weeks since signup', axis: { labelAngle: 0, labelOverlap: true } } as const;
  const y = { field: 'cohort_week', type: 'ordinal', title: 'Cohort (week of first signup)', axis: { labelOverlap: true } } as const;
  return {
    id: 'chart-retention', title: 'Weekly cohort retention', rows: values.length, note: null,
    caption: 'Share of each signup cohort active in each later week (gold/weekly_cohort_retention).',
    spec: {
      config: CONFIG, width: { step }, height: { step: labelled ? 26 : Math.min(26, step) }, data: { values },
      encoding: { x, y },
      layer: [
        {
          mark: { type: 'rect', stroke: 'white', strokeWidth: 1 },
          encoding: {
            color: {
              field: 'retention_rate', type: 'quantitative', title: 'Retained',
              scale: { domain: [0, 1], scheme: 'blues' }, legend: { format: '.0%', gradientLength: 120 },
            },
          },
        },
        ...(labelled ? [{
          mark: { type: 'text', fontSize: 11 },
          encoding: {
            text: { field: 'retention_rate', type: 'quantitative', format: '.0%' },
            color: { condition: { test: 'datum.retention_rate > 0.55', value: 'white' }, value: '#222' },
          },
        } as const] : []),
      ],
    },
  };
}

/** Channels of `rows` whose `field` is null, for the note under a chart. */
function leftOut(rows: GoldRow[], field: string, why: string): string | null {
  const names = rows.filter((r) => r[field] === null).map((r) => String(r.channel));
  return names.length === 0 ? null : `${why}: ${names.join(', ')}.`;
}

/** CAC per channel: horizontal bars, cheapest first. */
export function cacChart(tables: GoldTables): ChartSpec {
  const rows = tables.cac_by_channel;
  // Cheapest first; the gold rows are sorted by channel, which breaks ties.
  const values = rows.filter((r) => r.cac_usd !== null)
    .map((r) => ({ channel: r.channel, cac_usd: num(r.cac_usd), spend_usd: num(r.spend_usd), signups: num(r.signups) }))
    .sort((a, b) => a.cac_usd - b.cac_usd);
  const y = { field: 'channel', type: 'nominal', title: 'Channel', sort: null } as const;
  const x = { field: 'cac_usd', type: 'quantitative', title: 'CAC (USD per signup)', axis: { format: USD_AXIS } } as const;
  return {
    id: 'chart-cac', title: 'Customer acquisition cost by channel', rows: values.length,
    note: leftOut(rows, 'cac_usd', 'No signups, so no CAC'),
    caption: 'Marketing spend divided by signups whose first signup names the channel (gold/cac_by_channel).',
    spec: {
      config: CONFIG, width: CHART_WIDTH - 80, height: { step: 26 }, data: { values },
      layer: [
        { mark: { type: 'bar', color: ORANGE, cornerRadiusEnd: 2 }, encoding: { x, y } },
        { mark: { type: 'text', align: 'left', dx: 4, fontSize: 11, color: '#333' }, encoding: { x, y, text: { field: 'cac_usd', type: 'quantitative', format: USD2 } } },
      ],
    },
  };
}

/** LTV:CAC per channel and for all channels together, with the break-even line at 1. */
export function ltvCacChart(tables: GoldTables): ChartSpec {
  const rows = tables.ltv_cac_ratio;
  const values = rows.filter((r) => r.ltv_cac_ratio !== null).map((r) => ({
    channel: r.channel, ltv_cac_ratio: num(r.ltv_cac_ratio), avg_ltv_usd: num(r.avg_ltv_usd), cac_usd: num(r.cac_usd),
    customers: num(r.customers), group: r.channel === 'all' ? 'All channels' : 'Channel',
  }));
  const y = { field: 'channel', type: 'nominal', title: 'Channel', sort: null } as const;
  const x = { field: 'ltv_cac_ratio', type: 'quantitative', title: 'LTV : CAC', axis: { format: '.1f' } } as const;
  return {
    id: 'chart-ltv-cac', title: 'LTV : CAC by channel', rows: values.length,
    note: leftOut(rows, 'ltv_cac_ratio', 'No ratio where there was no spend or no signup'),
    caption: 'Average lifetime value of a channel\'s customers over its CAC; the dashed line is break-even (gold/ltv_cac_ratio).',
    spec: {
      config: CONFIG, width: CHART_WIDTH - 80, height: { step: 26 }, data: { values },
      layer: [
        {
          mark: { type: 'bar', cornerRadiusEnd: 2 },
          encoding: {
            x, y,
            color: { field: 'group', type: 'nominal', title: null, scale: { domain: ['Channel', 'All channels'], range: [TEAL, GREY] }, legend: { orient: 'top' } },
          },
        },
        { mark: { type: 'text', align: 'left', dx: 4, fontSize: 11, color: '#333' }, encoding: { x, y, text: { field: 'ltv_cac_ratio', type: 'quantitative', format: '.2f' } } },
        { data: { values: [{ one: 1 }] }, mark: { type: 'rule', color: '#c0392b', strokeDash: [4, 3], strokeWidth: 1.5 }, encoding: { x: { field: 'one', type: 'quantitative' } } },
      ],
    },
  };
}

/** Every chart of the page, in page order. */
export function chartSpecs(tables: GoldTables): ChartSpec[] {
  return [dauChart, revenueChart, mrrChart, retentionChart, cacChart, ltvCacChart].map((chart) => chart(tables));
}
