/**
 * The HTML page: self-contained (no external script, stylesheet or other reference), every
 * section present when it has data and the frontier section only when it does, comparison
 * deltas, escaping, and a page size well under 1 MB for a default-sized run.
 */
import { describe, expect, it } from 'vitest';
import { checkDigests } from '../reports/digest-check.js';
import { loadReportAssets } from '../reports/html/assets.js';
import { DATA_ELEMENT_ID } from '../reports/html/client.js';
import type { ChartSpec } from '../reports/html/chart-spec.js';
import { deltaCell } from '../reports/html/headline.js';
import { renderReport } from '../reports/html/render.js';
import type { ReportInput } from '../reports/html/render.js';
import { buildResultsFile } from '../reports/results-file.js';
import type { ResultsFile, RunResult } from '../primitives/results-schema.js';
import { batchesOf, makeRun, TEST_ENVIRONMENT, timelineOf } from './fixtures/run-result.js';

const MODES: [string, RunResult['params']][] = [
  ['micro-batch', { workers: 2, intervalMs: 100 }],
  ['trigger', { workers: 2, intervalMs: 0 }],
  ['continuous', { workers: 2, checkpointMs: 1000, flushTimeoutUs: 0 }],
];

/** A run shaped like a default `streambench run` trial: 131 timeline buckets, a few thousand latency values. */
function defaultSizedRun(mode: string, params: RunResult['params'], rate: number, scale = 1): RunResult {
  const buckets = 131;
  const counts = Array.from({ length: buckets }, (_, i) => (i < 30 ? 100 + (i % 7) : 0));
  const latencies = Array.from({ length: 3000 }, (_, i) => Math.round(scale * (20 + ((i * 7919) % 100_000))));
  return makeRun({
    mode,
    params,
    offeredRate: rate,
    trial: 0,
    eventTimeUs: latencies,
    timeline: { input: timelineOf(counts), output: timelineOf(counts, counts.map((_, i) => 1000 + i)), backlog: counts.map((c) => c % 5) },
    ...(mode === 'continuous' ? { epochs: 3 } : { batches: batchesOf(30, 100, 50, 400) }),
  });
}

function defaultFile(scale = 1): ResultsFile {
  const runs = [1000, 20_000_000].flatMap((rate) => MODES.map(([mode, params]) => defaultSizedRun(mode, params, rate, scale)));
  return buildResultsFile(runs, TEST_ENVIRONMENT, { seed: 42, durationSec: 3, warmupSec: 1, trials: 1 }, checkDigests(runs), new Date('2025-01-01T00:00:00Z'));
}

async function render(inputs: ReportInput[]): Promise<string> {
  return renderReport(inputs, await loadReportAssets());
}

/** The chart descriptions embedded in a page. */
function chartsOf(html: string): ChartSpec[] {
  const match = new RegExp(`<script type="application/json" id="${DATA_ELEMENT_ID}">(.*?)</script>`, 's').exec(html);
  expect(match).not.toBeNull();
  return (JSON.parse(match?.[1] ?? '{}') as { charts: ChartSpec[] }).charts;
}

describe('the report page', () => {
  it('is self-contained: uPlot and styles inlined, no external script, stylesheet or resource reference', async () => {
    const html = await render([{ label: 'results.json', file: defaultFile(), csvHref: '' }]);
    expect(html).toContain('uPlot');
    expect(html).toContain('.u-legend');
    expect(html).not.toMatch(/<(script|link|img|iframe|embed|source|audio|video)\b[^>]*\s(src|href)\s*=\s*["']?\s*(https?:)?\/\//i);
    expect(html).not.toMatch(/<link\b/i);
    expect(html).not.toMatch(/<script\b[^>]*\ssrc=/i);
    expect(html).not.toMatch(/@import|url\(\s*["']?https?:/i);
    expect(html).not.toMatch(/href="https?:/i);
  });

  it('has every section, charts with data for each, CSV links, and stays well under 1 MB', async () => {
    const html = await render([{ label: 'results.json', file: defaultFile(), csvHref: '' }]);
    for (const id of ['headline', 'spectrum', 'frontier', 'timelines', 'details']) expect(html).toContain(`<section id="${id}">`);
    const charts = chartsOf(html);
    // 1 spectrum + 1 frontier (three modes at two rates) + 3 timeline charts per rate.
    expect(charts.map((c) => c.id)).toEqual([
      'spectrum-0',
      'frontier-0-runs',
      'timeline-0-throughput',
      'timeline-0-backlog',
      'timeline-0-latency',
      'timeline-1-throughput',
      'timeline-1-backlog',
      'timeline-1-latency',
    ]);
    for (const chart of charts) {
      expect(html).toContain(`id="chart-${chart.id}"`);
      expect(chart.series.length).toBeGreaterThan(0);
      for (const s of chart.series) expect(s.values.some((v) => v !== null)).toBe(true);
    }
    expect(charts[0].series).toHaveLength(6);
    for (const name of ['summary.csv', 'percentiles.csv', 'timeline.csv']) expect(html).toContain(`href="${name}"`);
    expect(html).toContain('HISTFAA'); // the raw histograms
    expect(html).toContain('✓ match');
    expect(html).toContain('abc1234');
    expect(Buffer.byteLength(html)).toBeLessThan(1_000_000);
  });

  it('leaves out the latency–throughput section with one rate and no sweeps', async () => {
    const runs = MODES.map(([mode, params]) => makeRun({ mode, params }));
    const file = buildResultsFile(runs, TEST_ENVIRONMENT, {}, checkDigests(runs));
    const html = await render([{ label: 'results.json', file }]);
    expect(html).not.toContain('<section id="frontier">');
    expect(html).not.toContain('href="#frontier"');
    expect(html).toContain('CSV files were not found');
  });

  it('overlays two files with labelled series and deltas against the first', async () => {
    const html = await render([
      { label: 'base/results.json', file: defaultFile(1) },
      { label: 'new/results.json', file: defaultFile(2) },
    ]);
    expect(html).toContain('Comparing base/results.json vs new/results.json');
    expect(html).toMatch(/class="delta worse"[^>]*>▲ \+\d+%/);
    const [spectrum] = chartsOf(html);
    expect(spectrum.series).toHaveLength(12);
    expect(spectrum.series[0].label).toMatch(/^base\/results\.json · /);
    expect(spectrum.series.some((s) => s.label.startsWith('new/results.json · '))).toBe(true);
  });

  it('marks deltas better or worse by direction, and small ones as noise', () => {
    expect(deltaCell(110, 100, false)).toMatch(/class="delta worse".*▲ \+10%/);
    expect(deltaCell(50, 100, false)).toMatch(/class="delta better".*▼ −50%/);
    expect(deltaCell(150, 100, true)).toMatch(/class="delta better".*▲ \+50%/);
    expect(deltaCell(101, 100, true)).toMatch(/class="delta same".*\+1\.0%/);
    expect(deltaCell(5, 0, true)).toBe('');
  });

  it('escapes text from the results file', async () => {
    const run = makeRun({ status: 'failed', error: '</script><script>alert(1)</script>', scenario: 'steady<b>' });
    const html = await render([{ label: 'results.json', file: buildResultsFile([run], TEST_ENVIRONMENT, {}, []) }]);
    expect(html).not.toContain('<script>alert(1)');
    expect(html).not.toContain('<b>');
    expect(html).toContain('&lt;/script&gt;');
    expect(chartsOf(html).length).toBeGreaterThan(0);
  });

  it('refuses to render nothing', async () => {
    await expect(render([{ label: 'x', file: buildResultsFile([], TEST_ENVIRONMENT, {}, []) }])).rejects.toThrow(/no runs/);
  });
});
