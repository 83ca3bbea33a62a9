/**
 * What an execution mode is, in one place: a {@link ModeDescriptor} exported from the mode's
 * own file. The CLI reads its settings (flags, defaults, help), the runner builds its
 * parameters and its engine from it, the sweep its knobs, and the reports its label and
 * display order. Adding a mode is one new file and one line in the registry (`engines/index.ts`).
 */
import type { RunParams } from '../primitives/results-schema.js';
import type { EngineFactory } from './engine.js';

/** How a setting's text is read (the runner's option parser knows each). */
export type SettingKind =
  /** A duration greater than zero, read in ms ("100ms", "1s"); stored in ms. */
  | 'interval-ms'
  /** A duration of zero or more, read in ms; stored in ms. */
  | 'interval-ms-or-zero'
  /** A duration of zero or more, read in µs ("0us", "500us"); stored in µs. */
  | 'duration-us-or-zero'
  /** A whole number ≥ 1, or empty for none; stored as a number or absent. */
  | 'count-or-none';

/** One setting of a mode: its flag, where its value goes, and how it is read. */
export interface ModeSetting {
  /** The command-line flag without dashes, e.g. "trigger-interval". */
  flag: string;
  /** Its key among the run's options (and in results.json's `options`), e.g. "triggerIntervalMs". */
  option: string;
  /** Its key in the run's parameters ({@link RunParams}), e.g. "intervalMs". */
  param: string;
  kind: SettingKind;
  /** The default, as typed on the command line ("" = none). */
  default: string;
  help: string;
}

/**
 * When a mode runs its work (DESIGN.md §3): on a fixed grid of ticks (DStreams), as soon as
 * the previous batch ends or on a trigger interval (Structured Streaming), or per record.
 */
export type ModeCadence = 'fixed-grid' | 'processing-time' | 'per-record';

/** What a scenario may ask of an engine beyond its pipeline: a slow sink, injected faults, a priority class, a pipeline that forks into branches. */
export type ScenarioFeature = 'slow-sink' | 'faults' | 'priority-class' | 'branches' | 'record-queries';

/** Every {@link ScenarioFeature}, for the modes that handle them all (the built-in ones). */
export const ALL_SCENARIO_FEATURES: readonly ScenarioFeature[] = ['slow-sink', 'faults', 'priority-class', 'branches', 'record-queries'];

/** An execution mode. */
export interface ModeDescriptor {
  /** The id on the command line and in results, e.g. "micro-batch". */
  id: string;
  /** One line for listings and help. */
  summary: string;
  /** Position in tables and charts (lower first); built-in modes run from high latency and throughput to low. */
  order: number;
  cadence: ModeCadence;
  /** What a replay after a fault re-delivers: nothing (output commits with the batch) or output already sent. */
  delivery: 'exactly-once' | 'at-least-once';
  /** Its own settings; `--workers` is every mode's. */
  settings: readonly ModeSetting[];
  /** The knobs `streambench sweep --knob <name>` varies for it: knob name → the flag it sets (one of its settings' or "workers"). */
  knobs: Readonly<Record<string, string>>;
  /** The scenario features its engine implements; a scenario that needs another is refused for it. Absent = none (a plugin's default). */
  handles?: readonly ScenarioFeature[];
  /** The setting that tells its configurations apart, for a table cell: "T=100ms", "workers=2 flush=500µs". */
  label(params: RunParams): string;
  /** Builds the engine of one trial. */
  create: EngineFactory;
}

/** Whether `value` has the shape of a {@link ModeDescriptor}; names the first field that does not. */
export function descriptorProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return 'it is not an object';
  const d = value as Record<string, unknown>;
  if (typeof d.id !== 'string' || !/^[a-z][a-z0-9-]*$/.test(d.id)) return '"id" must be a lower-case name like "my-mode"';
  if (typeof d.summary !== 'string') return '"summary" must be a string';
  if (typeof d.order !== 'number' || !Number.isFinite(d.order)) return '"order" must be a number';
  if (!['fixed-grid', 'processing-time', 'per-record'].includes(d.cadence as string)) return '"cadence" must be fixed-grid, processing-time or per-record';
  if (d.delivery !== 'exactly-once' && d.delivery !== 'at-least-once') return '"delivery" must be exactly-once or at-least-once';
  if (!Array.isArray(d.settings)) return '"settings" must be an array (may be empty)';
  for (const [i, s] of (d.settings as Record<string, unknown>[]).entries()) {
    for (const field of ['flag', 'option', 'param', 'kind', 'default', 'help'] as const) {
      if (typeof s?.[field] !== 'string') return `"settings[${i}].${field}" must be a string`;
    }
  }
  if (typeof d.knobs !== 'object' || d.knobs === null) return '"knobs" must be an object of knob name → flag (may be empty)';
  if (d.handles !== undefined && (!Array.isArray(d.handles) || d.handles.some((f) => !ALL_SCENARIO_FEATURES.includes(f as ScenarioFeature)))) {
    return `"handles" must be a list of ${ALL_SCENARIO_FEATURES.join(', ')}`;
  }
  if (typeof d.label !== 'function') return '"label" must be a function (params) => string';
  if (typeof d.create !== 'function') return '"create" must be a function (context) => Engine';
  return undefined;
}

/** The modes a run can use, by id, in display order. */
export class ModeRegistry {
  private readonly byId = new Map<string, ModeDescriptor>();

  constructor(descriptors: readonly ModeDescriptor[]) {
    for (const descriptor of descriptors) this.register(descriptor);
  }

  /** Adds a mode; an id already taken is an error. */
  register(descriptor: ModeDescriptor): void {
    if (this.byId.has(descriptor.id)) throw new Error(`a mode '${descriptor.id}' is already registered`);
    this.byId.set(descriptor.id, descriptor);
  }

  get(id: string): ModeDescriptor | undefined {
    return this.byId.get(id);
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  /** Every mode, in display order (then by id). */
  all(): ModeDescriptor[] {
    return [...this.byId.values()].sort((a, b) => a.order - b.order || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  /** When `id` was registered (0 = first; the built-in modes come first, so their place never changes); −1 if unknown. */
  registrationIndex(id: string): number {
    return [...this.byId.keys()].indexOf(id);
  }

  /** Sort position of `id` among the registered modes; unknown ids follow them. */
  rank(id: string): number {
    const index = this.all().findIndex((descriptor) => descriptor.id === id);
    return index === -1 ? this.byId.size : index;
  }
}

/**
 * Checks a mode descriptor and returns it: what a plugin module exports
 * (`export default defineMode({ id: 'my-mode', … })`). Throws, naming the field, if it is malformed.
 */
export function defineMode(descriptor: ModeDescriptor): ModeDescriptor {
  const problem = descriptorProblem(descriptor);
  if (problem) throw new TypeError(`defineMode: ${problem}`);
  return descriptor;
}
