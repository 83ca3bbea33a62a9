/**
 * `trigger`: Structured Streaming's `ProcessingTime(interval)` trigger (interval 0, the
 * default, runs the next batch as soon as the last one ends). Each batch takes every offset
 * available when it starts (optionally capped, like `maxOffsetsPerTrigger`); there is no
 * batch queue, so batch size adapts to load.
 */
import { BatchRunner } from './batch-runner.js';
import { pollUntil, type Engine, type EngineFactory } from './engine.js';
import { PartitionPool } from './partition/partition-pool.js';
import { ProcessingTimeTrigger } from './triggers/processing-time.js';

/** How long an idle trigger waits for new data before checking again (ms). */
const IDLE_WAIT_MS = 50;

export const createTriggerEngine: EngineFactory = ({ log, clock, params, task }): Engine => {
  const intervalUs = (params.intervalMs ?? 0) * 1000;
  let pool: PartitionPool | undefined;
  let runner: BatchRunner | undefined;
  const seenEnds = (): number[] => Array.from({ length: log.partitions }, (_, p) => log.end(p));
  const trigger = new ProcessingTimeTrigger(clock, intervalUs, () => log.waitForAnyAppend(seenEnds(), IDLE_WAIT_MS));
  return {
    async start() {
      pool = await PartitionPool.start(log, { ...task, kind: 'batch' });
      const batches = new BatchRunner(log, clock, pool, intervalUs, params.maxRecordsPerBatch ?? Infinity);
      runner = batches;
      trigger.execute((dueUs) => (batches.hasWork() ? batches.job(batches.plan(dueUs)) : null));
    },
    drain(deadlineUs) {
      return pollUntil(clock, () => runner?.finalized ?? false, deadlineUs);
    },
    async stop() {
      await trigger.stop();
      const partitions = await (pool as PartitionPool).stop();
      return { partitions, batches: (runner as BatchRunner).figures(false) };
    },
    async terminate() {
      await trigger.stop();
      await pool?.terminate();
    },
  };
};
