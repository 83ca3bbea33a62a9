import type { Scenario } from './scenario.js';

/**
 * Constant load of which 2% of records are priority class. The run reports latency per
 * class; with `--priority-lane on` every mode fast-tracks the priority records. The keyed
 * running count's output does not depend on record order (each key's counts are 1..n
 * whatever the order), so the output digest must match with and without the lane.
 */
export const priority: Scenario = {
  name: 'priority',
  description: 'constant rate, 2% of records priority class; map, filter (keeps 75%), keyed running count',
  profile: { kind: 'constant', rate: 1000 },
  arrivals: 'uniform',
  keys: 1000,
  valueRange: 1_000_000,
  pipeline: [
    { op: 'map', multiply: 3, add: 7, modulo: 1_000_003 },
    { op: 'filter', dropMultiplesOf: 4 },
    { op: 'keyedCount' },
  ],
  priority: { fraction: 0.02 },
};
