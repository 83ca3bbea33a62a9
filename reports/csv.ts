/**
 * CSV exports (DESIGN.md §6) via csv-stringify: one row per configuration (summary), the
 * event-time latency distribution of every trial (percentiles), and every trial's
 * timeline. Each file has a header row; empty cells mean "no value".
 */
import { stringify } from 'csv-stringify/sync';
import { decodeHistogram } from '../primitives/histogram.js';
import type { TimelineData } from '../primitives/timeline.js';
import { paramsLabel } from './format.js';
import type { RunResult } from '../primitives/results-schema.js';
import { scenarioCsvCells, scenarioCsvColumns } from './scenario-csv.js';
import type { RunSummary } from './summary.js';

/** A CSV cell before stringification; undefined becomes an empty cell. */
type Cell = string | number | boolean | undefined;

/** Percentiles written by {@link percentilesCsv}. */
export const CSV_PERCENTILES = [0, 50, 75, 90, 95, 99, 99.9, 99.99, 100] as const;

/** Header row and records as CSV text, booleans written as true/false. */
function toCsv(columns: readonly string[], rows: ReadonlyArray<Record<string, Cell>>): string {
  return stringify(rows as Array<Record<string, Cell>>, {
    header: true,
    columns: [...columns],
    cast: { boolean: (value) => String(value) },
  });
}

/** Rounds to a number of decimals, removing floating-point noise such as 0.30000000000000004. */
function round(value: number, decimals: number): number {
  const scale = 10 ** decimals;
  return Math.round(value * scale) / scale;
}

/** The columns that identify a run's configuration. */
function configCells(item: Pick<RunResult, 'scenario' | 'mode' | 'params' | 'offeredRate'>): Record<string, Cell> {
  return { scenario: item.scenario, mode: item.mode, params: paramsLabel(item.params), offeredRate: item.offeredRate };
}

const SUMMARY_COLUMNS = [
  'scenario', 'mode', 'params', 'offeredRate', 'workers', 'intervalMs', 'maxRecordsPerBatch', 'checkpointMs',
  'flushTimeoutUs', 'trials', 'failedTrials', 'status', 'measuredSec', 'recordsOffered', 'recordsIn', 'recordsOut',
  'throughputIn', 'throughputOut', 'throughputOutMin', 'throughputOutMax', 'eventTimeCount', 'eventTimeMeanUs',
  'eventTimeP50Us', 'eventTimeP90Us', 'eventTimeP99Us', 'eventTimeP99_9Us', 'eventTimeMaxUs', 'processingTimeP50Us',
  'processingTimeP99Us', 'processingTimeP99_9Us', 'processingTimeMaxUs', 'generatorLagP99Us', 'batchCount',
  'batchMeanSize', 'batchMaxSize', 'batchMeanSchedulingDelayUs', 'batchMeanProcessingUs', 'batchOverruns',
  'sourceDropped', 'lateDropped', 'unprocessed', 'drained', 'outputDigest',
] as const;

/** One summary as a row of {@link SUMMARY_COLUMNS}. */
function summaryRow(s: RunSummary): Record<string, Cell> {
  const { eventTime, processingTime } = s.latency;
  return {
    ...configCells(s),
    ...s.params,
    trials: s.trials,
    failedTrials: s.failedTrials,
    status: s.status,
    measuredSec: round(s.measuredSec, 6),
    recordsOffered: s.recordsOffered,
    recordsIn: s.recordsIn,
    recordsOut: s.recordsOut,
    throughputIn: round(s.throughputIn, 3),
    throughputOut: round(s.throughputOut, 3),
    throughputOutMin: round(s.throughputOutMin, 3),
    throughputOutMax: round(s.throughputOutMax, 3),
    eventTimeCount: eventTime.count,
    eventTimeMeanUs: round(eventTime.mean, 3),
    eventTimeP50Us: eventTime.p50,
    eventTimeP90Us: eventTime.p90,
    eventTimeP99Us: eventTime.p99,
    eventTimeP99_9Us: eventTime.p99_9,
    eventTimeMaxUs: eventTime.max,
    processingTimeP50Us: processingTime.p50,
    processingTimeP99Us: processingTime.p99,
    processingTimeP99_9Us: processingTime.p99_9,
    processingTimeMaxUs: processingTime.max,
    generatorLagP99Us: s.generatorLagP99Us,
    batchCount: s.batches?.count,
    batchMeanSize: s.batches && round(s.batches.meanSize, 3),
    batchMaxSize: s.batches?.maxSize,
    batchMeanSchedulingDelayUs: s.batches && round(s.batches.meanSchedulingDelayUs, 3),
    batchMeanProcessingUs: s.batches && round(s.batches.meanProcessingUs, 3),
    batchOverruns: s.batches?.overruns,
    sourceDropped: s.sourceDropped,
    lateDropped: s.lateDropped,
    unprocessed: s.unprocessed,
    drained: s.drained,
    outputDigest: s.outputDigest,
    ...scenarioCsvCells(s),
  };
}

/**
 * summary.csv: one row per configuration with its pooled figures (columns as in
 * {@link summaryRow}: configuration, parameters, trials, throughput and its spread,
 * event-time and processing-time latency in µs, batch figures, accounting, digest), then,
 * when some row has them, recovery and per-class columns (`scenario-csv.ts`).
 */
export function summaryCsv(summaries: readonly RunSummary[]): string {
  return toCsv([...SUMMARY_COLUMNS, ...scenarioCsvColumns(summaries)], summaries.map(summaryRow));
}

const PERCENTILE_COLUMNS = ['scenario', 'mode', 'params', 'offeredRate', 'trial', 'percentile', 'latencyUs'] as const;

/** Percentile rows of one run's event-time latency; none when it recorded nothing. */
function percentileRows(run: RunResult): Array<Record<string, Cell>> {
  if (!run.latency.eventTime.histogram) return []; // a failed trial has no histogram at all
  const histogram = decodeHistogram(run.latency.eventTime.histogram);
  if (histogram.totalCount === 0) return [];
  return CSV_PERCENTILES.map((percentile) => ({
    ...configCells(run),
    trial: run.trial,
    percentile,
    // The 100th percentile is the exact recorded maximum, as in the summaries.
    latencyUs: percentile === 100 ? histogram.maxValue : histogram.getValueAtPercentile(percentile),
  }));
}

/**
 * percentiles.csv: for every run, its event-time latency (µs) at each of
 * {@link CSV_PERCENTILES}, decoded from the run's encoded histogram. Columns: scenario,
 * mode, params, offeredRate, trial, percentile, latencyUs. Runs that recorded no latency
 * have no rows.
 */
export function percentilesCsv(runs: readonly RunResult[]): string {
  return toCsv(PERCENTILE_COLUMNS, runs.flatMap(percentileRows));
}

const TIMELINE_COLUMNS = [
  'scenario', 'mode', 'params', 'offeredRate', 'trial', 'bucketStartSec', 'recordsIn', 'recordsOut',
  'outLatencyMeanUs', 'outLatencyMaxUs', 'backlog',
] as const;

/** Where the input and output timelines start, in buckets after the earlier of the two. */
function bucketOffsets(input: TimelineData, output: TimelineData): { input: number; output: number; startUs: number } {
  if (input.bucketUs !== output.bucketUs) {
    throw new Error(`timeline: input buckets are ${input.bucketUs} µs but output buckets are ${output.bucketUs} µs`);
  }
  const startUs = Math.min(input.startUs, output.startUs);
  return {
    input: Math.round((input.startUs - startUs) / input.bucketUs),
    output: Math.round((output.startUs - startUs) / output.bucketUs),
    startUs,
  };
}

/** Timeline rows of one run, one per bucket, with input, output and backlog aligned on time. */
function timelineRows(run: RunResult): Array<Record<string, Cell>> {
  const { input, output, backlog } = run.timeline;
  const offset = bucketOffsets(input, output);
  const buckets = Math.max(input.count.length + offset.input, output.count.length + offset.output, backlog.length + offset.input);
  return Array.from({ length: buckets }, (_, bucket) => {
    const outIndex = bucket - offset.output;
    const outCount = output.count[outIndex] ?? 0;
    return {
      ...configCells(run),
      trial: run.trial,
      bucketStartSec: round((bucket * input.bucketUs) / 1e6, 6),
      recordsIn: input.count[bucket - offset.input] ?? 0,
      recordsOut: outCount,
      outLatencyMeanUs: outCount > 0 ? round(output.latencySum[outIndex] / outCount, 3) : undefined,
      outLatencyMaxUs: outCount > 0 ? output.latencyMax[outIndex] : undefined,
      backlog: backlog[bucket - offset.input],
      windowP99Us: run.recovery?.windowP99Us[outIndex] ?? undefined,
    };
  });
}

/**
 * timeline.csv: every run's timeline, one row per bucket. Columns: scenario, mode, params,
 * offeredRate, trial, bucketStartSec (seconds since the run's timeline start), recordsIn
 * (by scheduled time), recordsOut (by emit time), outLatencyMeanUs and outLatencyMaxUs
 * (event-time latency of that bucket's output; empty when it had none), backlog (sampled
 * log end − committed offset; empty where not sampled), and, when some run reports recovery
 * from a peak, windowP99Us (its sliding-window p99 by emit time; empty where none).
 */
export function timelineCsv(runs: readonly RunResult[]): string {
  const columns = runs.some((run) => run.recovery) ? [...TIMELINE_COLUMNS, 'windowP99Us'] : TIMELINE_COLUMNS;
  return toCsv(columns, runs.flatMap(timelineRows));
}
