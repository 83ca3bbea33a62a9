/**
 * Prepares every chart of the report as plain series ({@link ChartSpec}): the percentile
 * spectrum per scenario, the latency–throughput points per scenario, and the timelines per
 * scenario and rate. Colours follow the mode everywhere; dash patterns tell apart rates,
 * files, settings and trials within a mode.
 */
import { formatRate } from '../../primitives/units.js';
import { keyParamsLabel, modeLabel } from '../format.js';
import type { RunResult } from '../../primitives/results-schema.js';
import { alignSeries } from './chart-spec.js';
import type { ChartSpec, SeriesSpec, SeriesStyle, XY } from './chart-spec.js';
import { runPoints, sweepFrontier, sweepPoints } from './frontier-data.js';
import type { ModePoints } from './frontier-data.js';
import { scenarioOrder } from './model.js';
import type { ConfigSummary, ReportInput } from './model.js';
import { dashFor, ModePalette, NEUTRAL_COLOR } from './palette.js';
import { peakBands, windowP99Points } from './peak-data.js';
import { SPECTRUM_TICKS, spectrumGrid, spectrumValues } from './spectrum.js';
import { faultMarkers, sinkSeries } from './downstream-charts.js';
import { activeBuckets, runTimeline } from './timeline-data.js';
import type { RunTimeline } from './timeline-data.js';

/** Timelines of one scenario at one offered rate: throughput, backlog and latency charts. */
export interface TimelineGroup {
  scenario: string;
  offeredRate: number;
  charts: ChartSpec[];
}

/** Every chart of the report, by section. */
export interface ReportCharts {
  spectrum: ChartSpec[];
  frontier: ChartSpec[];
  timelines: TimelineGroup[];
}

/** Dash pattern of the "input" and "max" companion series (dotted; not one of the variant dashes). */
const COMPANION_DASH = [1, 3];
/** Dash pattern of the sliding-window p99 series of a run with a load peak (dash-dot). */
const WINDOW_P99_DASH = [8, 3, 1, 3];

/** Builds series specs from point lists, aligned onto one x array. */
function chartFrom(base: Omit<ChartSpec, 'x' | 'series'>, series: { spec: Omit<SeriesSpec, 'values'>; points: readonly XY[] }[]): ChartSpec {
  const aligned = alignSeries(series.map((s) => s.points));
  return { ...base, x: aligned.x, series: series.map((s, i) => ({ ...s.spec, values: aligned.values[i] })) };
}

/** A series description. */
function seriesSpec(label: string, color: string, dash: number[], width: number, style: SeriesStyle): Omit<SeriesSpec, 'values'> {
  return { label, color, dash, width, style };
}

/** Builds every chart for the inputs and their pooled configurations, colouring modes from `palette`. */
export function buildCharts(inputs: readonly ReportInput[], summaries: readonly ConfigSummary[], palette = new ModePalette()): ReportCharts {
  const prefix = (fileIndex: number): string => (inputs.length > 1 ? `${inputs[fileIndex].label} · ` : '');
  const scenarios = scenarioOrder(inputs);
  return {
    spectrum: scenarios.flatMap((scenario, i) => spectrumChart(`spectrum-${i}`, scenario, summaries, palette, prefix) ?? []),
    frontier: scenarios.flatMap((scenario, i) => frontierCharts(`frontier-${i}`, scenario, inputs, summaries, palette, prefix)),
    timelines: timelineGroups(summaries, palette, prefix),
  };
}

/** The percentile spectrum of one scenario: one series per input, mode and rate; undefined if nothing was emitted. */
export function spectrumChart(
  id: string,
  scenario: string,
  summaries: readonly ConfigSummary[],
  palette: ModePalette,
  prefix: (fileIndex: number) => string = () => '',
): ChartSpec | undefined {
  const shown = summaries.filter((s) => s.scenario === scenario && s.latency.eventTime.count > 0);
  if (shown.length === 0) return undefined;
  const rates = [...new Set(shown.map((s) => s.offeredRate))].sort((a, b) => a - b);
  const grid = spectrumGrid();
  return {
    id,
    title: `Percentile spectrum — ${scenario}`,
    note: 'Event-time latency at each percentile, pooled over trials. Lower is better; the right-hand end is the tail.',
    xLabel: 'percentile (log scale in 1/(1−p))',
    yLabel: 'event-time latency',
    xScale: 'log',
    yScale: 'log',
    xFormat: 'percentile',
    yFormat: 'micros',
    xTicks: SPECTRUM_TICKS,
    x: grid,
    series: shown.map((s) => ({
      ...seriesSpec(
        `${prefix(s.fileIndex)}${modeLabel(s.mode, s.params)} @ ${formatRate(s.offeredRate)}`,
        palette.color(s.mode),
        dashFor(s.fileIndex * rates.length + rates.indexOf(s.offeredRate)),
        2,
        'line',
      ),
      values: spectrumValues(s.latency.eventTime.histogram, grid),
    })),
  };
}

/** Series for one mode's points (and its not-sustainable probes). */
function modePointSeries(points: readonly ModePoints[], palette: ModePalette, prefix: (fileIndex: number) => string) {
  const variants = new Map<string, number>();
  return points.flatMap((p) => {
    const key = `${p.fileIndex} ${p.mode}`;
    const variant = variants.get(key) ?? 0;
    variants.set(key, variant + 1);
    const label = `${prefix(p.fileIndex)}${p.mode}${p.setting ? ` ${p.setting}` : ''}`;
    const dash = dashFor(p.fileIndex + variant);
    const main = { spec: seriesSpec(label, palette.color(p.mode), dash, 2, 'line+points'), points: p.points };
    if (p.unsustainable.length === 0) return [main];
    return [main, { spec: seriesSpec(`${label} (not sustainable)`, palette.color(p.mode), [], 1, 'points'), points: p.unsustainable }];
  });
}

/** The latency–throughput charts of one scenario: from sweeps when present, and from runs at ≥2 rates per mode. */
export function frontierCharts(
  id: string,
  scenario: string,
  inputs: readonly ReportInput[],
  summaries: readonly ConfigSummary[],
  palette: ModePalette,
  prefix: (fileIndex: number) => string = () => '',
): ChartSpec[] {
  const base = { xLabel: 'throughput out (records/s)', yLabel: 'p99 event-time latency', xScale: 'log', yScale: 'log', xFormat: 'rate', yFormat: 'micros' } as const;
  const charts: ChartSpec[] = [];
  const swept = inputs.flatMap((input, fileIndex) => sweepPoints(input.file, scenario, fileIndex));
  if (swept.length > 0) {
    const frontiers = inputs.flatMap((input, fileIndex) => {
      const points = sweepFrontier(input.file, scenario);
      return points.length > 0 ? [{ spec: seriesSpec(`${prefix(fileIndex)}frontier`, NEUTRAL_COLOR, dashFor(fileIndex + 1), 1.5, 'line+points'), points }] : [];
    });
    charts.push(
      chartFrom(
        {
          ...base,
          id: `${id}-sweeps`,
          title: `Latency–throughput frontier — ${scenario} (sweeps)`,
          note: 'Each sweep probe: filled points were sustainable, hollow ones were not. The frontier joins the sustainable points no other beats on both axes: down and to the right is better.',
        },
        [...modePointSeries(swept, palette, prefix), ...frontiers],
      ),
    );
  }
  const settingOf = (s: ConfigSummary): string => keyParamsLabel(s.mode, s.params);
  const measured = runPoints(summaries, scenario, settingOf);
  if (measured.length > 0) {
    charts.push(
      chartFrom(
        {
          ...base,
          id: `${id}-runs`,
          title: `p99 latency vs throughput — ${scenario} (runs at several rates)`,
          note: 'One point per offered rate, pooled over trials: as the rate rises, throughput saturates and latency climbs.',
        },
        modePointSeries(measured, palette, prefix),
      ),
    );
  }
  return charts;
}

/** The runs of a scenario and rate, each with its series label and dash variant. */
function groupRuns(summaries: readonly ConfigSummary[], prefix: (fileIndex: number) => string) {
  const trials = Math.max(1, ...summaries.map((s) => s.runs.length));
  return summaries.flatMap((s) =>
    s.runs.map((run: RunResult, i) => ({
      run,
      mode: s.mode,
      label: `${prefix(s.fileIndex)}${modeLabel(s.mode, s.params)}${s.runs.length > 1 ? ` #${run.trial + 1}` : ''}`,
      variant: s.fileIndex * trials + i,
    })),
  );
}

/** The timeline charts per scenario and rate. */
function timelineGroups(summaries: readonly ConfigSummary[], palette: ModePalette, prefix: (fileIndex: number) => string): TimelineGroup[] {
  const keys = [...new Set(summaries.map((s) => JSON.stringify([s.scenario, s.offeredRate])))];
  return keys.map((key, g) => {
    const [scenario, offeredRate] = JSON.parse(key) as [string, number];
    const runs = groupRuns(
      summaries.filter((s) => s.scenario === scenario && s.offeredRate === offeredRate),
      prefix,
    );
    const buckets = Math.max(1, ...runs.map((r) => activeBuckets(r.run)));
    const lines = runs.map((r) => ({ ...r, color: palette.color(r.mode), dash: dashFor(r.variant), timeline: runTimeline(r.run, buckets) }));
    const at = `${scenario} @ ${formatRate(offeredRate)}`;
    const bands = peakBands(runs.map((r) => r.run));
    const base = { xLabel: 'time since the measurement started (s)', xScale: 'linear', xFormat: 'seconds', ...(bands.length > 0 ? { bands } : {}) } as const;
    const windowP99 = lines.flatMap((l) => {
      const points = windowP99Points(l.run, buckets);
      return points.length > 0 ? [{ spec: seriesSpec(`${l.label} p99 (${l.run.recovery?.slidingWindowMs} ms window)`, l.color, WINDOW_P99_DASH, 1.5, 'line'), points }] : [];
    });
    const series = (pick: (t: RunTimeline) => XY[], suffix: string, dashed: boolean, width: number) =>
      lines.map((l) => ({ spec: seriesSpec(`${l.label}${suffix}`, l.color, dashed ? COMPANION_DASH : l.dash, width, 'line'), points: pick(l.timeline) }));
    const bucketMs = Math.round((runs[0]?.run.timeline.output.bucketUs ?? 100_000) / 1000);
    const markers = faultMarkers(runs.map((r) => r.run), buckets);
    const marked = markers.length > 0 ? { markers } : {};
    const withSink = lines.filter((l) => l.run.sink);
    return {
      scenario,
      offeredRate,
      charts: [
        chartFrom(
          { ...base, ...marked, id: `timeline-${g}-throughput`, title: `Throughput — ${at}`, note: `Records per second in each ${bucketMs} ms bucket: output (solid) and input appended to the source log (dotted).`, yLabel: 'records/s', yScale: 'linear', yFormat: 'rate' },
          [...series((t) => t.outRate, ' out', false, 2), ...series((t) => t.inRate, ' in', true, 1)],
        ),
        chartFrom(
          { ...base, ...marked, id: `timeline-${g}-backlog`, title: `Backlog — ${at}`, note: 'Records appended to the source log but not yet processed (largest sample per bucket).', yLabel: 'records', yScale: 'linear', yFormat: 'count' },
          series((t) => t.backlog, '', false, 2),
        ),
        chartFrom(
          { ...base, ...marked, id: `timeline-${g}-latency`, title: `Latency over time — ${at}`, note: 'Event-time latency of the records emitted in each bucket: mean (solid) and max (dotted).', yLabel: 'event-time latency', yScale: 'log', yFormat: 'micros' },
          [...series((t) => t.meanLatency, ' mean', false, 2), ...series((t) => t.maxLatency, ' max', true, 1), ...windowP99],
        ),
        ...(withSink.length > 0 ? sinkCharts(g, at, withSink, (buckets * (runs[0]?.run.timeline.output.bucketUs ?? 100_000)) / 1e6) : []),
      ],
    };
  });
}

/** The slow-sink charts of a timeline group: records written into the sink per 10 ms, and its queue depth. */
function sinkCharts(
  group: number,
  at: string,
  lines: readonly { run: RunResult; label: string; color: string; dash: number[] }[],
  seconds: number,
): ChartSpec[] {
  const base = { xLabel: 'time since the measurement started (s)', xScale: 'linear', xFormat: 'seconds' } as const;
  const series = lines.map((l) => ({ line: l, sink: sinkSeries(l.run, seconds) }));
  return [
    chartFrom(
      { ...base, id: `timeline-${group}-sink-written`, title: `Written to the sink — ${at}`, note: 'Records per second written into the slow sink\'s queue, in 10 ms buckets: batch output arrives in bursts, continuous output flows.', yLabel: 'records/s', yScale: 'linear', yFormat: 'rate' },
      series.map(({ line, sink }) => ({ spec: seriesSpec(line.label, line.color, line.dash, 1.5, 'line'), points: sink.written })),
    ),
    chartFrom(
      { ...base, id: `timeline-${group}-sink-queue`, title: `Sink queue depth — ${at}`, note: 'Records queued in the slow sink: the largest depth seen at a write in each 10 ms bucket, summed over partitions (0 where nothing was written).', yLabel: 'records', yScale: 'linear', yFormat: 'count' },
      series.map(({ line, sink }) => ({ spec: seriesSpec(line.label, line.color, line.dash, 1.5, 'line'), points: sink.depth })),
    ),
  ];
}
