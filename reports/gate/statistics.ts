/**
 * The gate's statistics: medians, the two-sided Mann-Whitney U test (normal approximation
 * with tie and continuity corrections), and a seeded percentile-bootstrap confidence
 * interval of the relative change of medians. Pure functions, no I/O.
 */
import { Random } from '../../primitives/random.js';

/** The median of `values` (mean of the middle two for an even count); NaN when empty. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Result of {@link mannWhitneyU}. */
export interface MannWhitneyResult {
  /** U of the first sample: pairs (x, y) with x > y, ties counting ½. */
  u: number;
  /** Standard normal statistic, continuity-corrected (0 when every value is tied). */
  z: number;
  /** Two-sided p-value from the normal approximation. */
  p: number;
}

/**
 * Two-sided Mann-Whitney U test of `x` against `y`: do values of one tend to be larger than
 * values of the other? Ranks are averaged over ties and the variance is tie-corrected:
 * σ² = n₁n₂/12 · ((n+1) − Σ(t³−t)/(n(n−1))). With fewer than about 4 values a side the
 * approximation cannot reach small p-values at all, which is the safe direction for a gate.
 */
export function mannWhitneyU(x: readonly number[], y: readonly number[]): MannWhitneyResult {
  const n1 = x.length;
  const n2 = y.length;
  if (n1 === 0 || n2 === 0) return { u: Number.NaN, z: 0, p: 1 };
  const all = [...x.map((value) => ({ value, first: true })), ...y.map((value) => ({ value, first: false }))].sort((a, b) => a.value - b.value);
  const n = all.length;
  let rankSumX = 0;
  let tieTerm = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && all[j + 1].value === all[i].value) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) if (all[k].first) rankSumX += rank;
    const t = j - i + 1;
    tieTerm += t ** 3 - t;
    i = j + 1;
  }
  const u = rankSumX - (n1 * (n1 + 1)) / 2;
  const mean = (n1 * n2) / 2;
  const variance = ((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1)));
  if (!(variance > 0)) return { u, z: 0, p: 1 };
  const distance = Math.max(0, Math.abs(u - mean) - 0.5);
  if (distance === 0) return { u, z: 0, p: 1 };
  const z = (Math.sign(u - mean) * distance) / Math.sqrt(variance);
  return { u, z, p: Math.min(1, 2 * (1 - normalCdf(Math.abs(z)))) };
}

/** Standard normal CDF (Abramowitz–Stegun 7.1.26 erf, |error| < 1.5e-7). */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-x * x);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

/** A confidence interval of a relative change (0.1 = +10%). */
export interface ChangeInterval {
  /** median(current) ÷ median(baseline) − 1. */
  estimate: number;
  low: number;
  high: number;
  /** Confidence level, e.g. 0.95. */
  level: number;
}

/**
 * Percentile-bootstrap interval of median(current) ÷ median(baseline) − 1: both samples
 * are resampled with replacement `resamples` times from a seeded generator (the same
 * inputs always give the same interval).
 */
export function bootstrapRelativeChange(baseline: readonly number[], current: readonly number[], options: { level?: number; resamples?: number; seed?: number } = {}): ChangeInterval {
  const level = options.level ?? 0.95;
  const resamples = options.resamples ?? 2000;
  const random = new Random(options.seed ?? 0x5eed);
  const estimate = median(current) / median(baseline) - 1;
  const resample = (values: readonly number[]): number[] => values.map(() => values[random.below(values.length)]);
  const changes: number[] = [];
  for (let i = 0; i < resamples; i++) {
    const change = median(resample(current)) / median(resample(baseline)) - 1;
    if (Number.isFinite(change)) changes.push(change);
  }
  changes.sort((a, b) => a - b);
  if (changes.length === 0) return { estimate, low: Number.NaN, high: Number.NaN, level };
  const at = (q: number): number => changes[Math.min(changes.length - 1, Math.max(0, Math.floor(q * changes.length)))];
  return { estimate, low: at((1 - level) / 2), high: at(1 - (1 - level) / 2), level };
}
