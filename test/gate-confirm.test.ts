/**
 * The gate's confirmation logic, with the trial runner injected (no engine runs): a
 * suspected regression is re-measured, and fails the gate only if the re-run reproduces it.
 */
import { describe, expect, it } from 'vitest';
import { buildBaseline } from '../reports/gate/baseline.js';
import { runGate } from '../reports/gate/gate.js';
import { quietSamples } from '../reports/gate/quiet-samples.js';
import { resolveSuite } from '../reports/gate/suite.js';
import { captureEnvironment } from '../runner/environment.js';
import { around, miniConfig, sampleSet, stubSampler } from './fixtures/gate-fixtures.js';

const suite = resolveSuite(miniConfig, 'mini', 'test.json');
const baseline = buildBaseline(
  suite,
  sampleSet({ 'heavy throughput ÷ fused': around(1.2, 10), 'steady p50 ÷ hand-off': around(1, 10), 'heavy ÷ steady throughput': around(50, 10) }),
  captureEnvironment(),
);
const normal = { 'heavy throughput ÷ fused': 1.2, 'steady p50 ÷ hand-off': 1, 'heavy ÷ steady throughput': 50 } as Record<string, number>;

describe('runGate', () => {
  it('no suspect: one measurement, passes', async () => {
    const sampler = stubSampler((metric) => normal[metric.name]);
    const outcome = await runGate(suite, baseline, sampler, 5);
    expect(outcome.passed).toBe(true);
    expect(sampler.calls).toEqual([{ phase: 'measure', metrics: Object.keys(normal), trials: 5 }]);
    expect(outcome.verdicts.map((v) => v.final)).toEqual(['unchanged', 'unchanged', 'unchanged']);
  });

  it('a suspected regression that does not reproduce → pass, re-running only that metric', async () => {
    const sampler = stubSampler((metric, phase) => (metric.name === 'heavy throughput ÷ fused' && phase === 'measure' ? 0.9 : normal[metric.name]));
    const outcome = await runGate(suite, baseline, sampler, 5);
    expect(sampler.calls.map((c) => [c.phase, c.metrics])).toEqual([
      ['measure', Object.keys(normal)],
      ['confirm', ['heavy throughput ÷ fused']],
    ]);
    const verdict = outcome.verdicts[0];
    expect(verdict.verdict).toBe('regressed');
    expect(verdict.confirmation?.verdict).toBe('unchanged');
    expect(verdict.final).toBe('unchanged');
    expect(outcome.passed).toBe(true);
  });

  it('a regression that reproduces fails the gate', async () => {
    const sampler = stubSampler((metric) => (metric.name === 'heavy throughput ÷ fused' ? 0.96 : normal[metric.name]));
    const outcome = await runGate(suite, baseline, sampler, 5);
    expect(outcome.verdicts[0]).toMatchObject({ verdict: 'regressed', final: 'regressed', confirmation: { verdict: 'regressed' } });
    expect(outcome.passed).toBe(false);
    expect(outcome.confirmation?.samples['heavy throughput ÷ fused']).toHaveLength(5);
  });

  it('an improvement passes without a re-run', async () => {
    const sampler = stubSampler((metric) => (metric.name === 'steady p50 ÷ hand-off' ? 0.5 : normal[metric.name]));
    const outcome = await runGate(suite, baseline, sampler, 5);
    expect(outcome.verdicts[1].final).toBe('improved');
    expect(sampler.calls).toHaveLength(1);
    expect(outcome.passed).toBe(true);
  });

  it('a report-only metric that regresses is reported but neither re-run nor failing', async () => {
    const sampler = stubSampler((metric) => (metric.name === 'heavy ÷ steady throughput' ? 20 : normal[metric.name]));
    const outcome = await runGate(suite, baseline, sampler, 5);
    expect(outcome.verdicts[2]).toMatchObject({ verdict: 'regressed', reportOnly: true });
    expect(sampler.calls).toHaveLength(1);
    expect(outcome.passed).toBe(true);
  });
});

describe('runGate on a busy machine', () => {
  it('a regression reproduced while other processes kept the machine busy is inconclusive, and passes', async () => {
    const base = stubSampler((metric) => (metric.name === 'heavy throughput ÷ fused' ? 0.9 : normal[metric.name]));
    const busy = async (...args: Parameters<typeof base>) => {
      const set = await base(...args);
      return { ...set, contention: Object.fromEntries(Object.keys(set.samples).map((name) => [name, args[2] === 'confirm' ? [0.9, 0.8, 0.7, 0.9, 0.9] : [0, 0, 0, 0, 0]])) };
    };
    const outcome = await runGate(suite, baseline, busy, 5);
    expect(outcome.verdicts[0]).toMatchObject({ verdict: 'regressed', confirmation: { verdict: 'regressed' }, final: 'inconclusive' });
    expect(outcome.verdicts[0].note).toMatch(/other processes kept 0\.90 cores busy during its trials \(median; limit 0\.5\)/);
    expect(outcome.passed).toBe(true);
  });
});

describe('disturbed trials', () => {
  const withContention = (base: ReturnType<typeof stubSampler>, busyFor: (phase: string) => number[]) =>
    async (...args: Parameters<typeof base>) => {
      const set = await base(...args);
      return { ...set, contention: Object.fromEntries(Object.keys(set.samples).map((name) => [name, busyFor(args[2])])) };
    };

  it('quietSamples keeps the quiet trials when at least 3 are, else all of them', () => {
    expect(quietSamples([1, 2, 3, 4, 5], [0, 0.9, 0, 0.1, 0], 0.25)).toEqual({ samples: [1, 3, 4, 5], excluded: 1 });
    expect(quietSamples([1, 2, 3, 4, 5], [0.9, 0.9, 0, 0.9, 0], 0.25)).toEqual({ samples: [1, 2, 3, 4, 5], excluded: 0 });
    expect(quietSamples([1, 2, 3], undefined, 0.25)).toEqual({ samples: [1, 2, 3], excluded: 0 });
  });

  it('a slowdown seen only in trials another process disturbed is left out of the verdict', async () => {
    // Two of five trials ran with a core taken by another process and show a 60% drop; the three quiet ones are normal.
    const base = stubSampler((metric) => normal[metric.name]);
    const sampler = async (...args: Parameters<typeof base>) => {
      const set = await base(...args);
      const heavy = set.samples['heavy throughput ÷ fused'];
      heavy[0] *= 0.4;
      heavy[1] *= 0.4;
      return set;
    };
    const disturbed = withContention(Object.assign(sampler, { calls: base.calls }), () => [1.0, 1.2, 0, 0, 0.1]);
    const outcome = await runGate(suite, baseline, disturbed, 5);
    expect(outcome.verdicts[0]).toMatchObject({ current: { n: 3 }, final: 'unchanged' });
    expect(outcome.passed).toBe(true);
  });

  it('a baseline keeps only the quiet trials and says how many it left out', () => {
    const measured = { ...sampleSet({ 'heavy throughput ÷ fused': [1.2, 0.4, 1.21, 1.19, 1.2], 'steady p50 ÷ hand-off': around(1, 5), 'heavy ÷ steady throughput': around(50, 5) }) };
    const contention = [0, 1.3, 0, 0, 0];
    const built = buildBaseline(suite, { ...measured, contention: Object.fromEntries(Object.keys(measured.samples).map((name) => [name, contention])) }, captureEnvironment());
    expect(built.metrics['heavy throughput ÷ fused']).toMatchObject({ samples: [1.2, 1.21, 1.19, 1.2], disturbedExcluded: 1 });
  });
});
