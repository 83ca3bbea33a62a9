/**
 * What a batch does (Spark's `MicroBatchExecution`), apart from when it runs (the trigger).
 * `plan` fixes a batch's offset range per partition; `run` hands each partition task its
 * range ("process up to offset N"), waits until all report back, and records the batch's
 * size, scheduling delay (start − due) and processing time.
 */
import type { Clock } from '../primitives/clock.js';
import { createHistogram, RunLengthRecorder, summarize } from '../primitives/histogram.js';
import type { SourceLog } from '../primitives/source-log.js';
import type { BatchFigures } from '../primitives/results-schema.js';
import type { BatchDone } from './partition/task-messages.js';
import type { TaskPool } from './partition/task-pool.js';
import type { BatchJob } from './triggers/trigger-executor.js';

/** A planned batch: the end offset it processes up to, per partition. */
export interface BatchPlan {
  dueUs: number;
  ends: number[];
  records: number;
}

export class BatchRunner {
  private readonly plannedEnds: number[];
  private sequence = 0;
  private readonly finalizedPartitions = new Set<number>();
  private pending: { sequence: number; replies: BatchDone[]; resolve: () => void } | undefined;
  private readonly schedulingDelay = new RunLengthRecorder(createHistogram(false));
  private readonly processing = new RunLengthRecorder(createHistogram(false));
  private readonly sizes = new RunLengthRecorder(createHistogram(false));
  private readonly tickLateness = new RunLengthRecorder(createHistogram(false));
  private count = 0;
  private overruns = 0;

  /**
   * @param intervalUs the batch interval, for counting overruns (0: none counted)
   * @param maxRecordsPerBatch cap on records per batch, shared by partitions in proportion to their backlog
   */
  constructor(
    private readonly log: SourceLog,
    private readonly clock: Clock,
    pool: Pick<TaskPool, 'onMessage'>,
    private readonly intervalUs: number,
    private readonly maxRecordsPerBatch = Infinity,
  ) {
    this.plannedEnds = Array.from({ length: log.partitions }, (_, p) => log.committed(p));
    pool.onMessage((message) => {
      if (message.type !== 'batch' || !this.pending || message.sequence !== this.pending.sequence) return;
      // A task that replaced a failed one may repeat a reply the failed one already sent.
      if (this.pending.replies.some((reply) => reply.partition === message.partition)) return;
      if (message.finalized) this.finalizedPartitions.add(message.partition);
      this.pending.replies.push(message);
      if (this.pending.replies.length === log.partitions) this.pending.resolve();
    });
  }

  /** True once every partition processed its last record and flushed its final output. */
  get finalized(): boolean {
    return this.finalizedPartitions.size === this.log.partitions;
  }

  /** Whether anything is left to process: new records, or final output not yet flushed. */
  hasWork(): boolean {
    if (!this.finalized && this.log.total((p) => (this.log.finished(p) ? 1 : 0)) === this.log.partitions) return true;
    for (let p = 0; p < this.log.partitions; p++) if (this.log.end(p) > this.plannedEnds[p]) return true;
    return false;
  }

  /** Fixes the next batch: everything appended so far (capped), from where the last batch ended. */
  plan(dueUs: number): BatchPlan {
    const ends = Array.from({ length: this.log.partitions }, (_, p) => this.log.end(p));
    let available = 0;
    for (let p = 0; p < ends.length; p++) available += ends[p] - this.plannedEnds[p];
    if (available > this.maxRecordsPerBatch) {
      const share = this.maxRecordsPerBatch / available;
      for (let p = 0; p < ends.length; p++) ends[p] = this.plannedEnds[p] + Math.floor((ends[p] - this.plannedEnds[p]) * share);
    }
    let records = 0;
    for (let p = 0; p < ends.length; p++) {
      records += ends[p] - this.plannedEnds[p];
      this.plannedEnds[p] = ends[p];
    }
    return { dueUs, ends, records };
  }

  /** The job that runs `plan` on the partition tasks. */
  job(plan: BatchPlan): BatchJob {
    return () => this.run(plan);
  }

  /** Records how late the trigger fired for a batch due at `dueUs`. */
  recordTick(dueUs: number, firedUs: number): void {
    this.tickLateness.record(firedUs - dueUs);
  }

  /** Runs `plan` and resolves when every partition has emitted and committed its part. */
  async run(plan: BatchPlan): Promise<void> {
    const startUs = this.clock.now();
    const sequence = ++this.sequence;
    const done = new Promise<void>((resolve) => (this.pending = { sequence, replies: [], resolve }));
    for (let p = 0; p < this.log.partitions; p++) this.log.sendCommand(p, sequence, plan.ends[p]);
    await done;
    const endUs = this.clock.now();
    this.pending = undefined;
    this.count++;
    this.sizes.record(plan.records);
    this.schedulingDelay.record(startUs - plan.dueUs);
    this.processing.record(endUs - startUs);
    if (this.intervalUs > 0 && endUs - startUs > this.intervalUs) this.overruns++;
  }

  /** The batch figures of the run. */
  figures(withTickLateness: boolean): BatchFigures {
    for (const recorder of [this.schedulingDelay, this.processing, this.sizes, this.tickLateness]) recorder.flush();
    const sizes = this.sizes.histogram;
    return {
      count: this.count,
      size: { mean: sizes.totalCount ? sizes.mean : 0, p50: sizes.totalCount ? sizes.getValueAtPercentile(50) : 0, max: sizes.maxValue },
      schedulingDelay: summarize(this.schedulingDelay.histogram),
      processing: summarize(this.processing.histogram),
      ...(withTickLateness ? { tickLateness: summarize(this.tickLateness.histogram) } : {}),
      overruns: this.overruns,
    };
  }
}
