/** The piscina worker entry: runs one long-running partition task per call. */
import { runPartitionTask } from './partition-task.js';
import type { PartitionTaskInput, PartitionTaskOutput } from './task-messages.js';

export default function partitionWorker(input: PartitionTaskInput): PartitionTaskOutput {
  return runPartitionTask(input);
}
