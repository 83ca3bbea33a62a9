/**
 * `micro-batch`: Spark Streaming (DStreams) with batch interval T. A timer ticks on the
 * grid t0 + k·T; batch k holds the records that arrived in (t(k−1), t(k)]; batches queue
 * FIFO and run one at a time on the partition tasks, so if processing takes longer than T
 * the scheduling delay grows without bound (reported per batch).
 */
import { BatchRunner } from './batch-runner.js';
import { pollUntil, type Engine, type EngineFactory } from './engine.js';
import { PartitionPool } from './partition/partition-pool.js';
import { FixedGridTrigger } from './triggers/fixed-grid.js';

export const createMicroBatchEngine: EngineFactory = ({ log, clock, params, task }): Engine => {
  const intervalUs = (params.intervalMs ?? 100) * 1000;
  let pool: PartitionPool | undefined;
  let runner: BatchRunner | undefined;
  const trigger = new FixedGridTrigger(clock, intervalUs);
  return {
    async start() {
      pool = await PartitionPool.start(log, { ...task, kind: 'batch' });
      const batches = new BatchRunner(log, clock, pool, intervalUs);
      runner = batches;
      trigger.onTickFired = (dueUs, firedUs) => batches.recordTick(dueUs, firedUs);
      trigger.execute((dueUs) => batches.job(batches.plan(dueUs)));
    },
    drain(deadlineUs) {
      return pollUntil(clock, () => runner?.finalized ?? false, deadlineUs);
    },
    async stop() {
      await trigger.stop();
      const partitions = await (pool as PartitionPool).stop();
      return { partitions, batches: (runner as BatchRunner).figures(true) };
    },
    async terminate() {
      await trigger.stop();
      await pool?.terminate();
    },
  };
};
