import type { RunParams } from '../primitives/results-schema.js';
import type { FaultSpec, SinkSpec } from '../scenarios/downstream.js';
import type { Scenario } from '../scenarios/scenario.js';

/** Everything one trial needs; plain data, so it crosses into a child process. */
export interface TrialSpec {
  /** The scenario's name: a built-in's, or that of `workload`. */
  scenario: string;
  /** The scenario itself when it came from a workload file (a built-in is looked up by name). */
  workload?: Scenario;
  mode: string;
  /** A plugin mode's module file (absolute): the trial's process loads it before it runs; absent for built-in modes. */
  modeModule?: string;
  params: RunParams;
  /** Offered base rate, records/s (rescales the scenario's profile). */
  rate: number;
  warmupSec: number;
  durationSec: number;
  seed: number;
  trial: number;
  /** Source log retention per partition (records). */
  logCapacity: number;
  /** From the parent's calibration, so every mode does the same work. */
  cpuIterationsPerUs: number;
  /** Longest wait for the engine to catch up after the source stops. */
  drainTimeoutSec: number;
  /** The whole trial is abandoned (status 'timeout') after this long. */
  timeoutSec: number;
  /** Overrides the scenario's declared priority fraction (scenarios with a priority class only). */
  priorityFraction?: number;
  /** The slow downstream, resolved from the scenario and the --sink-* flags; absent = instant sink. */
  sink?: SinkSpec;
  /** The faults to inject, resolved from the scenario and --kill-at / --fail-batch-at; absent = none. */
  fault?: FaultSpec;
  /** `--codegen off`: the partition tasks run the interpreted chain of stages; absent = generated code (on). */
  codegen?: boolean;
  /** `--latency-recording off`: the tasks record no latency (throughput only); absent = on. */
  latencyRecording?: boolean;
  /** With a memory budget (`params.memoryBudgetBytes`): the folder the trial's spill folder is made in; absent = the system's temporary folder. */
  spillDir?: string;
}
