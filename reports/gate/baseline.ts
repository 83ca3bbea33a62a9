/**
 * Gate baselines (`baselines/<suite>.json`): per-trial samples of every metric of a suite,
 * the settings they were measured with, and the machine calibration. Written atomically;
 * read back with schema, version and content checks, each failure a {@link UsageError}
 * naming the file and the fix.
 */
import { readFile } from 'node:fs/promises';
import { UsageError } from '../../primitives/usage-error.js';
import { writeFileAtomic } from '../atomic-write.js';
import type { Environment } from '../../primitives/results-schema.js';
import type { Calibration, SampleSet } from './sample-set.js';
import { quietSamples } from './quiet-samples.js';
import { median } from './statistics.js';
import { metricFingerprint, type GateSuite } from './suite.js';
import type { Better } from './verdict.js';

export const BASELINE_SCHEMA = 'streambench/gate-baseline';
export const BASELINE_VERSION = 1;

/** One metric of a baseline. */
export interface BaselineMetric {
  unit: string;
  better: Better;
  /** The run settings the samples were measured with (see {@link metricFingerprint}). */
  fingerprint: string;
  /** One value per quiet trial. */
  samples: number[];
  median: number;
  /** Trials left out because other processes kept the machine busy during them. */
  disturbedExcluded?: number;
}

/** A baseline file. */
export interface Baseline {
  schema: typeof BASELINE_SCHEMA;
  version: typeof BASELINE_VERSION;
  suite: string;
  createdAt: string;
  environment: Environment;
  calibration: Calibration;
  trials: number;
  metrics: Record<string, BaselineMetric>;
}

/** A baseline of `suite` from freshly measured samples. */
export function buildBaseline(suite: GateSuite, measured: SampleSet, environment: Environment, createdAt = new Date()): Baseline {
  const metrics: Record<string, BaselineMetric> = {};
  for (const metric of suite.metrics) {
    const { samples, excluded } = quietSamples(measured.samples[metric.name] ?? [], measured.contention?.[metric.name], suite.maxContention);
    metrics[metric.name] = {
      unit: metric.unit,
      better: metric.better,
      fingerprint: metricFingerprint(suite, metric),
      samples,
      median: median(samples),
      ...(excluded > 0 ? { disturbedExcluded: excluded } : {}),
    };
  }
  const trials = Math.min(...Object.values(metrics).map((metric) => metric.samples.length));
  return { schema: BASELINE_SCHEMA, version: BASELINE_VERSION, suite: suite.name, createdAt: createdAt.toISOString(), environment, calibration: measured.calibration, trials, metrics };
}

/** Writes `baseline` to `path` atomically (directories created as needed). */
export async function writeBaseline(path: string, baseline: Baseline): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(baseline, null, 2)}\n`);
}

/** The command that re-records a suite's baseline, for error messages. */
export function rerecordHint(suite: string, path: string): string {
  return `record it with \`streambench gate --suite ${suite} --baseline ${path} --update-baseline\``;
}

/**
 * Reads and validates the baseline at `path` for `suite`: it must be a gate baseline of
 * this version, have samples for every metric of the suite, and have measured each with the
 * suite's current settings.
 */
export async function readBaseline(path: string, suite: GateSuite): Promise<Baseline> {
  const fix = rerecordHint(suite.name, path);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new UsageError(`--baseline ${path}: ${missing ? 'no such file' : (error as Error).message}; ${fix}`);
  }
  let parsed: Partial<Baseline>;
  try {
    parsed = JSON.parse(text) as Partial<Baseline>;
  } catch {
    throw new UsageError(`--baseline ${path}: not valid JSON; re-${fix}`);
  }
  if (parsed?.schema !== BASELINE_SCHEMA) throw new UsageError(`--baseline ${path}: not a gate baseline (schema ${JSON.stringify(parsed?.schema)}, expected '${BASELINE_SCHEMA}'); re-${fix}`);
  if (parsed.version !== BASELINE_VERSION) throw new UsageError(`--baseline ${path}: version ${JSON.stringify(parsed.version)} is not supported by this streambench (reads version ${BASELINE_VERSION}); re-${fix}`);
  if (!parsed.metrics || typeof parsed.metrics !== 'object') throw new UsageError(`--baseline ${path}: no "metrics" object; re-${fix}`);
  for (const metric of suite.metrics) {
    const recorded = parsed.metrics[metric.name];
    if (!recorded) throw new UsageError(`--baseline ${path}: no samples for metric '${metric.name}' of suite '${suite.name}' (recorded for suite '${parsed.suite}'); re-${fix}`);
    if (!Array.isArray(recorded.samples) || recorded.samples.length < 3 || !recorded.samples.every((value) => typeof value === 'number' && Number.isFinite(value) && value > 0)) {
      throw new UsageError(`--baseline ${path}: metric '${metric.name}' needs at least 3 positive numeric samples; re-${fix}`);
    }
    if (recorded.fingerprint !== metricFingerprint(suite, metric)) {
      throw new UsageError(`--baseline ${path}: metric '${metric.name}' was measured with other run settings than suite '${suite.name}' now has; re-${fix}`);
    }
  }
  return parsed as Baseline;
}
