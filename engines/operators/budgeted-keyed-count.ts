import { BudgetedKeyedState, type KeyedStateSnapshot } from '../state/keyed-state.js';
import type { OperatorFactory, Stage } from './stage.js';
import { spillStoreOf } from './budgeted-spec.js';

/**
 * `keyedCount` under a memory budget (planned by `engines/state/budget-plan.ts` when a run has
 * `--memory-budget`): the same running count per key, its counters in a budgeted table that
 * spills its coldest entries to the task's spill store and reads them back when needed.
 */
export interface BudgetedKeyedCountSpec {
  op: 'budgetedKeyedCount';
  /** The operator's table in the task's spill store. */
  store: string;
  /** Bytes of memory its state may take. */
  budgetBytes: number;
}

/** The budgeted keyed count. */
export const budgetedKeyedCount: OperatorFactory<BudgetedKeyedCountSpec> = (spec, next, context): Stage => {
  const state = new BudgetedKeyedState(spillStoreOf(spec, context), spec.store, spec.budgetBytes, context.keys);
  const values = state.table.values;
  return {
    push(eventTimeUs, key, _value) {
      const slot = state.slotOf(key);
      next.push(eventTimeUs, key, ++values[slot]);
    },
    finish() {
      next.finish();
    },
    snapshotState: () => state.snapshot(),
    restoreState(snapshot) {
      state.restore(snapshot as KeyedStateSnapshot);
    },
  };
};
