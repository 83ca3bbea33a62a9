/**
 * The `run` command's options: parsed from the command line with `node:util`'s parseArgs,
 * validated field by field, each problem reported as a {@link UsageError} that names the
 * flag and what it accepts.
 */
import { parseArgs } from 'node:util';
import { modes, type ModeSetting } from '../engines/index.js';
import { builtinScenarios, findScenario, type Scenario } from '../scenarios/index.js';
import { parseDownstreamFlags, type DownstreamOverrides } from './downstream-options.js';
import { parseMemoryFlags, type MemoryOptions } from './memory-options.js';
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
  /**
   * Every registered mode's settings, by option key (`ModeSetting.option`): e.g. `intervalMs`
   * (micro-batch T), `triggerIntervalMs`, `maxRecordsPerBatch` (absent = none), `checkpointMs`,
   * `flushTimeoutUs`. Each mode takes its own (see `paramsFor`).
   */
  modeSettings: Record<string, number | undefined>;
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
  /** Whole-stage code generation of each partition task's pipeline (`--codegen on`, the default); false = the interpreted chain of stages. */
  codegen: boolean;
  /** Latency recording in the partition tasks (`--latency-recording on`, the default); false = throughput only, to price the instrumentation. */
  latencyRecording: boolean;
  /** Cache hints, memory budgets and the spill folder (`--cache`, `--memory-budget`, `--spill-dir`); absent = none given. */
  memory?: MemoryOptions;
}

/** The flags of every run (the modes' own settings are added from their descriptors). */
const COMMON_FLAGS = {
  scenario: { type: 'string', default: 'steady', help: `scenarios, comma-separated: ${acceptedScenarios()}` },
  mode: { type: 'string', default: '', help: 'execution modes, comma-separated' },
  rate: { type: 'string', default: '1k,80M', help: 'offered rates in records/s, comma-separated (e.g. 1k,2.5M)' },
  duration: { type: 'string', default: '3s', help: 'measured time per trial (e.g. 3s, 500ms)' },
  warmup: { type: 'string', default: '1s', help: 'warm-up per trial, excluded from every figure' },
  trials: { type: 'string', default: '1', help: 'trials per scenario × mode × rate' },
  workers: { type: 'string', default: '2', help: 'worker threads = partitions = partition tasks' },
  seed: { type: 'string', default: '42', help: 'seed of the source (same seed, same records)' },
  out: { type: 'string', default: 'reports/out', help: 'folder for results.json, CSV and HTML' },
  'in-process': { type: 'boolean', default: false, help: 'run trials in this process instead of a fresh child process each' },
  'log-capacity': { type: 'string', default: '4194304', help: 'source log retention per partition, records (past it the source drops and counts)' },
  'drain-timeout': { type: 'string', default: '10s', help: 'longest wait for an engine to catch up after the source stops' },
  'priority-lane': { type: 'string', default: 'off', help: 'priority lane for scenarios with a priority class: off, on, or off,on for both' },
  'priority-fraction': { type: 'string', default: '', help: 'fraction of records of the priority class, 0 < f ≤ 1 (default: the scenario\'s, 0.02 for priority)' },
  codegen: { type: 'string', default: 'on', help: 'whole-stage code generation: on (one generated function per partition task) or off (the interpreted chain of stages)' },
  'latency-recording': { type: 'string', default: 'on', help: 'on, or off: the tasks record no latency (no histograms, output timeline or bins), to measure what the instrumentation costs in throughput' },
  cache: { type: 'string', default: '', help: "scenarios whose pipeline forks into branches: off (recompute the shared prefix per branch), on (compute it once), or off,on for both (default: the scenario's)" },
  'memory-budget': { type: 'string', default: '', help: 'keyed and window state per partition task, e.g. 64MB (binary units); past it the coldest state spills to disk; none, or a list like none,8MB to run both' },
  'spill-dir': { type: 'string', default: '', help: 'folder for spilled state (default: a temporary folder per trial, removed after)' },
  quiet: { type: 'boolean', default: false, help: 'no progress output' },
  'sink-capacity': { type: 'string', default: '', help: "slow sink: records/s the downstream absorbs, or 'unlimited' (any scenario; default: the scenario's)" },
  'sink-latency': { type: 'string', default: '', help: 'slow sink: fixed time per write (e.g. 100us)' },
  'sink-queue': { type: 'string', default: '', help: 'slow sink: bound of its inbound queue, records (shared by the partitions)' },
  'sink-drop': { type: 'string', default: '', help: 'slow sink: none (a full queue holds the engine back) or newest (drop and count)' },
  'kill-at': { type: 'string', default: '', help: 'fault scenario: when the worker is killed, time into the measurement window' },
  'fail-batch-at': { type: 'string', default: '', help: "fault scenario, batch modes: the first batch starting this long into the measurement throws once ('none' = no failure)" },
  help: { type: 'boolean', default: false, help: 'show this help' },
} as const;

/** A flag of `run`: its type, default and help line. */
interface FlagSpec {
  type: 'string' | 'boolean';
  default: string | boolean;
  help: string;
}

/** The mode settings of every registered mode, one per flag, in display order. */
function modeSettingFlags(): ModeSetting[] {
  const byFlag = new Map<string, ModeSetting>();
  for (const mode of modes.all()) for (const setting of mode.settings) if (!byFlag.has(setting.flag)) byFlag.set(setting.flag, setting);
  return [...byFlag.values()];
}

/** The flags `run` accepts, with their defaults (shown by --help): the common ones with the registered modes' settings after `--trials`. */
export function runFlags(): Record<string, FlagSpec> {
  const entries: [string, FlagSpec][] = Object.entries(COMMON_FLAGS).map(([name, flag]) => [name, { ...flag }]);
  entries.find(([name]) => name === 'mode')![1].default = modes.all().map((mode) => mode.id).join(',');
  const settings = modeSettingFlags().map((setting): [string, FlagSpec] => [setting.flag, { type: 'string', default: setting.default, help: setting.help }]);
  const at = entries.findIndex(([name]) => name === 'trials') + 1;
  entries.splice(at, 0, ...settings);
  return Object.fromEntries(entries);
}

type Flag = keyof typeof COMMON_FLAGS;

/** Parses and validates `run`'s arguments. Throws {@link UsageError} on the first problem. */
export function parseRunOptions(argv: string[]): RunOptions | 'help' {
  const options = Object.fromEntries(Object.entries(runFlags()).map(([name, flag]) => [name, { type: flag.type, default: flag.default }])) as Record<
    string,
    { type: 'string'; default: string } | { type: 'boolean'; default: boolean }
  >;
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
  const text = (flag: string): string => String(values[flag]);

  const list = (flag: Flag, known: { has(name: string): boolean; keys(): Iterable<string> }): string[] => {
    const items = text(flag).split(',').map((s) => s.trim()).filter(Boolean);
    if (items.length === 0) throw new UsageError(`--${flag} is empty; accepted: ${[...known.keys()].join(', ')}`);
    for (const item of items) {
      if (!known.has(item)) throw new UsageError(`--${flag}: unknown ${flag} '${item}'; accepted: ${[...known.keys()].join(', ')}`);
    }
    return items;
  };
  const positiveDuration = (flag: string, unit: 'ms' | 's' | 'us', allowZero = false): number => {
    const us = parseDurationUs(text(flag), unit);
    if (us === undefined || !Number.isFinite(us)) throw new UsageError(`--${flag}: '${text(flag)}' is not a duration; use e.g. 100ms, 2s, 250us, 1m`);
    if (us < 0 || (!allowZero && us === 0)) throw new UsageError(`--${flag}: must be ${allowZero ? 'zero or more' : 'greater than zero'}, got '${text(flag)}'`);
    return us;
  };
  const integer = (flag: string, min: number, max = Number.MAX_SAFE_INTEGER): number => {
    const value = Number(text(flag));
    if (!/^\s*\d+\s*$/.test(text(flag)) || value < min || value > max) {
      throw new UsageError(`--${flag}: '${text(flag)}' must be a whole number from ${min} to ${max}`);
    }
    return value;
  };

  /** A mode setting's value, read the way its kind says. */
  const readSetting = (setting: ModeSetting): number | undefined => {
    switch (setting.kind) {
      case 'interval-ms':
        return positiveDuration(setting.flag, 'ms') / 1000;
      case 'interval-ms-or-zero':
        return positiveDuration(setting.flag, 'ms', true) / 1000;
      case 'duration-us-or-zero':
        return positiveDuration(setting.flag, 'us', true);
      case 'count-or-none':
        return text(setting.flag) === '' ? undefined : integer(setting.flag, 1);
    }
  };

  const rates = text('rate').split(',').map((item) => {
    const rate = parseRate(item);
    if (rate === undefined) throw new UsageError(`--rate: '${item}' is not a rate; use records/s like 1000, 5k or 2.5M`);
    if (rate <= 0) throw new UsageError(`--rate: must be greater than zero, got '${item}'`);
    return rate;
  });
  const selection = parseScenarioList(text('scenario'));
  const codegen = text('codegen').trim();
  if (codegen !== 'on' && codegen !== 'off') throw new UsageError(`--codegen: unknown setting '${codegen}'; accepted: on, off`);
  const recording = text('latency-recording').trim();
  if (recording !== 'on' && recording !== 'off') throw new UsageError(`--latency-recording: unknown setting '${recording}'; accepted: on, off`);
  return {
    scenarios: selection.names,
    ...(selection.workloads.length > 0 ? { workloads: selection.workloads } : {}),
    modes: list('mode', { has: (id) => modes.has(id), keys: () => modes.all().map((mode) => mode.id) }),
    rates,
    durationSec: positiveDuration('duration', 's') / 1e6,
    warmupSec: positiveDuration('warmup', 's', true) / 1e6,
    trials: integer('trials', 1, 1000),
    modeSettings: Object.fromEntries(modeSettingFlags().map((setting) => [setting.option, readSetting(setting)])),
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
    codegen: codegen === 'on',
    latencyRecording: recording === 'on',
    ...memoryOf(parseMemoryFlags({ cache: text('cache'), 'memory-budget': text('memory-budget'), 'spill-dir': text('spill-dir') }, chosenScenarios(selection.names, selection.workloads))),
  };
}

/** The scenarios a run names, found (unknown names were refused by `parseScenarioList`). */
function chosenScenarios(names: readonly string[], workloads: readonly Scenario[]): Scenario[] {
  return names.flatMap((name) => {
    const scenario = findScenario(name, workloads);
    return scenario ? [scenario] : [];
  });
}

/** The memory options, left out when no flag of theirs was given. */
function memoryOf(memory: MemoryOptions): { memory?: MemoryOptions } {
  return Object.keys(memory).length > 0 ? { memory } : {};
}

/**
 * The options as results.json records them: flat, each mode setting under its own key where
 * `modeSettings` stands (e.g. `"intervalMs": 100, "triggerIntervalMs": 0`).
 */
export function recordedOptions(options: RunOptions): Record<string, unknown> {
  return Object.fromEntries(Object.entries(options).flatMap(([key, value]) => (key === 'modeSettings' ? Object.entries(value as RunOptions['modeSettings']) : [[key, value]])));
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
  const lines = Object.entries(runFlags()).map(([name, flag]) => {
    const shown = flag.type === 'boolean' ? `--${name}` : `--${name} <v>`;
    const fallback = flag.type === 'boolean' || flag.default === '' ? '' : ` [default: ${flag.default}]`;
    return `  ${shown.padEnd(24)} ${flag.help}${fallback}`;
  });
  return ['Usage: streambench run [options]', '', 'Runs each scenario under each mode at each rate and writes results.json, CSV and a table.', '', 'Options:', ...lines].join('\n');
}
