/**
 * The `run` command's options: parsed from the command line with `node:util`'s parseArgs,
 * validated field by field, each problem reported as a {@link UsageError} that names the
 * flag and what it accepts.
 */
import { parseArgs } from 'node:util';
import { engines } from '../engines/index.js';
import { builtinScenarios, findScenario, type Scenario } from '../scenarios/index.js';
import { parseDownstreamFlags, type DownstreamOverrides } from './downstream-options.js';
import { acceptedScenarios, parseScenarioList } from './scenario-options.js';
import { parseDurationUs, parseRate } from '../primitives/units.js';
import { UsageError } from '../primitives/usage-error.js';

/** Validated options of a `run`. */
export interface RunOptions {
  /** Scenario names (a workload file's scenario by the name it declares). */
  scenarios: string[];
  /** Scenarios read from workload files (`--scenario ./my.yaml`); the others are built-ins. */
  workloads?: Scenario[];
  modes: string[];
  rates: number[];
  durationSec: number;
  warmupSec: number;
  trials: number;
  /** micro-batch batch interval (ms). */
  intervalMs: number;
  /** trigger mode interval (ms); 0 = next batch as soon as the last ends. */
  triggerIntervalMs: number;
  /** trigger mode per-batch cap; undefined = none. */
  maxRecordsPerBatch: number | undefined;
  /** continuous epoch interval (ms). */
  checkpointMs: number;
  /** continuous output flush timeout (µs). */
  flushTimeoutUs: number;
  workers: number;
  seed: number;
  out: string;
  inProcess: boolean;
  logCapacity: number;
  drainTimeoutSec: number;
  quiet: boolean;
  /** Priority lane settings to run (scenarios with a priority class): [false] = off, [false, true] = both. */
  priorityLanes?: boolean[];
  /** Overrides the declared priority fraction of scenarios with a priority class. */
  priorityFraction?: number;
  /** Slow-sink and fault overrides (`--sink-*`, `--kill-at`, `--fail-batch-at`); empty = the scenarios' own. */
  downstream: DownstreamOverrides;
}

/** The flags `run` accepts, with their defaults (shown by --help). */
export const RUN_FLAGS = {
  scenario: { type: 'string', default: 'steady', help: `scenarios, comma-separated: ${acceptedScenarios()}` },
  mode: { type: 'string', default: [...engines.keys()].join(','), help: 'execution modes, comma-separated' },
  rate: { type: 'string', default: '1k,20M', help: 'offered rates in records/s, comma-separated (e.g. 1k,2.5M)' },
  duration: { type: 'string', default: '3s', help: 'measured time per trial (e.g. 3s, 500ms)' },
  warmup: { type: 'string', default: '1s', help: 'warm-up per trial, excluded from every figure' },
  trials: { type: 'string', default: '1', help: 'trials per scenario × mode × rate' },
  interval: { type: 'string', default: '100ms', help: 'micro-batch batch interval T' },
  'trigger-interval': { type: 'string', default: '0ms', help: 'trigger mode interval (0 = next batch as soon as the last ends)' },
  'max-batch': { type: 'string', default: '', help: 'trigger mode cap on records per batch (like maxOffsetsPerTrigger)' },
  checkpoint: { type: 'string', default: '1s', help: 'continuous mode epoch marker interval' },
  'flush-timeout': { type: 'string', default: '0us', help: 'continuous mode output flush timeout (0 = emit every record at once)' },
  workers: { type: 'string', default: '2', help: 'worker threads = partitions = partition tasks' },
  seed: { type: 'string', default: '42', help: 'seed of the source (same seed, same records)' },
  out: { type: 'string', default: 'reports/out', help: 'folder for results.json, CSV and HTML' },
  'in-process': { type: 'boolean', default: false, help: 'run trials in this process instead of a fresh child process each' },
  'log-capacity': { type: 'string', default: '4194304', help: 'source log retention per partition, records (past it the source drops and counts)' },
  'drain-timeout': { type: 'string', default: '10s', help: 'longest wait for an engine to catch up after the source stops' },
  'priority-lane': { type: 'string', default: 'off', help: 'priority lane for scenarios with a priority class: off, on, or off,on for both' },
  'priority-fraction': { type: 'string', default: '', help: 'fraction of records of the priority class, 0 < f ≤ 1 (default: the scenario\'s, 0.02 for priority)' },
  quiet: { type: 'boolean', default: false, help: 'no progress output' },
  'sink-capacity': { type: 'string', default: '', help: "slow sink: records/s the downstream absorbs, or 'unlimited' (any scenario; default: the scenario's)" },
  'sink-latency': { type: 'string', default: '', help: 'slow sink: fixed time per write (e.g. 100us)' },
  'sink-queue': { type: 'string', default: '', help: 'slow sink: bound of its inbound queue, records (shared by the partitions)' },
  'sink-drop': { type: 'string', default: '', help: 'slow sink: none (a full queue holds the engine back) or newest (drop and count)' },
  'kill-at': { type: 'string', default: '', help: 'fault scenario: when the worker is killed, time into the measurement window' },
  'fail-batch-at': { type: 'string', default: '', help: "fault scenario, batch modes: the first batch starting this long into the measurement throws once ('none' = no failure)" },
  help: { type: 'boolean', default: false, help: 'show this help' },
} as const;

type Flag = keyof typeof RUN_FLAGS;

/** Parses and validates `run`'s arguments. Throws {@link UsageError} on the first problem. */
export function parseRunOptions(argv: string[]): RunOptions | 'help' {
  const options = Object.fromEntries(
    Object.entries(RUN_FLAGS).map(([name, flag]) => [name, { type: flag.type, default: flag.default }]),
  ) as { [F in Flag]: { type: (typeof RUN_FLAGS)[F]['type']; default: (typeof RUN_FLAGS)[F]['default'] } };
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({ args: argv, options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    const message = (error as Error).message;
    const ambiguous = /Option '(--[\w-]+)' argument is ambiguous/.exec(message);
    if (ambiguous) throw new UsageError(`${ambiguous[1]}: its value starts with '-'; values must be positive (see \`streambench run --help\`)`);
    throw new UsageError(`${message.split('\n')[0].replace(/\.$/, '')}. Run \`streambench run --help\` for the accepted flags.`);
  }
  if (values.help) return 'help';
  const text = (flag: Flag): string => String(values[flag]);

  const list = (flag: Flag, known: ReadonlyMap<string, unknown>): string[] => {
    const items = text(flag).split(',').map((s) => s.trim()).filter(Boolean);
    if (items.length === 0) throw new UsageError(`--${flag} is empty; accepted: ${[...known.keys()].join(', ')}`);
    for (const item of items) {
      if (!known.has(item)) throw new UsageError(`--${flag}: unknown ${flag} '${item}'; accepted: ${[...known.keys()].join(', ')}`);
    }
    return items;
  };
  const positiveDuration = (flag: Flag, unit: 'ms' | 's' | 'us', allowZero = false): number => {
    const us = parseDurationUs(text(flag), unit);
    if (us === undefined || !Number.isFinite(us)) throw new UsageError(`--${flag}: '${text(flag)}' is not a duration; use e.g. 100ms, 2s, 250us, 1m`);
    if (us < 0 || (!allowZero && us === 0)) throw new UsageError(`--${flag}: must be ${allowZero ? 'zero or more' : 'greater than zero'}, got '${text(flag)}'`);
    return us;
  };
  const integer = (flag: Flag, min: number, max = Number.MAX_SAFE_INTEGER): number => {
    const value = Number(text(flag));
    if (!/^\s*\d+\s*$/.test(text(flag)) || value < min || value > max) {
      throw new UsageError(`--${flag}: '${text(flag)}' must be a whole number from ${min} to ${max}`);
    }
    return value;
  };

  const rates = text('rate').split(',').map((item) => {
    const rate = parseRate(item);
    if (rate === undefined) throw new UsageError(`--rate: '${item}' is not a rate; use records/s like 1000, 5k or 2.5M`);
    if (rate <= 0) throw new UsageError(`--rate: must be greater than zero, got '${item}'`);
    return rate;
  });
  const maxBatch = text('max-batch');
  const selection = parseScenarioList(text('scenario'));
  return {
    scenarios: selection.names,
    ...(selection.workloads.length > 0 ? { workloads: selection.workloads } : {}),
    modes: list('mode', engines),
    rates,
    durationSec: positiveDuration('duration', 's') / 1e6,
    warmupSec: positiveDuration('warmup', 's', true) / 1e6,
    trials: integer('trials', 1, 1000),
    intervalMs: positiveDuration('interval', 'ms') / 1000,
    triggerIntervalMs: positiveDuration('trigger-interval', 'ms', true) / 1000,
    maxRecordsPerBatch: maxBatch === '' ? undefined : integer('max-batch', 1),
    checkpointMs: positiveDuration('checkpoint', 'ms') / 1000,
    flushTimeoutUs: positiveDuration('flush-timeout', 'us', true),
    workers: integer('workers', 1, 64),
    seed: integer('seed', 0, 2 ** 32 - 1),
    out: text('out'),
    inProcess: Boolean(values['in-process']),
    logCapacity: integer('log-capacity', 1024, 2 ** 26),
    drainTimeoutSec: positiveDuration('drain-timeout', 's') / 1e6,
    quiet: Boolean(values.quiet),
    ...parsePriorityFlags(text('priority-lane'), text('priority-fraction'), selection.names, selection.workloads),
    downstream: parseDownstreamFlags({
      'sink-capacity': text('sink-capacity'),
      'sink-latency': text('sink-latency'),
      'sink-queue': text('sink-queue'),
      'sink-drop': text('sink-drop'),
      'kill-at': text('kill-at'),
      'fail-batch-at': text('fail-batch-at'),
    }),
  };
}

/** Validates `--priority-lane` and `--priority-fraction` against the chosen scenarios. */
function parsePriorityFlags(laneText: string, fractionText: string, chosen: readonly string[], workloads: readonly Scenario[]): Pick<RunOptions, 'priorityLanes' | 'priorityFraction'> {
  const items = laneText.split(',').map((s) => s.trim()).filter(Boolean);
  if (items.length === 0) throw new UsageError(`--priority-lane is empty; accepted: off, on, off,on`);
  for (const item of items) if (item !== 'off' && item !== 'on') throw new UsageError(`--priority-lane: unknown setting '${item}'; accepted: off, on, off,on`);
  const lanes = [...new Set(items.map((item) => item === 'on'))];
  const withClass = chosen.filter((name) => findScenario(name, workloads)?.priority);
  const classNames = [...builtinScenarios().values()].filter((s) => s.priority).map((s) => s.name).join(', ');
  if (withClass.length === 0 && (lanes.includes(true) || fractionText !== '')) {
    const flag = fractionText !== '' ? '--priority-fraction' : '--priority-lane';
    throw new UsageError(`${flag}: none of the scenarios (${chosen.join(', ')}) has a priority class; add one, e.g. --scenario ${classNames}`);
  }
  if (fractionText === '') return { priorityLanes: lanes };
  const fraction = Number(fractionText);
  if (!/^\s*(\d+(\.\d*)?|\.\d+)\s*$/.test(fractionText) || !(fraction > 0 && fraction <= 1)) {
    throw new UsageError(`--priority-fraction: '${fractionText}' must be a fraction greater than 0 and at most 1, e.g. 0.02`);
  }
  return { priorityLanes: lanes, priorityFraction: fraction };
}

/** The help text of `run`. */
export function runHelp(): string {
  const lines = Object.entries(RUN_FLAGS).map(([name, flag]) => {
    const shown = flag.type === 'boolean' ? `--${name}` : `--${name} <v>`;
    const fallback = flag.type === 'boolean' || flag.default === '' ? '' : ` [default: ${flag.default}]`;
    return `  ${shown.padEnd(24)} ${flag.help}${fallback}`;
  });
  return ['Usage: streambench run [options]', '', 'Runs each scenario under each mode at each rate and writes results.json, CSV and a table.', '', 'Options:', ...lines].join('\n');
}
