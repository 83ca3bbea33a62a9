/**
 * Report charts for the `slow-sink` and `fault` scenarios: the sink's queue depth over time
 * (micro-batch output arrives in bursts, continuous flows), and markers for the injected
 * faults on every timeline (the worker kill, failed batch tasks).
 */
import type { RunResult } from '../schema.js';
import type { XY } from './chart-spec.js';

/** A vertical marker on a timeline chart, x in seconds since the measurement started. */
export interface TimelineMarker {
  x: number;
  label: string;
}

/** Markers for the faults of `runs` that fall inside the charted time (one per distinct time and cause). */
export function faultMarkers(runs: readonly RunResult[], buckets: number): TimelineMarker[] {
  const markers = new Map<string, TimelineMarker>();
  for (const run of runs) {
    const startUs = run.timeline.output.startUs;
    const endSec = (buckets * run.timeline.output.bucketUs) / 1e6;
    for (const event of run.faults?.events ?? []) {
      const x = Math.round((event.atUs - startUs) / 1000) / 1000;
      if (x < 0 || x > endSec) continue;
      const label = event.cause === 'worker-killed' ? `worker of partition ${event.partition} killed` : `batch ${event.batch ?? '?'} failed`;
      markers.set(`${label}@${event.cause === 'worker-killed' ? x : ''}`, { x, label });
    }
  }
  return [...markers.values()].sort((a, b) => a.x - b.x);
}

/** The sink queue depth of a run per bucket (sum of partition peaks), over its first `buckets` buckets. */
export function sinkQueuePoints(run: RunResult, buckets: number): XY[] {
  const depth = run.sink?.queueDepth ?? [];
  const bucketSec = run.timeline.output.bucketUs / 1e6;
  return Array.from({ length: Math.min(buckets, depth.length) }, (_, i) => ({ x: Math.round(i * bucketSec * 1e6) / 1e6, y: depth[i] }));
}
