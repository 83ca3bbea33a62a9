/**
 * Knob sweeps: one sustainable-throughput search per scenario × mode × knob setting. Each
 * mode's descriptor says which knobs it has and which of its flags each sets (built in:
 * `interval` for micro-batch's batch interval and trigger's trigger interval, `max-batch` for
 * trigger, `workers` and `flush-timeout` for continuous); a mode the knob does not concern
 * runs once at its defaults, as the baseline.
 */
import { modes } from '../../engines/index.js';
import { UsageError } from '../../primitives/usage-error.js';
import { paramsFor } from '../plan-trials.js';
import type { RunOptions } from '../run-options.js';
import { parseRunOptions } from '../run-options.js';

/** The knobs `--knob` accepts: those of every registered mode. */
export function knobNames(): string[] {
  return [...new Set(modes.all().flatMap((mode) => Object.keys(mode.knobs)))];
}

/** A knob name. */
export type KnobName = string;

/** A knob and the values to sweep it over (as typed, e.g. "100ms"). */
export interface Knob {
  name: KnobName;
  values: string[];
}

/** One search of the sweep. */
export interface SweepJob {
  scenario: string;
  mode: string;
  /** "interval=100ms", or '' for the mode's defaults. */
  setting: string;
  options: RunOptions;
}

/** `run`'s defaults, to validate knob values against before the real options exist. */
const DEFAULTS = parseRunOptions([]) as RunOptions;

/** Measurement windows hold at least this many batch intervals, so a batch sawtooth is not read as a trend. */
export const MIN_INTERVALS_PER_WINDOW = 4;

/** Whether `knob` is a knob of `mode`. */
export function knobApplies(knob: KnobName, mode: string): boolean {
  return modes.get(mode)?.knobs[knob] !== undefined;
}

/** Parses `--knob` and `--values`; throws a UsageError naming the flag. */
export function parseKnob(name: string | undefined, values: string | undefined): Knob | undefined {
  if (name === undefined && values === undefined) return undefined;
  if (name === undefined || values === undefined) throw new UsageError('--knob and --values go together: e.g. --knob interval --values 10ms,100ms,1s');
  if (!knobNames().includes(name)) throw new UsageError(`--knob: unknown knob '${name}'; accepted: ${knobNames().join(', ')}`);
  const list = values.split(',').map((v) => v.trim()).filter(Boolean);
  if (list.length === 0) throw new UsageError(`--values: empty; give the ${name} values to sweep, comma-separated`);
  const knob = { name: name as KnobName, values: list };
  // The syntax of every value, up front: some mode the knob concerns must accept it (interval 0 is a trigger's only).
  const concerned = modes.all().filter((mode) => knobApplies(knob.name, mode.id));
  for (const value of list) {
    const problems = concerned.map((mode) => {
      try {
        applyKnob(DEFAULTS, knob.name, value, mode.id);
        return undefined;
      } catch (error) {
        return error;
      }
    });
    if (problems.every((problem) => problem !== undefined)) throw problems[0];
  }
  return knob;
}

/**
 * `base` with the knob set to `value` for `mode` (validated with `run`'s own parser, so a bad
 * value is a UsageError naming `--values`; `interval` 0 is valid for trigger only).
 */
export function applyKnob(base: RunOptions, knob: KnobName, value: string, mode: string): RunOptions {
  const flag = modes.get(mode)?.knobs[knob];
  if (flag === undefined) throw new UsageError(`--knob ${knob} does not apply to mode ${mode}`);
  const args = [`--${flag}`, value];
  let parsed: RunOptions | 'help';
  try {
    parsed = parseRunOptions(args);
  } catch (error) {
    if (error instanceof UsageError) throw new UsageError(`--values: ${error.message.replace(/^--[\w-]+: /, '')} (--knob ${knob}, mode ${mode})`);
    throw error;
  }
  if (parsed === 'help') throw new UsageError('--values: unexpected --help');
  if (flag === 'workers') return { ...base, workers: parsed.workers };
  const setting = modes.get(mode)!.settings.find((s) => s.flag === flag);
  if (!setting) throw new Error(`mode ${mode}: knob ${knob} names flag --${flag}, which is not one of its settings`);
  return { ...base, modeSettings: { ...base.modeSettings, [setting.option]: parsed.modeSettings[setting.option] } };
}

/**
 * The batch interval of `mode` under `options` (ms; 0 for per-record modes and back-to-back
 * triggers): its `intervalMs` parameter.
 */
export function batchIntervalMs(mode: string, options: RunOptions): number {
  return Number(paramsFor(mode, options).intervalMs ?? 0);
}

/**
 * `options` with the measurement window stretched to {@link MIN_INTERVALS_PER_WINDOW} batch
 * intervals and the drain time-out to two intervals plus a second, where the interval is long.
 */
export function fitToInterval(mode: string, options: RunOptions): RunOptions {
  const intervalSec = batchIntervalMs(mode, options) / 1000;
  if (intervalSec === 0) return options;
  return {
    ...options,
    durationSec: Math.max(options.durationSec, MIN_INTERVALS_PER_WINDOW * intervalSec),
    drainTimeoutSec: Math.max(options.drainTimeoutSec, 2 * intervalSec + 1),
  };
}

/** The searches of a sweep, in order: scenario, then mode, then knob value. */
export function planJobs(run: RunOptions, knob?: Knob): SweepJob[] {
  const jobs: SweepJob[] = [];
  for (const scenario of run.scenarios) {
    for (const mode of run.modes) {
      const settings = knob && knobApplies(knob.name, mode)
        ? knob.values.map((value) => ({ setting: `${knob.name}=${value}`, options: applyKnob(run, knob.name, value, mode) }))
        : [{ setting: '', options: run }];
      for (const { setting, options } of settings) jobs.push({ scenario, mode, setting, options: fitToInterval(mode, options) });
    }
  }
  return jobs;
}
