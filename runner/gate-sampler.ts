/**
 * The gate's measuring side: runs a suite's trials (each in a fresh child process, via
 * {@link runIsolated}) round by round, measures the references next to them in this process
 * (thread hand-off ping-pong, fused single-thread loop) once per round, and turns each
 * round's runs into one value per metric. A ratio's denominator is the reference's median
 * over the job's rounds: it still moves with the machine the job ran on, but its own
 * round-to-round jitter (the hand-off p50 varies ~20% from one second to the next on a
 * shared machine, independently of the engine) does not add to every sample's.
 */
import { availableParallelism } from 'node:os';
import type { Phase, RoundCalibration, Sampler } from '../reports/gate/gate.js';
import { handoffSpacingUs, metricValue, type HandoffFigures, type RoundMeasurement } from '../reports/gate/metrics.js';
import { median } from '../reports/gate/statistics.js';
import { runsFor, type GateSuite } from '../reports/gate/suite.js';
import type { RunResult } from '../reports/schema.js';
import { startContentionMeter } from './cpu-contention.js';
import { Progress } from './progress.js';
import { measureFusedRateIsolated } from './reference-fused.js';
import { measureHandoff } from './reference-handoff.js';
import { planTrials } from './run-command.js';
import { runIsolated } from './run-isolated.js';
import type { TrialSpec } from './trial-spec.js';

/** A trial failed or timed out, or gave a figure no ratio can be made of: the gate cannot judge. */
export class GateRunFailed extends Error {
  override readonly name = 'GateRunFailed';
}

/** How the sampler measures; the defaults run real engines. */
export interface SamplerOptions {
  quiet: boolean;
  /** No retries are started after this time (`performance.now()` ms); default none. */
  deadlineMs?: number;
  runTrial?: (spec: TrialSpec) => Promise<RunResult>;
  handoff?: (spacingUs: number) => Promise<HandoffFigures>;
  fused?: (scenario: string, cpuIterationsPerUs: number) => Promise<number>;
  /** Measures how busy the rest of the machine is during a trial (cores); default from /proc. */
  contentionMeter?: () => () => Promise<number | undefined>;
}

/**
 * A {@link Sampler} for `suite` with the CPU-cost loop calibrated at `cpuIterationsPerUs`.
 * A trial during which other processes kept more than `suite.maxContention` cores busy, or
 * that emitted nothing in its window, is run again (at most `suite.retries` times per trial,
 * and for a phase at most 40% of its trials or `retries`, whichever is more, while the deadline allows); the least disturbed
 * attempt is kept and its contention recorded with the sample.
 */
export function createSampler(suite: GateSuite, cpuIterationsPerUs: number, options: SamplerOptions): Sampler {
  const runTrial = options.runTrial ?? ((spec) => runIsolated(spec, false));
  const handoff = options.handoff ?? measureHandoff;
  const fused = options.fused ?? measureFusedRateIsolated;
  const meter = options.contentionMeter ?? (() => startContentionMeter(availableParallelism()));
  return async (metrics, trials, phase: Phase) => {
    const runs = runsFor(suite, metrics);
    const spacings = [...new Set(metrics.filter((m) => m.kind === 'latency-vs-handoff').map((m) => handoffSpacingUs(suite.runs.get(m.run)!)))];
    const scenarios = [...new Set(metrics.filter((m) => m.kind === 'throughput-vs-fused' || m.kind === 'processing-vs-fused').map((m) => suite.runs.get(m.run)!.scenario))];
    const rounds: RoundCalibration[] = [];
    const progress = new Progress(trials * runs.length, !options.quiet);
    const measured: Map<string, RunResult>[] = [];
    let retriesLeft = Math.max(suite.retries, Math.ceil(trials * runs.length * 0.4));
    for (let round = 0; round < trials; round++) {
      const contention: Record<string, number> = {};
      const calibration: RoundCalibration = { handoff: [], fused: {}, contention };
      for (const spacing of spacings) calibration.handoff.push(await handoff(spacing));
      for (const scenario of scenarios) calibration.fused[scenario] = await fused(scenario, cpuIterationsPerUs);
      rounds.push(calibration);
      const results = new Map<string, RunResult>();
      for (const [index, run] of runs.entries()) {
        const spec = { ...planTrials(run.options, cpuIterationsPerUs * run.cpuCostScale)[0], trial: round };
        let kept: { result: RunResult; busy: number } | undefined;
        for (let attempt = 0; ; attempt++) {
          progress.begin(round * runs.length + index, `gate ${phase}: ${run.id} trial ${round + 1}/${trials}${attempt > 0 ? ` (retry ${attempt}: machine busy or no output)` : ''}`);
          const stop = meter();
          const result = await runTrial(spec);
          const busy = (await stop()) ?? 0;
          if (result.status !== 'ok') throw new GateRunFailed(`run '${run.id}' trial ${round + 1} ${result.status}: ${result.error ?? 'no reason given'}`);
          const usable = result.recordsOut > 0 && result.throughputOut > 0;
          if (usable && (!kept || busy < kept.busy)) kept = { result, busy };
          const canRetry = attempt < suite.retries && retriesLeft > 0 && performance.now() < (options.deadlineMs ?? Infinity);
          if ((usable && busy <= suite.maxContention) || !canRetry) break;
          retriesLeft--;
        }
        if (!kept) throw new GateRunFailed(`run '${run.id}' trial ${round + 1} emitted no output in its measurement window`);
        contention[run.id] = kept.busy;
        results.set(run.id, kept.result);
      }
      measured.push(results);
    }
    progress.end();
    const references = jobReferences(rounds);
    const samples: Record<string, number[]> = Object.fromEntries(metrics.map((m) => [m.name, []]));
    const busy: Record<string, number[]> = Object.fromEntries(metrics.map((m) => [m.name, []]));
    for (const [round, results] of measured.entries()) {
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
