/**
 * `streambench sweep`: for each scenario, mode and knob setting, finds the sustainable
 * throughput (or runs an explicit `--rates` list), judges each probe, and reports the
 * points, each mode's sustainable throughput and knee, and the latency–throughput frontier.
 */
import { parseArgs } from 'node:util';
import { checkDigests } from '../reports/digest-check.js';
import { keyParamsLabel } from '../reports/format.js';
import { writeRunReport } from '../reports/html/report-command.js';
import { buildResultsFile, writeReports } from '../reports/results-file.js';
import type { ResultsFile, RunResult, SweepPoint, SweepResult } from '../primitives/results-schema.js';
import { calibrateCpuIterationsPerUs } from '../runner/calibrate.js';
import { captureEnvironment } from '../runner/environment.js';
import { EXIT_MISMATCH } from './run-command.js';
import { planTrials } from '../runner/plan-trials.js';
import { checkBrokerRun, withTrialRunner, type TrialRunner } from '../runner/broker/broker-runs.js';
import { recordedBrokerOptions, type BrokerOptions } from '../runner/broker/broker-options.js';
import { parseRunOptions, recordedOptions, type RunOptions } from '../runner/run-options.js';
import { parseDurationUs, parseRate } from '../primitives/units.js';
import { UsageError } from '../primitives/usage-error.js';
import { checkBudget, probeSeconds, probesForNextSearch, probesInBudget, SweepProgress } from '../runner/sweep/budget.js';
import { paretoFrontier } from '../runner/sweep/frontier.js';
import { parseKnob, planJobs, type Knob, type SweepJob } from '../runner/sweep/knobs.js';
import { findSustainableRate, type Probe, type ProbeOutcome } from '../runner/sweep/search.js';
import { parseSlo, type Slo } from '../runner/sweep/slo.js';
import { isSuspect, judgeRun } from '../runner/sweep/stability.js';
import { renderSweepSummary } from '../reports/sweep-summary.js';

/** Flags only `sweep` has; every other flag is `run`'s (see `streambench run --help`). */
const SWEEP_FLAGS = {
  rates: { type: 'string', help: 'explicit offered rates (comma list): no search' },
  'start-rate': { type: 'string', help: 'first rate of the search [default: 100k]' },
  'max-rate': { type: 'string', help: 'highest rate the search may offer [default: 80M]' },
  precision: { type: 'string', help: 'stop bisecting when the bracket is within this fraction [default: 0.1]' },
  slo: { type: 'string', help: 'latency bound a sustainable rate must meet: p50|p90|p99|p99.9|max, < or <=, a duration (p99<50ms)' },
  budget: { type: 'string', help: 'time budget for the whole sweep, e.g. 5m (caps the probes of each search) [default: 5m]' },
  knob: { type: 'string', help: 'knob to sweep: interval (micro-batch, trigger), max-batch (trigger), workers, flush-timeout (continuous)' },
  values: { type: 'string', help: 'values of --knob, comma list (e.g. 10ms,100ms,1s)' },
} as const;

/** `run` defaults that differ for sweep probes. */
const PROBE_DEFAULTS: ReadonlyArray<[flag: string, value: string]> = [['--duration', '2s'], ['--warmup', '0.5s'], ['--drain-timeout', '3s']];

/** `run` flags that mean nothing to a sweep, and what to use instead. */
const NOT_FOR_SWEEP: Readonly<Record<string, string>> = {
  '--rate': 'the sweep searches the rate; give --rates for a fixed list, or --start-rate/--max-rate',
  '--trials': 'each probe is one trial; the search confirms its answer with a re-run',
};

/** Validated options of a sweep. */
export interface SweepOptions {
  run: RunOptions;
  rates?: number[];
  startRate: number;
  maxRate: number;
  precision: number;
  slo?: Slo;
  budgetSec: number;
  /** Whether --budget was given (an explicit --rates list is held to it only then). */
  budgetGiven: boolean;
  knob?: Knob;
}

/** The help text of `sweep`. */
export function sweepHelp(): string {
  const lines = Object.entries(SWEEP_FLAGS).map(([name, flag]) => `  ${`--${name} <v>`.padEnd(24)} ${flag.help}`);
  return [
    'Usage: streambench sweep [options]',
    '',
    'Finds each mode\'s sustainable throughput (backlog and latency do not keep growing) by',
    'bracketing and bisection with a confirmation run, and draws the latency–throughput frontier.',
    '',
    'Sweep options:',
    ...lines,
    '',
    'Also every `streambench run` option (--scenario, --mode, --workers, --seed, --out, --in-process, --quiet, …);',
    'probe defaults: --duration 2s --warmup 0.5s --drain-timeout 3s.',
  ].join('\n');
}

/** Splits argv into sweep's own flags and `run`'s. */
function splitArgs(argv: readonly string[]): { own: string[]; rest: string[] } {
  const sweepNames = new Set(Object.keys(SWEEP_FLAGS));
  const own: string[] = [];
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i].replace(/^--/, '').split('=')[0];
    if (argv[i] === '--help') own.push(argv[i]);
    else if (argv[i].startsWith('--') && sweepNames.has(name)) {
      own.push(argv[i]);
      if (!argv[i].includes('=') && i + 1 < argv.length) own.push(argv[++i]);
    } else rest.push(argv[i]);
  }
  return { own, rest };
}

/** Parses `sweep`'s arguments; throws UsageError naming the flag. */
export function parseSweepOptions(argv: string[]): SweepOptions | 'help' {
  const { own, rest } = splitArgs(argv);
  let values: { [K in keyof typeof SWEEP_FLAGS]?: string } & { help?: boolean };
  try {
    values = parseArgs({ args: own, options: { ...SWEEP_FLAGS, help: { type: 'boolean' } }, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new UsageError(`${(error as Error).message.split('\n')[0].replace(/\.$/, '')}. Run \`streambench sweep --help\` for the accepted flags.`);
  }
  if (values.help) return 'help';
  for (const arg of rest) {
    const flag = arg.split('=')[0];
    if (flag in NOT_FOR_SWEEP) throw new UsageError(`${flag}: not a sweep flag; ${NOT_FOR_SWEEP[flag]}`);
  }
  const given = (flag: string): boolean => rest.some((a) => a === flag || a.startsWith(`${flag}=`));
  const run = parseRunOptions([...PROBE_DEFAULTS.flatMap(([flag, value]) => (given(flag) ? [] : [flag, value])), ...rest]);
  if (run === 'help') return 'help';

  const rate = (flag: string, text: string): number => {
    const value = parseRate(text);
    if (value === undefined || value <= 0) throw new UsageError(`--${flag}: '${text}' is not a positive rate; use records/s like 5000, 50k or 2M`);
    return value;
  };
  const precision = Number(values.precision ?? '0.1');
  if (!(precision > 0 && precision < 1)) throw new UsageError(`--precision: '${values.precision}' must be a fraction between 0 and 1, e.g. 0.1`);
  const budgetUs = parseDurationUs(values.budget ?? '5m', 's');
  if (budgetUs === undefined || budgetUs <= 0) throw new UsageError(`--budget: '${values.budget}' is not a positive duration; use e.g. 90s, 5m`);
  const startRate = rate('start-rate', values['start-rate'] ?? '100k');
  const maxRate = rate('max-rate', values['max-rate'] ?? '80M');
  if (startRate > maxRate) throw new UsageError(`--start-rate ${values['start-rate'] ?? '100k'} is above --max-rate ${values['max-rate'] ?? '80M'}`);
  const knob = parseKnob(values.knob, values.values);
  return {
    run,
    ...(values.rates !== undefined ? { rates: values.rates.split(',').map((r) => rate('rates', r)) } : {}),
    startRate,
    maxRate,
    precision,
    ...(values.slo !== undefined ? { slo: parseSlo(values.slo) } : {}),
    budgetSec: budgetUs / 1e6,
    budgetGiven: values.budget !== undefined,
    ...(knob ? { knob } : {}),
  };
}

/** A sweep point from a judged run. */
export function pointOf(run: RunResult, setting: string, outcome: ProbeOutcome): SweepPoint {
  const latency = run.latency.eventTime;
  return {
    mode: run.mode,
    setting,
    offeredRate: run.offeredRate,
    throughputOut: run.throughputOut,
    p50: latency.p50,
    p99: latency.p99,
    p99_9: latency.p99_9,
    max: latency.max,
    sustainable: outcome.sustainable,
    reasons: outcome.reasons,
  };
}

/** Checks up front that every job's probes are valid trials and that the budget fits. */
function preflight(options: SweepOptions, jobs: readonly SweepJob[]): void {
  const highest = options.rates ? Math.max(...options.rates) : options.maxRate;
  for (const job of jobs) planTrials({ ...job.options, rates: [highest], trials: 1 }, 1);
  const probeSec = Math.max(...jobs.map((job) => probeSeconds(job.options.warmupSec, job.options.durationSec)));
  if (!options.rates) checkBudget(options.budgetSec, probeSec, jobs.length);
  else if (options.budgetGiven && options.rates.length * jobs.length > probesInBudget(options.budgetSec, probeSec)) {
    throw new UsageError(`--budget: ${options.rates.length * jobs.length} probes of ~${probeSec.toFixed(1)} s (--rates × searches) do not fit in ${options.budgetSec} s; raise --budget or give fewer --rates`);
  }
}

/** What a sweep produced: the results file's content (with `sweeps` and `frontier`), the exit code it earns, and one line per problem. */
export interface SweepOutcome {
  file: ResultsFile;
  exitCode: number;
  problems: string[];
}

/** `streambench sweep`: runs the sweep, writes the reports and prints the summary; returns the exit code. */
export async function sweepCommand(options: SweepOptions, broker?: BrokerOptions): Promise<number> {
  const { file, exitCode, problems } = await executeSweep(options, broker);
  const paths = await writeReports(options.run.out, file);
  paths.push(await writeRunReport(options.run.out, file));
  process.stdout.write(`${renderSweepSummary(file.sweeps ?? [], file.frontier ?? [], options.slo)}\nWrote ${paths.join(', ')}\n`);
  for (const problem of problems) process.stderr.write(`streambench: ${problem}\n`);
  return exitCode;
}

/** Runs the sweep's searches (progress on stderr unless quiet), through the broker when `broker` is given; writes nothing. */
export async function executeSweep(options: SweepOptions, broker?: BrokerOptions): Promise<SweepOutcome> {
  checkBrokerRun(options.run, broker);
  return withTrialRunner(options.run.inProcess, broker, (runTrial) => sweepWith(options, runTrial, broker));
}

async function sweepWith(options: SweepOptions, runTrial: TrialRunner, broker: BrokerOptions | undefined): Promise<SweepOutcome> {
  const jobs = planJobs(options.run, options.knob);
  preflight(options, jobs);
  const cpuIterationsPerUs = calibrateCpuIterationsPerUs();
  const estimateSec = probeSeconds(options.run.warmupSec, options.run.durationSec);
  const progress = new SweepProgress(estimateSec, !options.run.quiet);
  const runs: RunResult[] = [];
  const sweeps: SweepResult[] = [];

  for (const [index, job] of jobs.entries()) {
    const jobsLeft = jobs.length - index;
    const allowance = options.rates
      ? options.rates.length
      : probesForNextSearch(options.budgetSec - progress.elapsedSec(), progress.secondsPerProbe(), jobsLeft);
    const params = planTrials({ ...job.options, scenarios: [job.scenario], modes: [job.mode], rates: [1], trials: 1 }, cpuIterationsPerUs)[0].params;
    const setting = keyParamsLabel(job.mode, params);
    const points: SweepPoint[] = [];
    const runAt = new Map<number, RunResult>();
    const probe = async (rate: number, phase: Probe['phase'] | 'fixed'): Promise<ProbeOutcome> => {
      const [spec] = planTrials({ ...job.options, scenarios: [job.scenario], modes: [job.mode], rates: [Math.round(rate)], trials: 1 }, cpuIterationsPerUs);
      const laterJobs = (jobsLeft - 1) * (options.rates ? options.rates.length : Math.min(allowance, TYPICAL_SEARCH_PROBES));
      progress.begin(`${job.scenario} ${job.mode} ${setting}`, spec.rate, phase, allowance - points.length + laterJobs);
      const run = await runTrial(spec);
      runs.push(run);
      const outcome = { ...judgeRun(run, options.slo), suspect: isSuspect(run) };
      progress.end(outcome.sustainable, outcome.reasons);
      points.push(pointOf(run, setting, outcome));
      runAt.set(rate, run);
      return outcome;
    };

    let sustainableThroughput = 0;
    let confirmed = false;
    if (options.rates) {
      for (const rate of options.rates) if ((await probe(rate, 'fixed')).sustainable) sustainableThroughput = Math.max(sustainableThroughput, rate);
    } else {
      const search = await findSustainableRate(probe, {
        startRate: Math.min(options.startRate, options.maxRate),
        minRate: Math.min(1000, options.startRate),
        maxRate: options.maxRate,
        precision: options.precision,
        maxProbes: allowance,
      });
      sustainableThroughput = search.sustainableRate;
      confirmed = search.confirmed;
    }
    const at = runAt.get(sustainableThroughput)?.latency.eventTime;
    sweeps.push({
      scenario: job.scenario,
      mode: job.mode,
      setting,
      params,
      points,
      sustainableThroughput: Math.round(sustainableThroughput),
      confirmed,
      ...(at ? { latencyAtSustainable: { p50: at.p50, p99: at.p99, p99_9: at.p99_9, max: at.max } } : {}),
      probes: points.length,
    });
  }

  const frontier = options.run.scenarios.map((scenario) => ({
    scenario,
    points: paretoFrontier(sweeps.filter((s) => s.scenario === scenario).flatMap((s) => s.points.filter((p) => p.sustainable))),
  }));
  const recorded = { ...recordedOptions(options.run), ...(broker ? { broker: recordedBrokerOptions(broker) } : {}), sweep: { ...options, run: undefined }, cpuIterationsPerUs };
  // Outputs are compared among runs with the same partitioning only (a workers sweep changes it).
  const digestChecks = [...new Set(runs.map((r) => r.params.workers))].flatMap((w) => checkDigests(runs.filter((r) => r.params.workers === w)));
  const file = buildResultsFile(runs, captureEnvironment(), recorded, digestChecks, new Date(), { sweeps, frontier });
  const problems = runs.filter((r) => r.status !== 'ok').map((run) => `${run.scenario} ${run.mode} @ ${run.offeredRate}/s: ${run.status}: ${run.error}`);
  const mismatches = digestChecks.filter((check) => check.verdict === 'mismatch');
  for (const check of mismatches) problems.push(`OUTPUT MISMATCH in ${check.scenario} @ ${check.offeredRate}/s: ${JSON.stringify(check.digests)}`);
  const exitCode = mismatches.length > 0 ? EXIT_MISMATCH : runs.some((run) => run.status !== 'ok') ? 1 : 0;
  return { file, exitCode, problems };
}

/** Probes a later search is expected to take, for the time-left estimate (typically ~6 to bracket, ~3 to bisect, 1 to confirm). */
const TYPICAL_SEARCH_PROBES = 10;
