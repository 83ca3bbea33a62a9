import type { Scenario } from './scenario.js';

/** Constant load through map → filter → keyed running count: the baseline latency/throughput trade-off. */
export const steady: Scenario = {
  name: 'steady',
  description: 'constant rate; map, filter (keeps 75%), keyed running count over 1000 keys',
  profile: { kind: 'constant', rate: 1000 },
  arrivals: 'uniform',
  keys: 1000,
  valueRange: 1_000_000,
  pipeline: [
    { op: 'map', multiply: 3, add: 7, modulo: 1_000_003 },
    { op: 'filter', dropMultiplesOf: 4 },
    { op: 'keyedCount' },
  ],
};
