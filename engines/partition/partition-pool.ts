/**
 * Starts and supervises the long-running partition tasks on a piscina pool: one worker
 * thread per partition, one task per worker for the whole run. Records never travel through
 * piscina (its `run()` costs tens of µs); tasks read the shared source log directly, and
 * talk to the driver through a MessagePort each (batch completions, epoch acknowledgements).
 */
import { MessageChannel } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { compiledFile } from '../../primitives/compiled-file.js';
import type { SourceLog } from '../../primitives/source-log.js';
import type { PartitionTaskInput, PartitionTaskOutput, TaskMessage } from './partition-task.js';

/** The task settings shared by every partition. */
export type PartitionTaskTemplate = Omit<PartitionTaskInput, 'partition' | 'port'>;

export class PartitionPool {
  private readonly listeners: ((message: TaskMessage) => void)[] = [];

  private constructor(
    private readonly pool: Piscina,
    private readonly results: Promise<PartitionTaskOutput[]>,
    private readonly log: SourceLog,
  ) {}

  /** Starts one task per partition of `template.buffers`; resolves once every task is consuming. */
  static async start(log: SourceLog, template: PartitionTaskTemplate): Promise<PartitionPool> {
    const partitions = log.partitions;
    const pool = new Piscina({
      filename: compiledFile(import.meta.url, './partition-worker.js'),
      minThreads: partitions,
      maxThreads: partitions,
      idleTimeout: 60_000,
      concurrentTasksPerWorker: 1,
    });
    let ready = 0;
    let markAllReady: () => void = () => {};
    const allReady = new Promise<void>((resolve) => (markAllReady = resolve));
    let self: PartitionPool | undefined;
    const runs = Array.from({ length: partitions }, (_, partition) => {
      const { port1, port2 } = new MessageChannel();
      port1.on('message', (message: TaskMessage) => {
        if (message.type === 'ready' && ++ready === partitions) markAllReady();
        for (const listener of self?.listeners ?? []) listener(message);
      });
      const input: PartitionTaskInput = { ...template, partition, port: port2 };
      return pool.run(input, { transferList: [port2] }).finally(() => port1.close()) as Promise<PartitionTaskOutput>;
    });
    const results = Promise.all(runs);
    self = new PartitionPool(pool, results, log);
    // A task that fails before it is ready must not leave start() waiting forever.
    await Promise.race([allReady, results.then(() => Promise.reject(new Error('partition tasks ended before they were ready')))]);
    return self;
  }

  /** Calls `listener` with every message any task sends. */
  onMessage(listener: (message: TaskMessage) => void): void {
    this.listeners.push(listener);
  }

  /** Asks every task to stop and resolves with what each measured; the pool is closed after. */
  async stop(): Promise<PartitionTaskOutput[]> {
    for (let p = 0; p < this.log.partitions; p++) this.log.requestStop(p);
    try {
      return await this.results;
    } finally {
      await this.pool.destroy();
    }
  }

  /** Ends the tasks' threads at once (after a time-out), measuring nothing. */
  async terminate(): Promise<void> {
    for (let p = 0; p < this.log.partitions; p++) this.log.requestStop(p);
    this.results.catch(() => {});
    await this.pool.destroy();
  }
}
