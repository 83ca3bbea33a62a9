import { cpuCost, cpuCostCodegen, type CpuCostSpec } from './cpu-cost.js';
import { filter, filterCodegen, type FilterSpec } from './filter.js';
import { flatMap, flatMapCodegen, type FlatMapSpec } from './flat-map.js';
import type { OperatorCodegen } from './fragment.js';
import { keyedCount, keyedCountCodegen, type KeyedCountSpec } from './keyed-count.js';
import { keyedSum, keyedSumCodegen, type KeyedSumSpec } from './keyed-sum.js';
import { map, mapCodegen, type MapSpec } from './map.js';
import { buildBranch, type BranchSpec } from './branch.js';
import { budgetedKeyedCount, type BudgetedKeyedCountSpec } from './budgeted-keyed-count.js';
import { budgetedKeyedSum, type BudgetedKeyedSumSpec } from './budgeted-keyed-sum.js';
import { budgetedTumblingWindow, type BudgetedTumblingWindowSpec } from './budgeted-tumbling-window.js';
import type { OperatorContext, OperatorFactory, Stage } from './stage.js';
import { tapInput, tapOutput } from './tap.js';
import type { TapInputSpec, TapOutputSpec } from '../output-tap.js';
import { tumblingWindow, type TumblingWindowSpec } from './tumbling-window.js';

/** One operator of a pipeline, as a scenario declares it (plain data, so it crosses threads). */
export type OperatorSpec =
  | MapSpec
  | FilterSpec
  | FlatMapSpec
  | KeyedCountSpec
  | KeyedSumSpec
  | TumblingWindowSpec
  | CpuCostSpec
  | BranchSpec<OperatorSpec>
  | BudgetedKeyedCountSpec
  | BudgetedKeyedSumSpec
  | BudgetedTumblingWindowSpec;

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
  // A fork into branches (the last operator only): its branches are pipelines built like this one.
  branch: (spec, next, context) => buildBranch(spec, next, context, buildPipelineStages, recoverableOperators),
  // Keyed and window state under a memory budget, spilling to disk (planned by engines/state/budget-plan.ts).
  budgetedKeyedCount,
  budgetedKeyedSum,
  budgetedTumblingWindow,
};

/** The tap's ends: built like operators, but never a scenario's to declare. */
const tapFactories = { tapInput, tapOutput } as unknown as Record<string, OperatorFactory<OperatorSpec>>;
const factoryOf = (spec: OperatorSpec): OperatorFactory<OperatorSpec> => (factories[spec.op] as OperatorFactory<OperatorSpec> | undefined) ?? tapFactories[(spec as TaskOperatorSpec).op];

/**
 * The generated form of each operator that has one (whole-stage code generation,
 * `engines/codegen/`); an operator without one (the tumbling window: open windows, a
 * watermark, firing loops) runs as its interpreted stage, called from the generated code.
 */
const codegens: { [Op in OperatorSpec['op']]?: OperatorCodegen<Extract<OperatorSpec, { op: Op }>> } = {
  map: mapCodegen,
  filter: filterCodegen,
  flatMap: flatMapCodegen,
  keyedCount: keyedCountCodegen,
  keyedSum: keyedSumCodegen,
  cpuCost: cpuCostCodegen,
};

/** The operator's generated form, or undefined if it has none. */
export function codegenOf(spec: OperatorSpec): OperatorCodegen<OperatorSpec> | undefined {
  return codegens[spec.op] as OperatorCodegen<OperatorSpec> | undefined;
}

/** Builds one interpreted operator feeding `next` (a scenario's operator, or one of the output tap's ends). */
export function buildStage(spec: OperatorSpec, next: Stage, context: OperatorContext): Stage {
  return factoryOf(spec)(spec, next, context);
}

/** Operators a task's plan uses that a workload does not declare (the fork is declared on its own, `branchSchema`). */
const PLANNED_ONLY: ReadonlySet<string> = new Set(['branch', 'budgetedKeyedCount', 'budgetedKeyedSum', 'budgetedTumblingWindow']);

/** Names of the operators a pipeline may use. */
export const operatorNames = (Object.keys(factories) as OperatorSpec['op'][]).filter((op) => !PLANNED_ONLY.has(op));

/** Chains the operators in order, ending in `sink`; returns the head stage records are pushed into. */
export function buildPipeline(specs: readonly OperatorSpec[], sink: Stage, context: OperatorContext): Stage {
  let next = sink;
  for (let i = specs.length - 1; i >= 0; i--) next = buildStage(specs[i], next, context);
  return next;
}

/** Operators whose state a fault recovery can snapshot and restore (or that have none). */
export const recoverableOperators: ReadonlySet<OperatorSpec['op']> = new Set([
  'map',
  'filter',
  'flatMap',
  'cpuCost',
  'keyedCount',
  'keyedSum',
  'tumblingWindow',
  'branch',
  'budgetedKeyedCount',
  'budgetedKeyedSum',
  'budgetedTumblingWindow',
]);

/** Like {@link buildPipeline}, but returns every operator built, head first (for state snapshots). */
export function buildPipelineStages(specs: readonly OperatorSpec[], sink: Stage, context: OperatorContext): Stage[] {
  const stages: Stage[] = [];
  let next = sink;
  for (let i = specs.length - 1; i >= 0; i--) {
    next = buildStage(specs[i], next, context);
    stages.unshift(next);
  }
  return stages;
}
