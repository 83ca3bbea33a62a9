/**
 * Pooled figures of the scenarios that report more than latency and throughput: recovery
 * from a load peak (`burst`) and latency per class (`priority`). Recovery is pooled
 * conservatively (the worst trial: largest peak, longest drain and recovery, "not
 * recovered" if any trial did not); class latency merges the trials' histograms.
 */
import { summarizeEncoded } from '../primitives/histogram.js';
import type { LatencySummary, RecoveryFigures, RunResult } from '../primitives/results-schema.js';

/** Recovery from the peak over the pooled trials: the worst trial's figure each (see {@link RecoveryFigures}). */
export interface RecoverySummary extends Omit<RecoveryFigures, 'windowP99Us'> {
  /** Measured time after the peak's end (the longest a drain or recovery can be seen to take), s. */
  afterPeakSec: number;
}

/** Latency per class over the pooled trials. */
export interface PrioritySummary {
  fraction: number;
  lane: boolean;
  priorityRecords: number;
  fastTracked: number;
  caughtUp: number;
  priority: LatencySummary;
  normal: LatencySummary;
}

/** The worst of figures where null means "never": null if any is null, else the largest. */
function worstTime(values: readonly (number | null)[]): number | null {
  return values.some((v) => v === null) ? null : Math.max(...(values as number[]));
}

/** Largest of the non-null values; null if there are none. */
function maxOrNull(values: readonly (number | null)[]): number | null {
  const present = values.filter((v): v is number => v !== null);
  return present.length > 0 ? Math.max(...present) : null;
}

/** Recovery pooled over the runs that have it; undefined if none has. */
export function pooledRecovery(runs: readonly RunResult[]): RecoverySummary | undefined {
  const withFigures = runs.filter((run) => run.recovery);
  const figures = withFigures.map((run) => run.recovery!);
  const [first] = figures;
  if (!first) return undefined;
  return {
    peakFactor: first.peakFactor,
    peakStartSec: first.peakStartSec,
    peakEndSec: first.peakEndSec,
    afterPeakSec: Math.min(...withFigures.map((run) => run.durationSec - run.recovery!.peakEndSec)),
    slidingWindowMs: first.slidingWindowMs,
    peakLatencyUs: Math.max(...figures.map((f) => f.peakLatencyUs)),
    peakWindowP99Us: maxOrNull(figures.map((f) => f.peakWindowP99Us)),
    preWindowP99Us: maxOrNull(figures.map((f) => f.preWindowP99Us)),
    preBacklog: Math.max(...figures.map((f) => f.preBacklog)),
    backlogMax: Math.max(...figures.map((f) => f.backlogMax)),
    drainTimeUs: worstTime(figures.map((f) => f.drainTimeUs)),
    latencyRecoveryUs: worstTime(figures.map((f) => f.latencyRecoveryUs)),
  };
}

/** Class latency pooled over the runs that have it (histograms merged); undefined if none has. */
export function pooledPriority(runs: readonly RunResult[]): PrioritySummary | undefined {
  const figures = runs.flatMap((run) => (run.priority ? [run.priority] : []));
  const [first] = figures;
  if (!first) return undefined;
  const total = (pick: (f: typeof first) => number): number => figures.reduce((sum, f) => sum + pick(f), 0);
  return {
    fraction: first.fraction,
    lane: first.lane,
    priorityRecords: total((f) => f.priorityRecords),
    fastTracked: total((f) => f.fastTracked),
    caughtUp: total((f) => f.caughtUp),
    priority: summarizeEncoded(figures.map((f) => f.priority.eventTime.histogram)),
    normal: summarizeEncoded(figures.map((f) => f.normal.eventTime.histogram)),
  };
}
