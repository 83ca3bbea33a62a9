/**
 * `micro-batch`: Spark Streaming (DStreams) with batch interval T. A timer ticks on the
 * grid t0 + k·T; batch k holds the records that arrived in (t(k−1), t(k)]; batches queue
 * FIFO and run one at a time on the partition tasks, so if processing takes longer than T
 * the scheduling delay grows without bound (reported per batch).
 */
import { batchEngine } from './batch-engine.js';
import type { EngineFactory } from './engine.js';
import { FixedGridTrigger } from './triggers/fixed-grid.js';

export const createMicroBatchEngine: EngineFactory = (context) => {
  const intervalUs = (context.params.intervalMs ?? 100) * 1000;
  const trigger = new FixedGridTrigger(context.clock, intervalUs);
  return batchEngine(context, {
    trigger,
    intervalUs,
    reportsTickLateness: true,
    planner(runner) {
      trigger.onTickFired = (dueUs, firedUs) => runner.recordTick(dueUs, firedUs);
      // Every tick plans a batch, empty or not, as DStreams do.
      return (dueUs) => runner.job(runner.plan(dueUs));
    },
  });
};
