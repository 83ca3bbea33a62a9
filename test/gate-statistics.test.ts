/**
 * The gate's statistics on known distributions: seeded normal samples with and without a
 * shift, exact textbook cases of the Mann-Whitney normal approximation, ties, small n, and
 * the bootstrap interval of the relative change of medians.
 */
import { describe, expect, it } from 'vitest';
import { bootstrapRelativeChange, mannWhitneyU, median, normalCdf } from '../reports/gate/statistics.js';
import { Random } from '../primitives/random.js';

/** `n` draws from N(mean, (cv·mean)²), seeded (Box-Muller). */
function normalSample(seed: number, n: number, mean: number, cv = 0.05): number[] {
  const random = new Random(seed);
  return Array.from({ length: n }, () => {
    const u = 1 - random.next();
    const v = random.next();
    return mean * (1 + cv * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v));
  });
}

describe('median and normalCdf', () => {
  it('median of odd, even and empty samples', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });
  it('normalCdf matches the standard normal table', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 6);
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 5);
    expect(normalCdf(-2.575829)).toBeCloseTo(0.005, 5);
  });
});

describe('mannWhitneyU', () => {
  it('fully separated 5 vs 5: U = 0, p = 0.0122 (normal approximation with continuity correction)', () => {
    const result = mannWhitneyU([1, 2, 3, 4, 5], [6, 7, 8, 9, 10]);
    expect(result.u).toBe(0);
    expect(result.z).toBeCloseTo(-2.5067, 3);
    expect(result.p).toBeCloseTo(0.01219, 4);
    expect(mannWhitneyU([6, 7, 8, 9, 10], [1, 2, 3, 4, 5]).p).toBeCloseTo(result.p, 10);
  });

  it('corrects the variance for ties', () => {
    // Ranks: 1,1 → 1.5; 2,2,2,2 → 4.5; 3,3 → 7.5. R(x) = 1.5+1.5+4.5+4.5 = 12, U = 2.
    // σ² = 16/12 · (9 − (6 + 60 + 6)/56) = 10.2857; z = −(6 − 0.5)/3.2071 = −1.7150.
    const result = mannWhitneyU([1, 1, 2, 2], [2, 2, 3, 3]);
    expect(result.u).toBe(2);
    expect(result.z).toBeCloseTo(-1.715, 3);
    // Two-sided p of z = −1.714926 from an exact erf (Python's math.erf), not from normalCdf.
    expect(result.p).toBeCloseTo(0.0863587, 5);
  });

  it('identical or all-tied samples are not significant', () => {
    expect(mannWhitneyU([1, 2, 3, 4, 5], [1, 2, 3, 4, 5]).p).toBe(1);
    expect(mannWhitneyU([7, 7, 7], [7, 7, 7, 7])).toMatchObject({ z: 0, p: 1 });
    expect(mannWhitneyU([], [1, 2])).toEqual({ u: Number.NaN, z: 0, p: 1 });
    expect(mannWhitneyU([1, 2], [])).toEqual({ u: Number.NaN, z: 0, p: 1 });
    expect(mannWhitneyU([], [])).toEqual({ u: Number.NaN, z: 0, p: 1 });
  });

  it('a 30% shift of seeded normal samples (cv 5%) is significant at n = 5 vs 10', () => {
    const baseline = normalSample(1, 10, 100);
    const shifted = normalSample(2, 5, 130);
    expect(mannWhitneyU(shifted, baseline).p).toBeLessThan(0.01);
  });

  it('samples of one distribution are significant at α = 0.05 about 5% of the time, not more', () => {
    let significant = 0;
    for (let seed = 0; seed < 200; seed++) {
      if (mannWhitneyU(normalSample(1000 + seed, 5, 100), normalSample(5000 + seed, 10, 100)).p < 0.05) significant++;
    }
    // Not more than 10%, and not never: a test that cannot say "significant" would pass the first bound alone.
    expect(significant).toBeLessThanOrEqual(20);
    expect(significant).toBeGreaterThanOrEqual(3);
  });

  it('small n cannot reach significance: 2 vs 2 and 3 vs 3 fully separated still give p > 0.05', () => {
    expect(mannWhitneyU([1, 2], [10, 20]).p).toBeGreaterThan(0.05);
    expect(mannWhitneyU([1, 2, 3], [10, 20, 30]).p).toBeGreaterThan(0.05);
    expect(mannWhitneyU([1, 2, 3, 4], [10, 20, 30, 40]).p).toBeLessThan(0.05);
  });
});

describe('bootstrapRelativeChange', () => {
  it('a 30% shift: estimate near +30%, interval excludes 0', () => {
    const ci = bootstrapRelativeChange(normalSample(3, 10, 100), normalSample(4, 5, 130));
    expect(ci.estimate).toBeGreaterThan(0.2);
    expect(ci.estimate).toBeLessThan(0.4);
    expect(ci.low).toBeGreaterThan(0);
    expect(ci.low).toBeLessThanOrEqual(ci.estimate);
    expect(ci.high).toBeGreaterThanOrEqual(ci.estimate);
  });

  it('no shift: the 95% interval contains 0 for about 95% of seeded sample pairs', () => {
    let covered = 0;
    for (let seed = 0; seed < 200; seed++) {
      const ci = bootstrapRelativeChange(normalSample(1000 + seed, 10, 100), normalSample(5000 + seed, 5, 100));
      if (ci.low <= 0 && ci.high >= 0) covered++;
    }
    // 90%…99%: an interval that always covered 0 (too wide) would fail the upper bound.
    expect(covered).toBeGreaterThanOrEqual(180);
    expect(covered).toBeLessThanOrEqual(198);
  });

  it('pins the bounds on a sample whose bootstrap distribution is known exactly', () => {
    // A constant baseline and a current sample of 5 distinct values: the median of 5 draws
    // with replacement is ≤ the k-th value with probability P(Binomial(5, k/5) ≥ 3) =
    // 0.058, 0.317, 0.683, 0.942, 1. So the 2.5% and 97.5% quantiles are the 1st and 5th
    // values, the 25% and 75% ones the 2nd and 4th, far from any boundary for 2000 resamples.
    const baseline = [100, 100, 100, 100, 100];
    const current = [104, 91, 110, 95, 100];
    expect(bootstrapRelativeChange(baseline, current)).toEqual({ estimate: 0, low: expect.closeTo(-0.09, 12), high: expect.closeTo(0.1, 12), level: 0.95 });
    expect(bootstrapRelativeChange(baseline, current, { level: 0.5 })).toEqual({ estimate: 0, low: expect.closeTo(-0.05, 12), high: expect.closeTo(0.04, 12), level: 0.5 });
    // A 100% interval is the whole bootstrap distribution.
    expect(bootstrapRelativeChange(baseline, current, { level: 1 })).toMatchObject({ low: expect.closeTo(-0.09, 12), high: expect.closeTo(0.1, 12) });
  });

  it('leaves out resamples whose baseline median is 0 (an infinite change), and gives NaN bounds when every one is', () => {
    // Baseline medians 0, 10, 20 with probability 7/27, 13/27, 7/27: changes ∞, 0, −50%.
    expect(bootstrapRelativeChange([0, 10, 20], [10, 10, 10])).toEqual({ estimate: 0, low: -0.5, high: 0, level: 0.95 });
    expect(bootstrapRelativeChange([0, 0, 0], [1, 2])).toEqual({ estimate: Infinity, low: Number.NaN, high: Number.NaN, level: 0.95 });
  });

  it('draws `resamples` resamples: one gives a one-point interval', () => {
    const ci = bootstrapRelativeChange([100, 100, 100], [90, 100, 110], { resamples: 1 });
    expect(ci.low).toBe(ci.high);
    expect([-0.1, 0, 0.1].some((change) => Math.abs(change - ci.low) < 1e-12)).toBe(true);
  });

  it('the default seed is fixed (0x5eed), so a report shows the same interval on every run and version', () => {
    const a = normalSample(7, 8, 100);
    const b = normalSample(8, 8, 90);
    expect(bootstrapRelativeChange(a, b)).toEqual(bootstrapRelativeChange(a, b, { seed: 0x5eed }));
    expect(bootstrapRelativeChange(a, b)).not.toEqual(bootstrapRelativeChange(a, b, { seed: 0 }));
  });

  it('is deterministic (seeded)', () => {
    const a = normalSample(7, 8, 100);
    const b = normalSample(8, 8, 90);
    expect(bootstrapRelativeChange(a, b)).toEqual(bootstrapRelativeChange(a, b));
  });
});
