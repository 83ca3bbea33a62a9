/**
 * `streambench gate`: runs a gate suite's short set of trials, compares every ratio metric
 * with the committed baseline (Mann-Whitney test AND minimum effect size), re-runs suspected
 * regressions to confirm them, and reports: exit 0 pass, 1 regression, 2 bad input or a
 * failed run; a markdown summary (also to `$GITHUB_STEP_SUMMARY`) and github-action-benchmark
 * JSON. `--update-baseline` records the baseline instead.
 */
import { appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { calibrateCpuIterationsPerUs } from '../runner/calibrate.js';
import { captureEnvironment } from '../runner/environment.js';
import { createRoundSampler } from '../runner/gate-sampler.js';
import { suiteSampler } from '../reports/gate/suite-sampler.js';
import { UsageError } from '../primitives/usage-error.js';
import { writeFilesAtomic } from '../reports/atomic-write.js';
import { buildBaseline, readBaseline, writeBaseline, type Baseline } from '../reports/gate/baseline.js';
import { enoughQuiet, MIN_SAMPLES } from '../reports/gate/quiet-samples.js';
import { benchmarkActionEntries } from '../reports/gate/benchmark-action.js';
import { runGate, type GateOutcome } from '../reports/gate/gate.js';
import type { Sampler } from '../reports/gate/sample-set.js';
import { renderBaselineMarkdown, renderGateMarkdown } from '../reports/gate/markdown.js';
import { DEFAULT_SUITES_FILE, loadSuite, type GateSuite } from '../reports/gate/suite.js';

/** The flags of `gate`. */
const GATE_FLAGS = {
  suite: { type: 'string', default: 'quick', help: 'gate suite, from the config file' },
  baseline: { type: 'string', default: '', help: 'baseline file [default: baselines/<suite>.json]' },
  'update-baseline': { type: 'boolean', default: false, help: 'measure and (re)write the baseline instead of gating' },
  trials: { type: 'string', default: '', help: "trials per metric [default: the suite's trials, or baselineTrials with --update-baseline]" },
  out: { type: 'string', default: 'reports/out/gate', help: 'folder for gate-summary.md, gate-results.json and benchmark-*.json' },
  config: { type: 'string', default: DEFAULT_SUITES_FILE, help: 'gate suites file' },
  quiet: { type: 'boolean', default: false, help: 'no progress output' },
  help: { type: 'boolean', default: false, help: 'show this help' },
} as const;

/** Validated options of `gate`. */
export interface GateOptions {
  suite: string;
  baseline: string;
  updateBaseline: boolean;
  trials: number | undefined;
  out: string;
  config: string;
  quiet: boolean;
}

/** Parses `gate`'s arguments; throws {@link UsageError} naming the flag. */
export function parseGateOptions(argv: string[]): GateOptions | 'help' {
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({ args: argv, options: GATE_FLAGS, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new UsageError(`${(error as Error).message.split('\n')[0].replace(/\.$/, '')}. Run \`streambench gate --help\` for the accepted flags.`);
  }
  if (values.help) return 'help';
  const suite = String(values.suite);
  if (!/^[\w.-]+$/.test(suite)) throw new UsageError(`--suite: '${suite}' is not a suite name (letters, digits, '-', '_', '.')`);
  const trialsText = String(values.trials);
  if (trialsText !== '' && !/^\d+$/.test(trialsText)) throw new UsageError(`--trials: '${trialsText}' must be a whole number from 3 to 100`);
  const trials = trialsText === '' ? undefined : Number(trialsText);
  if (trials !== undefined && (trials < 3 || trials > 100)) throw new UsageError(`--trials: '${trialsText}' must be a whole number from 3 to 100 (fewer than 3 cannot show a significant change)`);
  return {
    suite,
    baseline: String(values.baseline) || join('baselines', `${suite}.json`),
    updateBaseline: Boolean(values['update-baseline']),
    trials,
    out: String(values.out),
    config: String(values.config),
    quiet: Boolean(values.quiet),
  };
}

/** The help text of `gate`. */
export function gateHelp(): string {
  const lines = Object.entries(GATE_FLAGS).map(([name, flag]) => {
    const shown = flag.type === 'boolean' ? `--${name}` : `--${name} <v>`;
    const fallback = flag.type === 'boolean' || flag.default === '' ? '' : ` [default: ${flag.default}]`;
    return `  ${shown.padEnd(24)} ${flag.help}${fallback}`;
  });
  return [
    'Usage: streambench gate [options]',
    '',
    'Runs a gate suite and compares its ratio metrics with a baseline: a metric regresses only when',
    'a Mann-Whitney test (p < alpha) and the minimum effect size both say so, and a re-run confirms it.',
    'Exit codes: 0 pass, 1 regression, 2 bad input or a failed run.',
    '',
    'Options:',
    ...lines,
  ].join('\n');
}

/** Dependencies of {@link gateCommand}; tests replace the sampler so no engine runs. */
export interface GateDeps {
  sampler?: (suite: GateSuite) => Sampler;
}

/** What a gate run did: its exit code, what it printed (stdout lines, problems for stderr), and the outcome or baseline it judged or recorded. */
export interface GateReport {
  exitCode: number;
  lines: string[];
  problems: string[];
  /** The verdicts (a gate run against a baseline). */
  outcome?: GateOutcome;
  /** The baseline recorded (`--update-baseline`). */
  recorded?: Baseline;
}

/** `streambench gate`: runs the gate (or records the baseline), prints what it found; returns the exit code. */
export async function gateCommand(options: GateOptions, deps: GateDeps = {}): Promise<number> {
  const report = await executeGate(options, deps);
  for (const line of report.lines) process.stdout.write(`${line}\n`);
  for (const problem of report.problems) process.stderr.write(`streambench: ${problem}\n`);
  return report.exitCode;
}

/** Runs the gate (or records the baseline) and writes its outputs; prints nothing but progress. */
export async function executeGate(options: GateOptions, deps: GateDeps = {}): Promise<GateReport> {
  const started = performance.now();
  const suite = await loadSuite(options.suite, options.config);
  const baseline = options.updateBaseline ? undefined : await readBaseline(options.baseline, suite);
  const sampler = deps.sampler?.(suite) ?? defaultSampler(suite, options.quiet, started + suite.budgetSec * 1000);
  const elapsed = (): number => (performance.now() - started) / 1000;
  try {
    if (!baseline) {
      const measured = await sampler(suite.metrics, options.trials ?? suite.baselineTrials, 'baseline');
      const disturbed = suite.metrics.filter((metric) => metric.gated && !enoughQuiet(measured.contention?.[metric.name], suite.maxContention));
      if (disturbed.length > 0) {
        const problem = `gate: baseline not written: fewer than ${MIN_SAMPLES} trials of ${disturbed.map((m) => `'${m.name}'`).join(', ')} ran undisturbed (other processes kept more than ${suite.maxContention} cores busy during the rest); re-record on a quiet machine`;
        return { exitCode: 2, lines: [], problems: [problem] };
      }
      const recorded = buildBaseline(suite, measured, captureEnvironment());
      await writeBaseline(options.baseline, recorded);
      const markdown = renderBaselineMarkdown(recorded, options.baseline, elapsed());
      await writeFilesAtomic([{ path: join(options.out, 'gate-summary.md'), data: markdown }]);
      return { exitCode: 0, lines: [markdown, `Wrote ${options.baseline}`], problems: [], recorded };
    }
    const trials = options.trials ?? suite.trials;
    const outcome = await runGate(suite, baseline, sampler, trials);
    const markdown = renderGateMarkdown(outcome, { suite, baselinePath: options.baseline, baseline, trials, elapsedSec: elapsed() });
    const paths = await writeOutputs(options, suite, baseline, outcome, markdown);
    if (process.env.GITHUB_STEP_SUMMARY) await appendFile(process.env.GITHUB_STEP_SUMMARY, markdown);
    const lines = outcome.verdicts.map((verdict) => `${verdict.metric}: ${verdict.explanation}${verdict.confirmation ? ` | confirmation: ${verdict.confirmation.explanation}` : ''}${verdict.note ? ` | ${verdict.final}: ${verdict.note}` : ''}`);
    lines.push(`gate ${outcome.passed ? 'PASSED' : 'FAILED: regression confirmed'} in ${Math.round(elapsed())} s; wrote ${paths.join(', ')}`);
    return { exitCode: outcome.passed ? 0 : 1, lines, problems: [], outcome };
  } catch (error) {
    if (error instanceof UsageError) throw error;
    return { exitCode: 2, lines: [], problems: [`gate: measurement failed, nothing judged: ${error instanceof Error ? error.message : String(error)}`] };
  }
}

async function writeOutputs(options: GateOptions, suite: GateSuite, baseline: Baseline, outcome: GateOutcome, markdown: string): Promise<string[]> {
  const { biggerIsBetter, smallerIsBetter } = benchmarkActionEntries(outcome.verdicts, outcome.measured.samples);
  const results = {
    schema: 'streambench/gate-results',
    version: 1,
    createdAt: new Date().toISOString(),
    suite: suite.name,
    baseline: { path: options.baseline, suite: baseline.suite, createdAt: baseline.createdAt, gitSha: baseline.environment.gitSha },
    environment: captureEnvironment(),
    passed: outcome.passed,
    verdicts: outcome.verdicts,
    measured: outcome.measured,
    ...(outcome.confirmation ? { confirmation: outcome.confirmation } : {}),
  };
  const files = [
    { path: join(options.out, 'gate-summary.md'), data: markdown },
    { path: join(options.out, 'gate-results.json'), data: `${JSON.stringify(results, null, 2)}\n` },
    { path: join(options.out, 'benchmark-bigger-is-better.json'), data: `${JSON.stringify(biggerIsBetter, null, 2)}\n` },
    { path: join(options.out, 'benchmark-smaller-is-better.json'), data: `${JSON.stringify(smallerIsBetter, null, 2)}\n` },
  ];
  await writeFilesAtomic(files);
  return files.map((file) => file.path);
}

/** The `gate` entry of the command line: parse, print help or run. */
export async function gateMain(argv: string[]): Promise<number> {
  const options = parseGateOptions(argv);
  if (options === 'help') {
    process.stdout.write(`${gateHelp()}\n`);
    return 0;
  }
  return gateCommand(options);
}

/** The real sampler of `suite`: trials in child processes, references in this process. */
function defaultSampler(suite: GateSuite, quiet: boolean, deadlineMs: number): Sampler {
  const cpuIterationsPerUs = calibrateCpuIterationsPerUs();
  return suiteSampler(suite, cpuIterationsPerUs, createRoundSampler(cpuIterationsPerUs, { quiet, deadlineMs }));
}
