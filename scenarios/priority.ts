import type { Scenario } from './scenario.js';
import { steady } from './steady.js';

/**
 * Constant load of which 2% of records are priority class. The run reports latency per
 * class; with `--priority-lane on` every mode fast-tracks the priority records. The keyed
 * running count's output does not depend on record order (each key's counts are 1..n
 * whatever the order), so the output digest must match with and without the lane.
 */
export const priority: Scenario = {
  // steady's source and pipeline: the same records and output, so digests compare with it.
  ...steady,
  name: 'priority',
  description: 'constant rate, 2% of records priority class; map, filter (keeps 75%), keyed running count',
  priority: { fraction: 0.02 },
};
