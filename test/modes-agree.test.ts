/**
 * Every mode runs the same pipeline on the same records and must emit the same output
 * (order-insensitive digest), with every input offset accounted for. Real engines on real
 * worker threads, at a light rate for about a second each.
 */
import { describe, expect, it } from 'vitest';
import type { RunResult } from '../primitives/results-schema.js';
import { runTrial } from '../runner/run-trial.js';
import type { TrialSpec } from '../runner/trial-spec.js';
import { ALL_MODES, smallTrial } from './fixtures/small-trial.js';

function spec(scenario: string, mode: string, params: TrialSpec['params']): TrialSpec {
  return smallTrial(scenario, mode, params);
}

const modes = ALL_MODES;

async function runAll(scenario: string): Promise<RunResult[]> {
  const runs: RunResult[] = [];
  for (const [mode, params] of modes) runs.push(await runTrial(spec(scenario, mode, params)));
  return runs;
}

describe.each(['steady', 'windowed', 'heavy'])('%s scenario under every mode', (scenario) => {
  it('produces the same output digest, drains, and accounts for every offset', async () => {
    const runs = await runAll(scenario);
    for (const run of runs) {
      expect(run.status).toBe('ok');
      expect(run.drained).toBe(true);
      expect(run.unprocessed).toBe(0);
      expect(run.sourceDropped).toBe(0);
      expect(run.recordsIn).toBe(run.recordsOffered);
      expect(run.latency.eventTime.count).toBeGreaterThan(0);
    }
    const digests = new Set(runs.map((run) => run.outputDigest));
    expect(digests.size).toBe(1);
    const [digest] = digests;
    expect(Number(digest?.split(':')[0])).toBeGreaterThan(0);
  });
});

describe('the digest', () => {
  it('changes when the records change (another seed)', async () => {
    const [mode, params] = modes[2];
    const a = await runTrial(spec('steady', mode, params));
    const b = await runTrial({ ...spec('steady', mode, params), seed: 99 });
    expect(a.outputDigest).not.toBe(b.outputDigest);
  });
});
