/**
 * The gate's metrics in github-action-benchmark's custom formats: one array per direction
 * (`customBiggerIsBetter`, `customSmallerIsBetter`), each entry `{ name, unit, value, range,
 * extra }` with the median of this run's trials as the value.
 */
import type { GateVerdict } from './gate.js';
import { formatChange, formatP, formatValue } from './verdict.js';

/** One entry of github-action-benchmark's custom JSON format. */
export interface BenchmarkActionEntry {
  name: string;
  unit: string;
  value: number;
  /** Spread of this run's trials: "± half of (max − min)". */
  range?: string;
  /** The verdict and its figures. */
  extra?: string;
}

/** The entries of each direction, for the two `tool:` settings of github-action-benchmark. */
export function benchmarkActionEntries(verdicts: readonly GateVerdict[], samples: Record<string, number[]>): { biggerIsBetter: BenchmarkActionEntry[]; smallerIsBetter: BenchmarkActionEntry[] } {
  const entry = (v: GateVerdict): BenchmarkActionEntry => {
    const values = samples[v.metric] ?? [];
    const spread = values.length > 0 ? (Math.max(...values) - Math.min(...values)) / 2 : 0;
    return {
      name: v.metric,
      unit: v.unit,
      value: v.current.median,
      range: `± ${formatValue(spread)}`,
      extra: `${v.final}; n=${v.current.n}; baseline median ${formatValue(v.baseline.median)}; change ${formatChange(v.change)} (95% CI ${formatChange(v.interval.low)} … ${formatChange(v.interval.high)}); Mann-Whitney p=${formatP(v.p)}; min effect ${Math.round(v.minEffect * 100)}%`,
    };
  };
  return {
    biggerIsBetter: verdicts.filter((v) => v.better === 'bigger').map(entry),
    smallerIsBetter: verdicts.filter((v) => v.better === 'smaller').map(entry),
  };
}
