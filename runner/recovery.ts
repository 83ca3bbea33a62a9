/**
 * How a run recovers from a load peak (the `burst` scenario), computed from the 100 ms
 * timelines the run keeps: the sampled backlog, the largest latency per bucket, and a
 * sliding-window p99 of the latency by emit time (from per-bucket latency bins, see
 * `latency-bins.ts`). Pure: the caller passes the timelines, the peak's place and the
 * tolerances; times are measured from the end of the peak.
 */
import type { RecoveryFigures } from '../primitives/results-schema.js';

/** Tolerances for "back to the pre-peak level". */
export interface RecoveryTolerance {
  /** Relative slack over the pre-peak level (0.25 = within 25% above it). */
  relative: number;
  /** Absolute slack on latency, µs (keeps microsecond noise from counting as "not recovered"). */
  latencyUs: number;
  /** Absolute slack on backlog, records. */
  backlogRecords: number;
  /** Consecutive buckets a value must stay within its threshold to count as recovered. */
  holdBuckets: number;
}

/**
 * The tolerances `streambench` uses: latency within 25% + 1 ms of its pre-peak level; backlog
 * within 25% of its pre-peak level plus the input of one batch interval and 5 ms at the base
 * rate (a batch mode's backlog normally holds up to an interval's input, and a 100 ms sample
 * catches it at any phase); either held for 500 ms (5 buckets of 100 ms).
 */
export function defaultTolerance(baseRatePerSec: number, intervalMs = 0): RecoveryTolerance {
  return { relative: 0.25, latencyUs: 1000, backlogRecords: Math.ceil((baseRatePerSec * (intervalMs + 5)) / 1000), holdBuckets: 5 };
}

/** What the recovery computation reads; bucket i covers [i, i+1) × bucketUs after the measurement started. */
export interface RecoveryInput {
  bucketUs: number;
  /** The peak's rate ÷ the base rate (reported only). */
  peakFactor: number;
  /** The peak, µs after the measurement started: [peakStartUs, peakEndUs). */
  peakStartUs: number;
  peakEndUs: number;
  /** Buckets of the measurement window: recovery after it is not counted (the source stops there). */
  windowBuckets: number;
  /** Largest sampled backlog per bucket (records). */
  backlog: readonly number[];
  /** Largest event-time latency emitted per bucket (µs; 0 where nothing was emitted). */
  latencyMax: readonly number[];
  /** Sliding-window p99 per bucket (µs; null where the window emitted nothing). */
  windowP99: readonly (number | null)[];
  /** Length of the sliding window, in buckets. */
  slidingBuckets: number;
  tolerance: RecoveryTolerance;
}


/** Median of the numbers; null when there are none. */
function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * The first bucket in [from, to) from which `within` holds for `hold` consecutive buckets
 * (or up to `to`, if fewer remain); undefined if there is none.
 */
export function firstSettledBucket(from: number, to: number, hold: number, within: (bucket: number) => boolean): number | undefined {
  let runStart: number | undefined;
  for (let i = Math.max(0, from); i < to; i++) {
    if (!within(i)) {
      runStart = undefined;
      continue;
    }
    runStart ??= i;
    if (i - runStart + 1 >= hold) return runStart;
  }
  return runStart;
}

/** The recovery figures of a run (see {@link RecoveryFigures}). */
export function computeRecovery(input: RecoveryInput): RecoveryFigures {
  const { bucketUs, backlog, latencyMax, windowP99, tolerance } = input;
  const peakStart = Math.floor(input.peakStartUs / bucketUs);
  const peakEnd = Math.ceil(input.peakEndUs / bucketUs);
  const horizon = input.windowBuckets;
  const length = Math.max(backlog.length, latencyMax.length, windowP99.length);

  const preBacklog = median(backlog.slice(0, peakStart)) ?? 0;
  let backlogMax = 0;
  let peakLatencyUs = 0;
  let peakWindowP99Us: number | null = null;
  for (let i = peakStart; i < length; i++) {
    backlogMax = Math.max(backlogMax, backlog[i] ?? 0);
    peakLatencyUs = Math.max(peakLatencyUs, latencyMax[i] ?? 0);
    const p99 = windowP99[i];
    if (p99 !== null && p99 !== undefined) peakWindowP99Us = Math.max(peakWindowP99Us ?? 0, p99);
  }

  // Pre-peak latency level: windows that lie wholly before the peak (any pre-peak window if none does).
  const prePeak = (firstFull: number): number[] => {
    const values: number[] = [];
    for (let i = firstFull; i < peakStart; i++) {
      const p99 = windowP99[i];
      if (p99 !== null && p99 !== undefined) values.push(p99);
    }
    return values;
  };
  const full = prePeak(input.slidingBuckets - 1);
  const preWindowP99Us = median(full.length > 0 ? full : prePeak(0));

  const backlogLimit = preBacklog * (1 + tolerance.relative) + tolerance.backlogRecords;
  const drained = firstSettledBucket(peakEnd, horizon, tolerance.holdBuckets, (i) => (backlog[i] ?? Infinity) <= backlogLimit);
  let recovered: number | undefined;
  if (preWindowP99Us !== null) {
    const latencyLimit = preWindowP99Us * (1 + tolerance.relative) + tolerance.latencyUs;
    recovered = firstSettledBucket(peakEnd, horizon, tolerance.holdBuckets, (i) => {
      const p99 = windowP99[i];
      return p99 !== null && p99 !== undefined && p99 <= latencyLimit;
    });
  }
  return {
    peakFactor: input.peakFactor,
    peakStartSec: input.peakStartUs / 1e6,
    peakEndSec: input.peakEndUs / 1e6,
    slidingWindowMs: (input.slidingBuckets * bucketUs) / 1000,
    peakLatencyUs,
    peakWindowP99Us,
    preWindowP99Us,
    preBacklog,
    backlogMax,
    // The backlog sample of bucket i is its largest in the bucket: within the limit from the bucket's start.
    drainTimeUs: drained === undefined ? null : Math.max(0, drained * bucketUs - input.peakEndUs),
    // The window ending with bucket i is complete at the bucket's end.
    latencyRecoveryUs: recovered === undefined ? null : Math.max(0, (recovered + 1) * bucketUs - input.peakEndUs),
    windowP99Us: [...windowP99],
  };
}
