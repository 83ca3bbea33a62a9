/**
 * A run's 100 ms timelines as chart series: input and output throughput (records/s per
 * bucket), backlog, and mean and max event-time latency per bucket by emit time. Trailing
 * idle buckets after the run are cut, and long timelines are downsampled (buckets merged:
 * counts and latency sums add, maxima take the max) to keep the page small.
 */
import type { RunResult } from '../../primitives/results-schema.js';
import { roundSignificant } from './chart-spec.js';
import type { XY } from './chart-spec.js';

/** Most points a timeline series keeps; longer ones are downsampled. */
export const MAX_TIMELINE_POINTS = 300;

/** One run's timeline series, x in seconds since the start of the measurement window. */
export interface RunTimeline {
  inRate: XY[];
  outRate: XY[];
  backlog: XY[];
  meanLatency: XY[];
  maxLatency: XY[];
}

/** Buckets worth showing: the measurement window, and after it as long as anything still happened. */
export function activeBuckets(run: RunResult): number {
  const { input, output, backlog } = run.timeline;
  const windowBuckets = Math.ceil((run.durationSec * 1e6) / output.bucketUs);
  let last = -1;
  const length = Math.max(input.count.length, output.count.length, backlog.length);
  for (let i = 0; i < length; i++) {
    if ((input.count[i] ?? 0) > 0 || (output.count[i] ?? 0) > 0 || (backlog[i] ?? 0) > 0) last = i;
  }
  return Math.min(length, Math.max(windowBuckets, last + 1));
}

/** Sum of `values[from..to)`, missing entries as 0. */
function sum(values: readonly number[], from: number, to: number): number {
  let total = 0;
  for (let i = from; i < to; i++) total += values[i] ?? 0;
  return total;
}

/** Max of `values[from..to)`, missing entries as 0. */
function max(values: readonly number[], from: number, to: number): number {
  let top = 0;
  for (let i = from; i < to; i++) top = Math.max(top, values[i] ?? 0);
  return top;
}

/**
 * The timeline series of a run over its first `buckets` buckets (default: the active
 * ones), merging `ceil(buckets / maxPoints)` buckets per point. Latency points are left
 * out where nothing was emitted, and are at least 1 µs (for a log axis).
 */
export function runTimeline(run: RunResult, buckets = activeBuckets(run), maxPoints = MAX_TIMELINE_POINTS): RunTimeline {
  const { input, output, backlog } = run.timeline;
  const factor = Math.max(1, Math.ceil(buckets / maxPoints));
  const bucketSec = output.bucketUs / 1e6;
  const result: RunTimeline = { inRate: [], outRate: [], backlog: [], meanLatency: [], maxLatency: [] };
  for (let from = 0; from < buckets; from += factor) {
    const to = Math.min(buckets, from + factor);
    const x = roundSignificant(from * bucketSec, 6);
    const seconds = (to - from) * bucketSec;
    const emitted = sum(output.count, from, to);
    result.inRate.push({ x, y: roundSignificant(sum(input.count, from, to) / seconds) });
    result.outRate.push({ x, y: roundSignificant(emitted / seconds) });
    result.backlog.push({ x, y: max(backlog, from, to) });
    if (emitted > 0) {
      result.meanLatency.push({ x, y: Math.max(1, Math.round(sum(output.latencySum, from, to) / emitted)) });
      result.maxLatency.push({ x, y: Math.max(1, Math.round(max(output.latencyMax, from, to))) });
    }
  }
  return result;
}
