import type { Scenario } from './scenario.js';

/** CPU-bound per-record work, so the size of the worker pool matters. */
export const heavy: Scenario = {
  name: 'heavy',
  description: '20 µs of real CPU work per record, then keyed running sum',
  profile: { kind: 'constant', rate: 1000 },
  arrivals: 'uniform',
  keys: 1000,
  valueRange: 1_000_000,
  pipeline: [{ op: 'cpuCost', micros: 20 }, { op: 'keyedSum' }],
};
