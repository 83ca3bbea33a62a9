/**
 * The pool that runs a run's partition tasks, as an engine sees it ({@link TaskPool}), and
 * what both pools share ({@link TaskPoolBase}): one piscina worker thread per long-running
 * task, a MessageChannel per task attempt whose messages reach every listener, start-up that
 * resolves once every task is consuming, stop and terminate. Records never travel through
 * piscina (its `run()` costs tens of µs); tasks read the shared source log directly.
 */
import { MessageChannel } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { compiledFile } from '../../primitives/compiled-file.js';
import type { FaultEvent } from '../../primitives/results-schema.js';
import type { SourceLog } from '../../primitives/source-log.js';
import type { PartitionTaskOutput, PartitionTaskTemplate, RecoveryInput, TaskMessage } from './task-messages.js';

/** The faults to inject into a run. */
export interface FaultPlan {
  /** Partition whose worker thread is terminated. */
  partition: number;
  /** When, on the run clock (µs). */
  killAtUs: number;
  /** Batch modes: the first batch on `partition` starting at or after this time (µs) throws, once. */
  failBatchAtUs?: number;
}

/** What the pool recorded about faults. */
export interface RecoveryReport {
  events: FaultEvent[];
  /** Task attempts that threw and were retried. */
  retries: number;
  /** What delivery promised: batch output commits with its batch, unless the priority lane delivered some ahead of it. */
  delivery: 'exactly-once' | 'at-least-once';
}

/** A started pool of partition tasks. */
export interface TaskPool {
  /** Calls `listener` with every message any task sends. */
  onMessage(listener: (message: TaskMessage) => void): void;
  /** Asks every task to stop and resolves with what each measured (over all its attempts); the pool is closed after. */
  stop(): Promise<PartitionTaskOutput[]>;
  /** Ends the tasks' threads at once (after a time-out), measuring nothing. */
  terminate(): Promise<void>;
  /** The faults injected and how they were recovered; undefined on a pool that injects none. */
  faultReport(): RecoveryReport | undefined;
  /** Rejects with a task's error as soon as a task fails for good (one the pool does not replace); never resolves. */
  readonly failure: Promise<never>;
}

/** One task attempt on the pool: its result, and how to close its port once its last messages are read. */
export interface TaskAttempt {
  done: Promise<PartitionTaskOutput>;
  close(): void;
}

/** The wiring both pools share. */
export abstract class TaskPoolBase {
  private readonly listeners: ((message: TaskMessage) => void)[] = [];
  /** What every partition's task resolves with (all its attempts combined). */
  protected results: Promise<PartitionTaskOutput[]> = Promise.resolve([]);
  /** Rejects once `results` does (a task failed for good), so the engine stops waiting for it; never resolves. */
  failure: Promise<never> = new Promise<never>(() => {});

  protected constructor(
    protected readonly pool: Piscina,
    protected readonly log: SourceLog,
    protected readonly template: PartitionTaskTemplate,
  ) {}

  /** A piscina pool of `threads` threads, each running the worker module `workerFile` (beside this file). */
  protected static threads(workerFile: string, threads: number): Piscina {
    return new Piscina({
      filename: compiledFile(import.meta.url, workerFile),
      minThreads: threads,
      maxThreads: threads,
      idleTimeout: 60_000,
      concurrentTasksPerWorker: 1,
    });
  }

  onMessage(listener: (message: TaskMessage) => void): void {
    this.listeners.push(listener);
  }

  async stop(): Promise<PartitionTaskOutput[]> {
    this.halt();
    for (let p = 0; p < this.log.partitions; p++) this.log.requestStop(p);
    try {
      return await this.results;
    } finally {
      await this.pool.destroy();
    }
  }

  async terminate(): Promise<void> {
    this.halt();
    for (let p = 0; p < this.log.partitions; p++) this.log.requestStop(p);
    this.results.catch(() => {});
    await this.pool.destroy();
  }

  /** Called first by {@link stop} and {@link terminate}. */
  protected halt(): void {}

  /** Passes a task's message to every listener. */
  protected dispatch(message: TaskMessage): void {
    for (const listener of this.listeners) listener(message);
  }

  /** Runs one attempt of `partition`'s task with its own MessageChannel; its messages go to `handle`. */
  protected attempt(partition: number, recovery: RecoveryInput | undefined, handle: (message: TaskMessage) => void): TaskAttempt {
    const { port1, port2 } = new MessageChannel();
    port1.on('message', handle);
    const input = { ...this.template, partition, port: port2, ...(recovery ? { recovery } : {}) };
    return { done: this.pool.run(input, { transferList: [port2] }) as Promise<PartitionTaskOutput>, close: () => port1.close() };
  }

  /** Starts `run(p)` for every partition; resolves once every task reported ready (rejects if they end first). */
  protected async startAll(run: (partition: number) => Promise<PartitionTaskOutput>): Promise<void> {
    const partitions = this.log.partitions;
    let ready = 0;
    let markAllReady: () => void = () => {};
    const allReady = new Promise<void>((resolve) => (markAllReady = resolve));
    this.onMessage((message) => {
      if (message.type === 'ready' && ++ready === partitions) markAllReady();
    });
    this.results = Promise.all(Array.from({ length: partitions }, (_, p) => run(p)));
    this.failure = this.results.then(() => new Promise<never>(() => {}));
    this.failure.catch(() => {});
    // A task that fails before it is ready must not leave start() waiting forever.
    await Promise.race([allReady, this.results.then(() => Promise.reject(new Error('partition tasks ended before they were ready')))]);
  }
}
