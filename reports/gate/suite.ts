/**
 * Gate suites: named short sets of scenario × mode runs with their flags, and the ratio
 * metrics computed from them, read from a JSON config in the repository (`gate-suites.json`).
 * A suite may `extend` another and override single runs (e.g. plant a regression with
 * `cpuCostScale`). Every problem is a {@link UsageError} naming the file, the field and the fix.
 */
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { isModePath, loadModePlugin } from '../../runner/mode-plugins.js';
import { modes } from '../../engines/index.js';
import { paramsFor } from '../../runner/plan-trials.js';
import { parseRunOptions, type RunOptions } from '../../runner/run-options.js';
import { parseDurationUs } from '../../primitives/units.js';
import { UsageError } from '../../primitives/usage-error.js';
import { formatRate } from '../../primitives/units.js';
import { METRIC_KINDS, type GateMetric, type MetricKind, type Percentile, type RunShape } from './metrics.js';

/** One run of a suite, as written in the config. */
interface RunConfig {
  scenario?: string;
  mode?: string;
  rate?: string;
  /** `streambench run` flags without the dashes, e.g. { "log-capacity": "8192" }. */
  flags?: Record<string, string>;
  /** Multiplies the CPU work per record the engine does (not its references): a planted regression. */
  cpuCostScale?: number;
}

/** One metric, as written in the config. */
interface MetricConfig {
  name?: string;
  kind?: string;
  run?: string;
  over?: string;
  percentile?: string;
  minEffect?: number;
  /** false: report only (e.g. a ratio of two engines, which moves when either improves). */
  gate?: boolean;
}

/** One suite, as written in the config. */
interface SuiteConfig {
  description?: string;
  extends?: string;
  trials?: number;
  baselineTrials?: number;
  alpha?: number;
  minEffect?: number;
  maxContention?: number;
  retries?: number;
  budget?: string;
  flags?: Record<string, string>;
  runs?: Record<string, RunConfig>;
  metrics?: MetricConfig[];
}

/** A validated run of a suite. */
export interface GateRun extends RunShape {
  id: string;
  mode: string;
  /** The run's options as `streambench run` parsed them (one scenario, mode and rate). */
  options: RunOptions;
  /** 1 unless a regression is planted. */
  cpuCostScale: number;
  /** The settings that make results comparable (not `cpuCostScale`): equal settings, comparable runs. */
  fingerprint: string;
}

/** A validated suite. */
export interface GateSuite {
  name: string;
  description: string;
  /** Trials per metric in a gate run (and again in a confirmation re-run). */
  trials: number;
  /** Trials per metric when recording a baseline. */
  baselineTrials: number;
  alpha: number;
  /** A trial during which other processes kept more than this many cores busy is re-run (and a regression confirmed under it is inconclusive). */
  maxContention: number;
  /** Re-runs allowed per disturbed trial. */
  retries: number;
  /** No re-run of a disturbed trial starts after this many seconds of the gate. */
  budgetSec: number;
  runs: ReadonlyMap<string, GateRun>;
  metrics: GateMetric[];
}

/** The default config file, relative to the working directory (the repository root in CI). */
export const DEFAULT_SUITES_FILE = 'gate-suites.json';

/** Reads `file` and returns its suite `name`, validated. */
export async function loadSuite(name: string, file = DEFAULT_SUITES_FILE): Promise<GateSuite> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new UsageError(`--config ${file}: cannot read it; run from the repository root or pass --config <path to gate-suites.json>`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--config ${file}: not valid JSON (${(error as Error).message}); fix the file`);
  }
  return resolveSuite(await withPluginModesLoaded(parsed, file), name, file);
}

/**
 * The config with each run whose "mode" is a plugin module's path (relative to the config
 * file) loaded and registered, and its "mode" replaced by the plugin's id.
 */
async function withPluginModesLoaded(config: unknown, file: string): Promise<unknown> {
  const suites = (config as { suites?: Record<string, SuiteConfig | null> } | null)?.suites;
  if (typeof suites !== 'object' || suites === null) return config;
  for (const [suiteName, suite] of Object.entries(suites)) {
    for (const [id, run] of Object.entries(suite?.runs ?? {})) {
      if (typeof run?.mode !== 'string' || !isModePath(run.mode)) continue;
      try {
        run.mode = await loadModePlugin(run.mode, dirname(resolve(file)));
      } catch (error) {
        throw error instanceof UsageError ? new UsageError(`${file}: suite '${suiteName}', run '${id}': ${error.message}`) : error;
      }
    }
  }
  return config;
}

/** Validates suite `name` of an already parsed config (exported for tests). */
export function resolveSuite(config: unknown, name: string, file: string): GateSuite {
  const suites = (config as { suites?: Record<string, SuiteConfig> } | null)?.suites;
  if (!suites || typeof suites !== 'object') throw new UsageError(`${file}: no "suites" object; see README "CI performance gate"`);
  const merged = mergeExtends(suites, name, file, []);
  const where = `${file}: suite '${name}'`;
  const trials = wholeNumber(merged.trials ?? 5, 3, `${where}: trials`);
  const alpha = merged.alpha ?? 0.05;
  if (!(alpha > 0 && alpha < 0.5)) throw new UsageError(`${where}: alpha ${alpha} must be between 0 and 0.5, e.g. 0.05`);
  const maxContention = merged.maxContention ?? 0.5;
  if (!(maxContention > 0)) throw new UsageError(`${where}: maxContention ${maxContention} must be a positive number of cores, e.g. 0.5`);
  const budgetUs = parseDurationUs(merged.budget ?? '150s', 's');
  if (budgetUs === undefined || budgetUs <= 0) throw new UsageError(`${where}: budget '${merged.budget}' must be a duration, e.g. 150s`);
  const budgetSec = budgetUs / 1e6;
  const runs = new Map<string, GateRun>();
  for (const [id, run] of Object.entries(merged.runs ?? {})) runs.set(id, resolveRun(id, run, merged.flags ?? {}, `${where}, run '${id}'`));
  const metrics = (merged.metrics ?? []).map((metric, index) => resolveMetric(metric, runs, merged.minEffect ?? 0.1, `${where}, metrics[${index}]`));
  if (metrics.length === 0) throw new UsageError(`${where}: no metrics; add at least one to "metrics"`);
  const names = new Set<string>();
  for (const metric of metrics) {
    if (names.has(metric.name)) throw new UsageError(`${where}: two metrics are named '${metric.name}'; give one a "name"`);
    names.add(metric.name);
  }
  return {
    name,
    description: merged.description ?? '',
    trials,
    baselineTrials: wholeNumber(merged.baselineTrials ?? trials * 2, 3, `${where}: baselineTrials`),
    alpha,
    maxContention,
    retries: wholeNumber(merged.retries ?? 2, 0, `${where}: retries`),
    budgetSec,
    runs,
    metrics,
  };
}

/** The suite with its `extends` chain applied: flags merged, runs merged one by one, metrics inherited. */
function mergeExtends(suites: Record<string, SuiteConfig>, name: string, file: string, seen: string[]): SuiteConfig {
  const suite = Object.hasOwn(suites, name) ? suites[name] : undefined;
  if (!suite) {
    const known = Object.keys(suites).join(', ');
    throw new UsageError(seen.length === 0 ? `--suite: unknown gate suite '${name}'; defined in ${file}: ${known}` : `${file}: suite '${seen.at(-1)}' extends unknown suite '${name}'; defined: ${known}`);
  }
  if (seen.includes(name)) throw new UsageError(`${file}: suites extend each other in a cycle (${[...seen, name].join(' → ')}); break it`);
  if (suite.extends === undefined) return suite;
  const parent = mergeExtends(suites, suite.extends, file, [...seen, name]);
  const runs: Record<string, RunConfig> = { ...parent.runs };
  for (const [id, run] of Object.entries(suite.runs ?? {})) runs[id] = { ...runs[id], ...run, flags: { ...runs[id]?.flags, ...run.flags } };
  return { ...parent, ...suite, flags: { ...parent.flags, ...suite.flags }, runs, metrics: suite.metrics ?? parent.metrics };
}

function resolveRun(id: string, run: RunConfig, suiteFlags: Record<string, string>, where: string): GateRun {
  for (const field of ['scenario', 'mode', 'rate'] as const) {
    if (typeof run[field] !== 'string' || run[field].includes(',')) throw new UsageError(`${where}: "${field}" must be one ${field}, e.g. "scenario": "steady", "mode": "continuous", "rate": "1k"`);
  }
  const flags = { ...suiteFlags, ...run.flags };
  const argv = Object.entries(flags).flatMap(([flag, value]) => [`--${flag}`, String(value)]);
  let options: RunOptions | 'help';
  try {
    options = parseRunOptions([...argv, '--scenario', run.scenario!, '--mode', run.mode!, '--rate', run.rate!, '--trials', '1', '--quiet']);
  } catch (error) {
    throw error instanceof UsageError ? new UsageError(`${where}: ${error.message}`) : error;
  }
  if (options === 'help') throw new UsageError(`${where}: "help" is not a run flag`);
  const cpuCostScale = run.cpuCostScale ?? 1;
  if (!(cpuCostScale > 0)) throw new UsageError(`${where}: cpuCostScale must be a positive number, e.g. 1.25`);
  const mode = options.modes[0];
  const settings = { scenario: options.scenarios[0], mode, rate: options.rates[0], params: paramsFor(mode, options), warmupSec: options.warmupSec, durationSec: options.durationSec, seed: options.seed, logCapacity: options.logCapacity };
  return {
    id,
    scenario: settings.scenario,
    mode,
    rate: settings.rate,
    ...(modes.get(mode)?.cadence === 'fixed-grid' ? { intervalMs: Number(settings.params.intervalMs) } : {}),
    options,
    cpuCostScale,
    fingerprint: JSON.stringify(settings),
  };
}

function resolveMetric(metric: MetricConfig, runs: ReadonlyMap<string, GateRun>, suiteMinEffect: number, where: string): GateMetric {
  const kinds = Object.keys(METRIC_KINDS);
  if (!metric.kind || !kinds.includes(metric.kind)) throw new UsageError(`${where}: "kind" must be one of ${kinds.join(', ')}`);
  const kind = metric.kind as MetricKind;
  const run = metric.run === undefined ? undefined : runs.get(metric.run);
  if (!run) throw new UsageError(`${where}: "run" '${metric.run}' is not a run of the suite; defined: ${[...runs.keys()].join(', ')}`);
  const over = metric.over === undefined ? undefined : runs.get(metric.over);
  if (kind === 'throughput-ratio' && !over) throw new UsageError(`${where}: a throughput-ratio needs "over": the id of the run to divide by`);
  if (kind === 'wait-vs-half-interval' && modes.get(run.mode)?.cadence !== 'fixed-grid') throw new UsageError(`${where}: wait-vs-half-interval needs a micro-batch run (a mode with a fixed grid of ticks), '${run.id}' is ${run.mode}`);
  const percentile = (metric.percentile ?? 'p50') as Percentile;
  if (!['p50', 'p90', 'p99'].includes(percentile)) throw new UsageError(`${where}: "percentile" must be p50, p90 or p99`);
  const minEffect = metric.minEffect ?? suiteMinEffect;
  if (metric.gate !== undefined && typeof metric.gate !== 'boolean') throw new UsageError(`${where}: "gate" must be true or false`);
  if (!(minEffect > 0 && minEffect < 1)) throw new UsageError(`${where}: minEffect ${minEffect} must be a fraction between 0 and 1, e.g. 0.1`);
  const label = `${run.scenario} ${formatRate(run.rate)}`;
  const defaultName = {
    'throughput-ratio': `${label}: ${run.mode} ÷ ${over?.mode} throughput`,
    'throughput-vs-fused': `${label}: ${run.mode} throughput ÷ fused loop`,
    'processing-vs-fused': `${label}: ${run.mode} ${percentile} processing time ÷ fused loop per record`,
    'latency-vs-handoff': `${label}: ${run.mode} ${percentile} latency ÷ thread hand-off`,
    'wait-vs-half-interval': `${label}: micro-batch mean latency ÷ T/2`,
  }[kind];
  return {
    name: metric.name ?? defaultName,
    kind,
    run: run.id,
    ...(over ? { over: over.id } : {}),
    ...(kind === 'latency-vs-handoff' || kind === 'processing-vs-fused' ? { percentile } : {}),
    better: METRIC_KINDS[kind],
    unit: 'ratio',
    minEffect,
    gated: metric.gate ?? true,
  };
}

/** The fingerprint of everything that makes a metric's samples comparable. */
export function metricFingerprint(suite: GateSuite, metric: GateMetric): string {
  const runs = [metric.run, ...(metric.over ? [metric.over] : [])].map((id) => suite.runs.get(id)?.fingerprint);
  return JSON.stringify({ kind: metric.kind, percentile: metric.percentile, runs });
}

/** The runs a set of metrics needs, in suite order. */
export function runsFor(suite: GateSuite, metrics: readonly GateMetric[]): GateRun[] {
  const ids = new Set(metrics.flatMap((metric) => [metric.run, ...(metric.over ? [metric.over] : [])]));
  return [...suite.runs.values()].filter((run) => ids.has(run.id));
}

function wholeNumber(value: unknown, min: number, where: string): number {
  if (!Number.isInteger(value) || (value as number) < min) throw new UsageError(`${where} must be a whole number ≥ ${min}, got ${JSON.stringify(value)}`);
  return value as number;
}
