// report.html (issue 11): the charts of the gold tables and the data-quality counters of
// report.json on one self-contained page. Pure: the pipeline writes the text it returns.
import type { GoldTables } from '../gold/schema.js';
import type { Report } from '../core/report.js';
import { reportPage, type PageChart } from './page.js';
import { renderSvg } from './render.js';
import type { SampleGroup } from './samples.js';
import { chartSpecs } from './specs.js';

export { QuarantineSamples, type QuarantineSample, type SampleGroup } from './samples.js';

/**
 * The report page of a run. A chart that fails to draw is named on the page with its
 * error instead of failing the run: the lakehouse matters more than its picture.
 */
export async function reportHtml(report: Report, tables: GoldTables, samples: SampleGroup[]): Promise<string> {
  const charts: PageChart[] = [];
  for (const chart of chartSpecs(tables)) {
    if (chart.rows === 0) {
      charts.push({ chart, svg: null, error: null });
      continue;
    }
    try {
      charts.push({ chart, svg: (await renderSvg(chart.spec, chart.id)).svg, error: null });
    } catch (err) {
      charts.push({ chart, svg: null, error: (err as Error)?.message ?? String(err) });
    }
  }
  return reportPage({ report, charts, samples });
}
