/**
 * `streambench sweep`: for each scenario, mode and knob setting, finds the sustainable
 * throughput (or runs an explicit `--rates` list), judges each probe, and reports the
 * points, each mode's sustainable throughput and knee, and the latency–throughput frontier.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { writeFileAtomic } from '../../reports/atomic-write.js';
import { sweepCsv } from '../../reports/sweep-csv.js';
import { formatMicros, formatRate } from '../../reports/format.js';
import { checkDigests } from '../../reports/digest-check.js';
import { buildResultsFile, writeReports } from '../../reports/results-file.js';
import type { RunResult, SweepPoint, SweepResult } from '../../reports/schema.js';
import { calibrateCpuIterationsPerUs } from '../calibrate.js';
import { captureEnvironment } from '../environment.js';
import { runIsolated } from '../run-isolated.js';
import { planTrials } from '../run-command.js';
import { parseRunOptions, type RunOptions } from '../run-options.js';
import { parseDurationUs, parseRate } from '../units.js';
import { UsageError } from '../usage-error.js';
import { bestUnder, paretoFrontier } from './frontier.js';
import { findSustainableRate, type ProbeOutcome } from './search.js';
import { parseSlo, type Slo } from './slo.js';
import { judgeRun } from './stability.js';

/** Flags only `sweep` has; every other flag is `run`'s (see `streambench run --help`). */
const SWEEP_FLAGS = {
  rates: { type: 'string', help: 'explicit offered rates (comma list): no search' },
  'start-rate': { type: 'string', help: 'first rate of the search [default: 100k]' },
  'max-rate': { type: 'string', help: 'highest rate the search may offer [default: 40M]' },
  precision: { type: 'string', help: 'stop bisecting when the bracket is within this fraction [default: 0.1]' },
  slo: { type: 'string', help: 'latency bound a sustainable rate must meet, e.g. p99<50ms' },
  budget: { type: 'string', help: 'time budget for the whole sweep, e.g. 5m [default: 5m]' },
  knob: { type: 'string', help: 'knob to sweep: interval (micro-batch, trigger), max-batch (trigger), workers, flush-timeout (continuous)' },
  values: { type: 'string', help: 'values of --knob, comma list (e.g. 10ms,100ms,1s)' },
} as const;

/** Seconds a probe costs beyond warm-up and measurement (process, pool, drain). */
const PROBE_OVERHEAD_SEC = 1.5;

interface SweepOptions {
  run: RunOptions;
  rates?: number[];
  startRate: number;
  maxRate: number;
  precision: number;
  slo?: Slo;
  budgetSec: number;
  knob?: { name: string; values: string[] };
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
    'Also every `streambench run` option (--scenario, --mode, --duration [sweep default 2s], --warmup [0.5s], --workers, --seed, --out, …).',
  ].join('\n');
}

/** Parses `sweep`'s arguments; throws UsageError naming the flag. */
export function parseSweepOptions(argv: string[]): SweepOptions | 'help' {
  const options = { ...SWEEP_FLAGS, help: { type: 'boolean' } } as const;
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
  const { values } = parseArgs({ args: own, options, strict: true, allowPositionals: false });
  if (values.help) return 'help';
  const withDefaults = (flag: string, fallback: string): string[] => (rest.some((a) => a === flag || a.startsWith(`${flag}=`)) ? [] : [flag, fallback]);
  const run = parseRunOptions([...withDefaults('--duration', '2s'), ...withDefaults('--warmup', '0.5s'), ...rest]);
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
  const knobs = ['interval', 'max-batch', 'workers', 'flush-timeout'];
  if (values.knob !== undefined && !knobs.includes(values.knob)) throw new UsageError(`--knob: unknown knob '${values.knob}'; accepted: ${knobs.join(', ')}`);
  if ((values.knob === undefined) !== (values.values === undefined)) throw new UsageError('--knob and --values go together: e.g. --knob interval --values 10ms,100ms,1s');
  return {
    run,
    ...(values.rates !== undefined ? { rates: values.rates.split(',').map((r) => rate('rates', r)) } : {}),
    startRate: rate('start-rate', values['start-rate'] ?? '100k'),
    maxRate: rate('max-rate', values['max-rate'] ?? '40M'),
    precision,
    ...(values.slo !== undefined ? { slo: parseSlo(values.slo) } : {}),
    budgetSec: budgetUs / 1e6,
    ...(values.knob !== undefined ? { knob: { name: values.knob, values: (values.values ?? '').split(',').filter(Boolean) } } : {}),
  };
}

/** The run options of one knob setting, and its label; validates the value with `run`'s own parser. */
function applyKnob(base: RunOptions, knob: string, value: string): { options: RunOptions; label: string } {
  const flag = knob === 'interval' ? 'interval' : knob;
  const parsed = parseRunOptions([`--${flag}`, value, ...(knob === 'interval' ? ['--trigger-interval', value] : [])]);
  if (parsed === 'help') throw new UsageError('unexpected --help');
  const options = { ...base };
  if (knob === 'interval') Object.assign(options, { intervalMs: parsed.intervalMs, triggerIntervalMs: parsed.triggerIntervalMs });
  if (knob === 'max-batch') options.maxRecordsPerBatch = parsed.maxRecordsPerBatch;
  if (knob === 'workers') options.workers = parsed.workers;
  if (knob === 'flush-timeout') options.flushTimeoutUs = parsed.flushTimeoutUs;
  return { options, label: `${knob}=${value}` };
}

/** Which modes a knob concerns. */
function knobApplies(knob: string, mode: string): boolean {
  if (knob === 'interval') return mode !== 'continuous';
  if (knob === 'max-batch') return mode === 'trigger';
  if (knob === 'flush-timeout') return mode === 'continuous';
  return true;
}

function pointOf(run: RunResult, setting: string, outcome: ProbeOutcome): SweepPoint {
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

/** Runs the sweep; returns the exit code. */
export async function sweepCommand(options: SweepOptions): Promise<number> {
  const cpuIterationsPerUs = calibrateCpuIterationsPerUs();
  const probeSec = options.run.warmupSec + options.run.durationSec + PROBE_OVERHEAD_SEC;
  const jobs: { scenario: string; mode: string; setting: string; options: RunOptions }[] = [];
  for (const scenario of options.run.scenarios) {
    for (const mode of options.run.modes) {
      const settings = options.knob && knobApplies(options.knob.name, mode)
        ? options.knob.values.map((value) => applyKnob(options.run, options.knob!.name, value))
        : [{ options: options.run, label: '' }];
      for (const setting of settings) jobs.push({ scenario, mode, setting: setting.label, options: setting.options });
    }
  }
  const probesPerJob = Math.max(3, Math.floor(options.budgetSec / probeSec / jobs.length));
  const startedAt = Date.now();
  let probesDone = 0;
  const totalProbes = jobs.length * (options.rates?.length ?? probesPerJob);
  const runs: RunResult[] = [];
  const sweeps: SweepResult[] = [];

  for (const job of jobs) {
    const points: SweepPoint[] = [];
    const lastRunAt = new Map<number, RunResult>();
    const probe = async (rate: number): Promise<ProbeOutcome> => {
      const [spec] = planTrials({ ...job.options, scenarios: [job.scenario], modes: [job.mode], rates: [Math.round(rate)], trials: 1 }, cpuIterationsPerUs);
      if (!options.run.quiet) {
        const elapsed = (Date.now() - startedAt) / 1000;
        const left = Math.max(0, (totalProbes - probesDone) * probeSec);
        process.stderr.write(`[sweep] ${job.scenario} ${job.mode}${job.setting ? ` ${job.setting}` : ''} @ ${formatRate(spec.rate)} — probe ${probesDone + 1}, ${elapsed.toFixed(0)} s elapsed, ≤${left.toFixed(0)} s left\n`);
      }
      const run = await runIsolated(spec, options.run.inProcess);
      probesDone++;
      runs.push(run);
      const outcome = judgeRun(run, options.slo);
      points.push(pointOf(run, job.setting, outcome));
      lastRunAt.set(rate, run);
      return outcome;
    };

    let sustainableThroughput = 0;
    let confirmed = false;
    if (options.rates) {
      for (const rate of options.rates) if ((await probe(rate)).sustainable) sustainableThroughput = Math.max(sustainableThroughput, rate);
    } else {
      const search = await findSustainableRate(probe, {
        startRate: options.startRate,
        minRate: Math.min(1000, options.startRate),
        maxRate: options.maxRate,
        precision: options.precision,
        maxProbes: probesPerJob,
      });
      sustainableThroughput = search.sustainableRate;
      confirmed = search.confirmed;
    }
    const atSustainable = lastRunAt.get(sustainableThroughput)?.latency.eventTime;
    sweeps.push({
      scenario: job.scenario,
      mode: job.mode,
      setting: job.setting,
      params: planTrials({ ...job.options, scenarios: [job.scenario], modes: [job.mode], rates: [1], trials: 1 }, cpuIterationsPerUs)[0].params,
      points,
      sustainableThroughput,
      confirmed,
      ...(atSustainable ? { latencyAtSustainable: { p50: atSustainable.p50, p99: atSustainable.p99, p99_9: atSustainable.p99_9, max: atSustainable.max } } : {}),
      probes: points.length,
    });
  }

  const frontier = options.run.scenarios.map((scenario) => ({
    scenario,
    points: paretoFrontier(sweeps.filter((s) => s.scenario === scenario).flatMap((s) => s.points.filter((p) => p.sustainable))),
  }));
  const file = { ...buildResultsFile(runs, captureEnvironment(), { ...options.run, sweep: { ...options, run: undefined }, cpuIterationsPerUs }, checkDigests(runs)), sweeps, frontier };
  const paths = await writeReports(options.run.out, file);
  const csvPath = join(options.run.out, 'sweep.csv');
  await writeFileAtomic(csvPath, sweepCsv(sweeps));
  paths.push(csvPath);
  process.stdout.write(`${renderSweepSummary(sweeps, frontier, options.slo)}\nWrote ${paths.join(', ')}\n`);
  return runs.some((run) => run.status !== 'ok') ? 1 : 0;
}

/** The terminal summary: sustainable throughput and knee per mode and setting, and the frontier answer. */
export function renderSweepSummary(sweeps: readonly SweepResult[], frontier: readonly { scenario: string; points: SweepPoint[] }[], slo?: Slo): string {
  const lines: string[] = [];
  for (const sweep of sweeps) {
    const knee = sweep.latencyAtSustainable;
    const label = `${sweep.scenario} ${sweep.mode}${sweep.setting ? ` ${sweep.setting}` : ''}`;
    const why = sweep.points.find((p) => !p.sustainable && p.offeredRate > sweep.sustainableThroughput)?.reasons.join('; ');
    lines.push(
      `${label.padEnd(36)} sustainable ${formatRate(sweep.sustainableThroughput).padStart(8)}${sweep.confirmed ? ' (confirmed)' : ''}` +
        `${knee ? `  p50 ${formatMicros(knee.p50)} p99 ${formatMicros(knee.p99)}` : ''}  ${sweep.probes} probes${why ? `  — above it: ${why}` : ''}`,
    );
  }
  for (const { scenario, points } of frontier) {
    if (points.length === 0) continue;
    lines.push(`${scenario} frontier: ${points.map((p) => `${p.mode}${p.setting ? ` ${p.setting}` : ''} ${formatRate(p.throughputOut)}@p99 ${formatMicros(p.p99)}`).join(' → ')}`);
    const bounds = slo ? [slo.boundUs] : [1000, 10_000, 100_000, 1_000_000];
    for (const bound of bounds) {
      const best = bestUnder(points, bound);
      lines.push(best ? `  for p99 under ${formatMicros(bound)}, the most throughput is ${best.mode}${best.setting ? ` at ${best.setting}` : ''}: ${formatRate(best.throughputOut)} out` : `  for p99 under ${formatMicros(bound)}: no sustainable setting`);
    }
  }
  return lines.join('\n');
}
