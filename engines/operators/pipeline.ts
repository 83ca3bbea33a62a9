import { cpuCost, type CpuCostSpec } from './cpu-cost.js';
import { filter, type FilterSpec } from './filter.js';
import { flatMap, type FlatMapSpec } from './flat-map.js';
import { keyedCount, type KeyedCountSpec } from './keyed-count.js';
import { keyedSum, type KeyedSumSpec } from './keyed-sum.js';
import { map, type MapSpec } from './map.js';
import type { OperatorContext, OperatorFactory, Stage } from './stage.js';
import { tapInput, tapOutput } from './tap.js';
import type { TapInputSpec, TapOutputSpec } from '../output-tap.js';
import { tumblingWindow, type TumblingWindowSpec } from './tumbling-window.js';

/** One operator of a pipeline, as a scenario declares it (plain data, so it crosses threads). */
export type OperatorSpec = MapSpec | FilterSpec | FlatMapSpec | KeyedCountSpec | KeyedSumSpec | TumblingWindowSpec | CpuCostSpec;

/** A pipeline as a task runs it: the scenario's operators, and the output tap's two ends when a mode runs behind a broker (`engines/output-tap.ts`). */
type TaskOperatorSpec = OperatorSpec | TapInputSpec | TapOutputSpec;

const factories: { [Op in OperatorSpec['op']]: OperatorFactory<Extract<OperatorSpec, { op: Op }>> } = {
  map,
  filter,
  flatMap,
  keyedCount,
  keyedSum,
  tumblingWindow,
  cpuCost,
};

/** Names of the operators a pipeline may use. */
export const operatorNames = Object.keys(factories) as OperatorSpec['op'][];

/** The tap's ends: built like operators, but never a scenario's to declare. */
const tapFactories = { tapInput, tapOutput } as unknown as Record<string, OperatorFactory<OperatorSpec>>;
const factoryOf = (spec: OperatorSpec): OperatorFactory<OperatorSpec> => (factories[spec.op] as OperatorFactory<OperatorSpec> | undefined) ?? tapFactories[(spec as TaskOperatorSpec).op];

/** Chains the operators in order, ending in `sink`; returns the head stage records are pushed into. */
export function buildPipeline(specs: readonly OperatorSpec[], sink: Stage, context: OperatorContext): Stage {
  let next = sink;
  for (let i = specs.length - 1; i >= 0; i--) {
    const spec = specs[i];
    next = factoryOf(spec)(spec, next, context);
  }
  return next;
}

/** Operators whose state a fault recovery can snapshot and restore (or that have none). */
export const recoverableOperators: ReadonlySet<OperatorSpec['op']> = new Set(['map', 'filter', 'flatMap', 'cpuCost', 'keyedCount', 'keyedSum']);

/** Like {@link buildPipeline}, but returns every operator built, head first (for state snapshots). */
export function buildPipelineStages(specs: readonly OperatorSpec[], sink: Stage, context: OperatorContext): Stage[] {
  const stages: Stage[] = [];
  let next = sink;
  for (let i = specs.length - 1; i >= 0; i--) {
    const spec = specs[i];
    next = factoryOf(spec)(spec, next, context);
    stages.unshift(next);
  }
  return stages;
}
