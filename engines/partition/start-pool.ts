/** Starts the pool a run needs, chosen once from its fault plan. */
import type { Clock } from '../../primitives/clock.js';
import type { SourceLog } from '../../primitives/source-log.js';
import { PartitionPool } from './partition-pool.js';
import { RecoveringPartitionPool } from './recovering-pool.js';
import type { PartitionTaskTemplate } from './task-messages.js';
import type { FaultPlan, TaskPool } from './task-pool.js';

/**
 * One task per partition of `log`: on a {@link RecoveringPartitionPool} when `faults` are
 * planned (continuous tasks have no batches to fail: only the kill applies), else on a
 * {@link PartitionPool}. Resolves once every task is consuming.
 */
export function startTaskPool(log: SourceLog, template: PartitionTaskTemplate, faults: FaultPlan | undefined, clock: Clock): Promise<TaskPool> {
  return faults ? RecoveringPartitionPool.start(log, template, faults, clock) : PartitionPool.start(log, template);
}
