/**
 * A suite's {@link Sampler}: asks the runner's round sampler for the runs and references the
 * metrics need, then turns each round into one value per metric. A ratio's denominator is the
 * reference's median over the job's rounds: it still moves with the machine the job ran on,
 * but its own round-to-round jitter (the hand-off p50 varies ~20% from one second to the next
 * on a shared machine, independently of the engine) does not add to every sample's.
 */
import { GateRunFailed, type RoundCalibration, type RoundSampler } from '../../runner/gate-sampler.js';
import type { HandoffFigures } from '../../runner/reference-handoff.js';
import type { Phase, Sampler } from './sample-set.js';
import { handoffSpacingUs, metricValue, type RoundMeasurement } from './metrics.js';
import { median } from './statistics.js';
import { runsFor, type GateSuite } from './suite.js';

/** The {@link Sampler} of `suite`, measuring through `measure`. */
export function suiteSampler(suite: GateSuite, cpuIterationsPerUs: number, measure: RoundSampler): Sampler {
  return async (metrics, trials, phase: Phase) => {
    const runs = runsFor(suite, metrics);
    const spacings = [...new Set(metrics.filter((m) => m.kind === 'latency-vs-handoff').map((m) => handoffSpacingUs(suite.runs.get(m.run)!)))];
    const scenarios = [...new Set(metrics.filter((m) => m.kind === 'throughput-vs-fused' || m.kind === 'processing-vs-fused').map((m) => suite.runs.get(m.run)!.scenario))];
    const measured = await measure(
      { runs, handoffSpacingsUs: spacings, fusedScenarios: scenarios, maxContention: suite.maxContention, retries: suite.retries, label: `gate ${phase}` },
      trials,
    );
    const rounds = measured.map((round) => round.calibration);
    const references = jobReferences(rounds);
    const samples: Record<string, number[]> = Object.fromEntries(metrics.map((m) => [m.name, []]));
    const busy: Record<string, number[]> = Object.fromEntries(metrics.map((m) => [m.name, []]));
    for (const [round, { results }] of measured.entries()) {
      for (const metric of metrics) {
        const value = metricValue(metric, suite.runs, { runs: results, ...references });
        if (!(Number.isFinite(value) && value > 0)) throw new GateRunFailed(`metric '${metric.name}' came out as ${value} in trial ${round + 1}: a figure it divides was zero or missing`);
        samples[metric.name].push(value);
        busy[metric.name].push(Math.max(...[metric.run, metric.over].map((id) => (id === undefined ? 0 : (rounds[round].contention?.[id] ?? 0)))));
      }
    }
    return { samples, contention: busy, calibration: { cpuIterationsPerUs, rounds } };
  };
}

/** The references of a job: per hand-off spacing and per scenario, the median over its rounds. */
export function jobReferences(rounds: readonly RoundCalibration[]): Omit<RoundMeasurement, 'runs'> {
  const handoff = new Map<number, HandoffFigures>();
  for (const spacingUs of new Set(rounds.flatMap((round) => round.handoff.map((h) => h.spacingUs)))) {
    const all = rounds.flatMap((round) => round.handoff.filter((h) => h.spacingUs === spacingUs));
    const pick = (side: 'oneWay' | 'roundTrip'): HandoffFigures['oneWay'] => ({
      p50: median(all.map((h) => h[side].p50)),
      p90: median(all.map((h) => h[side].p90)),
      p99: median(all.map((h) => h[side].p99)),
    });
    handoff.set(spacingUs, { spacingUs, oneWay: pick('oneWay'), roundTrip: pick('roundTrip') });
  }
  const fused = new Map<string, number>();
  for (const scenario of new Set(rounds.flatMap((round) => Object.keys(round.fused)))) {
    fused.set(scenario, median(rounds.map((round) => round.fused[scenario]).filter((value) => value !== undefined)));
  }
  return { handoff, fused };
}
