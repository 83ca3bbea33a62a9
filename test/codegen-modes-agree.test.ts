/**
 * Whole-stage code generation changes how fast, never what: every built-in scenario under
 * every mode, planned from `run`'s own flags (its slow sink, its faults — a worker killed and,
 * in the batch modes, a batch failed — its peak, its priority class), gives the same output
 * digest with `--codegen on` and `--codegen off`, on real engines and worker threads, at a
 * light rate for under a second each.
 */
import { describe, expect, it } from 'vitest';
import { planTrials } from '../runner/plan-trials.js';
import { parseRunOptions } from '../runner/run-options.js';
import { runTrial } from '../runner/run-trial.js';
import type { TrialSpec } from '../runner/trial-spec.js';
import { builtinScenarios } from '../scenarios/index.js';

const MODES = ['micro-batch', 'trigger', 'continuous'];

/** The trials `run` plans for `scenario` under every mode with `--codegen <setting>`, shortened (a peak's minimum duration too). */
function trials(scenario: string, codegen: 'on' | 'off'): TrialSpec[] {
  const options = parseRunOptions([
    '--scenario', scenario,
    '--mode', MODES.join(','),
    '--rate', '4000',
    '--duration', '0.6s',
    '--warmup', '0.2s',
    '--interval', '50ms',
    '--checkpoint', '200ms',
    '--seed', '1234',
    '--log-capacity', '65536',
    '--codegen', codegen,
    ...(builtinScenarios().get(scenario)?.fault ? ['--kill-at', '0.3s', '--fail-batch-at', '0.15s'] : []),
  ]);
  if (options === 'help') throw new Error('unexpected help');
  return planTrials(options, 50).map((spec) => ({ ...spec, durationSec: 0.6, timeoutSec: 60 }));
}

// Record queries are interpreted whatever --codegen says (it generates the scalar pipeline only): test/records-modes-agree.test.ts runs them.
describe.each([...builtinScenarios().values()].filter((s) => !s.records).map((s) => s.name))('%s', (scenario) => {
  it('gives the same output digest with codegen on and off, under every mode', async () => {
    const [on, off] = [trials(scenario, 'on'), trials(scenario, 'off')];
    expect(on.map((spec) => spec.mode)).toEqual(MODES);
    expect(on.every((spec) => spec.codegen === undefined)).toBe(true);
    expect(off.every((spec) => spec.codegen === false)).toBe(true);
    for (let i = 0; i < on.length; i++) {
      const [generated, interpreted] = [await runTrial(on[i]), await runTrial(off[i])];
      for (const run of [generated, interpreted]) {
        expect(run.status, `${scenario} ${run.mode}: ${run.error ?? ''}`).toBe('ok');
        expect(run.drained).toBe(true);
        expect(run.unprocessed).toBe(0);
      }
      expect(generated.outputDigest, `${scenario} under ${on[i].mode}`).toBe(interpreted.outputDigest);
      expect(Number(generated.outputDigest.split(':')[0])).toBeGreaterThan(0);
      expect(generated.faults?.events.map((event) => event.cause).sort()).toEqual(interpreted.faults?.events.map((event) => event.cause).sort());
      const declared = builtinScenarios().get(scenario)!;
      if (declared.fault) expect(generated.faults?.events.length).toBeGreaterThan(0);
      if (declared.sink) expect(generated.sink).toBeDefined();
    }
  });
});
