/**
 * `trigger`: Structured Streaming's `ProcessingTime(interval)` trigger (interval 0, the
 * default, runs the next batch as soon as the last one ends). Each batch takes every offset
 * available when it starts (optionally capped, like `maxOffsetsPerTrigger`); there is no
 * batch queue, so batch size adapts to load.
 */
import { batchEngine } from './batch-engine.js';
import type { EngineFactory } from './engine.js';
import { ALL_SCENARIO_FEATURES, type ModeDescriptor } from './mode.js';
import { batchLabel } from './mode-labels.js';
import { ProcessingTimeTrigger } from './triggers/processing-time.js';

/** How long an idle trigger waits for new data before checking again (ms). */
const IDLE_WAIT_MS = 50;

export const createTriggerEngine: EngineFactory = (context) => {
  const { log, clock, params } = context;
  const intervalUs = (params.intervalMs ?? 0) * 1000;
  const seenEnds = (): number[] => Array.from({ length: log.partitions }, (_, p) => log.end(p));
  const trigger = new ProcessingTimeTrigger(clock, intervalUs, () => log.waitForAnyAppend(seenEnds(), IDLE_WAIT_MS));
  return batchEngine(context, {
    trigger,
    intervalUs,
    ...(params.maxRecordsPerBatch ? { maxRecordsPerBatch: params.maxRecordsPerBatch } : {}),
    reportsTickLateness: false,
    planner: (runner) => (dueUs) => (runner.hasWork() ? runner.job(runner.plan(dueUs)) : null),
  });
};

/** The `trigger` mode. */
export const triggerMode: ModeDescriptor = {
  id: 'trigger',
  summary: 'Structured Streaming ProcessingTime trigger: each batch takes every offset available at its start (0 = back to back)',
  order: 1,
  cadence: 'processing-time',
  delivery: 'exactly-once',
  settings: [
    { flag: 'trigger-interval', option: 'triggerIntervalMs', param: 'intervalMs', kind: 'interval-ms-or-zero', default: '0ms', help: 'trigger mode interval (0 = next batch as soon as the last ends)' },
    { flag: 'max-batch', option: 'maxRecordsPerBatch', param: 'maxRecordsPerBatch', kind: 'count-or-none', default: '', help: 'trigger mode cap on records per batch (like maxOffsetsPerTrigger)' },
  ],
  knobs: { interval: 'trigger-interval', 'max-batch': 'max-batch' },
  handles: ALL_SCENARIO_FEATURES,
  label: batchLabel,
  create: createTriggerEngine,
};
