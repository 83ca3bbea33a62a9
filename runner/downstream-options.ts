/**
 * The `run` flags for a slow downstream (`--sink-capacity`, `--sink-latency`,
 * `--sink-queue`, `--sink-drop`) and for faults (`--kill-at`, `--fail-batch-at`): parsed into
 * overrides, then resolved per scenario into the {@link SinkSpec} and {@link FaultSpec} a
 * trial runs with. Every problem is a {@link UsageError} naming the flag.
 */
import type { FaultSpec, SinkDropPolicy, SinkSpec } from '../scenarios/downstream.js';
import type { Scenario } from '../scenarios/scenario.js';
import { parseDurationUs, parseRate } from '../primitives/units.js';
import { UsageError } from '../primitives/usage-error.js';

/** The sink a `--sink-*` flag gives a scenario that declares none. */
export const DEFAULT_SLOW_SINK: SinkSpec = { capacityPerSec: Infinity, writeLatencyUs: 0, queueRecords: 10_000, drop: 'none' };

/** Overrides from the command line; an absent field keeps the scenario's value. */
export interface DownstreamOverrides {
  sink: Partial<SinkSpec>;
  fault: { killAtSec?: number; failBatchAtSec?: number | null };
}

/** The raw flag values ('' = not given). */
export interface DownstreamFlagValues {
  'sink-capacity': string;
  'sink-latency': string;
  'sink-queue': string;
  'sink-drop': string;
  'kill-at': string;
  'fail-batch-at': string;
}

/** Parses the flag values; throws {@link UsageError} naming the first bad one. */
export function parseDownstreamFlags(values: DownstreamFlagValues): DownstreamOverrides {
  const sink: Partial<SinkSpec> = {};
  const fault: DownstreamOverrides['fault'] = {};
  const capacity = values['sink-capacity'].trim();
  if (capacity !== '') {
    const rate = capacity === 'unlimited' ? Infinity : parseRate(capacity);
    if (rate === undefined || !(rate > 0)) throw new UsageError(`--sink-capacity: '${capacity}' is not a positive rate; use records/s like 50k or 2M, or 'unlimited'`);
    sink.capacityPerSec = rate;
  }
  const latency = values['sink-latency'].trim();
  if (latency !== '') {
    const us = parseDurationUs(latency, 'us');
    if (us === undefined || !Number.isFinite(us)) throw new UsageError(`--sink-latency: '${latency}' is not a duration; use e.g. 100us, 2ms or 0`);
    sink.writeLatencyUs = us;
  }
  const queue = values['sink-queue'].trim();
  if (queue !== '') {
    if (!/^\d+$/.test(queue) || Number(queue) < 1 || Number(queue) > 2 ** 26) throw new UsageError(`--sink-queue: '${queue}' must be a whole number of records from 1 to ${2 ** 26}`);
    sink.queueRecords = Number(queue);
  }
  const drop = values['sink-drop'].trim();
  if (drop !== '') {
    if (drop !== 'none' && drop !== 'newest') throw new UsageError(`--sink-drop: unknown policy '${drop}'; accepted: none (back-pressure), newest (drop and count)`);
    sink.drop = drop satisfies SinkDropPolicy;
  }
  const killAt = values['kill-at'].trim();
  if (killAt !== '') {
    const us = parseDurationUs(killAt, 's');
    if (us === undefined || !(us > 0) || !Number.isFinite(us)) throw new UsageError(`--kill-at: '${killAt}' is not a positive duration; use e.g. 1s or 1500ms (time into the measurement window)`);
    fault.killAtSec = us / 1e6;
  }
  const failBatchAt = values['fail-batch-at'].trim();
  if (failBatchAt === 'none') {
    fault.failBatchAtSec = null;
  } else if (failBatchAt !== '') {
    const us = parseDurationUs(failBatchAt, 's');
    if (us === undefined || !(us > 0) || !Number.isFinite(us)) throw new UsageError(`--fail-batch-at: '${failBatchAt}' is not a positive duration; use e.g. 500ms (time into the measurement window) or 'none'`);
    fault.failBatchAtSec = us / 1e6;
  }
  return { sink, fault };
}

/** The slow sink `scenario` runs with: its own, with the overrides applied; a --sink-* flag gives any scenario one. */
export function resolveSink(scenario: Scenario, overrides: DownstreamOverrides, workers: number): SinkSpec | undefined {
  const given = Object.keys(overrides.sink).length > 0;
  if (!scenario.sink && !given) return undefined;
  const sink: SinkSpec = { ...(scenario.sink ?? DEFAULT_SLOW_SINK), ...overrides.sink };
  if (sink.queueRecords < workers) {
    throw new UsageError(`--sink-queue: ${sink.queueRecords} records cannot be shared by ${workers} partitions; use at least --workers (${workers})`);
  }
  return sink;
}

/**
 * The faults `scenario` runs with, or undefined if it declares none. The kill must fall
 * inside the measurement window and on an existing partition.
 */
export function resolveFault(scenario: Scenario, overrides: DownstreamOverrides, durationSec: number, workers: number): FaultSpec | undefined {
  if (!scenario.fault) return undefined;
  const { failBatchAtSec, ...killOverride } = overrides.fault;
  const fault: FaultSpec = { ...scenario.fault, ...killOverride };
  if (failBatchAtSec === null) delete fault.failBatchAtSec;
  else if (failBatchAtSec !== undefined) fault.failBatchAtSec = failBatchAtSec;
  if (!(fault.killAtSec > 0 && fault.killAtSec < durationSec)) {
    throw new UsageError(
      `--kill-at: ${fault.killAtSec}s is outside the measurement window of '${scenario.name}' (0 .. --duration ${durationSec}s); use a time into the measurement below the duration`,
    );
  }
  if (fault.failBatchAtSec !== undefined && !(fault.failBatchAtSec < durationSec)) {
    throw new UsageError(`--fail-batch-at: ${fault.failBatchAtSec}s is outside the measurement window of '${scenario.name}' (0 .. --duration ${durationSec}s); use a time below the duration, or 'none'`);
  }
  if (fault.partition >= workers) {
    throw new UsageError(`fault.partition: ${fault.partition} is not a partition of '${scenario.name}' with --workers ${workers} (partitions 0 .. ${workers - 1}); use a partition below --workers, or more workers`);
  }
  return fault;
}

/**
 * Throws when a downstream flag would be silently ignored: fault flags with no selected
 * scenario that injects a fault. (Sink flags apply to every scenario: each gets a slow sink.)
 */
export function checkDownstreamApplies(selected: readonly Scenario[], overrides: DownstreamOverrides): void {
  const faultFlags = [overrides.fault.killAtSec !== undefined ? '--kill-at' : '', overrides.fault.failBatchAtSec !== undefined ? '--fail-batch-at' : ''].filter(Boolean);
  if (faultFlags.length > 0 && !selected.some((scenario) => scenario.fault)) {
    throw new UsageError(`${faultFlags[0]}: none of the selected scenarios injects a fault; add --scenario fault (or drop the flag)`);
  }
}
