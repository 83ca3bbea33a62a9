/** What the budgeted operators share: the task's spill store, which they cannot run without. */
import type { SpillStore } from '../state/spill-store.js';
import type { OperatorContext } from './stage.js';

/** The spill store of the task a budgeted operator runs in; throws when the task has none. */
export function spillStoreOf(spec: { op: string; store: string }, context: OperatorContext): SpillStore {
  if (!context.spill) throw new Error(`${spec.op} (${spec.store}) needs the task's spill store: a task with a memory budget opens one (TaskSettings.spill)`);
  return context.spill;
}
