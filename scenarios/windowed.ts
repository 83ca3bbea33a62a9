import type { Scenario } from './scenario.js';

/** Out-of-order records into event-time tumbling windows with a watermark and allowed lateness. */
export const windowed: Scenario = {
  name: 'windowed',
  description: '20% of records up to 80 ms out of order; 100 ms tumbling windows, 50 ms watermark bound, 20 ms allowed lateness',
  profile: { kind: 'constant', rate: 1000 },
  arrivals: 'poisson',
  keys: 100,
  valueRange: 1_000_000,
  outOfOrder: { fraction: 0.2, maxDelayMs: 80 },
  pipeline: [
    { op: 'map', multiply: 3, add: 7, modulo: 1_000_003 },
    { op: 'tumblingWindow', sizeMs: 100, maxOutOfOrdernessMs: 50, allowedLatenessMs: 20 },
  ],
};
