/**
 * Recovery figures of a run with injected faults: how long until output resumed and until
 * latency was back to normal, records replayed, duplicates, and the digest of every
 * delivery. {@link latencyRecovery} is a pure function of the output timeline.
 */
import { formatDigest, mergeDigests } from '../engines/partition/measuring-sink.js';
import type { PartitionTaskOutput } from '../engines/partition/partition-task.js';
import type { RecoveryReport } from '../engines/partition/recovering-pool.js';
import type { FaultFigures } from '../primitives/results-schema.js';
import type { TimelineData } from '../primitives/timeline.js';

/** When latency counts as back to normal. */
export interface LatencyRecoveryRule {
  /** Allowed rise over the pre-fault baseline, as a fraction of it. */
  tolerance: number;
  /** Smallest allowed rise, µs (so a µs-level baseline does not make noise a failure). */
  floorUs: number;
  /** Buckets with output in a row that must stay within tolerance. */
  holdBuckets: number;
}

/** Default: within max(50% of the baseline, 5 ms) of it for 3 buckets with output in a row. */
export const DEFAULT_RECOVERY_RULE: LatencyRecoveryRule = { tolerance: 0.5, floorUs: 5000, holdBuckets: 3 };

/** Median of a non-empty list. */
function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/**
 * How long after `faultAtUs` the per-bucket mean event-time latency is back to normal:
 * the baseline is the median of the bucket means before the fault's bucket; latency is back
 * at the end of the first bucket (the fault's or later) that starts a run of
 * `holdBuckets` buckets with output whose means all stay within the tolerance (buckets
 * without output neither count nor break the run; a run cut short by the end of the
 * timeline counts if it reaches its last bucket with output). `recoveredUs` is absent if
 * latency never came back, and every figure is absent without a pre-fault baseline.
 */
export function latencyRecovery(
  output: TimelineData,
  faultAtUs: number,
  rule: LatencyRecoveryRule = DEFAULT_RECOVERY_RULE,
): { recoveredUs?: number; baselineUs?: number; toleranceUs?: number } {
  const faultBucket = Math.floor((faultAtUs - output.startUs) / output.bucketUs);
  const mean = (i: number): number => output.latencySum[i] / output.count[i];
  const before: number[] = [];
  for (let i = 0; i < Math.min(faultBucket, output.count.length); i++) if (output.count[i] > 0) before.push(mean(i));
  if (before.length === 0) return {};
  const baselineUs = median(before);
  const toleranceUs = Math.max(rule.floorUs, rule.tolerance * baselineUs);
  let runStart = -1;
  let runLength = 0;
  let lastWithOutput = -1;
  for (let i = output.count.length - 1; i >= 0; i--) {
    if (output.count[i] > 0) {
      lastWithOutput = i;
      break;
    }
  }
  for (let i = Math.max(0, faultBucket); i < output.count.length; i++) {
    if (output.count[i] === 0) continue;
    if (mean(i) <= baselineUs + toleranceUs) {
      if (runLength === 0) runStart = i;
      runLength++;
      if (runLength >= rule.holdBuckets || i === lastWithOutput) {
        const endOfFirstUs = output.startUs + (runStart + 1) * output.bucketUs;
        return { recoveredUs: Math.max(0, endOfFirstUs - faultAtUs), baselineUs, toleranceUs };
      }
    } else {
      runLength = 0;
    }
  }
  return { baselineUs, toleranceUs };
}

/** The fault figures of a run from the pool's report, the partitions' outputs and the merged output timeline. */
export function faultFigures(
  killAtUs: number,
  report: RecoveryReport,
  parts: readonly PartitionTaskOutput[],
  output: TimelineData,
  atLeastOnce: boolean,
): FaultFigures {
  const kill = report.events.find((event) => event.cause === 'worker-killed');
  const recovery = latencyRecovery(output, kill?.atUs ?? killAtUs);
  const zero = { count: 0, sumA: 0, sumB: 0 };
  return {
    killAtUs,
    events: report.events,
    retries: report.retries,
    ...(kill?.resumedAtUs !== undefined ? { outputResumedUs: kill.resumedAtUs - kill.atUs } : {}),
    ...(recovery.recoveredUs !== undefined ? { latencyRecoveredUs: recovery.recoveredUs } : {}),
    ...(recovery.baselineUs !== undefined ? { baselineLatencyUs: recovery.baselineUs, toleranceUs: recovery.toleranceUs } : {}),
    recordsReplayed: report.events.reduce((sum, event) => sum + event.recordsReplayed, 0),
    duplicates: parts.reduce((sum, part) => sum + (part.duplicates ?? 0), 0),
    delivery: atLeastOnce ? 'at-least-once' : 'exactly-once',
    deliveredDigest: formatDigest(mergeDigests([...parts.map((part) => part.digest), ...parts.map((part) => part.duplicateDigest ?? zero)])),
  };
}
