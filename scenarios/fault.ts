import type { Scenario } from './scenario.js';

/**
 * A faulty machine must not stop the stream: partition 0's worker thread is terminated one
 * second into the measurement; the pool replaces it and the partition's work is rebuilt by
 * replay from the last committed offset and state snapshot. Batch modes also have the first
 * batch after 0.5 s throw once (a failed task, retried from its offsets). Keyed state (a running
 * count) makes a wrong recovery visible in the output digest.
 */
export const fault: Scenario = {
  name: 'fault',
  description: 'constant rate; map, keyed running count; worker of partition 0 killed 1 s into the measurement; a batch task fails once at 0.5 s (batch modes)',
  profile: { kind: 'constant', rate: 1000 },
  arrivals: 'uniform',
  keys: 1000,
  valueRange: 1_000_000,
  pipeline: [
    { op: 'map', multiply: 3, add: 7, modulo: 1_000_003 },
    { op: 'keyedCount' },
  ],
  fault: { partition: 0, killAtSec: 1, failBatchAtSec: 0.5 },
};
