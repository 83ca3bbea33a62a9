/**
 * What a trial does beyond the common measurement for scenarios that declare a load peak
 * (`burst`: the peak placed in the measurement window, latency bins, recovery figures) or a
 * priority class (`priority`: classified partition tasks, latency per class). Kept apart
 * from `run-trial.ts` so the common lifecycle stays short.
 */
import type { EngineReport } from '../engines/engine.js';
import type { PriorityTaskSettings } from '../engines/partition/task-messages.js';
import type { PriorityFigures, RecoveryFigures, RunResult } from '../primitives/results-schema.js';
import type { Scenario } from '../scenarios/scenario.js';
import { summarizeEncoded } from '../primitives/histogram.js';
import { mergeLatencyBins, slidingPercentile } from '../primitives/latency-bins.js';
import { placePeak, type PlacedPeak } from '../scenarios/peak.js';
import { baseRate, scaleProfile, type RateProfile } from '../scenarios/rate-profile.js';
import { computeRecovery, defaultTolerance } from './recovery.js';
import type { TrialSpec } from './trial-spec.js';

/** The shortest sliding window of the recovery p99, in timeline buckets (500 ms). */
const MIN_SLIDING_BUCKETS = 5;

/** The trial's rate profile (the scenario's, rescaled to `--rate`), with its peak placed in the window if it has one. */
export function trialProfile(scenario: Scenario, spec: TrialSpec): { profile: RateProfile; peak?: PlacedPeak } {
  if (scenario.peak) {
    const peak = placePeak(scenario.peak, spec.rate, spec.warmupSec, spec.durationSec);
    return { profile: peak.profile, peak };
  }
  return { profile: scaleProfile(scenario.profile, spec.rate / baseRate(scenario.profile)) };
}

/** The priority settings of the trial's tasks; undefined when its scenario has no priority class. */
export function priorityTaskSettings(scenario: Scenario, spec: TrialSpec): PriorityTaskSettings | undefined {
  if (!scenario.priority) return undefined;
  return { fraction: spec.priorityFraction ?? scenario.priority.fraction, lane: spec.params.priorityLane === true };
}

/** Settings the partition tasks need for the scenario's extra figures. */
export function taskExtras(scenario: Scenario, spec: TrialSpec): { latencyBins?: boolean; priority?: PriorityTaskSettings } {
  const priority = priorityTaskSettings(scenario, spec);
  return { ...(scenario.peak ? { latencyBins: true } : {}), ...(priority ? { priority } : {}) };
}

/** The sliding window of the recovery p99, in buckets: 500 ms, or two batch intervals if longer. */
export function slidingBuckets(spec: TrialSpec, bucketUs: number): number {
  return Math.max(MIN_SLIDING_BUCKETS, Math.ceil((2 * (spec.params.intervalMs ?? 0) * 1000) / bucketUs));
}

/** The recovery figures of a trial with a peak. */
export function recoveryFigures(spec: TrialSpec, peak: PlacedPeak, report: EngineReport, timeline: RunResult['timeline'], bucketUs: number): RecoveryFigures | undefined {
  const binned = report.partitions.flatMap((p) => (p.latencyBins ? [p.latencyBins] : []));
  if (binned.length === 0) return undefined;
  const sliding = slidingBuckets(spec, bucketUs);
  return computeRecovery({
    bucketUs,
    peakFactor: peak.factor,
    peakStartUs: peak.startUs,
    peakEndUs: peak.endUs,
    windowBuckets: Math.ceil((spec.durationSec * 1e6) / bucketUs),
    backlog: timeline.backlog,
    latencyMax: timeline.output.latencyMax,
    windowP99: slidingPercentile(mergeLatencyBins(binned), sliding, 99),
    slidingBuckets: sliding,
    tolerance: defaultTolerance(spec.rate, spec.params.intervalMs ?? 0),
  });
}

/** Latency per class, pooled over the partitions; undefined when the tasks did not classify. */
export function priorityFigures(settings: PriorityTaskSettings | undefined, report: EngineReport): PriorityFigures | undefined {
  const classes = report.partitions.flatMap((p) => (p.classes ? [p.classes] : []));
  if (!settings || classes.length === 0) return undefined;
  const total = (pick: (c: (typeof classes)[number]) => number): number => classes.reduce((sum, c) => sum + pick(c), 0);
  return {
    fraction: settings.fraction,
    lane: settings.lane,
    priorityRecords: total((c) => c.priorityRecords),
    fastTracked: total((c) => c.fastTracked),
    caughtUp: total((c) => c.caughtUp),
    priority: {
      eventTime: summarizeEncoded(classes.map((c) => c.priority.eventTime)),
      processingTime: summarizeEncoded(classes.map((c) => c.priority.processingTime)),
    },
    normal: {
      eventTime: summarizeEncoded(classes.map((c) => c.normal.eventTime)),
      processingTime: summarizeEncoded(classes.map((c) => c.normal.processingTime)),
    },
  };
}
