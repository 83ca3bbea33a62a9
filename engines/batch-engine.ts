/**
 * What the two batch modes share: partition tasks in batch kind, a {@link BatchRunner} for
 * what each batch does, and a trigger for when it runs. Each mode supplies only its trigger
 * policy and how a due batch is planned.
 */
import { BatchRunner } from './batch-runner.js';
import { pollUntil, type Engine, type EngineContext } from './engine.js';
import { PartitionPool } from './partition/partition-pool.js';
import { RecoveringPartitionPool } from './partition/recovering-pool.js';
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
  let pool: PartitionPool | RecoveringPartitionPool | undefined;
  let runner: BatchRunner | undefined;
  return {
    async start() {
      pool = faults
        ? await RecoveringPartitionPool.start(log, { ...task, kind: 'batch' }, faults, clock)
        : await PartitionPool.start(log, { ...task, kind: 'batch' });
      runner = new BatchRunner(log, clock, pool, policy.intervalUs, policy.maxRecordsPerBatch ?? Infinity);
      policy.trigger.execute(policy.planner(runner));
    },
    drain(deadlineUs) {
      return pollUntil(clock, () => runner?.finalized ?? false, deadlineUs);
    },
    async stop() {
      await policy.trigger.stop();
      const partitions = await (pool as PartitionPool | RecoveringPartitionPool).stop();
      const recovered = pool instanceof RecoveringPartitionPool ? { faults: pool.report() } : {};
      return { partitions, batches: (runner as BatchRunner).figures(policy.reportsTickLateness), ...recovered };
    },
    async terminate() {
      await policy.trigger.stop().catch(() => {});
      await pool?.terminate();
    },
  };
}
