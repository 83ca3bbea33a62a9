/**
 * The library's commands: each takes the flags of its CLI command as an object (flag names
 * as `streambench <command> --help` lists them: `{ scenario: 'steady', mode: 'trigger,./m.js',
 * rate: '1k,1M', 'in-process': true }`), runs it, and resolves with what it measured, the same
 * objects `results.json` holds. Nothing is printed but progress (off unless `quiet: false`),
 * and nothing is written unless `out` is given. Bad flags reject with the CLI's message
 * (a {@link UsageError}, whose `message` names the flag and the fix).
 */
import type { GateOutcome } from '../reports/gate/gate.js';
import type { Baseline } from '../reports/gate/baseline.js';
import { writeHtmlReport, writeRunReport } from '../reports/html/report-command.js';
import { readResultsFile, writeReports } from '../reports/results-file.js';
import type { ResultsFile } from '../primitives/results-schema.js';
import { UsageError } from '../primitives/usage-error.js';
import { loadModePluginsIn } from '../runner/mode-plugins.js';
import { prepareBrokerArgv } from '../runner/broker/broker-runs.js';
import { parseRunOptions } from '../runner/run-options.js';
import { registerScenario } from '../runner/scenario-options.js';
import { parseWorkload, type Scenario } from '../scenarios/index.js';
import { executeGate, parseGateOptions } from './gate-command.js';
import { executeRun } from './run-command.js';
import { executeSweep, parseSweepOptions } from './sweep-command.js';

export { UsageError };

/**
 * Validates a workload (the format of a workload file, as an object: `name`, `description`,
 * `profile`, `keys`, `valueRange`, `pipeline`, …; see `scenarios/workload.schema.json`) and makes
 * it a scenario of this process: `run({ scenario: 'my-workload' })` finds it by name, and each
 * trial's process gets it with the trial. Rejects with the same one-line messages as a file.
 */
export function defineScenario(workload: Record<string, unknown>): Scenario {
  const label = typeof workload.name === 'string' ? `defineScenario(${workload.name})` : 'defineScenario';
  const scenario = parseWorkload(JSON.stringify(workload), 'json', label);
  registerScenario(scenario);
  return scenario;
}

/** A command's flags: flag name (without dashes) → value; `true` for a boolean flag. */
export type Flags = Readonly<Record<string, string | number | boolean | undefined>>;

/** What `run` and `sweep` resolve with: the results (as results.json holds them), the exit code the CLI would give, and its problem lines. */
export interface Measured {
  results: ResultsFile;
  exitCode: number;
  problems: string[];
  /** The files written (when `out` was given). */
  written: string[];
}

/** The flags as a command line: `{ rate: '1k', quiet: true }` → `['--rate', '1k', '--quiet']`. */
export function toArgv(flags: Flags): string[] {
  return Object.entries(flags).flatMap(([name, value]) => {
    if (value === undefined || value === false) return [];
    return value === true ? [`--${name}`] : [`--${name}`, String(value)];
  });
}

/** `streambench run`: every scenario × mode × rate × trial; see `streambench run --help` for the flags. */
export async function run(flags: Flags = {}): Promise<Measured> {
  const { broker, argv } = prepareBrokerArgv(toArgv({ quiet: true, ...flags }));
  const options = parseRunOptions(await loadModePluginsIn(argv));
  if (options === 'help') throw new UsageError('run: "help" is not an option of the library call; see `streambench run --help`');
  const { file, exitCode, problems } = await executeRun(options, broker);
  return { results: file, exitCode, problems, written: flags.out === undefined ? [] : await writeAll(options.out, file) };
}

/** `streambench sweep`: each mode's sustainable throughput and the frontier; see `streambench sweep --help`. */
export async function sweep(flags: Flags = {}): Promise<Measured> {
  const { broker, argv } = prepareBrokerArgv(toArgv({ quiet: true, ...flags }));
  const options = parseSweepOptions(await loadModePluginsIn(argv));
  if (options === 'help') throw new UsageError('sweep: "help" is not an option of the library call; see `streambench sweep --help`');
  const { file, exitCode, problems } = await executeSweep(options, broker);
  return { results: file, exitCode, problems, written: flags.out === undefined ? [] : await writeAll(options.run.out, file) };
}

/** What `gate` resolves with: the exit code the CLI would give, the verdicts or the recorded baseline, and the summary lines. */
export interface GateResult {
  exitCode: number;
  passed: boolean;
  outcome?: GateOutcome;
  recorded?: Baseline;
  lines: string[];
  problems: string[];
}

/** `streambench gate`: a suite against its baseline (writes the gate's outputs to `out`); see `streambench gate --help`. */
export async function gate(flags: Flags = {}): Promise<GateResult> {
  const options = parseGateOptions(toArgv({ quiet: true, ...flags }));
  if (options === 'help') throw new UsageError('gate: "help" is not an option of the library call; see `streambench gate --help`');
  const report = await executeGate(options);
  return { ...report, passed: report.exitCode === 0 };
}

/** `streambench report`: one self-contained HTML page for results files or results objects; resolves with its path. */
export async function report(inputs: readonly (string | ResultsFile)[], outDir: string): Promise<string> {
  const files = await Promise.all(inputs.map(async (input, i) => ({ label: typeof input === 'string' ? input : `results ${i + 1}`, file: typeof input === 'string' ? await readResultsFile(input) : input })));
  return writeHtmlReport(outDir, files);
}

async function writeAll(outDir: string, file: ResultsFile): Promise<string[]> {
  const paths = await writeReports(outDir, file);
  paths.push(await writeRunReport(outDir, file));
  return paths;
}
