import { buildBranch, type BranchSpec } from './branch.js';
import { budgetedKeyedCount, type BudgetedKeyedCountSpec } from './budgeted-keyed-count.js';
import { budgetedKeyedSum, type BudgetedKeyedSumSpec } from './budgeted-keyed-sum.js';
import { budgetedTumblingWindow, type BudgetedTumblingWindowSpec } from './budgeted-tumbling-window.js';
import { cpuCost, type CpuCostSpec } from './cpu-cost.js';
import { filter, type FilterSpec } from './filter.js';
import { flatMap, type FlatMapSpec } from './flat-map.js';
import { keyedCount, type KeyedCountSpec } from './keyed-count.js';
import { keyedSum, type KeyedSumSpec } from './keyed-sum.js';
import { map, type MapSpec } from './map.js';
import type { OperatorContext, OperatorFactory, Stage } from './stage.js';
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

/** Operators a task's plan uses that a workload does not declare (the fork is declared on its own, `branchSchema`). */
const PLANNED_ONLY: ReadonlySet<string> = new Set(['branch', 'budgetedKeyedCount', 'budgetedKeyedSum', 'budgetedTumblingWindow']);

/** Names of the operators a pipeline may use. */
export const operatorNames = (Object.keys(factories) as OperatorSpec['op'][]).filter((op) => !PLANNED_ONLY.has(op));

/** Chains the operators in order, ending in `sink`; returns the head stage records are pushed into. */
export function buildPipeline(specs: readonly OperatorSpec[], sink: Stage, context: OperatorContext): Stage {
  let next = sink;
  for (let i = specs.length - 1; i >= 0; i--) {
    const spec = specs[i];
    const factory = factories[spec.op] as OperatorFactory<OperatorSpec>;
    next = factory(spec, next, context);
  }
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
  'branch',
  'budgetedKeyedCount',
  'budgetedKeyedSum',
]);

/** Like {@link buildPipeline}, but returns every operator built, head first (for state snapshots). */
export function buildPipelineStages(specs: readonly OperatorSpec[], sink: Stage, context: OperatorContext): Stage[] {
  const stages: Stage[] = [];
  let next = sink;
  for (let i = specs.length - 1; i >= 0; i--) {
    const spec = specs[i];
    const factory = factories[spec.op] as OperatorFactory<OperatorSpec>;
    next = factory(spec, next, context);
    stages.unshift(next);
  }
  return stages;
}
