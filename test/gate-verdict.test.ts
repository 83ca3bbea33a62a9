/**
 * The verdict rule: regressed or improved only when the test is significant AND the change
 * of medians reaches the minimum effect size (default 10%, per-metric override), in the
 * metric's direction; every verdict explains itself.
 */
import { describe, expect, it } from 'vitest';
import { judgeMetric, type MetricSamples } from '../reports/gate/verdict.js';

const rule = { alpha: 0.05, minEffect: 0.1 };
const around = (center: number, n: number, spread = 0.01): number[] => Array.from({ length: n }, (_, i) => center * (1 + spread * (i / (n - 1) - 0.5)));

function samples(baseline: number[], current: number[], better: MetricSamples['better'] = 'bigger'): MetricSamples {
  return { metric: 'm', unit: 'ratio', better, baseline, current };
}

describe('judgeMetric', () => {
  it('a 30% drop of a bigger-is-better metric regresses, a 30% rise improves', () => {
    const base = around(1, 10, 0.05);
    const down = judgeMetric(samples(base, around(0.7, 5, 0.05)), rule);
    expect(down.verdict).toBe('regressed');
    expect(down.change).toBeCloseTo(-0.3, 2);
    expect(down.p).toBeLessThan(0.05);
    expect(down.interval.high).toBeLessThan(0);
    expect(judgeMetric(samples(base, around(1.3, 5, 0.05)), rule).verdict).toBe('improved');
  });

  it('smaller-is-better: a rise regresses', () => {
    expect(judgeMetric(samples(around(1, 10), around(1.5, 5), 'smaller'), rule).verdict).toBe('regressed');
    expect(judgeMetric(samples(around(1, 10), around(0.5, 5), 'smaller'), rule).verdict).toBe('improved');
  });

  it('significant but only a 3% change → unchanged (effect-size rule)', () => {
    const verdict = judgeMetric(samples(around(1, 10, 0.002), around(0.97, 5, 0.002)), rule);
    expect(verdict.p).toBeLessThan(0.01);
    expect(verdict.verdict).toBe('unchanged');
    expect(verdict.explanation).toMatch(/significant but within the 10% minimum effect/);
  });

  it('a large change that is not significant (3 trials, overlapping) → unchanged', () => {
    const verdict = judgeMetric(samples([1, 0.5, 1.5], [0.6, 1.2, 0.7]), rule);
    expect(verdict.verdict).toBe('unchanged');
    expect(verdict.explanation).toMatch(/not significant \(p ≥ 0.05\)/);
  });

  it('the per-metric minimum effect overrides the default', () => {
    const twelve = samples(around(1, 10, 0.01), around(0.88, 5, 0.01));
    expect(judgeMetric(twelve, rule).verdict).toBe('regressed');
    expect(judgeMetric(twelve, { alpha: 0.05, minEffect: 0.15 }).verdict).toBe('unchanged');
  });

  it('explains the verdict with baseline, current, change, CI and p', () => {
    const verdict = judgeMetric(samples(around(2, 10, 0.05), around(1.4, 5, 0.05)), rule);
    expect(verdict.explanation).toMatch(/^regressed: median 2\.00 → 1\.40 \(−30\.0%, 95% CI −\d+\.\d% … −\d+\.\d%\), Mann-Whitney p = 0\.0\d+; p < 0\.05 and \|change\| ≥ 10% minimum effect in the bad direction \(bigger is better\)$/);
  });
});
