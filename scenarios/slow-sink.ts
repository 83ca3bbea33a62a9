import type { Scenario } from './scenario.js';

/**
 * A downstream that cannot absorb everything (the seed's warning: a load peak becomes a
 * bottleneck and a cascading failure): 200k records/s, 100 µs per write, a queue of 20k
 * records, no drop policy, so a full queue holds the engine back and the backlog grows in
 * the source log. Per-record writes (continuous) pay the write latency per record; batch
 * writes amortise it, in bursts.
 */
export const slowSink: Scenario = {
  name: 'slow-sink',
  description: 'constant rate; map, keyed running count; sink 200k records/s, 100 µs per write, queue 20k records, back-pressure (no drops)',
  profile: { kind: 'constant', rate: 1000 },
  arrivals: 'uniform',
  keys: 1000,
  valueRange: 1_000_000,
  pipeline: [
    { op: 'map', multiply: 3, add: 7, modulo: 1_000_003 },
    { op: 'keyedCount' },
  ],
  sink: { capacityPerSec: 200_000, writeLatencyUs: 100, queueRecords: 20_000, drop: 'none' },
};
