/**
 * Latency counts per timeline bucket in log-spaced bins, so that a percentile over any run
 * of buckets (a sliding window) can be read back without keeping per-record values. Bins:
 * the values 0..7 µs exactly, then 8 bins per power of two (each at most 1/8 = 12.5% wide
 * relative to its lower bound), up to 2^31 µs. A percentile is reported as the upper bound
 * of the bin it falls in: never lower than the exact value, at most 12.5% higher.
 *
 * Used where the 100 ms timeline's mean and max are not enough (the `burst` scenario's
 * sliding-window p99); memory is one small row per bucket, never per record.
 */

/** Bins per power of two above 8 µs. */
const SUB_BINS = 8;
/** Bins in all: 8 exact ones for 0..7 µs, then 8 per octave for 2^3 .. 2^31 µs. */
export const LATENCY_BIN_COUNT = SUB_BINS + (31 - 3) * SUB_BINS;
/** Largest latency with a bin of its own (µs); larger values go to the last bin. */
const MAX_BINNED_US = 2 ** 31 - 1;

/** The bin of a latency in µs (fractions are truncated; negatives count as 0). */
export function latencyBin(latencyUs: number): number {
  const v = latencyUs <= 0 ? 0 : latencyUs >= MAX_BINNED_US ? MAX_BINNED_US : Math.floor(latencyUs);
  if (v < SUB_BINS) return v;
  const octave = 31 - Math.clz32(v);
  return SUB_BINS + (octave - 3) * SUB_BINS + ((v >>> (octave - 3)) - SUB_BINS);
}

/** The largest latency (µs) that falls in `bin`. */
export function latencyBinUpperUs(bin: number): number {
  if (bin < SUB_BINS) return bin;
  const octave = 3 + Math.floor((bin - SUB_BINS) / SUB_BINS);
  const sub = (bin - SUB_BINS) % SUB_BINS;
  return (SUB_BINS + sub + 1) * 2 ** (octave - 3) - 1;
}

/** Latency bins per timeline bucket, as plain data (row-major: bucket × {@link LATENCY_BIN_COUNT}). */
export interface LatencyBinsData {
  bucketUs: number;
  startUs: number;
  buckets: number;
  counts: Uint32Array;
}

/** Counts latencies into bins per bucket of emit time; events outside the buckets are ignored. */
export class LatencyBinsTimeline {
  readonly counts: Uint32Array;

  constructor(
    readonly startUs: number,
    readonly bucketUs: number,
    readonly buckets: number,
  ) {
    this.counts = new Uint32Array(buckets * LATENCY_BIN_COUNT);
  }

  /** Counts one latency emitted at `atUs`. */
  add(atUs: number, latencyUs: number): void {
    const bucket = Math.floor((atUs - this.startUs) / this.bucketUs);
    if (bucket < 0 || bucket >= this.buckets) return;
    this.counts[bucket * LATENCY_BIN_COUNT + latencyBin(latencyUs)]++;
  }

  toData(): LatencyBinsData {
    return { bucketUs: this.bucketUs, startUs: this.startUs, buckets: this.buckets, counts: this.counts };
  }
}

/** Adds bin timelines of the same shape (one per partition) into one. */
export function mergeLatencyBins(parts: readonly LatencyBinsData[]): LatencyBinsData {
  const [first] = parts;
  if (!first) throw new Error('mergeLatencyBins needs at least one timeline');
  const counts = new Uint32Array(first.counts.length);
  for (const part of parts) for (let i = 0; i < counts.length; i++) counts[i] += part.counts[i] ?? 0;
  return { ...first, counts };
}

/**
 * For every bucket i, the `percentile` (0..100) of the latencies emitted in buckets
 * (i − windowBuckets, i] — a sliding window ending with bucket i — as the upper bound of
 * its bin (µs); null where that window emitted nothing.
 */
export function slidingPercentile(data: LatencyBinsData, windowBuckets: number, percentile: number): (number | null)[] {
  const window = new Float64Array(LATENCY_BIN_COUNT);
  let windowCount = 0;
  const result: (number | null)[] = [];
  const row = (bucket: number): Uint32Array => data.counts.subarray(bucket * LATENCY_BIN_COUNT, (bucket + 1) * LATENCY_BIN_COUNT);
  for (let i = 0; i < data.buckets; i++) {
    const entering = row(i);
    for (let b = 0; b < LATENCY_BIN_COUNT; b++) window[b] += entering[b];
    windowCount += entering.reduce((sum, c) => sum + c, 0);
    if (i >= windowBuckets) {
      const leaving = row(i - windowBuckets);
      for (let b = 0; b < LATENCY_BIN_COUNT; b++) window[b] -= leaving[b];
      windowCount -= leaving.reduce((sum, c) => sum + c, 0);
    }
    result.push(windowCount > 0 ? binPercentile(window, windowCount, percentile) : null);
  }
  return result;
}

/** The upper bound of the bin holding the `percentile` of `count` binned values. */
function binPercentile(bins: Float64Array, count: number, percentile: number): number {
  const rank = Math.max(1, Math.ceil((percentile / 100) * count));
  let seen = 0;
  for (let b = 0; b < bins.length; b++) {
    seen += bins[b];
    if (seen >= rank) return latencyBinUpperUs(b);
  }
  return latencyBinUpperUs(bins.length - 1);
}
