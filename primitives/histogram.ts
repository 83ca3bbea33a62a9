/**
 * Latency recording: HdrHistograms (hdr-histogram-js, WebAssembly mode) in integer
 * microseconds from 1 µs to 1 h at 3 significant digits, as DESIGN.md §5 prescribes.
 */
import * as hdr from 'hdr-histogram-js';
import type { Histogram } from 'hdr-histogram-js';

export type { Histogram };

/** Highest trackable value: one hour in microseconds. Larger values are clamped to it. */
export const HIGHEST_TRACKABLE_US = 3_600_000_000;
const SIGNIFICANT_DIGITS = 3;
/** Below this value a 3-significant-digit histogram has 1 µs resolution (its sub-bucket count). */
export const UNIT_RESOLUTION_LIMIT = 2048;

let wasmReady = false;

/** A new histogram. WebAssembly-backed ones must be `destroy()`ed when no longer needed. */
export function createHistogram(useWebAssembly = true): Histogram {
  if (useWebAssembly && !wasmReady) {
    hdr.initWebAssemblySync();
    wasmReady = true;
  }
  return hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: HIGHEST_TRACKABLE_US,
    numberOfSignificantValueDigits: SIGNIFICANT_DIGITS,
    useWebAssembly,
  });
}

/** The histogram in HdrHistogram's compressed base64 form, readable by every port. */
export function encodeHistogram(histogram: Histogram): string {
  return hdr.encodeIntoCompressedBase64(histogram);
}

/** Decodes a compressed base64 histogram into a plain JavaScript histogram (no destroy needed). */
export function decodeHistogram(encoded: string): Histogram {
  return hdr.decodeFromCompressedBase64(encoded, 32, false);
}

/** Merges encoded histograms into one new JavaScript histogram. */
export function mergeEncoded(encoded: readonly string[]): Histogram {
  const merged = createHistogram(false);
  for (const item of encoded) if (item) merged.add(decodeHistogram(item));
  return merged;
}

/** A latency distribution in microseconds, with the histogram it came from. */
export interface LatencySummary {
  count: number;
  min: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  p99_9: number;
  max: number;
  /** The full histogram, HdrHistogram compressed base64. */
  histogram: string;
}

/** Summarises a histogram (µs). An empty one yields zeros and count 0. */
export function summarize(histogram: Histogram): LatencySummary {
  const count = histogram.totalCount;
  const at = (p: number): number => (count === 0 ? 0 : histogram.getValueAtPercentile(p));
  return {
    count,
    min: count === 0 ? 0 : histogram.minNonZeroValue,
    mean: count === 0 ? 0 : histogram.mean,
    p50: at(50),
    p90: at(90),
    p99: at(99),
    p99_9: at(99.9),
    max: count === 0 ? 0 : histogram.maxValue,
    histogram: encodeHistogram(histogram),
  };
}

/** Summary of the merge of encoded histograms. */
export function summarizeEncoded(encoded: readonly string[]): LatencySummary {
  return summarize(mergeEncoded(encoded));
}

/**
 * Records many values into a histogram cheaply and exactly. A value is recorded as the
 * lowest value of its histogram bucket (which the histogram does anyway: with 3 significant
 * digits a bucket is 1 µs wide below 2048 µs, 2 µs up to 4096 µs, and so on), and a run of
 * values falling into the same bucket is recorded once with a count. Records emitted
 * together (a batch, a burst of arrivals) mostly share a bucket, so a histogram call and
 * the bucket arithmetic are paid per run, not per record.
 */
export class RunLengthRecorder {
  private low = 0;
  private high = 0;
  private count = 0;

  constructor(readonly histogram: Histogram) {}

  /** Records `valueUs` (`count` times). */
  record(valueUs: number, count = 1): void {
    if (valueUs >= this.low && valueUs < this.high) {
      this.count += count;
      return;
    }
    this.startRun(valueUs, count);
  }

  /** Records `count` values of `valueUs` (e.g. records emitted together that were read together). */
  recordMany(valueUs: number, count: number): void {
    if (count <= 0) return;
    if (valueUs >= this.low && valueUs < this.high) {
      this.count += count;
      return;
    }
    this.startRun(valueUs, count);
  }

  /** Values v with runLow ≤ v < runHigh fall in the pending run's bucket (a caller's own loop may count them: {@link extendRun}). */
  get runLow(): number {
    return this.low;
  }

  /** See {@link runLow}. */
  get runHigh(): number {
    return this.high;
  }

  /** Adds `count` values that fall in the pending run's bucket, counted by the caller (keeps the count in a register in a tight loop). */
  extendRun(count: number): void {
    this.count += count;
  }

  /** Flushes the pending run and starts one of `count` values in the bucket of `valueUs`. */
  private startRun(valueUs: number, count: number): void {
    this.flush();
    const value = valueUs <= 0 ? 0 : valueUs >= HIGHEST_TRACKABLE_US ? HIGHEST_TRACKABLE_US : Math.floor(valueUs);
    const width = value < UNIT_RESOLUTION_LIMIT ? 1 : 2 ** (Math.floor(Math.log2(value)) - 10);
    this.low = Math.floor(value / width) * width;
    this.high = this.low + width;
    if (valueUs <= 0) this.low = -Infinity;
    this.count = count;
  }

  /** Writes the pending run into the histogram; call before reading the histogram. */
  flush(): void {
    if (this.count > 0) this.histogram.recordValueWithCount(Math.max(0, this.low), this.count);
    this.count = 0;
    this.low = 0;
    this.high = 0;
  }
}
