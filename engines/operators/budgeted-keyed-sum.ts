import { BudgetedKeyedState, type KeyedStateSnapshot } from '../state/keyed-state.js';
import type { OperatorFactory, Stage } from './stage.js';
import { spillStoreOf } from './budgeted-spec.js';

/**
 * `keyedSum` under a memory budget (planned by `engines/state/budget-plan.ts`): the same
 * running sum per key (mod 2^31), in a budgeted table that spills to the task's spill store.
 */
export interface BudgetedKeyedSumSpec {
  op: 'budgetedKeyedSum';
  store: string;
  budgetBytes: number;
}

/** The budgeted keyed sum. */
export const budgetedKeyedSum: OperatorFactory<BudgetedKeyedSumSpec> = (spec, next, context): Stage => {
  const state = new BudgetedKeyedState(spillStoreOf(spec, context), spec.store, spec.budgetBytes, context.keys);
  const values = state.table.values;
  return {
    push(eventTimeUs, key, value) {
      const slot = state.slotOf(key);
      const sum = (values[slot] + value) & 0x7fffffff;
      values[slot] = sum;
      next.push(eventTimeUs, key, sum);
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
