/**
 * What the two batch modes share: partition tasks in batch kind, a {@link BatchRunner} for
 * what each batch does, and a trigger for when it runs. Each mode supplies only its trigger
 * policy and how a due batch is planned.
 */
import { BatchRunner } from './batch-runner.js';
import { pollUntil, type Engine, type EngineContext } from './engine.js';
import { startTaskPool } from './partition/start-pool.js';
import type { TaskPool } from './partition/task-pool.js';
import type { BatchPlanner, TriggerExecutor } from './triggers/trigger-executor.js';

/** A batch mode's policy: its trigger and its planner over the batch runner. */
export interface BatchPolicy {
  trigger: TriggerExecutor;
  intervalUs: number;
  maxRecordsPerBatch?: number;
  /** Called once the runner exists; returns the planner the trigger calls. */
  planner(runner: BatchRunner): BatchPlanner;
  /** Whether the batch figures carry tick lateness (a fixed timer grid). */
  reportsTickLateness: boolean;
}

/** Builds a batch-mode engine from its policy. */
export function batchEngine({ log, clock, task, faults }: EngineContext, policy: BatchPolicy): Engine {
  let pool: TaskPool | undefined;
  let runner: BatchRunner | undefined;
  return {
    async start() {
      pool = await startTaskPool(log, { ...task, kind: 'batch' }, faults, clock);
      runner = new BatchRunner(log, clock, pool, policy.intervalUs, policy.maxRecordsPerBatch ?? Infinity);
      policy.trigger.execute(policy.planner(runner));
    },
    drain(deadlineUs) {
      // A task that failed for good never replies: stop waiting (stop() then reports its error).
      return Promise.race([pollUntil(clock, () => runner?.finalized ?? false, deadlineUs), (pool as TaskPool).failure.catch(() => false)]);
    },
    async stop() {
      await Promise.race([policy.trigger.stop(), (pool as TaskPool).failure]);
      const started = pool as TaskPool;
      const partitions = await started.stop();
      const report = started.faultReport();
      return { partitions, batches: (runner as BatchRunner).figures(policy.reportsTickLateness), ...(report ? { faults: report } : {}) };
    },
    async terminate() {
      await Promise.race([policy.trigger.stop(), pool?.failure ?? Promise.resolve()]).catch(() => {});
      await pool?.terminate();
    },
  };
}
