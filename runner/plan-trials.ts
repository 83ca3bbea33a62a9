/**
 * The trials a `run` consists of: options expanded into one {@link TrialSpec} per
 * scenario × rate × trial × mode (× priority-lane, cache-hint and memory-budget setting), modes interleaved so machine
 * drift touches every mode alike. Used by `run`, `sweep` and the gate's sampler.
 */
import type { RunParams } from '../primitives/results-schema.js';
import { modes, type ScenarioFeature } from '../engines/index.js';
import { branchOf } from '../engines/operators/branch.js';
import { builtinScenarios } from '../scenarios/index.js';
import { modeModuleOf } from './mode-plugins.js';
import { checkDownstreamApplies, resolveFault, resolveSink } from './downstream-options.js';
import type { RunOptions } from './run-options.js';
import { scenarioOf } from './scenario-options.js';
import { MAX_OFFSET } from '../primitives/source-log.js';
import type { TrialSpec } from './trial-spec.js';
import { UsageError } from '../primitives/usage-error.js';

/** The parameters of `mode` taken from the options: `workers`, then the mode's settings in its declared order (unset ones left out). */
export function paramsFor(mode: string, options: RunOptions): RunParams {
  const descriptor = modes.get(mode);
  if (!descriptor) throw new UsageError(`unknown mode '${mode}'; accepted: ${modes.all().map((m) => m.id).join(', ')}`);
  const params: RunParams = { workers: options.workers };
  for (const setting of descriptor.settings) {
    const value = options.modeSettings[setting.option];
    if (value !== undefined) params[setting.param] = value;
  }
  return params;
}

/** Refuses a mode whose engine does not implement a feature the scenario needs (a plugin declares what it handles). */
function checkHandles(mode: string, scenario: string, needs: readonly ScenarioFeature[]): void {
  const handles = modes.get(mode)?.handles ?? [];
  const missing = needs.filter((feature) => !handles.includes(feature));
  if (missing.length === 0) return;
  throw new UsageError(`--mode ${mode}: its engine does not handle ${missing.join(' or ')}, which scenario '${scenario}' needs; run it on a scenario without (e.g. steady), or list the feature in its descriptor's "handles" once its engine implements it`);
}

/** The trials a run consists of, in execution order. */
export function planTrials(options: RunOptions, cpuIterationsPerUs: number): TrialSpec[] {
  const specs: TrialSpec[] = [];
  checkDownstreamApplies(options.scenarios.map((name) => scenarioOf(name, options.workloads)), options.downstream);
  for (const scenario of options.scenarios) {
    const declared = scenarioOf(scenario, options.workloads);
    // A workload file's scenario travels with each trial (to its child process); built-ins are found by name.
    const workload = builtinScenarios().has(scenario) ? undefined : declared;
    // A scenario with a peak needs room before and after it: a shorter --duration is raised to its minimum.
    const durationSec = Math.max(options.durationSec, declared.minDurationSec ?? 0);
    // Scenarios with a priority class run once per --priority-lane setting; the others once, without one.
    const lanes = declared.priority ? (options.priorityLanes ?? [false]) : [false];
    const sink = resolveSink(declared, options.downstream, options.workers);
    const fault = resolveFault(declared, options.downstream, durationSec, options.workers);
    const branch = branchOf(declared.pipeline);
    const needs: ScenarioFeature[] = [
      ...(sink ? ['slow-sink' as const] : []),
      ...(fault ? ['faults' as const] : []),
      ...(declared.priority ? ['priority-class' as const] : []),
      ...(branch ? ['branches' as const] : []),
      ...(declared.records ? ['record-queries' as const] : []),
    ];
    // A pipeline that forks runs once per --cache setting (default its own hint); every scenario once per --memory-budget.
    const memory = memorySettings(branch ? (options.memory?.caches ?? [branch.cache]) : [undefined], options.memory?.budgets ?? [declared.memoryBudgetBytes ?? null]);
    for (const mode of options.modes) checkHandles(mode, scenario, needs);
    for (const rate of options.rates) {
      if (rate * (options.warmupSec + durationSec) >= MAX_OFFSET) {
        throw new UsageError(`--rate ${rate} × (--warmup + --duration) exceeds ${MAX_OFFSET} records per run; lower the rate or the duration`);
      }
      for (let trial = 0; trial < options.trials; trial++) {
        for (const mode of options.modes) {
          for (const [lane, { cache, budget }] of lanes.flatMap((lane) => memory.map((m) => [lane, m] as const))) {
            specs.push({
              scenario,
              ...(workload ? { workload } : {}),
              mode,
              ...(modeModuleOf(mode) ? { modeModule: modeModuleOf(mode) } : {}),
              params: {
                ...paramsFor(mode, options),
                ...(lane ? { priorityLane: true } : {}),
                ...(cache !== undefined ? { cache } : {}),
                ...(budget !== null ? { memoryBudgetBytes: budget } : {}),
              },
              rate,
              warmupSec: options.warmupSec,
              durationSec,
              seed: options.seed,
              trial,
              logCapacity: options.logCapacity,
              cpuIterationsPerUs,
              drainTimeoutSec: options.drainTimeoutSec,
              timeoutSec: options.warmupSec + durationSec + options.drainTimeoutSec + 30,
              ...(declared.priority && options.priorityFraction !== undefined ? { priorityFraction: options.priorityFraction } : {}),
              ...(sink ? { sink } : {}),
              ...(fault ? { fault } : {}),
              ...(options.codegen ? {} : { codegen: false }),
              ...(options.latencyRecording === false ? { latencyRecording: false } : {}),
              ...(budget !== null && options.memory?.spillDir ? { spillDir: options.memory.spillDir } : {}),
            });
          }
        }
      }
    }
  }
  return specs;
}

/** Every cache hint × memory budget a scenario runs with (cache undefined: the pipeline does not fork; budget null: none). */
function memorySettings(caches: readonly (boolean | undefined)[], budgets: readonly (number | null)[]): { cache: boolean | undefined; budget: number | null }[] {
  return caches.flatMap((cache) => budgets.map((budget) => ({ cache, budget })));
}
