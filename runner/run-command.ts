/**
 * `streambench run`: expands the options into trials (scenario × rate × trial × mode, modes
 * interleaved so machine drift touches every mode alike), runs them, checks that the modes
 * agree on the output, prints the table and writes the reports.
 */
import type { RunParams, RunResult } from '../reports/schema.js';
import { scenarios } from '../scenarios/index.js';
import { checkDigests } from '../reports/digest-check.js';
import { buildResultsFile, writeReports } from '../reports/results-file.js';
import { writeRunReport } from '../reports/report-command.js';
import { summarizeRuns } from '../reports/summary.js';
import { renderTable } from '../reports/table.js';
import { renderRecoveryTable, renderSinkTable } from '../reports/downstream-table.js';
import { calibrateCpuIterationsPerUs } from './calibrate.js';
import { checkDownstreamApplies, resolveFault, resolveSink } from './downstream-options.js';
import { captureEnvironment } from './environment.js';
import { Progress } from './progress.js';
import { runIsolated } from './run-isolated.js';
import type { RunOptions } from './run-options.js';
import { MAX_OFFSET } from './source-log.js';
import type { TrialSpec } from './trial-spec.js';
import { UsageError } from './usage-error.js';

/** Exit code when the modes disagree on the output of a scenario. */
export const EXIT_MISMATCH = 3;

/** The knobs of `mode` taken from the options. */
export function paramsFor(mode: string, options: RunOptions): RunParams {
  const workers = options.workers;
  switch (mode) {
    case 'micro-batch':
      return { workers, intervalMs: options.intervalMs };
    case 'trigger':
      return { workers, intervalMs: options.triggerIntervalMs, ...(options.maxRecordsPerBatch ? { maxRecordsPerBatch: options.maxRecordsPerBatch } : {}) };
    default:
      return { workers, checkpointMs: options.checkpointMs, flushTimeoutUs: options.flushTimeoutUs };
  }
}

/** The trials a run consists of, in execution order. */
export function planTrials(options: RunOptions, cpuIterationsPerUs: number): TrialSpec[] {
  const specs: TrialSpec[] = [];
  checkDownstreamApplies(options.scenarios.flatMap((name) => scenarios.get(name) ?? []), options.downstream);
  for (const scenario of options.scenarios) {
    const declared = scenarios.get(scenario);
    // A scenario with a peak needs room before and after it: a shorter --duration is raised to its minimum.
    const durationSec = Math.max(options.durationSec, declared?.minDurationSec ?? 0);
    // Scenarios with a priority class run once per --priority-lane setting; the others once, without one.
    const lanes = declared?.priority ? (options.priorityLanes ?? [false]) : [false];
    const sink = declared && resolveSink(declared, options.downstream, options.workers);
    const fault = declared && resolveFault(declared, options.downstream, durationSec, options.workers);
    for (const rate of options.rates) {
      if (rate * (options.warmupSec + durationSec) >= MAX_OFFSET) {
        throw new UsageError(`--rate ${rate} × (--warmup + --duration) exceeds ${MAX_OFFSET} records per run; lower the rate or the duration`);
      }
      for (let trial = 0; trial < options.trials; trial++) {
        for (const mode of options.modes) {
          for (const lane of lanes) {
            specs.push({
              scenario,
              mode,
              params: { ...paramsFor(mode, options), ...(lane ? { priorityLane: true } : {}) },
              rate,
              warmupSec: options.warmupSec,
              durationSec,
              seed: options.seed,
              trial,
              logCapacity: options.logCapacity,
              cpuIterationsPerUs,
              drainTimeoutSec: options.drainTimeoutSec,
              timeoutSec: options.warmupSec + durationSec + options.drainTimeoutSec + 30,
              ...(declared?.priority && options.priorityFraction !== undefined ? { priorityFraction: options.priorityFraction } : {}),
              ...(sink ? { sink } : {}),
              ...(fault ? { fault } : {}),
            });
          }
        }
      }
    }
  }
  return specs;
}

/** Runs every trial and writes the reports; returns the process exit code. */
export async function runCommand(options: RunOptions): Promise<number> {
  planTrials(options, 0); // bad input (e.g. --kill-at past --duration) fails before the calibration
  const cpuIterationsPerUs = calibrateCpuIterationsPerUs();
  const specs = planTrials(options, cpuIterationsPerUs);
  const progress = new Progress(specs.length, !options.quiet);
  const runs: RunResult[] = [];
  for (const [index, spec] of specs.entries()) {
    const label = `${spec.scenario} ${spec.mode}${spec.params.priorityLane ? ' +lane' : ''} @ ${spec.rate} rec/s trial ${spec.trial + 1}`;
    progress.begin(index, label);
    runs.push(await runIsolated(spec, options.inProcess, (p) => progress.update(index, label, p)));
  }
  progress.end();

  const digestChecks = checkDigests(runs);
  const file = buildResultsFile(runs, captureEnvironment(), { ...options, cpuIterationsPerUs }, digestChecks);
  const paths = await writeReports(options.out, file);
  paths.push(await writeRunReport(options.out, file));
  process.stdout.write(`${renderTable(summarizeRuns(runs), digestChecks)}\n`);
  for (const section of [renderSinkTable(runs), renderRecoveryTable(runs)]) if (section.length > 0) process.stdout.write(`\n${section.join('\n')}\n`);
  process.stdout.write(`Wrote ${paths.join(', ')}\n`);

  const failed = runs.filter((run) => run.status !== 'ok');
  for (const run of failed) process.stderr.write(`streambench: ${run.scenario} ${run.mode} @ ${run.offeredRate}/s trial ${run.trial + 1}: ${run.status}: ${run.error}\n`);
  const mismatches = digestChecks.filter((check) => check.verdict === 'mismatch');
  for (const check of mismatches) {
    process.stderr.write(`streambench: OUTPUT MISMATCH in ${check.scenario} @ ${check.offeredRate}/s: ${JSON.stringify(check.digests)} — a mode that is fast but wrong is a failure\n`);
  }
  if (mismatches.length > 0) return EXIT_MISMATCH;
  return failed.length > 0 ? 1 : 0;
}
