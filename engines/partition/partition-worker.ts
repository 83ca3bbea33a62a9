/** The piscina worker entry: runs one long-running partition task per call. */
import { runPartitionTask, type PartitionTaskInput, type PartitionTaskOutput } from './partition-task.js';

export default function partitionWorker(input: PartitionTaskInput): PartitionTaskOutput {
  return runPartitionTask(input);
}
