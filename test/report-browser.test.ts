/**
 * The HTML report of a small real run, opened from disk in headless Chromium with the
 * network cut off: every chart must be drawn by uPlot with its series and visible data,
 * the legend must follow the cursor, nothing may be fetched and nothing logged as an
 * error. Saves a screenshot to reports/out/report-screenshot.png.
 *
 * Needs Debian's `chromium` at /usr/bin/chromium (`npm test` installs it first: test/provision/system-packages.mjs); without it this
 * test fails, telling how to install it.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkDigests } from '../reports/digest-check.js';
import { writeHtmlReport, writeRunReport } from '../reports/html/report-command.js';
import { buildResultsFile, writeReports } from '../reports/results-file.js';
import type { ResultsFile, RunResult, SweepResult } from '../primitives/results-schema.js';
import { captureEnvironment } from '../runner/environment.js';
import { runTrial } from '../runner/run-trial.js';
import type { TrialSpec } from '../runner/trial-spec.js';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const SCREENSHOT = new URL('../reports/out/report-screenshot.png', import.meta.url);

function spec(mode: string, params: TrialSpec['params'], rate: number): TrialSpec {
  return {
    scenario: 'steady',
    mode,
    params,
    rate,
    warmupSec: 0.2,
    durationSec: 0.5,
    seed: 7,
    trial: 0,
    logCapacity: 1 << 16,
    cpuIterationsPerUs: 50,
    drainTimeoutSec: 5,
    timeoutSec: 60,
  };
}

/** A sweep entry built from real runs of one mode (so the frontier section renders with real figures). */
function sweepOf(runs: readonly RunResult[]): SweepResult {
  const points = runs.map((run) => ({
    mode: run.mode,
    setting: '',
    offeredRate: run.offeredRate,
    throughputOut: run.throughputOut,
    p50: run.latency.eventTime.p50,
    p99: run.latency.eventTime.p99,
    p99_9: run.latency.eventTime.p99_9,
    max: run.latency.eventTime.max,
    sustainable: run.drained && run.sourceDropped === 0,
    reasons: [],
  }));
  return { scenario: 'steady', mode: runs[0].mode, setting: '', params: runs[0].params, points, sustainableThroughput: Math.max(...runs.map((r) => r.offeredRate)), confirmed: true, probes: points.length };
}

/** Results of three short real trials: micro-batch at 2000/s, continuous at 2000/s and 4000/s. */
async function smallRun(): Promise<ResultsFile> {
  const runs: RunResult[] = [];
  runs.push(await runTrial(spec('micro-batch', { workers: 2, intervalMs: 50 }, 2000)));
  runs.push(await runTrial(spec('continuous', { workers: 2, checkpointMs: 200, flushTimeoutUs: 0 }, 2000)));
  runs.push(await runTrial(spec('continuous', { workers: 2, checkpointMs: 200, flushTimeoutUs: 0 }, 4000)));
  const file = buildResultsFile(runs, captureEnvironment(), { seed: 7, durationSec: 0.5, warmupSec: 0.2, trials: 1 }, checkDigests(runs));
  return { ...file, sweeps: [sweepOf(runs.slice(1))] };
}

interface ChartCheck {
  id: string;
  expectedSeries: number;
  series: number;
  points: number;
  seriesPixels: number;
}

/** Opens a page from disk with every non-file request aborted; collects requests and errors. */
async function open(browser: Browser, path: string): Promise<{ page: Page; external: string[]; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 });
  await context.setOffline(true);
  const external: string[] = [];
  const errors: string[] = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('file://')) return route.continue();
    external.push(url);
    return route.abort();
  });
  const page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(pathToFileURL(path).href);
  await page.waitForFunction('window.streambenchCharts !== undefined && window.streambenchCharts.length === document.querySelectorAll(".chart").length');
  return { page, external, errors };
}

/**
 * Runs in the page (as source text: this project compiles without the DOM types): per
 * chart, the series uPlot drew, its data points, and the canvas pixels in one of its
 * series' (chromatic) colours: axes, grid and text are grey or black, so these pixels come
 * from the plotted data.
 */
const CHECK_CHARTS = `window.streambenchCharts.map(function (chart) {
  var u = chart.uplot;
  var rgb = function (hex) { return [1, 3, 5].map(function (i) { return parseInt(hex.slice(i, i + 2), 16); }); };
  var colours = u.series.slice(1).map(function (s) { return rgb(String(s._stroke || s.stroke())); })
    .filter(function (c) { return Math.max.apply(null, c) - Math.min.apply(null, c) > 60; });
  var canvas = chart.el.querySelector('canvas');
  var pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  var seriesPixels = 0;
  for (var i = 0; i < pixels.length; i += 4) {
    if (pixels[i + 3] < 160) continue;
    for (var c = 0; c < colours.length; c++) {
      var d = Math.abs(pixels[i] - colours[c][0]) + Math.abs(pixels[i + 1] - colours[c][1]) + Math.abs(pixels[i + 2] - colours[c][2]);
      if (d < 60) { seriesPixels++; break; }
    }
  }
  var points = 0;
  u.data.slice(1).forEach(function (values) { values.forEach(function (v) { if (v !== null && v !== undefined) points++; }); });
  return { id: chart.id, expectedSeries: Number(chart.el.dataset.series), series: u.series.length - 1, points: points, seriesPixels: seriesPixels };
})`;

/** Per chart: series drawn, data points, and canvas pixels in one of its series' colours. */
function checkCharts(page: Page): Promise<ChartCheck[]> {
  return page.evaluate(CHECK_CHARTS) as Promise<ChartCheck[]>;
}

describe('the HTML report in headless Chromium', () => {
  let browser: Browser | undefined;
  let dir: string;
  let file: ResultsFile;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`${CHROMIUM} is missing: the browser test needs Debian's chromium; run \`npm test\`, which installs it (or as root: \`apt-get update && apt-get install -y chromium\`)`);
    }
    dir = await mkdtemp(join(tmpdir(), 'streambench-browser-'));
    file = await smallRun();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('draws every chart with data, fetches nothing, logs no error', async () => {
    const out = join(dir, 'run');
    await writeReports(out, file);
    const path = await writeRunReport(out, file);
    const { page, external, errors } = await open(browser as Browser, path);
    const charts = await checkCharts(page);
    // spectrum, sweeps frontier, runs frontier (continuous at two rates), 3 timelines × 2 rates
    expect(charts.map((c) => c.id)).toEqual([
      'spectrum-0',
      'frontier-0-sweeps',
      'frontier-0-runs',
      'timeline-0-throughput',
      'timeline-0-backlog',
      'timeline-0-latency',
      'timeline-1-throughput',
      'timeline-1-backlog',
      'timeline-1-latency',
    ]);
    for (const chart of charts) {
      expect(chart.series, chart.id).toBe(chart.expectedSeries);
      expect(chart.series, chart.id).toBeGreaterThan(0);
      expect(chart.points, chart.id).toBeGreaterThan(0);
      expect(chart.seriesPixels, `${chart.id}: no pixel in a series colour`).toBeGreaterThan(10);
    }
    expect(charts[0].series).toBe(3);

    // The legend follows the cursor: hovering the spectrum shows values.
    const over = page.locator('#chart-spectrum-0 .u-over');
    const box = await over.boundingBox();
    expect(box).not.toBeNull();
    await over.hover({ position: { x: (box?.width ?? 100) * 0.2, y: (box?.height ?? 100) / 2 } });
    const values = page.locator('#chart-spectrum-0 .u-legend .u-value');
    await expect.poll(() => values.first().textContent()).toMatch(/%$/);
    const legend = await values.allTextContents();
    expect(legend.slice(1).some((v) => /µs|ms|s$/.test(v))).toBe(true);

    await mkdir(new URL('.', SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT.pathname, fullPage: true });
    expect(errors).toEqual([]);
    expect(external).toEqual([]);
    expect((await readFile(path)).byteLength).toBeLessThan(1_000_000);
  });

  it('renders a comparison of two files with every chart drawn', async () => {
    await writeReports(join(dir, 'a'), file);
    await writeReports(join(dir, 'b'), file);
    const path = await writeHtmlReport(join(dir, 'compare'), [
      { label: 'a/results.json', file, csvHref: '../a/' },
      { label: 'b/results.json', file, csvHref: '../b/' },
    ]);
    const { page, external, errors } = await open(browser as Browser, path);
    const charts = await checkCharts(page);
    expect(charts[0].series).toBe(6);
    for (const chart of charts) {
      expect(chart.series, chart.id).toBe(chart.expectedSeries);
      expect(chart.seriesPixels, chart.id).toBeGreaterThan(10);
    }
    expect(await page.locator('.delta').count()).toBeGreaterThan(0);
    expect(errors).toEqual([]);
    expect(external).toEqual([]);
  });
});
