/**
 * A partition pool that survives faults (DESIGN.md §7: "a crashed worker is replaced;
 * records are replayed from the source log"). Like {@link PartitionPool} it runs one
 * long-running task per partition on piscina, but it supervises each: it keeps every
 * partition's latest snapshot (taken at commit points), and when a task fails — its worker
 * thread terminated (a real `Worker.terminate()`, injected at the planned time) or the task
 * throwing — piscina replaces the worker and the pool starts a replacement task that
 * resumes from the snapshot and replays the source log from its offset, told how many
 * outputs of each class the failed attempt had delivered after the snapshot (the replay's
 * duplicates, counted by the replacement). It records each fault: when, from which offset,
 * how many records replayed, when the replacement was consuming again and when it
 * delivered its first output.
 *
 * The pool keeps one standby worker thread beyond the partitions (idle, blocked in
 * piscina, like a spare executor): a replacement task starts on it without waiting for a
 * thread to boot, while piscina boots a new standby behind it.
 */
import type { Clock } from '../../primitives/clock.js';
import type { FaultEvent } from '../../primitives/results-schema.js';
import type { SourceLog } from '../../primitives/source-log.js';
import { combineOutputs } from './combine-outputs.js';
import type { PartitionSnapshot, PartitionTaskOutput, PartitionTaskTemplate, RecoveryInput, TaskMessage } from './task-messages.js';
import { TaskPoolBase, type FaultPlan, type RecoveryReport, type TaskPool } from './task-pool.js';
import { nextRedelivered, RecoveryBoard } from './task-recovery.js';

export type { FaultPlan, RecoveryReport };

/** Idle worker threads kept ready to take over a failed partition. */
const STANDBY_THREADS = 1;
/** Longest wait for a snapshot a failed task posted before it committed (ms). */
const SNAPSHOT_WAIT_MS = 200;

/** One supervised task per partition, replaced after each failure (see the file's doc). */
export class RecoveringPartitionPool extends TaskPoolBase implements TaskPool {
  private readonly board: RecoveryBoard;
  private readonly snapshots: (PartitionSnapshot | undefined)[];
  /** What earlier, failed attempts measured up to their last snapshot. */
  private readonly measuredBefore: (PartitionTaskOutput | undefined)[];
  /** The snapshot the current attempt took last (its measurements so far). */
  private readonly attemptSnapshot: (PartitionSnapshot | undefined)[];
  private readonly threadIds: (number | undefined)[];
  private readonly pendingKill: (FaultEvent | undefined)[];
  private readonly recovering: (FaultEvent | undefined)[];
  private readonly events: FaultEvent[] = [];
  private retries = 0;
  private failBatchUsed = false;
  private stopping = false;
  private cancelKill: () => void = () => {};

  private constructor(
    log: SourceLog,
    template: PartitionTaskTemplate,
    private readonly plan: FaultPlan,
    private readonly clock: Clock,
  ) {
    super(TaskPoolBase.threads('./standby-worker.js', log.partitions + STANDBY_THREADS), log, template);
    const n = log.partitions;
    this.board = RecoveryBoard.create(n);
    this.snapshots = new Array(n).fill(undefined);
    this.measuredBefore = new Array(n).fill(undefined);
    this.attemptSnapshot = new Array(n).fill(undefined);
    this.threadIds = new Array(n).fill(undefined);
    this.pendingKill = new Array(n).fill(undefined);
    this.recovering = new Array(n).fill(undefined);
  }

  /** Starts one supervised task per partition and schedules the kill; resolves once every task is consuming. */
  static async start(log: SourceLog, template: PartitionTaskTemplate, plan: FaultPlan, clock: Clock): Promise<RecoveringPartitionPool> {
    const self = new RecoveringPartitionPool(log, template, plan, clock);
    await self.startAll((partition) => self.supervise(partition));
    self.cancelKill = clock.setTimer(plan.killAtUs, () => void self.kill(plan.partition));
    return self;
  }

  faultReport(): RecoveryReport {
    const atLeastOnce = this.template.kind === 'continuous' || this.template.priority?.lane === true;
    return { events: this.events.map((event) => ({ ...event })), retries: this.retries, delivery: atLeastOnce ? 'at-least-once' : 'exactly-once' };
  }

  protected override halt(): void {
    this.stopping = true;
    this.cancelKill();
  }

  /** Terminates the worker thread running `partition`'s task: a real fault, not a flag. */
  private async kill(partition: number): Promise<void> {
    const worker = this.pool.threads.find((thread) => thread.threadId === this.threadIds[partition]);
    if (!worker || this.stopping) return;
    this.pendingKill[partition] = { partition, cause: 'worker-killed', atUs: this.clock.now(), replayFromOffset: 0, recordsReplayed: 0 };
    await worker.terminate();
  }

  private handle(message: TaskMessage): void {
    const p = message.partition;
    if (message.type === 'ready') {
      this.threadIds[p] = message.threadId;
      const event = this.recovering[p];
      if (event && event.restartedAtUs === undefined) event.restartedAtUs = message.atUs ?? this.clock.now();
    } else if (message.type === 'snapshot') {
      this.snapshots[p] = message.snapshot;
      this.attemptSnapshot[p] = message.snapshot;
    } else if (message.type === 'resumed') {
      const event = this.recovering[p];
      if (event && event.resumedAtUs === undefined) event.resumedAtUs = message.atUs;
    }
    this.dispatch(message);
  }

  /** Runs `partition`'s task, replacing it after each failure, until it ends normally. */
  private async supervise(partition: number): Promise<PartitionTaskOutput> {
    const batchMode = this.template.kind === 'batch';
    let replacement = false;
    let redelivered: number[][] | undefined;
    for (;;) {
      const resume = this.snapshots[partition];
      const failBatchAtUs = batchMode && partition === this.plan.partition && !this.failBatchUsed ? this.plan.failBatchAtUs : undefined;
      const recovery: RecoveryInput = {
        board: this.board.buffer,
        ...(resume ? { resume: resumeOf(resume) } : {}),
        ...(redelivered ? { redelivered } : {}),
        ...(failBatchAtUs !== undefined ? { failBatchAtUs } : {}),
        replacement,
      };
      this.attemptSnapshot[partition] = undefined;
      const { done, close } = this.attempt(partition, recovery, (message) => this.handle(message));
      try {
        return combineOutputs(this.measuredBefore[partition], await done);
      } catch (error) {
        if (this.stopping) throw error;
        await this.snapshotArrived(partition);
        this.recordFailure(partition, batchMode);
        const lastSnapshot = this.attemptSnapshot[partition] as PartitionSnapshot | undefined;
        if (lastSnapshot) this.measuredBefore[partition] = combineOutputs(this.measuredBefore[partition], lastSnapshot.measured);
        redelivered = nextRedelivered(lastSnapshot, redelivered, this.board.emittedPerClass(partition));
        replacement = true;
      } finally {
        close();
      }
    }
  }

  /**
   * A task posts its snapshot before it advances the committed offset in the source log, so
   * a committed offset past the latest snapshot means the snapshot is still in flight on
   * the failed task's port: wait for it (messages posted before a failure still arrive).
   */
  private async snapshotArrived(partition: number): Promise<void> {
    const deadline = Date.now() + SNAPSHOT_WAIT_MS;
    await new Promise((resolve) => setImmediate(resolve));
    while ((this.snapshots[partition]?.offset ?? 0) < this.log.committed(partition) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  }

  /** Records a failure of `partition`'s task: what is replayed, and whether it was a kill or a task that threw. */
  private recordFailure(partition: number, batchMode: boolean): void {
    const resume = this.snapshots[partition];
    const replayFromOffset = resume?.offset ?? 0;
    const command = this.log.command(partition);
    const inFlightBatch = batchMode && command.sequence > (resume?.sequence ?? 0);
    const replayTo = batchMode ? (inFlightBatch ? command.argument : replayFromOffset) : Math.max(replayFromOffset, this.board.delivered(partition));
    const killed = this.pendingKill[partition];
    this.pendingKill[partition] = undefined;
    const event: FaultEvent = killed ?? { partition, cause: 'task-failed', atUs: this.clock.now(), replayFromOffset: 0, recordsReplayed: 0 };
    event.replayFromOffset = replayFromOffset;
    event.recordsReplayed = Math.max(0, replayTo - replayFromOffset);
    if (inFlightBatch) event.batch = command.sequence;
    if (!killed) {
      this.retries++;
      this.failBatchUsed = true;
    }
    this.events.push(event);
    this.recovering[partition] = event;
  }
}

/** Where a replacement resumes from `snapshot`. */
function resumeOf(snapshot: PartitionSnapshot): NonNullable<RecoveryInput['resume']> {
  const { offset, sequence, finalized, operators, laneScannedOffset } = snapshot;
  return { offset, sequence, finalized, operators, ...(laneScannedOffset !== undefined ? { laneScannedOffset } : {}) };
}
