/**
 * When batches run: the trigger policy, kept apart from what a batch does (as Spark keeps
 * `TriggerExecutor` apart from `MicroBatchExecution`). An executor calls `planBatch(dueUs)`
 * at the moment a batch is due; the engine decides there which offsets the batch covers and
 * returns the job that processes them (or `null`: nothing to do). The executor decides when
 * that job runs.
 */
export type BatchJob = () => Promise<void>;

/** Plans the batch due at `dueUs`: returns its job, or `null` when there is nothing to run. */
export type BatchPlanner = (dueUs: number) => BatchJob | null;

/** A trigger policy. */
export interface TriggerExecutor {
  /** Starts triggering; `planBatch` is called at each trigger. */
  execute(planBatch: BatchPlanner): void;
  /** Stops triggering and resolves once no batch job is running. */
  stop(): Promise<void>;
}
