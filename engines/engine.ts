/**
 * The one small interface every execution mode implements. An engine consumes the shared
 * source log with partition tasks on a worker pool; the runner drives it (start, drain,
 * stop) and turns what it reports into results. An engine never formats output.
 */
import type { Clock } from '../primitives/clock.js';
import type { SourceLog } from '../primitives/source-log.js';
import type { BatchFigures, RunParams } from '../primitives/results-schema.js';
import type { PartitionTaskOutput, TaskSettings } from './partition/task-messages.js';
import type { FaultPlan, RecoveryReport } from './partition/task-pool.js';
import type { OutputTap } from './output-tap.js';

/** What an engine is built with. */
export interface EngineContext {
  log: SourceLog;
  clock: Clock;
  params: RunParams;
  /** Settings for the partition tasks (pipeline, measurement window, …); the engine adds its kind (and what the kind needs). */
  task: TaskSettings;
  /** Faults to inject; the engine then runs its tasks on a recovering pool. Absent = none. */
  faults?: FaultPlan;
  /** Behind a broker (`streambench serve`): sees what `openPartitions` engines output and emit. Absent = nobody. */
  outputTap?: OutputTap;
}

/** What an engine reports when stopped. */
export interface EngineReport {
  partitions: PartitionTaskOutput[];
  batches?: BatchFigures;
  epochs?: number;
  /** Present when faults were injected: what failed and how it was recovered. */
  faults?: RecoveryReport;
}

/** An execution mode. */
export interface Engine {
  /** Starts the partition tasks (and the trigger); resolves once they consume. */
  start(): Promise<void>;
  /**
   * Called once the source has appended its last record. Resolves `true` once every
   * appended record is processed and emitted (final windows included), or `false` if
   * `deadlineUs` passes first.
   */
  drain(deadlineUs: number): Promise<boolean>;
  /** Stops the trigger and the tasks; resolves with what they measured. */
  stop(): Promise<EngineReport>;
  /** Ends everything at once after a time-out. */
  terminate(): Promise<void>;
}

/** Builds an engine for a run. */
export type EngineFactory = (context: EngineContext) => Engine;

/** Resolves once `done()` holds (checked every `everyMs`), or with `false` at `deadlineUs`. */
export async function pollUntil(clock: Clock, done: () => boolean, deadlineUs: number, everyMs = 5): Promise<boolean> {
  while (!done()) {
    if (clock.now() >= deadlineUs) return false;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  return true;
}

/** Whether every partition's source is finished and every appended record committed. */
export function allCommitted(log: SourceLog): boolean {
  for (let p = 0; p < log.partitions; p++) if (!log.finished(p) || log.committed(p) !== log.end(p)) return false;
  return true;
}
