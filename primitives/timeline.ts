/**
 * Fixed-width time buckets (100 ms by default) of counts and latency statistics, indexed by
 * the time an event happened. Memory is one small entry per bucket: bounded by the run's
 * length, never by its record count.
 */
export interface TimelineData {
  /** Bucket width in microseconds. */
  bucketUs: number;
  /** Start of bucket 0 on the run clock (µs). */
  startUs: number;
  /** Events per bucket. */
  count: number[];
  /** Sum of the latency of the events per bucket (µs), for the mean. */
  latencySum: number[];
  /** Largest latency per bucket (µs). */
  latencyMax: number[];
}

/** Accumulates events into buckets by time; events outside [start, start + buckets·width) are ignored. */
export class Timeline {
  private readonly count: Float64Array;
  private readonly latencySum: Float64Array;
  private readonly latencyMax: Float64Array;

  constructor(
    readonly startUs: number,
    readonly bucketUs: number,
    readonly buckets: number,
  ) {
    this.count = new Float64Array(buckets);
    this.latencySum = new Float64Array(buckets);
    this.latencyMax = new Float64Array(buckets);
  }

  /** Adds `events` events at `atUs` whose latencies sum to `latencySumUs`, the largest being `latencyMaxUs`. */
  add(atUs: number, events: number, latencySumUs = 0, latencyMaxUs = 0): void {
    const index = Math.floor((atUs - this.startUs) / this.bucketUs);
    if (index < 0 || index >= this.buckets) return;
    this.count[index] += events;
    this.latencySum[index] += latencySumUs;
    if (latencyMaxUs > this.latencyMax[index]) this.latencyMax[index] = latencyMaxUs;
  }

  toData(): TimelineData {
    return {
      bucketUs: this.bucketUs,
      startUs: this.startUs,
      count: Array.from(this.count),
      latencySum: Array.from(this.latencySum),
      latencyMax: Array.from(this.latencyMax),
    };
  }
}

/** Adds timelines of the same shape bucket by bucket (counts and sums add, maxima take the max). */
export function mergeTimelines(parts: readonly TimelineData[]): TimelineData {
  const [first] = parts;
  if (!first) throw new Error('mergeTimelines needs at least one timeline');
  const merged: TimelineData = { ...first, count: [...first.count], latencySum: [...first.latencySum], latencyMax: [...first.latencyMax] };
  for (const part of parts.slice(1)) {
    for (let i = 0; i < merged.count.length; i++) {
      merged.count[i] += part.count[i] ?? 0;
      merged.latencySum[i] += part.latencySum[i] ?? 0;
      merged.latencyMax[i] = Math.max(merged.latencyMax[i], part.latencyMax[i] ?? 0);
    }
  }
  return merged;
}
