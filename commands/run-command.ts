/**
 * `streambench run`: expands the options into trials (scenario × rate × trial × mode, modes
 * interleaved so machine drift touches every mode alike), runs them, checks that the modes
 * agree on the output, prints the table and writes the reports.
 */
import type { ResultsFile, RunResult } from '../primitives/results-schema.js';
import { checkDigests } from '../reports/digest-check.js';
import { buildResultsFile, writeReports } from '../reports/results-file.js';
import { writeRunReport } from '../reports/html/report-command.js';
import { summarizeRuns } from '../reports/summary.js';
import { renderTable } from '../reports/table.js';
import { renderRecoveryTable, renderSinkTable } from '../reports/downstream-table.js';
import { renderBrokerTable } from '../reports/broker-table.js';
import { renderBranchTable, renderSpillTable } from '../reports/memory-table.js';
import { renderResourcesTable } from '../reports/resources-table.js';
import { calibrateCpuIterationsPerUs } from '../runner/calibrate.js';
import { captureEnvironment } from '../runner/environment.js';
import { Progress } from '../runner/progress.js';
import { checkBrokerRun, withTrialRunner } from '../runner/broker/broker-runs.js';
import { recordedBrokerOptions, type BrokerOptions } from '../runner/broker/broker-options.js';
import { modeModuleOf } from '../runner/mode-plugins.js';
import { planTrials } from '../runner/plan-trials.js';
import { measureLimits } from '../runner/run-limits.js';
import { scenarioOf } from '../runner/scenario-options.js';
import { recordedOptions, type RunOptions } from '../runner/run-options.js';

/** Exit code when the modes disagree on the output of a scenario. */
export const EXIT_MISMATCH = 3;

/** What a run produced: the results file's content, the exit code it earns, and one line per problem. */
export interface RunOutcome {
  file: ResultsFile;
  exitCode: number;
  problems: string[];
}

/** Runs every trial (progress on stderr unless `quiet`), through the broker when `broker` is given; writes nothing. */
export async function executeRun(options: RunOptions, broker?: BrokerOptions): Promise<RunOutcome> {
  planTrials(options, 0); // bad input (e.g. --kill-at past --duration) fails before the calibration
  checkBrokerRun(options, broker);
  const cpuIterationsPerUs = calibrateCpuIterationsPerUs();
  const specs = planTrials(options, cpuIterationsPerUs);
  const progress = new Progress(specs.length, !options.quiet);
  const runs: RunResult[] = [];
  await withTrialRunner(options.inProcess, broker, async (runTrial) => {
    for (const [index, spec] of specs.entries()) {
      const label = `${spec.scenario} ${spec.mode}${spec.params.priorityLane ? ' +lane' : ''} @ ${spec.rate} rec/s trial ${spec.trial + 1}`;
      progress.begin(index, label);
      runs.push(await runTrial(spec, (p) => progress.update(index, label, p)));
    }
  });
  progress.end();
  const limits = await measureLimits(options.scenarios.map((name) => scenarioOf(name, options.workloads)), options.rates, cpuIterationsPerUs);
  const digestChecks = checkDigests(runs);
  const file = { ...buildResultsFile(runs, captureEnvironment(), { ...recordedOptions(options), ...(broker ? { broker: recordedBrokerOptions(broker) } : {}), cpuIterationsPerUs }, digestChecks), limits };

  const failed = runs.filter((run) => run.status !== 'ok');
  const problems = failed.map((run) => `${run.scenario} ${run.mode} @ ${run.offeredRate}/s trial ${run.trial + 1}: ${run.status}: ${run.error}`);
  const broken = runs.filter(brokenPlugin);
  for (const run of broken.filter((run) => run.status === 'ok')) {
    problems.push(`mode '${run.mode}' (${modeModuleOf(run.mode)}) never drained: it committed none of the ${run.recordsIn} records in ${run.scenario} @ ${run.offeredRate}/s within --drain-timeout; its engine must emit() each record it processes`);
  }
  const mismatches = digestChecks.filter((check) => check.verdict === 'mismatch');
  for (const check of mismatches) {
    problems.push(`OUTPUT MISMATCH in ${check.scenario} @ ${check.offeredRate}/s: ${JSON.stringify(check.digests)} — a mode that is fast but wrong is a failure`);
  }
  const exitCode = mismatches.length > 0 ? EXIT_MISMATCH : broken.length > 0 ? EXIT_BAD_PLUGIN : failed.length > 0 ? 1 : 0;
  return { file, exitCode, problems };
}

/** `streambench run`: runs every trial, writes the reports, prints the table; returns the process exit code. */
export async function runCommand(options: RunOptions, broker?: BrokerOptions): Promise<number> {
  const { file, exitCode, problems } = await executeRun(options, broker);
  const paths = await writeReports(options.out, file);
  paths.push(await writeRunReport(options.out, file));
  process.stdout.write(`${renderTable(summarizeRuns(file.runs), file.digestChecks, file.limits)}\n`);
  for (const section of [renderSinkTable(file.runs), renderRecoveryTable(file.runs), renderBranchTable(file.runs), renderSpillTable(file.runs), renderBrokerTable(file.runs), renderResourcesTable(file.runs)]) if (section.length > 0) process.stdout.write(`\n${section.join('\n')}\n`);
  process.stdout.write(`Wrote ${paths.join(', ')}\n`);
  for (const problem of problems) process.stderr.write(`streambench: ${problem}\n`);
  return exitCode;
}

/** Exit code when a plugin mode is broken: it failed to start, or processed nothing at all. */
export const EXIT_BAD_PLUGIN = 2;

/** Whether `run` shows its plugin mode broken (not merely overloaded): its engine failed to start, or committed no offset at all. */
function brokenPlugin(run: RunResult): boolean {
  if (modeModuleOf(run.mode) === undefined) return false;
  if (run.status === 'failed') return /failed to start/.test(run.error ?? '');
  return run.status === 'ok' && !run.drained && run.recordsIn > 0 && run.unprocessed >= run.recordsIn;
}
