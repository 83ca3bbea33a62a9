import type { OperatorSpec } from '../engines/operators/pipeline.js';
import type { ArrivalProcess, RateProfile } from '../runner/rate-profile.js';
import type { FaultSpec, SinkSpec } from './downstream.js';

/**
 * A declarative workload, run identically by every mode: what the source emits and when,
 * and the pipeline every engine executes.
 */
export interface Scenario {
  name: string;
  description: string;
  /** Offered load; `--rate` rescales it so its base rate equals the flag. */
  profile: RateProfile;
  arrivals: ArrivalProcess;
  /** Key cardinality: keys are uniform in 0 .. keys-1. */
  keys: number;
  /** Values are uniform in 0 .. valueRange-1. */
  valueRange: number;
  /** A fraction of records carry an event time earlier than their arrival by up to maxDelayMs. */
  outOfOrder?: { fraction: number; maxDelayMs: number };
  pipeline: OperatorSpec[];
  /** A slow downstream behind the sink; absent = the instant sink. */
  sink?: SinkSpec;
  /** Faults injected into the run; absent = none. */
  fault?: FaultSpec;
}
