/**
 * The plan of a task's pipeline under a memory budget (`--memory-budget`): every keyed or
 * window operator, in the prefix and in each branch, becomes its budgeted form
 * (`engines/operators/budgeted-*.ts`), with a share of the task's budget and a table of its own
 * in the task's spill store. Without a budget the pipeline is left as it is, so the unbudgeted
 * operators (dense arrays per key, and generated code where it applies) are untouched. Pure.
 */
import type { BranchSpec } from './branch.js';
import type { OperatorSpec } from './pipeline.js';

/** The smallest budget of a partition task: below it the tables' fixed parts would not fit. */
export const MIN_BUDGET_BYTES = 64 * 2 ** 10;

/** The operators that keep per-key state, and their budgeted forms. */
const BUDGETED: Partial<Record<OperatorSpec['op'], OperatorSpec['op']>> = {
  keyedCount: 'budgetedKeyedCount',
  keyedSum: 'budgetedKeyedSum',
  tumblingWindow: 'budgetedTumblingWindow',
};

/** How many operators of `specs` (branches included) keep per-key state. */
export function statefulOperators(specs: readonly OperatorSpec[]): number {
  return specs.reduce((n, spec) => n + (spec.op === 'branch' ? spec.branches.reduce((m, b) => m + statefulOperators(b.pipeline), 0) : BUDGETED[spec.op] ? 1 : 0), 0);
}

/** `specs` with each stateful operator budgeted: the task's `budgetBytes` split evenly between them; unchanged without a budget. */
export function planBudget(specs: readonly OperatorSpec[], budgetBytes: number | undefined): OperatorSpec[] {
  if (budgetBytes === undefined) return [...specs];
  const stateful = statefulOperators(specs);
  if (stateful === 0) return [...specs];
  const share = Math.floor(budgetBytes / stateful);
  let next = 0;
  const rewrite = (list: readonly OperatorSpec[]): OperatorSpec[] =>
    list.map((spec): OperatorSpec => {
      if (spec.op === 'branch') {
        const branch: BranchSpec<OperatorSpec> = { ...spec, branches: spec.branches.map((b) => ({ name: b.name, pipeline: rewrite(b.pipeline) })) };
        return branch;
      }
      const budgeted = BUDGETED[spec.op];
      if (!budgeted) return spec;
      return { ...spec, op: budgeted, store: `s${next++}`, budgetBytes: share } as OperatorSpec;
    });
  return rewrite(specs);
}
