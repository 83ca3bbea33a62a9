/**
 * The gate's decision: measure every metric, judge it against the baseline, and re-measure
 * the suspected regressions to confirm them; a regression fails the gate only if the
 * confirmation re-run reproduces it. Trials disturbed by other processes are left out of a
 * verdict while enough quiet ones remain. Measuring is injected ({@link Sampler}), so the logic
 * is tested without running engines.
 */
import type { Baseline } from './baseline.js';
import type { GateMetric } from './metrics.js';
import type { SampleSet, Sampler } from './sample-set.js';
import type { GateSuite } from './suite.js';
import { judgedContention, quietSamples } from './quiet-samples.js';
import { judgeMetric, type MetricVerdict, type VerdictKind } from './verdict.js';

/** A metric's verdict with its confirmation. */
export interface GateVerdict extends MetricVerdict {
  /**
   * The verdict that counts: a suspected regression stands only if its confirmation re-run
   * also regressed; `inconclusive` when the re-run regressed but other processes kept the
   * machine busier than the suite's `maxContention` (it is reported, and does not fail the gate).
   */
  final: VerdictKind | 'inconclusive';
  /** The re-run's verdict, when the first measurement suspected a regression. */
  confirmation?: MetricVerdict;
  /** Reported, but never fails the gate. */
  reportOnly?: boolean;
  /** Why the final verdict differs from the figures, when it does. */
  note?: string;
}

/** What the gate decided, and on what. */
export interface GateOutcome {
  passed: boolean;
  verdicts: GateVerdict[];
  measured: SampleSet;
  confirmation?: SampleSet;
}

/** Runs the gate: measure, judge, confirm suspected regressions of gated metrics. */
export async function runGate(suite: GateSuite, baseline: Baseline, sample: Sampler, trials: number): Promise<GateOutcome> {
  /** Judges `metric` on the quiet samples of `set` (see {@link quietSamples}). */
  const judge = (metric: GateMetric, set: SampleSet): MetricVerdict =>
    judgeMetric(
      {
        metric: metric.name,
        unit: metric.unit,
        better: metric.better,
        baseline: baseline.metrics[metric.name].samples,
        current: quietSamples(set.samples[metric.name] ?? [], set.contention?.[metric.name], suite.maxContention).samples,
      },
      { alpha: suite.alpha, minEffect: metric.minEffect },
    );
  const measured = await sample(suite.metrics, trials, 'measure');
  const first = suite.metrics.map((metric) => judge(metric, measured));
  const suspects = suite.metrics.filter((metric, index) => metric.gated && first[index].verdict === 'regressed');
  const confirmation = suspects.length > 0 ? await sample(suspects, trials, 'confirm') : undefined;
  const verdicts = first.map((verdict, index): GateVerdict => {
    const metric = suite.metrics[index];
    if (!metric.gated) return { ...verdict, final: verdict.verdict, reportOnly: true };
    if (verdict.verdict !== 'regressed' || !confirmation) return { ...verdict, final: verdict.verdict };
    const again = judge(metric, confirmation);
    const busy = judgedContention(confirmation.contention?.[metric.name], suite.maxContention);
    if (again.verdict !== 'regressed') return { ...verdict, confirmation: again, final: 'unchanged' };
    if (busy > suite.maxContention) {
      return { ...verdict, confirmation: again, final: 'inconclusive', note: `the confirmation re-run regressed too, but other processes kept ${busy.toFixed(2)} cores busy during its trials (median; limit ${suite.maxContention})` };
    }
    return { ...verdict, confirmation: again, final: 'regressed' };
  });
  return { passed: verdicts.every((verdict) => verdict.reportOnly || verdict.final !== 'regressed'), verdicts, measured, ...(confirmation ? { confirmation } : {}) };
}
