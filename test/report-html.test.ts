// report.html in a real browser: Debian's headless Chromium, driven by playwright-core.
// The sample run's page must load offline with no console error and no failed request,
// draw every chart, and show report.json's numbers; a hostile run's page must show its
// hostile names as text. A screenshot of the sample page is kept for people to look at.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { runPipeline } from '../lib/pipeline.js';
import { ndjson, tempDir, writeInput } from './helpers.js';

const CHROMIUM = '/usr/bin/chromium';
const CHART_IDS = ['chart-dau', 'chart-revenue', 'chart-mrr', 'chart-retention', 'chart-cac', 'chart-ltv-cac'];
/** Kept after the run, unlike the lakehouse folders: the screenshot is for people to open. */
const ARTIFACTS = join(tmpdir(), 'audicin-report-html');

const HOSTILE_CHANNEL = '<script>alert(1)</script>';
const HOSTILE_USER = '<img src=x onerror=alert(2)>';
const HOSTILE_LINE = '{"event_id": "<b>bold</b>", "user_id": "&amp;", "event_type": "<svg onload=alert(3)>"';

const hostileInput = (): string => writeInput({
  events: ndjson([
    { event_id: 's1', user_id: 'u1', event_type: 'signup', timestamp: '2026-01-05T10:00:00Z', acquisition_channel: HOSTILE_CHANNEL },
    { event_id: 'p1', user_id: 'u1', event_type: 'purchase', timestamp: '2026-01-06T10:00:00Z', amount: 30, currency: 'USD' },
    ...Array.from({ length: 21 }, (_, i) => ({ event_id: `b${i}`, user_id: HOSTILE_USER, event_type: 'page_view', timestamp: new Date(Date.UTC(2026, 0, 7) + i * 10).toISOString() })),
    HOSTILE_LINE,
  ]),
  marketing: `date,channel,spend\n2026-01-05,${HOSTILE_CHANNEL},12\n`,
});

interface Opened {
  page: Page;
  problems: string[];
  requests: string[];
}

let browser: Browser | undefined;

async function open(file: string, width = 1360): Promise<Opened> {
  const page = await browser!.newPage({ viewport: { width, height: 900 } });
  const problems: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`); });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
  page.on('dialog', (d) => { problems.push(`dialog: ${d.message()}`); void d.dismiss(); });
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  return { page, problems, requests };
}

if (!existsSync(CHROMIUM)) {
  console.log(`report-html: browser tests skipped: ${CHROMIUM} is missing (install it with: apt-get install -y chromium)`);
  test.skip('report.html in headless Chromium');
} else {
  let sampleOut = '', hostileOut = '';

  test.before(async () => {
    const { chromium } = await import('playwright-core');
    sampleOut = tempDir();
    hostileOut = tempDir();
    await runPipeline({ out: sampleOut });
    await runPipeline({ input: hostileInput(), out: hostileOut });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync'],
    });
  });

  test.after(async () => {
    await browser?.close();
  });

  test('the sample page loads offline: no console error, no failed request, nothing fetched', async () => {
    const file = join(sampleOut, 'report.html');
    const { page, problems, requests } = await open(file);
    assert.equal(problems, []);
    assert.equal(requests, [pathToFileURL(file).href]);
    assert.is(await page.locator('script').count(), 0);
    mkdirSync(ARTIFACTS, { recursive: true });
    const shot = join(ARTIFACTS, 'sample-report.png');
    await page.screenshot({ path: shot, fullPage: true });
    console.log(`report-html: screenshot of the sample page: ${shot}`);
    await page.close();
  });

  test('every chart is drawn: an SVG of real size, with marks', async () => {
    const { page } = await open(join(sampleOut, 'report.html'));
    for (const id of CHART_IDS) {
      const svg = page.locator(`#${id} svg`);
      assert.is(await svg.count(), 1, id);
      const box = await svg.boundingBox();
      assert.ok(box !== null && box.width > 200 && box.height > 100, `${id}: ${JSON.stringify(box)}`);
      assert.ok((await page.locator(`#${id} h3`).innerText()).length > 5, `${id} heading`);
      // Marks: bars, cells, points and lines are drawn as paths.
      const marks = await page.locator(`#${id} svg .role-mark path`).count();
      assert.ok(marks >= 3, `${id}: ${marks} marks`);
    }
    await page.close();
  });

  test('the data-quality tables show the numbers of report.json', async () => {
    const report = JSON.parse(readFileSync(join(sampleOut, 'report.json'), 'utf8'));
    const { page } = await open(join(sampleOut, 'report.html'));
    const cell = (selector: string): Promise<string> => page.locator(selector).innerText();
    const shown = (n: number): string => n.toLocaleString('en-US');
    for (const source of ['events', 'subscriptions', 'marketing_spend']) {
      const s = report.sources[source];
      for (const field of ['records', 'blank_lines', 'silver', 'superseded']) {
        assert.is(await cell(`#dq-sources td[data-source="${source}"][data-field="${field}"]`), shown(s[field]), `${source} ${field}`);
      }
      const total = Object.values(s.quarantined as Record<string, number>).reduce((a, b) => a + b, 0);
      assert.is(await cell(`#dq-sources td[data-source="${source}"][data-field="quarantined"]`), shown(total), `${source} quarantined`);
      for (const [reason, n] of Object.entries(s.quarantined as Record<string, number>)) {
        assert.is(await cell(`#dq-reasons td[data-source="${source}"][data-reason="${reason}"]`), shown(n), `${source} ${reason}`);
        assert.ok(await page.locator(`#dq-samples tr[data-source="${source}"][data-reason="${reason}"]`).count() >= 1, `${source} ${reason} samples`);
      }
    }
    assert.is(await page.locator('#dq-bots tbody tr').count(), report.bots.length);
    for (const bot of report.bots) assert.is(await cell(`#dq-bots td[data-bot="${bot}"]`), shown(report.bot_peaks[bot]), bot);
    await page.close();
  });

  test('hostile channel, user and raw record are shown as text, never run', async () => {
    const { page, problems } = await open(join(hostileOut, 'report.html'));
    assert.equal(problems, []);
    assert.is(await page.locator('script').count(), 0);
    assert.is(await page.locator('img').count(), 0);
    assert.is(await page.locator('b').count(), 0);
    assert.is(await page.locator('svg[onload]').count(), 0);
    // The axis label, cut to its width by Vega.
    assert.ok((await page.locator('#chart-cac svg').textContent())!.includes('<script>alert(1)'));
    assert.is(await page.locator('#dq-bots td code').innerText(), HOSTILE_USER);
    assert.is(await page.locator('#dq-samples pre.raw').innerText(), HOSTILE_LINE);
    await page.close();
  });

  test('narrow screens: the page never scrolls sideways, charts shrink to fit', async () => {
    const { page } = await open(join(sampleOut, 'report.html'), 400);
    // A string, run in the page: this project compiles without the DOM types.
    assert.ok(await page.evaluate('document.documentElement.scrollWidth <= 400'));
    for (const id of CHART_IDS) {
      const box = await page.locator(`#${id} svg`).boundingBox();
      assert.ok(box !== null && box.width <= 400 && box.width > 250, `${id}: ${JSON.stringify(box)}`);
    }
    await page.close();
  });
}

test.run();
