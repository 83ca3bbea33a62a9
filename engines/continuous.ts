/**
 * `continuous`: Spark continuous processing / Flink. One long-running task per partition on
 * the worker pool processes each record as it is appended and emits it at once (or after
 * the flush timeout, Flink's buffer timeout). The trigger serves only as the epoch ticker:
 * every checkpoint interval each task is sent an epoch marker and acknowledges it with its
 * committed offset (the position recovery would replay from).
 */
import { allCommitted, pollUntil, type Engine, type EngineFactory } from './engine.js';
import { startTaskPool } from './partition/start-pool.js';
import type { TaskPool } from './partition/task-pool.js';
import { FixedGridTrigger } from './triggers/fixed-grid.js';
import { ALL_SCENARIO_FEATURES, type ModeDescriptor } from './mode.js';
import { workersLabel } from './mode-labels.js';

export const createContinuousEngine: EngineFactory = ({ log, clock, params, task, faults }): Engine => {
  let pool: TaskPool | undefined;
  let epochsAcknowledged = 0;
  let epoch = 0;
  const ticker = new FixedGridTrigger(clock, (params.checkpointMs ?? 1000) * 1000);
  return {
    async start() {
      pool = await startTaskPool(log, { ...task, kind: 'continuous', flushTimeoutUs: params.flushTimeoutUs ?? 0 }, faults, clock);
      pool.onMessage((message) => {
        if (message.type === 'epoch') epochsAcknowledged++;
      });
      ticker.execute(() => {
        epoch++;
        for (let p = 0; p < log.partitions; p++) log.sendCommand(p, epoch, epoch);
        return null;
      });
    },
    drain(deadlineUs) {
      // A task that failed for good commits nothing more: stop waiting (stop() then reports its error).
      return Promise.race([pollUntil(clock, () => allCommitted(log), deadlineUs), (pool as TaskPool).failure.catch(() => false)]);
    },
    async stop() {
      await ticker.stop();
      const started = pool as TaskPool;
      const partitions = await started.stop();
      const report = started.faultReport();
      return { partitions, epochs: Math.floor(epochsAcknowledged / log.partitions), ...(report ? { faults: report } : {}) };
    },
    async terminate() {
      await ticker.stop();
      await pool?.terminate();
    },
  };
};

/** The `continuous` mode. */
export const continuousMode: ModeDescriptor = {
  id: 'continuous',
  summary: 'Spark continuous processing / Flink: long-running per-partition tasks on a worker pool, each record emitted as it is processed',
  order: 2,
  cadence: 'per-record',
  delivery: 'at-least-once',
  settings: [
    { flag: 'checkpoint', option: 'checkpointMs', param: 'checkpointMs', kind: 'interval-ms', default: '1s', help: 'continuous mode epoch marker interval' },
    { flag: 'flush-timeout', option: 'flushTimeoutUs', param: 'flushTimeoutUs', kind: 'duration-us-or-zero', default: '0us', help: 'continuous mode output flush timeout (0 = emit every record at once)' },
  ],
  knobs: { workers: 'workers', 'flush-timeout': 'flush-timeout' },
  handles: ALL_SCENARIO_FEATURES,
  label: workersLabel,
  create: createContinuousEngine,
};
