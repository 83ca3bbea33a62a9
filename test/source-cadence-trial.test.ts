/**
 * A trial records the publish cadence its source used (`sourceCadenceUs`, issue 17): 0 at
 * 1k records/s, where each record is published at its own time, the cadence above. Real
 * threads (the generator's, compiled from dist/), so kept out of the generator's mutation run.
 */
import { describe, expect, it } from 'vitest';
import { GENERATOR_PACING } from '../runner/generator-pacing.js';
import { runTrial } from '../runner/run-trial.js';
import { smallTrial } from './fixtures/small-trial.js';

describe('a trial records the cadence its source used', () => {
  it.each([
    [1000, 0],
    [4000, GENERATOR_PACING.cadenceUs],
  ])('at %i records/s: sourceCadenceUs %i', async (rate, cadenceUs) => {
    const run = await runTrial(smallTrial('steady', 'continuous', { workers: 2, checkpointMs: 200, flushTimeoutUs: 0 }, { rate, warmupSec: 0.1, durationSec: 0.3 }));
    expect(run.status).toBe('ok');
    expect(run.recordsIn).toBe(run.recordsOffered);
    expect(run.sourceCadenceUs).toBe(cadenceUs);
  });
});
