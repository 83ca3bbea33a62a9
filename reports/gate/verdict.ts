/**
 * A metric's verdict: `regressed` or `improved` only when the Mann-Whitney test says the
 * samples differ (p < α) AND the relative change of medians is at least the minimum effect
 * size; anything else is `unchanged`. Each verdict carries the figures that explain it.
 */
import { bootstrapRelativeChange, mannWhitneyU, median, type ChangeInterval } from './statistics.js';

/** Which direction is good for a metric. */
export type Better = 'bigger' | 'smaller';

/** The outcome for one metric. */
export type VerdictKind = 'regressed' | 'improved' | 'unchanged';

/** Thresholds of the rule. */
export interface VerdictRule {
  /** Significance level of the two-sided test, e.g. 0.05. */
  alpha: number;
  /** Smallest relative change of medians that counts, e.g. 0.1 = 10%. */
  minEffect: number;
}

/** The samples of one metric to judge. */
export interface MetricSamples {
  metric: string;
  unit: string;
  better: Better;
  baseline: readonly number[];
  current: readonly number[];
}

/** A verdict with its evidence. */
export interface MetricVerdict {
  metric: string;
  unit: string;
  better: Better;
  baseline: { n: number; median: number };
  current: { n: number; median: number };
  /** median(current) ÷ median(baseline) − 1. */
  change: number;
  /** Bootstrap interval of `change`. */
  interval: ChangeInterval;
  /** Two-sided Mann-Whitney p-value. */
  p: number;
  alpha: number;
  minEffect: number;
  verdict: VerdictKind;
  /** One line: the figures and the reason for the verdict. */
  explanation: string;
}

/** Judges one metric by the rule (test AND minimum effect size). */
export function judgeMetric(samples: MetricSamples, rule: VerdictRule): MetricVerdict {
  const baselineMedian = median(samples.baseline);
  const currentMedian = median(samples.current);
  const change = currentMedian / baselineMedian - 1;
  const interval = bootstrapRelativeChange(samples.baseline, samples.current);
  const { p } = mannWhitneyU(samples.current, samples.baseline);
  const significant = p < rule.alpha;
  const large = Math.abs(change) >= rule.minEffect;
  const worse = samples.better === 'bigger' ? change < 0 : change > 0;
  const verdict: VerdictKind = significant && large ? (worse ? 'regressed' : 'improved') : 'unchanged';
  const figures = `median ${formatValue(baselineMedian)} → ${formatValue(currentMedian)} (${formatChange(change)}, ${Math.round(interval.level * 100)}% CI ${formatChange(interval.low)} … ${formatChange(interval.high)}), Mann-Whitney p = ${formatP(p)}`;
  const minimum = `${formatPercent(rule.minEffect)} minimum effect`;
  const reason =
    verdict !== 'unchanged'
      ? `p < ${rule.alpha} and |change| ≥ ${minimum}${worse ? ` in the bad direction (${samples.better} is better)` : ''}`
      : !significant
        ? `not significant (p ≥ ${rule.alpha})`
        : `significant but within the ${minimum}`;
  return {
    metric: samples.metric,
    unit: samples.unit,
    better: samples.better,
    baseline: { n: samples.baseline.length, median: baselineMedian },
    current: { n: samples.current.length, median: currentMedian },
    change,
    interval,
    p,
    alpha: rule.alpha,
    minEffect: rule.minEffect,
    verdict,
    explanation: `${verdict}: ${figures}; ${reason}`,
  };
}

/** A metric value with 3 significant digits. */
export function formatValue(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  return Math.abs(value) >= 1000 ? Math.round(value).toString() : value.toPrecision(3);
}

/** A relative change as a signed percentage, e.g. "−12.3%". */
export function formatChange(change: number): string {
  if (!Number.isFinite(change)) return 'n/a';
  const text = `${Math.abs(change * 100).toFixed(1)}%`;
  return change < 0 ? `−${text}` : `+${text}`;
}

/** A p-value: 2 significant digits, or "< 0.0001". */
export function formatP(p: number): string {
  return p < 1e-4 ? '< 0.0001' : p.toPrecision(2);
}

function formatPercent(fraction: number): string {
  return `${+(fraction * 100).toFixed(1)}%`;
}
