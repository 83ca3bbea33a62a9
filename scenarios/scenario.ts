import type { OperatorSpec } from '../engines/operators/pipeline.js';
import type { PeakPlacement } from './peak.js';
import type { ArrivalProcess, RateProfile } from './rate-profile.js';
import type { FaultSpec, SinkSpec } from './downstream.js';
import type { KeyDistribution } from './key-distribution.js';
import type { RecordSourceSpec } from '../engines/records/record-query.js';

/**
 * A declarative workload, run identically by every mode: what the source emits and when,
 * and the pipeline every engine executes. Built-in scenarios and a user's are workload files
 * (`workload-file.ts`) turned into this in-memory form; a scenario's identity in results is its `name`.
 */
export interface Scenario {
  name: string;
  description: string;
  /** Offered load; `--rate` rescales it so its base rate equals the flag. */
  profile: RateProfile;
  arrivals: ArrivalProcess;
  /** Key cardinality: keys are in 0 .. keys-1 (uniform unless `keyDistribution` says otherwise). */
  keys: number;
  /** A skewed key distribution (zipf, hot keys); absent = uniform. */
  keyDistribution?: KeyDistribution;
  /** Values are uniform in 0 .. valueRange-1. */
  valueRange: number;
  /** A fraction of records carry an event time earlier than their arrival by up to maxDelayMs. */
  outOfOrder?: { fraction: number; maxDelayMs: number };
  pipeline: OperatorSpec[];
  /**
   * Records with a schema (issue 14): a Nexmark, sentence or JSON ad source and the query every
   * mode runs over it instead of `pipeline` (then empty); keys and values are then the source's.
   */
  records?: RecordSourceSpec;
  /** A load peak placed relative to the measurement window (`burst`); the run reports its recovery. */
  peak?: PeakPlacement;
  /** Shortest measured time per trial: a shorter `--duration` is raised to it (the peak needs room). */
  minDurationSec?: number;
  /**
   * A declared fraction of records is of the priority class (marked from the record's key and
   * value, so every mode agrees); the run reports latency per class. The pipeline's output
   * must not depend on record order, since a priority lane processes priority records first.
   */
  priority?: { fraction: number };
  /** A slow downstream behind the sink; absent = the instant sink. */
  sink?: SinkSpec;
  /** Faults injected into the run; absent = none. */
  fault?: FaultSpec;
  /** The memory budget of each partition task, bytes, when the run gives none (`--memory-budget`); absent = none. */
  memoryBudgetBytes?: number;
}
