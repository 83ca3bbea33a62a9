/**
 * The gate's measuring side: runs a set of trials (each in a fresh child process, via
 * {@link runIsolated}) round by round, and measures the references next to them in this
 * process (thread hand-off ping-pong, fused single-thread loop) once per round. It knows
 * nothing of metrics or verdicts: `reports/gate/suite-sampler.ts` asks it for the runs and
 * references a suite's metrics need and turns the rounds into metric values.
 */
import { availableParallelism } from 'node:os';
import type { RunResult } from '../primitives/results-schema.js';
import { startContentionMeter } from './cpu-contention.js';
import { planTrials } from './plan-trials.js';
import { Progress } from './progress.js';
import { measureFusedRateIsolated } from './reference-fused.js';
import { measureHandoff, type HandoffFigures } from './reference-handoff.js';
import type { RunOptions } from './run-options.js';
import { runIsolated } from './run-isolated.js';
import type { TrialSpec } from './trial-spec.js';

/** A trial failed or timed out, or gave a figure no ratio can be made of: the gate cannot judge. */
export class GateRunFailed extends Error {
  override readonly name = 'GateRunFailed';
}

/** The references measured in one round, kept so a baseline says what machine it came from. */
export interface RoundCalibration {
  handoff: HandoffFigures[];
  /** Fused single-thread loop output records/s by scenario. */
  fused: Record<string, number>;
  /** Cores' worth of CPU other processes used during each run's trial (Linux only), by run id. */
  contention?: Record<string, number>;
}

/** One run to measure every round: its id, its options (one scenario, mode and rate) and a planted CPU scale. */
export interface SampledRun {
  id: string;
  options: RunOptions;
  /** 1 unless a regression is planted: the engine's CPU-cost loop does this much more work. */
  cpuCostScale: number;
}

/** What to measure each round. */
export interface RoundRequest {
  runs: readonly SampledRun[];
  /** Hand-off reference spacings (µs). */
  handoffSpacingsUs: readonly number[];
  /** Scenarios whose fused single-thread loop is measured. */
  fusedScenarios: readonly string[];
  /** A trial during which other processes kept more than this many cores busy is run again. */
  maxContention: number;
  /** Re-runs allowed per disturbed trial. */
  retries: number;
  /** Shown in progress lines, e.g. "gate measure". */
  label: string;
}

/** One round: each run's kept result, and the references measured with them. */
export interface MeasuredRound {
  results: Map<string, RunResult>;
  calibration: RoundCalibration;
}

/** Measures `trials` rounds of a {@link RoundRequest}. */
export type RoundSampler = (request: RoundRequest, trials: number) => Promise<MeasuredRound[]>;

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
 * A {@link RoundSampler} with the CPU-cost loop calibrated at `cpuIterationsPerUs`. A trial
 * during which other processes kept more than `maxContention` cores busy, or that emitted
 * nothing in its window, is run again (at most `retries` times per trial, and in one call
 * at most 40% of its trials or `retries`, whichever is more, while the deadline allows);
 * the least disturbed attempt is kept and its contention recorded with the round.
 */
export function createRoundSampler(cpuIterationsPerUs: number, options: SamplerOptions): RoundSampler {
  const runTrial = options.runTrial ?? ((spec) => runIsolated(spec, false));
  const handoff = options.handoff ?? measureHandoff;
  const fused = options.fused ?? measureFusedRateIsolated;
  const meter = options.contentionMeter ?? (() => startContentionMeter(availableParallelism()));
  return async (request, trials) => {
    const { runs } = request;
    const progress = new Progress(trials * runs.length, !options.quiet);
    const rounds: MeasuredRound[] = [];
    let retriesLeft = Math.max(request.retries, Math.ceil(trials * runs.length * 0.4));
    for (let round = 0; round < trials; round++) {
      const contention: Record<string, number> = {};
      const calibration: RoundCalibration = { handoff: [], fused: {}, contention };
      for (const spacing of request.handoffSpacingsUs) calibration.handoff.push(await handoff(spacing));
      for (const scenario of request.fusedScenarios) calibration.fused[scenario] = await fused(scenario, cpuIterationsPerUs);
      const results = new Map<string, RunResult>();
      for (const [index, run] of runs.entries()) {
        const spec = { ...planTrials(run.options, cpuIterationsPerUs * run.cpuCostScale)[0], trial: round };
        let kept: { result: RunResult; busy: number } | undefined;
        for (let attempt = 0; ; attempt++) {
          progress.begin(round * runs.length + index, `${request.label}: ${run.id} trial ${round + 1}/${trials}${attempt > 0 ? ` (retry ${attempt}: machine busy or no output)` : ''}`);
          const stop = meter();
          const result = await runTrial(spec);
          const busy = (await stop()) ?? 0;
          if (result.status !== 'ok') throw new GateRunFailed(`run '${run.id}' trial ${round + 1} ${result.status}: ${result.error ?? 'no reason given'}`);
          const usable = result.recordsOut > 0 && result.throughputOut > 0;
          if (usable && (!kept || busy < kept.busy)) kept = { result, busy };
          const canRetry = attempt < request.retries && retriesLeft > 0 && performance.now() < (options.deadlineMs ?? Infinity);
          if ((usable && busy <= request.maxContention) || !canRetry) break;
          retriesLeft--;
        }
        if (!kept) throw new GateRunFailed(`run '${run.id}' trial ${round + 1} emitted no output in its measurement window`);
        contention[run.id] = kept.busy;
        results.set(run.id, kept.result);
      }
      rounds.push({ results, calibration });
    }
    progress.end();
    return rounds;
  };
}
