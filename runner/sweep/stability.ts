/**
 * Is a run sustainable? DESIGN.md §5: the offered rate is sustainable when the backlog does
 * not keep growing and event-time latency does not keep rising over the measurement window
 * (Karimov et al.; Theodolite's lag-trend slope), optionally under a latency bound. Judged
 * from the run's 100 ms timelines by least-squares slopes with tolerances, and always with
 * the reason when it is not.
 */
import type { RunResult } from '../../reports/schema.js';
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
  /** Above this p99 source lag (µs) the offered rate was not delivered: the probe says so. */
  sourceLagLimitUs: number;
}

export const DEFAULT_TOLERANCE: StabilityTolerance = {
  backlogRiseFraction: 0.05,
  backlogRiseFloor: 1000,
  latencyRiseFraction: 0.5,
  latencyRiseFloorUs: 5000,
  sourceLagLimitUs: 10_000,
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
  const n = values.length;
  if (n < 2) return 0;
  const meanX = ((n - 1) * stepSec) / 2;
  const meanY = values.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    const dx = i * stepSec - meanX;
    num += dx * (values[i] - meanY);
    den += dx * dx;
  }
  return num / den;
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

/** Judges one run. */
export function judgeRun(run: RunResult, slo?: Slo, tolerance: StabilityTolerance = DEFAULT_TOLERANCE): StabilityJudgement {
  const reasons: string[] = [];
  const buckets = windowBuckets(run);
  const stepSec = (run.timeline.output.bucketUs || 100_000) / 1e6;
  const windowSec = buckets * stepSec;

  const backlog = run.timeline.backlog.slice(0, buckets);
  const backlogSlope = slope(backlog, stepSec);
  const backlogRise = backlogSlope * windowSec;
  const backlogLimit = Math.max(tolerance.backlogRiseFloor, tolerance.backlogRiseFraction * run.offeredRate * windowSec);
  if (backlogRise > backlogLimit) reasons.push(`backlog grows ${Math.round(backlogSlope)} records/s`);

  const { count, latencySum } = run.timeline.output;
  const latency: number[] = [];
  for (let i = 0; i < buckets && i < count.length; i++) if (count[i] > 0) latency.push(latencySum[i] / count[i]);
  const latencySlope = slope(latency, stepSec);
  const latencyLimit = Math.max(tolerance.latencyRiseFloorUs, tolerance.latencyRiseFraction * median(latency));
  if (latencySlope * windowSec > latencyLimit) reasons.push(`latency rises ${(latencySlope / 1000).toFixed(1)} ms/s`);

  if (run.status !== 'ok') reasons.push(`run ${run.status}`);
  if (run.sourceDropped > 0) reasons.push(`source dropped ${run.sourceDropped} records (log full)`);
  if (!run.drained) reasons.push('did not drain');
  if (run.generatorLag.p99 > tolerance.sourceLagLimitUs) reasons.push(`source lag p99 ${(run.generatorLag.p99 / 1000).toFixed(1)} ms (rate not delivered)`);
  if (slo) {
    const value = run.latency.eventTime[slo.percentile];
    if (!(slo.inclusive ? value <= slo.boundUs : value < slo.boundUs)) reasons.push(`SLO ${slo.text} missed (${(value / 1000).toFixed(1)} ms)`);
  }
  return { sustainable: reasons.length === 0, reasons, backlogSlope, latencySlope };
}
