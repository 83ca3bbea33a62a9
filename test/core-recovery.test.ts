/**
 * Pure parts of fault recovery: when latency counts as back to normal after a fault, and
 * how the figures of a failed attempt and its replacement add up.
 */
import { describe, expect, it } from 'vitest';
import { combineOutputs } from '../engines/partition/combine-outputs.js';
import type { PartitionTaskOutput } from '../engines/partition/partition-task.js';
import { createHistogram, decodeHistogram, encodeHistogram } from '../primitives/histogram.js';
import { latencyRecovery } from '../runner/fault-figures.js';
import type { TimelineData } from '../primitives/timeline.js';

/** A 100 ms timeline from per-bucket mean latencies (µs); null = no output in that bucket. */
function timeline(means: (number | null)[]): TimelineData {
  return {
    bucketUs: 100_000,
    startUs: 1_000_000,
    count: means.map((m) => (m === null ? 0 : 10)),
    latencySum: means.map((m) => (m === null ? 0 : m * 10)),
    latencyMax: means.map((m) => m ?? 0),
  };
}

const rule = { tolerance: 0.5, floorUs: 2000, holdBuckets: 3 };

describe('latencyRecovery', () => {
  it('is the end of the first bucket of a run that stays within tolerance of the pre-fault median', () => {
    // Fault at 1.45 s (bucket 4); baseline median 10 ms, tolerance 5 ms.
    const data = timeline([10_000, 9_000, 11_000, 10_000, 80_000, 40_000, 14_000, 12_000, 10_000, 10_000]);
    const result = latencyRecovery(data, 1_450_000, rule);
    expect(result.baselineUs).toBe(10_000);
    expect(result.toleranceUs).toBe(5_000);
    // Bucket 6 (1.6–1.7 s) starts the run 14, 12, 10 ms.
    expect(result.recoveredUs).toBe(1_700_000 - 1_450_000);
  });

  it('restarts the run when a bucket exceeds the tolerance, and skips buckets without output', () => {
    const data = timeline([1_000, 1_000, 1_000, 50_000, 1_000, 9_000, 1_000, null, 1_000, 1_000]);
    // Baseline 1 ms, tolerance max(0.5 ms, 2 ms floor) = 2 ms: bucket 5 (9 ms) breaks the run started at 4.
    const result = latencyRecovery(data, 1_300_000, rule);
    expect(result.recoveredUs).toBe(1_700_000 - 1_300_000);
  });

  it('accepts a run cut short by the end of the output', () => {
    const data = timeline([1_000, 1_000, 30_000, 1_000, null, null]);
    expect(latencyRecovery(data, 1_200_000, rule).recoveredUs).toBe(1_400_000 - 1_200_000);
  });

  it('reports no recovery when latency never comes back, and nothing without a baseline', () => {
    const data = timeline([1_000, 1_000, 30_000, 30_000, 30_000, 30_000]);
    const result = latencyRecovery(data, 1_200_000, rule);
    expect(result.recoveredUs).toBeUndefined();
    expect(result.baselineUs).toBe(1_000);
    expect(latencyRecovery(timeline([null, 5_000, 1_000]), 1_050_000, rule)).toEqual({});
  });
});

function output(partition: number, emitted: number, latencies: number[], digest: PartitionTaskOutput['digest']): PartitionTaskOutput {
  const histogram = createHistogram(false);
  for (const latency of latencies) histogram.recordValue(latency);
  const encoded = encodeHistogram(histogram);
  return {
    partition,
    processed: emitted,
    emitted,
    emittedInWindow: emitted,
    lateDropped: 0,
    digest,
    eventTime: encoded,
    processingTime: encoded,
    output: { bucketUs: 100_000, startUs: 0, count: [emitted, 0], latencySum: [0, 0], latencyMax: [latencies.at(-1) ?? 0, 0] },
    duplicates: 0,
    duplicateDigest: { count: 0, sumA: 0, sumB: 0 },
  };
}

describe('combineOutputs', () => {
  it('adds counts and digests and merges histograms and timelines', () => {
    const earlier = output(0, 3, [10, 20, 30], { count: 3, sumA: 0xffff_fff0, sumB: 5 });
    const later = { ...output(0, 2, [40, 50], { count: 2, sumA: 0x20, sumB: 6 }), duplicates: 2, duplicateDigest: { count: 2, sumA: 1, sumB: 1 } };
    const combined = combineOutputs(earlier, later);
    expect(combined.emitted).toBe(5);
    expect(combined.processed).toBe(5);
    expect(combined.digest).toEqual({ count: 5, sumA: 0x10, sumB: 11 });
    expect(combined.duplicates).toBe(2);
    expect(decodeHistogram(combined.eventTime).totalCount).toBe(5);
    expect(decodeHistogram(combined.eventTime).maxValue).toBe(50);
    expect(combined.output.count[0]).toBe(5);
    expect(combineOutputs(undefined, later)).toBe(later);
  });
});
