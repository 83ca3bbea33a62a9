/**
 * `micro-batch`: Spark Streaming (DStreams) with batch interval T. A timer ticks on the
 * grid t0 + k·T; batch k holds the records that arrived in (t(k−1), t(k)]; batches queue
 * FIFO and run one at a time on the partition tasks, so if processing takes longer than T
 * the scheduling delay grows without bound (reported per batch).
 */
import { batchEngine } from './batch-engine.js';
import type { EngineFactory } from './engine.js';
import { ALL_SCENARIO_FEATURES, type ModeDescriptor } from './mode.js';
import { batchLabel } from './mode-labels.js';
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

/** The `micro-batch` mode. */
export const microBatchMode: ModeDescriptor = {
  id: 'micro-batch',
  summary: 'Spark Streaming (DStreams): a batch per tick of a fixed grid of interval T, batches queued FIFO',
  order: 0,
  cadence: 'fixed-grid',
  delivery: 'exactly-once',
  settings: [{ flag: 'interval', option: 'intervalMs', param: 'intervalMs', kind: 'interval-ms', default: '100ms', help: 'micro-batch batch interval T' }],
  knobs: { interval: 'interval' },
  handles: ALL_SCENARIO_FEATURES,
  label: batchLabel,
  create: createMicroBatchEngine,
};
