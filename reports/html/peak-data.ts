/**
 * Chart data of a load peak (`burst`): the shaded band that marks the peak on the
 * timelines, and the sliding-window p99 the recovery time was read from.
 */
import type { RunResult } from '../../primitives/results-schema.js';
import type { ChartBand, XY } from './chart-spec.js';
import { MAX_TIMELINE_POINTS } from './timeline-data.js';

/** The peak band of the first run that has one (every run of a scenario and rate has the same peak); [] if none. */
export function peakBands(runs: readonly RunResult[]): ChartBand[] {
  const recovery = runs.find((run) => run.recovery)?.recovery;
  if (!recovery) return [];
  return [{ from: recovery.peakStartSec, to: recovery.peakEndSec, label: `peak ${recovery.peakFactor}×` }];
}

/**
 * A run's sliding-window p99 over its first `buckets` buckets, x in seconds at the bucket's
 * start as the other timeline series (the largest of the merged buckets when downsampled
 * like them); no points where the window emitted nothing or the run has no recovery figures.
 */
export function windowP99Points(run: RunResult, buckets: number, maxPoints = MAX_TIMELINE_POINTS): XY[] {
  const values = run.recovery?.windowP99Us;
  if (!values) return [];
  const factor = Math.max(1, Math.ceil(buckets / maxPoints));
  const bucketSec = run.timeline.output.bucketUs / 1e6;
  const points: XY[] = [];
  for (let from = 0; from < buckets; from += factor) {
    const merged = values.slice(from, Math.min(buckets, from + factor)).filter((v): v is number => v !== null);
    if (merged.length > 0) points.push({ x: Number((from * bucketSec).toPrecision(6)), y: Math.max(1, Math.max(...merged)) });
  }
  return points;
}
