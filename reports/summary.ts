/**
 * Pools repeated trials into one summary per configuration (DESIGN.md §5): latency
 * histograms are merged and then summarised (percentiles are never averaged), and
 * throughput is total records ÷ total measured seconds (never a mean of rates).
 */
import { mergeEncoded, summarizeEncoded } from '../primitives/histogram.js';
import { paramsKey } from './format.js';
import type { LatencySummary, RunParams, RunResult } from '../primitives/results-schema.js';
import { pooledPriority, pooledRecovery, type PrioritySummary, type RecoverySummary } from './scenario-summary.js';

/** Batch figures pooled over the trials of a batch mode. */
export interface BatchSummary {
  /** Batches in all pooled trials. */
  count: number;
  /** Records per batch over all batches (each trial's mean weighted by its batch count). */
  meanSize: number;
  /** Largest batch in any trial. */
  maxSize: number;
  /** Mean of batch start − due time over all batches, µs. */
  meanSchedulingDelayUs: number;
  /** Mean of batch end − batch start over all batches, µs. */
  meanProcessingUs: number;
  /** Batches whose processing outlasted the interval, all trials. */
  overruns: number;
}

/**
 * One configuration (scenario, mode, offered rate, parameters) over its trials.
 *
 * Failed trials count in `trials`, `failedTrials` and `status` but are left out of every
 * figure, since they measured nothing; if every trial failed, the figures pool them all.
 */
export interface RunSummary {
  scenario: string;
  mode: string;
  params: RunParams;
  /** Offered (scheduled) rate, records/s. */
  offeredRate: number;
  /** Trials in the group, failed ones included. */
  trials: number;
  /** Trials with status 'failed'. */
  failedTrials: number;
  /** The worst status of any trial: 'failed' over 'timeout' over 'ok'. */
  status: RunResult['status'];
  /** Measured wall time summed over the pooled trials, s. */
  measuredSec: number;
  recordsOffered: number;
  recordsIn: number;
  recordsOut: number;
  /** Total records in ÷ total measured seconds, records/s. */
  throughputIn: number;
  /** Total records out ÷ total measured seconds, records/s. */
  throughputOut: number;
  /** Lowest per-trial throughputOut (the spread across trials), records/s. */
  throughputOutMin: number;
  /** Highest per-trial throughputOut, records/s. */
  throughputOutMax: number;
  /** Latency of the merged histograms of the pooled trials, µs. */
  latency: { eventTime: LatencySummary; processingTime: LatencySummary };
  /** 99th percentile of the merged generator-lag histograms, µs. */
  generatorLagP99Us: number;
  /** Present when any pooled trial reported batch figures. */
  batches?: BatchSummary;
  sourceDropped: number;
  lateDropped: number;
  unprocessed: number;
  /** Whether every pooled trial processed every appended offset. */
  drained: boolean;
  /** The output digest shared by the pooled trials, or '' when they disagree. */
  outputDigest: string;
  /** Distinct digests of the pooled trials, sorted (one entry when they agree). */
  trialDigests: string[];
  /** Scenarios with a load peak: recovery, the worst trial's figures. */
  recovery?: RecoverySummary;
  /** Scenarios with a priority class: event-time latency per class. */
  priority?: PrioritySummary;
}

const STATUS_SEVERITY: Record<RunResult['status'], number> = { ok: 0, timeout: 1, failed: 2 };

/** The grouping key of a run: scenario, mode, offered rate and parameters. */
function groupKey(run: RunResult): string {
  return JSON.stringify([run.scenario, run.mode, run.offeredRate, paramsKey(run.params)]);
}

/** Groups runs by configuration, keeping the order in which configurations first appear. */
function groupRuns(runs: readonly RunResult[]): RunResult[][] {
  const groups = new Map<string, RunResult[]>();
  for (const run of runs) {
    const key = groupKey(run);
    const group = groups.get(key);
    if (group) group.push(run);
    else groups.set(key, [run]);
  }
  return [...groups.values()];
}

/**
 * The wall time a trial's own throughput was computed over (records ÷ throughput), so that
 * pooling one trial reproduces its rate exactly; falls back to its configured duration when
 * it moved no records.
 */
export function measuredSeconds(run: RunResult): number {
  if (run.recordsIn > 0 && run.throughputIn > 0) return run.recordsIn / run.throughputIn;
  if (run.recordsOut > 0 && run.throughputOut > 0) return run.recordsOut / run.throughputOut;
  return run.durationSec;
}

/** The worst status among runs. */
function worstStatus(runs: readonly RunResult[]): RunResult['status'] {
  return runs.reduce<RunResult['status']>(
    (worst, run) => (STATUS_SEVERITY[run.status] > STATUS_SEVERITY[worst] ? run.status : worst),
    'ok',
  );
}

/** Sum of a numeric figure over runs. */
function total(runs: readonly RunResult[], figure: (run: RunResult) => number): number {
  return runs.reduce((sum, run) => sum + figure(run), 0);
}

/** `numerator ÷ denominator`, or 0 when the denominator is 0. */
function ratio(numerator: number, denominator: number): number {
  return denominator > 0 ? numerator / denominator : 0;
}

/** Mean of the means of latency summaries, each weighted by its count. */
function pooledMean(summaries: readonly LatencySummary[]): number {
  const count = summaries.reduce((sum, s) => sum + s.count, 0);
  return ratio(
    summaries.reduce((sum, s) => sum + s.mean * s.count, 0),
    count,
  );
}

/** Pools the batch figures of the runs that have them; undefined when none has. */
function pooledBatches(runs: readonly RunResult[]): BatchSummary | undefined {
  const figures = runs.flatMap((run) => (run.batches ? [run.batches] : []));
  if (figures.length === 0) return undefined;
  const count = figures.reduce((sum, b) => sum + b.count, 0);
  return {
    count,
    meanSize: ratio(
      figures.reduce((sum, b) => sum + b.size.mean * b.count, 0),
      count,
    ),
    maxSize: Math.max(...figures.map((b) => b.size.max)),
    meanSchedulingDelayUs: pooledMean(figures.map((b) => b.schedulingDelay)),
    meanProcessingUs: pooledMean(figures.map((b) => b.processing)),
    overruns: figures.reduce((sum, b) => sum + b.overruns, 0),
  };
}

/** The trials whose figures are pooled: all but the failed ones, or all if every one failed. */
function pooledTrials(runs: readonly RunResult[]): RunResult[] {
  const measured = runs.filter((run) => run.status !== 'failed');
  return measured.length > 0 ? measured : [...runs];
}

/** Distinct output digests, sorted. */
function distinctDigests(runs: readonly RunResult[]): string[] {
  return [...new Set(runs.map((run) => run.outputDigest))].sort();
}

/** A percentile of the merge of encoded histograms, µs; 0 when they are all empty. */
function pooledPercentile(encoded: readonly string[], percentile: number): number {
  const merged = mergeEncoded(encoded);
  return merged.totalCount === 0 ? 0 : merged.getValueAtPercentile(percentile);
}

/** Summarises one group of trials of the same configuration. */
function summarizeGroup(group: readonly RunResult[]): RunSummary {
  const first = group[0];
  const pooled = pooledTrials(group);
  const measuredSec = total(pooled, measuredSeconds);
  const recordsIn = total(pooled, (run) => run.recordsIn);
  const recordsOut = total(pooled, (run) => run.recordsOut);
  const rates = pooled.map((run) => run.throughputOut);
  const digests = distinctDigests(pooled);
  const batches = pooledBatches(pooled);
  const recovery = pooledRecovery(pooled);
  const priority = pooledPriority(pooled);
  return {
    scenario: first.scenario,
    mode: first.mode,
    params: first.params,
    offeredRate: first.offeredRate,
    trials: group.length,
    failedTrials: group.filter((run) => run.status === 'failed').length,
    status: worstStatus(group),
    measuredSec,
    recordsOffered: total(pooled, (run) => run.recordsOffered),
    recordsIn,
    recordsOut,
    throughputIn: ratio(recordsIn, measuredSec),
    throughputOut: ratio(recordsOut, measuredSec),
    throughputOutMin: Math.min(...rates),
    throughputOutMax: Math.max(...rates),
    latency: {
      eventTime: summarizeEncoded(pooled.map((run) => run.latency.eventTime.histogram)),
      processingTime: summarizeEncoded(pooled.map((run) => run.latency.processingTime.histogram)),
    },
    generatorLagP99Us: pooledPercentile(pooled.map((run) => run.generatorLag.histogram), 99),
    ...(batches ? { batches } : {}),
    sourceDropped: total(pooled, (run) => run.sourceDropped),
    lateDropped: total(pooled, (run) => run.lateDropped),
    unprocessed: total(pooled, (run) => run.unprocessed),
    drained: pooled.every((run) => run.drained),
    outputDigest: digests.length === 1 ? digests[0] : '',
    trialDigests: digests,
    ...(recovery ? { recovery } : {}),
    ...(priority ? { priority } : {}),
  };
}

/**
 * One {@link RunSummary} per (scenario, mode, offered rate, parameters), pooling the
 * trials of each, in the order the configurations first appear in `runs`.
 */
export function summarizeRuns(runs: readonly RunResult[]): RunSummary[] {
  return groupRuns(runs).map(summarizeGroup);
}
