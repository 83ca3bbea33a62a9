/**
 * Is a run sustainable? DESIGN.md §5: the offered rate is sustainable when the backlog does
 * not keep growing and event-time latency does not keep rising over the measurement window
 * (Karimov et al.; Theodolite's lag-trend slope), optionally under a latency bound. Judged
 * from the run's 100 ms timelines by least-squares slopes: a trend fails the run when its rise
 * over the window exceeds a tolerance *and* it stands out of the noise (t statistic), so one
 * late spike on a shared machine is not read as growth. Always says why a run is not.
 */
import type { RunResult } from '../../primitives/results-schema.js';
import type { Slo } from './slo.js';

/** Tolerances of the judgement. */
export interface StabilityTolerance {
  /** Backlog may rise over the window by at most this fraction of the records offered in it. */
  backlogRiseFraction: number;
  /** …and always by at least this many records (noise floor). */
  backlogRiseFloor: number;
  /** Mean latency may rise over the window by at most this fraction of its median… */
  latencyRiseFraction: number;
  /** …and always by at least this much (µs). */
  latencyRiseFloorUs: number;
  /** A slope counts as a trend only when slope ÷ its standard error reaches this. */
  minTrendT: number;
  /** The source must append at least this fraction of the records scheduled in the window. */
  sourceDeliveredFraction: number;
  /** A failed run whose source lag p99 exceeds this (µs) also says the load generator was late. */
  sourceLagNoteUs: number;
}

/** The tolerances `sweep` uses. */
export const DEFAULT_TOLERANCE: StabilityTolerance = {
  backlogRiseFraction: 0.05,
  backlogRiseFloor: 1000,
  latencyRiseFraction: 0.5,
  latencyRiseFloorUs: 5000,
  minTrendT: 3,
  sourceDeliveredFraction: 0.95,
  sourceLagNoteUs: 10_000,
};

/** The verdict on one run. */
export interface StabilityJudgement {
  sustainable: boolean;
  /** Why not (empty when sustainable). */
  reasons: string[];
  /** Least-squares backlog slope over the window, records/s. */
  backlogSlope: number;
  /** Least-squares slope of mean event-time latency, µs per s. */
  latencySlope: number;
}

/** Least-squares slope of `values` sampled every `stepSec` (units per second); 0 for fewer than 2 points. */
export function slope(values: readonly number[], stepSec: number): number {
  return slopeXY(values.map((_, i) => i * stepSec), values);
}

/** Least-squares slope of the points (xs[i], ys[i]); 0 for fewer than 2 distinct xs. */
export function slopeXY(xs: readonly number[], ys: readonly number[]): number {
  return trend(xs, ys).slope;
}

/**
 * Least-squares slope of (xs[i], ys[i]) and its t statistic: slope ÷ its standard error,
 * ±Infinity for a perfect line (or only two points, where noise cannot be told), 0 for no slope.
 */
export function trend(xs: readonly number[], ys: readonly number[]): { slope: number; t: number } {
  const n = Math.min(xs.length, ys.length);
  if (n < 2) return { slope: 0, t: 0 };
  let meanX = 0;
  let meanY = 0;
  for (let i = 0; i < n; i++) {
    meanX += xs[i] / n;
    meanY += ys[i] / n;
  }
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    const dx = xs[i] - meanX;
    num += dx * (ys[i] - meanY);
    den += dx * dx;
  }
  if (!(den > 0)) return { slope: 0, t: 0 };
  const slope = num / den;
  if (n < 3) return { slope, t: slope === 0 ? 0 : Math.sign(slope) * Infinity };
  let residuals = 0;
  for (let i = 0; i < n; i++) residuals += (ys[i] - meanY - slope * (xs[i] - meanX)) ** 2;
  const standardError = Math.sqrt(residuals / (n - 2) / den);
  const t = standardError > 0 ? slope / standardError : slope === 0 ? 0 : Math.sign(slope) * Infinity;
  return { slope, t };
}

function percent(fraction: number): string {
  return `${(fraction * 100).toFixed(1)}%`;
}

function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Buckets of the measurement window (the timelines also hold the drain after it). */
function windowBuckets(run: RunResult): number {
  const bucketUs = run.timeline.output.bucketUs || 100_000;
  return Math.max(1, Math.round((run.durationSec * 1e6) / bucketUs));
}

/**
 * Buckets per batch cycle: a batch mode with interval T lets the backlog build for T, then
 * clears it, a sawtooth whose least-squares slope over a few cycles is not zero although
 * nothing grows. Its trend is judged on the peak of each cycle instead.
 */
function cycleBuckets(run: RunResult): number {
  const bucketUs = run.timeline.output.bucketUs || 100_000;
  return Math.max(1, Math.round(((run.params.intervalMs ?? 0) * 1000) / bucketUs));
}

/**
 * The largest value of each whole run of `cycle` values (a trailing partial cycle is dropped
 * unless there would be fewer than two).
 */
export function cyclePeaks(values: readonly number[], cycle: number): number[] {
  if (cycle <= 1) return [...values];
  const peaks: number[] = [];
  for (let i = 0; i + cycle <= values.length; i += cycle) peaks.push(Math.max(...values.slice(i, i + cycle)));
  return peaks.length >= 2 ? peaks : [...values];
}

/** Judges one run. */
export function judgeRun(run: RunResult, slo?: Slo, tolerance: StabilityTolerance = DEFAULT_TOLERANCE): StabilityJudgement {
  const reasons: string[] = [];
  const buckets = windowBuckets(run);
  const stepSec = (run.timeline.output.bucketUs || 100_000) / 1e6;
  const windowSec = buckets * stepSec;

  const cycle = cycleBuckets(run);
  const peaks = cyclePeaks(run.timeline.backlog.slice(0, buckets), cycle);
  const backlog = trend(peaks.map((_, i) => i * cycle * stepSec), peaks);
  const backlogLimit = Math.max(tolerance.backlogRiseFloor, tolerance.backlogRiseFraction * run.offeredRate * windowSec);
  if (backlog.slope * windowSec > backlogLimit && backlog.t >= tolerance.minTrendT) reasons.push(`backlog grows ${Math.round(backlog.slope)} records/s`);

  const { count, latencySum } = run.timeline.output;
  const at: number[] = [];
  const latency: number[] = [];
  for (let i = 0; i < buckets && i < count.length; i++) {
    if (count[i] > 0) {
      at.push(i * stepSec);
      latency.push(latencySum[i] / count[i]);
    }
  }
  const latencyTrend = trend(at, latency);
  const latencyLimit = Math.max(tolerance.latencyRiseFloorUs, tolerance.latencyRiseFraction * median(latency));
  if (latencyTrend.slope * windowSec > latencyLimit && latencyTrend.t >= tolerance.minTrendT) reasons.push(`latency rises ${(latencyTrend.slope / 1000).toFixed(1)} ms/s`);

  if (run.status !== 'ok') reasons.push(`run ${run.status}`);
  if (run.sourceDropped > 0) reasons.push(`source dropped ${run.sourceDropped} records (log full)`);
  if ((run.sink?.dropped ?? 0) > 0) reasons.push(`sink dropped ${run.sink?.dropped} records (its queue was full)`);
  if (!run.drained) reasons.push('did not drain');
  if (run.recordsIn < tolerance.sourceDeliveredFraction * run.recordsOffered) {
    reasons.push(`source appended ${percent(run.recordsIn / run.recordsOffered)} of the records scheduled (rate not delivered)`);
  }
  if (slo) {
    const value = run.latency.eventTime[slo.percentile];
    if (!(slo.inclusive ? value <= slo.boundUs : value < slo.boundUs)) reasons.push(`SLO ${slo.text} missed (${(value / 1000).toFixed(1)} ms)`);
  }
  if (reasons.length > 0 && run.generatorLag.p99 > tolerance.sourceLagNoteUs) {
    reasons.push(`note: load generator late too (lag p99 ${(run.generatorLag.p99 / 1000).toFixed(1)} ms)`);
  }
  return { sustainable: reasons.length === 0, reasons, backlogSlope: backlog.slope, latencySlope: latencyTrend.slope };
}

/**
 * Whether a run's failure may be the machine's rather than the engine's: the load generator
 * itself ran late (its lag p99 above `sourceLagNoteUs`) while nothing was dropped and the run
 * completed — one stall of a shared machine delays source and engine alike. The search probes
 * such a rate once more before believing the failure.
 */
export function isSuspect(run: RunResult, tolerance: StabilityTolerance = DEFAULT_TOLERANCE): boolean {
  return run.generatorLag.p99 > tolerance.sourceLagNoteUs && run.sourceDropped === 0 && run.status === 'ok';
}
