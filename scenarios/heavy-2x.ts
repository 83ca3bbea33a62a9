import { heavy } from './heavy.js';
import type { Scenario } from './scenario.js';

/** `heavy` with twice the CPU cost per record: its sustainable throughput should halve. */
export const heavy2x: Scenario = {
  ...heavy,
  name: 'heavy-2x',
  description: '40 µs of real CPU work per record (twice `heavy`), then keyed running sum',
  pipeline: [{ op: 'cpuCost', micros: 40 }, { op: 'keyedSum' }],
};
