/**
 * The pool of a run without faults: one long-running partition task per worker thread for
 * the whole run, each talking to the driver through its own MessagePort (batch completions,
 * epoch acknowledgements).
 */
import type { SourceLog } from '../../primitives/source-log.js';
import type { PartitionTaskTemplate } from './task-messages.js';
import { TaskPoolBase, type TaskPool } from './task-pool.js';

/** One unsupervised task per partition: a task that fails fails the run. */
export class PartitionPool extends TaskPoolBase implements TaskPool {
  /** Starts one task per partition of `log`; resolves once every task is consuming. */
  static async start(log: SourceLog, template: PartitionTaskTemplate): Promise<PartitionPool> {
    const self = new PartitionPool(TaskPoolBase.threads('./partition-worker.js', log.partitions), log, template);
    await self.startAll((partition) => {
      const { done, close } = self.attempt(partition, undefined, (message) => self.dispatch(message));
      return done.finally(close);
    });
    return self;
  }

  faultReport(): undefined {
    return undefined;
  }
}
