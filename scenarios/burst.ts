import type { Scenario } from './scenario.js';
import { steady } from './steady.js';

/**
 * Steady load with a peak of five times the base rate for a quarter of the measurement
 * window (2 s of the minimum 8 s: 2 s before, 4 s to recover). The run reports the peak
 * latency, the backlog's maximum, the backlog drain time and the latency recovery time.
 */
export const burst: Scenario = {
  // steady's source and pipeline: the same records and output, so digests compare with it.
  ...steady,
  name: 'burst',
  description: 'constant rate with a 5× peak from 25% to 50% of the measurement window; map, filter (keeps 75%), keyed running count',
  peak: { factor: 5, startFraction: 0.25, lengthFraction: 0.25 },
  minDurationSec: 8,
};
