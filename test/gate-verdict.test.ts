/**
 * The verdict rule: regressed or improved only when the test is significant AND the change
 * of medians reaches the minimum effect size (default 10%, per-metric override), in the
 * metric's direction; every verdict explains itself.
 */
import { describe, expect, it } from 'vitest';
import { mannWhitneyU } from '../reports/gate/statistics.js';
import { formatChange, formatP, formatValue, judgeMetric, type MetricSamples } from '../reports/gate/verdict.js';

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

  it('returns each side\'s n and median, and the signed change of medians', () => {
    const down = judgeMetric(samples([2, 4, 6, 8], [3, 1, 2]), rule);
    expect(down).toMatchObject({ metric: 'm', unit: 'ratio', better: 'bigger', baseline: { n: 4, median: 5 }, current: { n: 3, median: 2 }, change: -0.6, alpha: 0.05, minEffect: 0.1 });
    expect(judgeMetric(samples([2, 4, 6, 8], [10, 12]), rule)).toMatchObject({ baseline: { n: 4, median: 5 }, current: { n: 2, median: 11 }, change: expect.closeTo(1.2, 12) });
  });

  it('significant means p < α: at p = α exactly the verdict is unchanged', () => {
    const base = [1, 1.01, 1.02, 1.03, 1.04];
    const worse = [0.5, 0.51, 0.52, 0.53, 0.54];
    const { p } = mannWhitneyU(worse, base);
    expect(judgeMetric(samples(base, worse), { alpha: p, minEffect: 0.1 })).toMatchObject({ verdict: 'unchanged', explanation: expect.stringMatching(/not significant/) });
    expect(judgeMetric(samples(base, worse), { alpha: p * (1 + 1e-9), minEffect: 0.1 }).verdict).toBe('regressed');
  });

  it('a change of exactly the minimum effect counts', () => {
    // Medians 1 and 0.875: a change of −12.5%, exact in binary.
    const verdict = judgeMetric(samples(around(1, 10, 0.01), around(0.875, 5, 0.01)), { alpha: 0.05, minEffect: 0.125 });
    expect(verdict.change).toBe(-0.125);
    expect(verdict.verdict).toBe('regressed');
  });

  it('a significant shift with equal medians is never a regression, whichever direction is better', () => {
    // Current values tend to be larger (p < 0.05) but both medians are 1: change 0, and a minimum effect of 0.
    const base = [0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1];
    const current = [1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2];
    const zeroEffect = { alpha: 0.05, minEffect: 0 };
    const bigger = judgeMetric(samples(base, current, 'bigger'), zeroEffect);
    expect(bigger).toMatchObject({ change: 0, verdict: 'improved' });
    expect(bigger.p).toBeLessThan(0.05);
    expect(judgeMetric(samples(base, current, 'smaller'), zeroEffect).verdict).toBe('improved');
  });

  it('an improvement is explained without "bad direction"', () => {
    const verdict = judgeMetric(samples(around(1, 10, 0.05), around(1.3, 5, 0.05)), rule);
    expect(verdict.explanation).toMatch(/^improved: median 1\.00 → 1\.30 \(\+30\.0%, 95% CI \+\d+\.\d% … \+\d+\.\d%\), Mann-Whitney p = 0\.0\d+; p < 0\.05 and \|change\| ≥ 10% minimum effect$/);
  });

  it('explains the verdict with baseline, current, change, CI and p', () => {
    const verdict = judgeMetric(samples(around(2, 10, 0.05), around(1.4, 5, 0.05)), rule);
    expect(verdict.explanation).toMatch(/^regressed: median 2\.00 → 1\.40 \(−30\.0%, 95% CI −\d+\.\d% … −\d+\.\d%\), Mann-Whitney p = 0\.0\d+; p < 0\.05 and \|change\| ≥ 10% minimum effect in the bad direction \(bigger is better\)$/);
  });
});

describe('formatting of the figures', () => {
  it('values: 3 significant digits below 1000, whole numbers from 1000 on; non-finite ones by name', () => {
    expect(formatValue(0.012345)).toBe('0.0123');
    expect(formatValue(999.4)).toBe('999');
    expect(formatValue(1000)).toBe('1000');
    expect(formatValue(12_345.6)).toBe('12346');
    expect(formatValue(-2500.4)).toBe('-2500');
    expect(formatValue(Number.NaN)).toBe('NaN');
    expect(formatValue(Infinity)).toBe('Infinity');
  });

  it('changes: signed percentages with a true minus sign; n/a when not finite', () => {
    expect(formatChange(0.1234)).toBe('+12.3%');
    expect(formatChange(-0.1234)).toBe('−12.3%');
    expect(formatChange(0)).toBe('+0.0%');
    expect(formatChange(Number.NaN)).toBe('n/a');
    expect(formatChange(-Infinity)).toBe('n/a');
  });

  it('p-values: 2 significant digits, "< 0.0001" below 1e-4', () => {
    expect(formatP(0.0123)).toBe('0.012');
    expect(formatP(0.5)).toBe('0.50');
    expect(formatP(1e-4)).toBe('0.00010');
    expect(formatP(9.9e-5)).toBe('< 0.0001');
  });
});
