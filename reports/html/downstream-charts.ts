/**
 * Report charts for the `slow-sink` and `fault` scenarios: the sink's queue depth over time
 * (micro-batch output arrives in bursts, continuous flows), and markers for the injected
 * faults on every timeline (the worker kill, failed batch tasks).
 */
import type { RunResult } from '../../primitives/results-schema.js';
import type { XY } from './chart-spec.js';

/** A vertical marker on a timeline chart, x in seconds since the measurement started. */
export interface TimelineMarker {
  x: number;
  label: string;
}

/** Markers for the faults of `runs` inside the charted time; faults of the same kind within 10 ms share one marker. */
export function faultMarkers(runs: readonly RunResult[], buckets: number): TimelineMarker[] {
  const markers = new Map<string, TimelineMarker>();
  for (const run of runs) {
    const startUs = run.timeline.output.startUs;
    const endSec = (buckets * run.timeline.output.bucketUs) / 1e6;
    for (const event of run.faults?.events ?? []) {
      const x = Math.round((event.atUs - startUs) / 1000) / 1000;
      if (x < 0 || x > endSec) continue;
      const label = event.cause === 'worker-killed' ? `worker of partition ${event.partition} killed` : 'batch task failed';
      const key = `${label}@${Math.round(x * 100)}`;
      if (!markers.has(key)) markers.set(key, { x, label });
    }
  }
  return [...markers.values()].sort((a, b) => a.x - b.x);
}

/** Most points a sink series keeps; longer ones merge buckets (depth: max, written: sum). */
const MAX_SINK_POINTS = 1500;

/**
 * A run's sink series over the first `seconds` of its measurement: records written into the
 * sink per second (in each 10 ms bucket) and the peak queue depth, buckets merged to stay
 * under {@link MAX_SINK_POINTS}.
 */
export function sinkSeries(run: RunResult, seconds: number): { written: XY[]; depth: XY[] } {
  const sink = run.sink;
  if (!sink) return { written: [], depth: [] };
  const buckets = Math.min(sink.queueDepth.length, Math.ceil((seconds * 1e6) / sink.bucketUs));
  const factor = Math.max(1, Math.ceil(buckets / MAX_SINK_POINTS));
  const written: XY[] = [];
  const depth: XY[] = [];
  for (let from = 0; from < buckets; from += factor) {
    const to = Math.min(buckets, from + factor);
    const x = Math.round(from * sink.bucketUs) / 1e6;
    let records = 0;
    let peak = 0;
    for (let i = from; i < to; i++) {
      records += sink.written[i] ?? 0;
      peak = Math.max(peak, sink.queueDepth[i] ?? 0);
    }
    written.push({ x, y: Math.round((records * 1e6) / ((to - from) * sink.bucketUs)) });
    depth.push({ x, y: peak });
  }
  return { written, depth };
}
