/**
 * Series preparation for the HTML report: the percentile spectrum read from histograms,
 * timelines (rates, trimming, downsampling), latency–throughput points and frontier,
 * alignment onto one x array, and file labels.
 */
import { describe, expect, it } from 'vitest';
import { buildCharts, frontierCharts } from '../reports/html/charts-data.js';
import { alignSeries } from '../reports/html/chart-spec.js';
import { runPoints, sweepFrontier, sweepPoints } from '../reports/html/frontier-data.js';
import { fileLabels, summarizeInputs } from '../reports/html/model.js';
import type { ReportInput } from '../reports/html/model.js';
import { ModePalette } from '../reports/html/palette.js';
import { percentileAt, SPECTRUM_TICKS, spectrumGrid, spectrumValues } from '../reports/html/spectrum.js';
import { activeBuckets, runTimeline } from '../reports/html/timeline-data.js';
import { buildResultsFile } from '../reports/results-file.js';
import type { ResultsFile, SweepPoint, SweepResult } from '../primitives/results-schema.js';
import { latencyOf, makeRun, repeat, TEST_ENVIRONMENT, timelineOf } from './fixtures/run-result.js';

function fileOf(runs = [makeRun()], extra: Partial<ResultsFile> = {}): ResultsFile {
  return { ...buildResultsFile(runs, TEST_ENVIRONMENT, { seed: 42 }, [], new Date('2025-01-01T00:00:00Z')), ...extra };
}

/** 1..10 000 µs, one value each: the percentile p has value ≈ 100·p µs. */
const uniform = Array.from({ length: 10_000 }, (_, i) => i + 1);

describe('percentile spectrum', () => {
  it('places k = 0..100 twenty per decade of 1/(1−p), plus p50, ascending', () => {
    const grid = spectrumGrid();
    expect(grid).toHaveLength(102);
    expect(grid[0]).toBe(1);
    expect(grid.at(-1)).toBe(100_000);
    for (const tick of SPECTRUM_TICKS) expect(grid).toContain(tick);
    for (let i = 1; i < grid.length; i++) expect(grid[i]).toBeGreaterThan(grid[i - 1]);
    expect(percentileAt(2)).toBe(50);
    expect(percentileAt(1000)).toBeCloseTo(99.9, 10);
  });

  it('reads the histogram: monotonic, matching its percentiles, null past what the count resolves', () => {
    const summary = latencyOf(uniform);
    const grid = spectrumGrid();
    const values = spectrumValues(summary.histogram, grid);
    const defined = values.filter((v): v is number => v !== null);
    for (let i = 1; i < defined.length; i++) expect(defined[i]).toBeGreaterThanOrEqual(defined[i - 1]);
    expect(values[grid.indexOf(2)]).toBe(summary.p50);
    expect(values[grid.indexOf(100)]).toBe(summary.p99);
    expect(values[grid.indexOf(1000)]).toBe(summary.p99_9);
    // 10 000 values resolve 1/(1−p) up to 10 000 (p = 99.99%), not beyond.
    expect(values[grid.indexOf(10_000)]).not.toBeNull();
    expect(values[grid.indexOf(10_000) + 1]).toBeNull();
  });

  it('keeps values at least 1 µs for the log axis, and is all null for an empty histogram', () => {
    // Three values of 0 µs resolve 1/(1−p) up to 3: those grid points read 1 µs (not 0), the rest null.
    const grid = spectrumGrid();
    expect(spectrumValues(latencyOf([0, 0, 0]).histogram, grid).filter((v) => v !== null)).toEqual(grid.filter((g) => g <= 3).map(() => 1));
    expect(spectrumValues(latencyOf([]).histogram).every((v) => v === null)).toBe(true);
    expect(spectrumValues('').every((v) => v === null)).toBe(true);
  });

  it('charts one series per mode and rate, coloured by mode, dashed by rate', () => {
    const runs = [
      makeRun({ mode: 'micro-batch', offeredRate: 1000, eventTimeUs: uniform }),
      makeRun({ mode: 'continuous', params: { workers: 2 }, offeredRate: 1000, eventTimeUs: repeat(50, 100) }),
      makeRun({ mode: 'continuous', params: { workers: 2 }, offeredRate: 5000, eventTimeUs: repeat(80, 100) }),
    ];
    const inputs: ReportInput[] = [{ label: 'results.json', file: fileOf(runs) }];
    const charts = buildCharts(inputs, summarizeInputs(inputs));
    expect(charts.spectrum).toHaveLength(1);
    const [spectrum] = charts.spectrum;
    expect(spectrum.series.map((s) => s.label)).toEqual(['micro-batch T=100ms @ 1k/s', 'continuous workers=2 @ 1k/s', 'continuous workers=2 @ 5k/s']);
    expect(spectrum.series[1].color).toBe(spectrum.series[2].color);
    expect(spectrum.series[0].color).not.toBe(spectrum.series[1].color);
    expect(spectrum.series[1].dash).not.toEqual(spectrum.series[2].dash);
    for (const s of spectrum.series) expect(s.values).toHaveLength(spectrum.x.length);
  });
});

describe('timelines', () => {
  const run = makeRun({
    durationSec: 0.3,
    timeline: {
      input: timelineOf([10, 10, 10, 0, 0, 0, 0]),
      output: timelineOf([5, 10, 10, 5, 0, 0, 0], [100, 200, 300, 400]),
      backlog: [5, 5, 5, 0, 0, 0, 0],
    },
  });

  it('turns counts per 100 ms bucket into records/s and latency sums into means, trimming idle buckets after the run', () => {
    expect(activeBuckets(run)).toBe(4);
    const t = runTimeline(run);
    expect(t.inRate.map((p) => p.y)).toEqual([100, 100, 100, 0]);
    expect(t.outRate.map((p) => p.y)).toEqual([50, 100, 100, 50]);
    expect(t.outRate.map((p) => p.x)).toEqual([0, 0.1, 0.2, 0.3]);
    expect(t.backlog.map((p) => p.y)).toEqual([5, 5, 5, 0]);
    expect(t.meanLatency.map((p) => p.y)).toEqual([100, 200, 300, 400]);
    expect(t.maxLatency.map((p) => p.y)).toEqual([100, 200, 300, 400]);
  });

  it('downsamples long timelines: counts add, maxima take the max, rates use the merged width', () => {
    const t = runTimeline(run, 4, 2);
    expect(t.outRate).toEqual([
      { x: 0, y: 75 },
      { x: 0.2, y: 75 },
    ]);
    expect(t.meanLatency.map((p) => p.y)).toEqual([Math.round((5 * 100 + 10 * 200) / 15), Math.round((10 * 300 + 5 * 400) / 15)]);
    expect(t.maxLatency.map((p) => p.y)).toEqual([200, 400]);
    expect(runTimeline(run, 4, 1).outRate).toEqual([{ x: 0, y: 75 }]);
  });
});

describe('latency–throughput points', () => {
  const point = (mode: string, setting: string, throughputOut: number, p99: number, sustainable = true): SweepPoint => ({
    mode,
    setting,
    offeredRate: throughputOut,
    throughputOut,
    p50: p99 / 2,
    p99,
    p99_9: p99,
    max: p99,
    sustainable,
    reasons: sustainable ? [] : ['backlog grows'],
  });
  const sweep = (mode: string, setting: string, points: SweepPoint[]): SweepResult => ({
    scenario: 'steady',
    mode,
    setting,
    params: { workers: 2 },
    points,
    sustainableThroughput: Math.max(0, ...points.filter((p) => p.sustainable).map((p) => p.offeredRate)),
    confirmed: true,
    probes: points.length,
  });
  const sweeps = [
    sweep('micro-batch', 'T=100ms', [point('micro-batch', 'T=100ms', 4000, 90_000), point('micro-batch', 'T=100ms', 1000, 80_000), point('micro-batch', 'T=100ms', 8000, 900_000, false)]),
    sweep('continuous', '', [point('continuous', '', 1000, 2000), point('continuous', '', 2000, 150_000)]),
  ];

  it('splits sweep probes into sustainable and not, ascending throughput', () => {
    const [batch, continuous] = sweepPoints(fileOf([makeRun()], { sweeps }), 'steady');
    expect(batch.points).toEqual([
      { x: 1000, y: 80_000 },
      { x: 4000, y: 90_000 },
    ]);
    expect(batch.unsustainable).toEqual([{ x: 8000, y: 900_000 }]);
    expect(continuous.points.map((p) => p.x)).toEqual([1000, 2000]);
    expect(sweepPoints(fileOf(), 'steady')).toEqual([]);
  });

  it('takes the stored frontier, or computes the Pareto set of the sustainable probes', () => {
    // continuous 1000@2ms beats nothing on throughput but has the least latency; micro-batch 4000@90ms has the most throughput.
    expect(sweepFrontier(fileOf([makeRun()], { sweeps }), 'steady')).toEqual([
      { x: 1000, y: 2000 },
      { x: 4000, y: 90_000 },
    ]);
    const stored = [{ scenario: 'steady', points: [point('continuous', '', 1000, 2000)] }];
    expect(sweepFrontier(fileOf([makeRun()], { sweeps, frontier: stored }), 'steady')).toEqual([{ x: 1000, y: 2000 }]);
  });

  it('draws a sweeps chart with a frontier series, and omits it without sweeps', () => {
    const inputs: ReportInput[] = [{ label: 'results.json', file: fileOf([makeRun()], { sweeps }) }];
    const charts = frontierCharts('f', 'steady', inputs, summarizeInputs(inputs), new ModePalette());
    expect(charts.map((c) => c.id)).toEqual(['f-sweeps']);
    expect(charts[0].series.map((s) => s.label)).toEqual(['micro-batch T=100ms', 'micro-batch T=100ms (not sustainable)', 'continuous', 'frontier']);
    const plain: ReportInput[] = [{ label: 'results.json', file: fileOf() }];
    expect(frontierCharts('f', 'steady', plain, summarizeInputs(plain), new ModePalette())).toEqual([]);
  });

  it('from plain runs, plots only modes that ran at two or more rates', () => {
    const runs = [
      makeRun({ mode: 'continuous', params: { workers: 2 }, offeredRate: 1000, recordsOut: 10_000, eventTimeUs: repeat(100, 100) }),
      makeRun({ mode: 'continuous', params: { workers: 2 }, offeredRate: 9000, recordsOut: 50_000, eventTimeUs: repeat(900, 100) }),
      makeRun({ mode: 'micro-batch', offeredRate: 1000 }),
    ];
    const inputs: ReportInput[] = [{ label: 'results.json', file: fileOf(runs) }];
    const points = runPoints(summarizeInputs(inputs), 'steady', () => '');
    expect(points).toHaveLength(1);
    expect(points[0].mode).toBe('continuous');
    expect(points[0].points).toEqual([
      { x: 1000, y: 100 },
      { x: 5000, y: 900 },
    ]);
  });
});

describe('alignment and labels', () => {
  it('aligns point lists on the union of their x values, null where a list has no point', () => {
    expect(alignSeries([[{ x: 2, y: 20 }, { x: 1, y: 10 }], [{ x: 3, y: 30 }]])).toEqual({
      x: [1, 2, 3],
      values: [
        [10, 20, null],
        [null, null, 30],
      ],
    });
  });

  it('labels files by the shortest distinguishing end of their paths', () => {
    expect(fileLabels(['reports/out/results.json'])).toEqual(['results.json']);
    expect(fileLabels(['a/base/results.json', 'b/new/results.json'])).toEqual(['base/results.json', 'new/results.json']);
    expect(fileLabels(['x.json', './x.json'])).toEqual(['1: x.json', '2: ./x.json']);
  });
});
