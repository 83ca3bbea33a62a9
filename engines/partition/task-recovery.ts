/**
 * The partition task's side of fault recovery (lineage + checkpoints, as Spark does it):
 * at every commit point (a batch's end; an epoch in continuous mode) the task sends the
 * driver a {@link PartitionSnapshot} — the committed offset, the operators' state, the
 * priority lane's scan position and what it has measured — before advancing the committed
 * offset in the source log. A replacement task resumes from the latest snapshot and replays
 * the source log from its offset.
 *
 * Output delivered for good after the last snapshot is produced again by the replay:
 * continuous output is delivered before its epoch commits, and fast-tracked priority output
 * before the batch or epoch holding it commits. (A batch's own output is delivered as one
 * transaction that commits with the batch's snapshot: a failure before it aborts the
 * delivery, slow-sink writes included, so its replay is no duplicate.) Each task publishes on
 * a shared board, per output class, how many outputs it has delivered for good; after a
 * failure the pool turns that into the replacement's {@link RecoveryInput.redelivered}, and
 * the replacement counts its first that many outputs of each class as duplicates
 * (`replay-sink.ts`).
 */
import type { MessagePort } from 'node:worker_threads';
import { recoverableOperators, type OperatorSpec } from '../operators/pipeline.js';
import type { StageState } from '../operators/stage.js';
import { mergeDigests, MeasuringSink, type OutputDigest } from './measuring-sink.js';
import { ReplayingMeasuringSink } from './replay-sink.js';
import type { PartitionSnapshot, PartitionTaskOutput, RecoveryInput, ResumedMessage, SnapshotMessage } from './task-messages.js';
import type { ClassSinkFactory, TaskSink } from './task-sink.js';

/** Output classes a task may have (a plain sink has one; a classified one, normal and priority; a forked one, a class per branch, up to 8). */
export const OUTPUT_CLASSES = 8;
/** Int32 slots per partition on the recovery board. */
const BOARD_STRIDE = 1 + OUTPUT_CLASSES;
/** Offset one past the last record whose output the in-order pass delivered (continuous). */
const DELIVERED = 0;
/** Then, per output class: outputs the current attempt has delivered. */
const EMITTED = 1;

/** A shared board on which tasks publish how far they delivered (the driver reads it after a failure). */
export class RecoveryBoard {
  private readonly slots: Int32Array;

  constructor(readonly buffer: SharedArrayBuffer) {
    this.slots = new Int32Array(buffer);
  }

  /** A board for `partitions` partitions. */
  static create(partitions: number): RecoveryBoard {
    return new RecoveryBoard(new SharedArrayBuffer(partitions * BOARD_STRIDE * 4));
  }

  setDelivered(partition: number, offset: number): void {
    Atomics.store(this.slots, partition * BOARD_STRIDE + DELIVERED, offset);
  }

  delivered(partition: number): number {
    return Atomics.load(this.slots, partition * BOARD_STRIDE + DELIVERED);
  }

  setEmitted(partition: number, outputClass: number, count: number): void {
    Atomics.store(this.slots, partition * BOARD_STRIDE + EMITTED + outputClass, count);
  }

  /** Outputs of `outputClass` the partition's current (or failed) attempt delivered. */
  emitted(partition: number, outputClass: number): number {
    return Atomics.load(this.slots, partition * BOARD_STRIDE + EMITTED + outputClass);
  }

  /** {@link emitted} of every output class. */
  emittedPerClass(partition: number): number[] {
    return Array.from({ length: OUTPUT_CLASSES }, (_, c) => this.emitted(partition, c));
  }
}

/**
 * The {@link RecoveryInput.redelivered} of the attempt that replaces a failed one: what the
 * failed attempt still had to count as duplicates at its last snapshot (or, without one,
 * what it started with: it resumed from the same point), plus what it delivered after it.
 */
export function nextRedelivered(lastSnapshot: PartitionSnapshot | undefined, started: readonly number[][] | undefined, deliveredPerClass: readonly number[]): number[][] {
  const pending = lastSnapshot ? lastSnapshot.redeliveredPending : started;
  return deliveredPerClass.map((delivered, c) => {
    const after = delivered - (lastSnapshot?.emittedPerClass[c] ?? 0);
    return [...(pending?.[c] ?? []), ...(after > 0 ? [after] : [])];
  });
}

/** Thrown by a batch task on its declared failing batch: a task failure the driver retries. */
export class InjectedTaskFailure extends Error {
  override readonly name = 'InjectedTaskFailure';
}

/** Where a task resumes. */
export interface ResumePoint {
  offset: number;
  sequence: number;
  finalized: boolean;
  laneScannedOffset?: number;
}

/** A task's recovery duties. */
export class TaskRecovery {
  private readonly board: RecoveryBoard;
  private resumedReported: boolean;
  private readonly replaying: (ReplayingMeasuringSink | undefined)[] = [];

  constructor(
    private readonly input: RecoveryInput,
    private readonly partition: number,
    private readonly port: MessagePort,
  ) {
    this.board = new RecoveryBoard(input.board);
    this.resumedReported = !input.replacement;
    for (let c = 0; c < OUTPUT_CLASSES; c++) this.board.setEmitted(partition, c, 0);
  }

  /** Builds each output class's sink: one that counts the replay's duplicates where an earlier attempt delivered some. */
  readonly makeClassSink: ClassSinkFactory = (classIndex, ...parts) => {
    const redelivered = this.input.redelivered?.[classIndex] ?? [];
    if (redelivered.length === 0) return new MeasuringSink(...parts);
    const sink = new ReplayingMeasuringSink(redelivered, ...parts);
    this.replaying[classIndex] = sink;
    return sink;
  };

  /** Checks that the pipeline's state can be snapshotted, restores it, and returns where to resume. */
  restore(pipeline: readonly OperatorSpec[], stages: readonly StageState[]): ResumePoint {
    const unrecoverable = pipeline.filter((spec) => !recoverableOperators.has(spec.op)).map((spec) => spec.op);
    if (unrecoverable.length > 0) throw new Error(`fault recovery cannot snapshot the state of ${unrecoverable.join(', ')}`);
    const resume = this.input.resume;
    if (!resume) return { offset: 0, sequence: 0, finalized: false };
    stages.forEach((stage, i) => {
      const state = resume.operators[i];
      if (state !== undefined) stage.restoreState?.(state);
    });
    const { offset, sequence, finalized, laneScannedOffset } = resume;
    return { offset, sequence, finalized, ...(laneScannedOffset !== undefined ? { laneScannedOffset } : {}) };
  }

  /** Whether a batch that started at `startUs` must fail (once: the driver clears it for the retry). */
  failsBatch(startUs: number): boolean {
    return this.input.failBatchAtUs !== undefined && startUs >= this.input.failBatchAtUs;
  }

  /** Publishes that the in-order pass delivered the output of every offset below `offset`. */
  deliveredUpTo(offset: number): void {
    this.board.setDelivered(this.partition, offset);
  }

  /** Publishes how many outputs of each class this attempt has delivered for good (after a delivery, or a write of one). */
  publish(sink: TaskSink): void {
    const classes = sink.classSinks;
    for (let c = 0; c < classes.length; c++) this.board.setEmitted(this.partition, c, classes[c].emitted);
  }

  /** After a delivery at `atUs`: a replacement reports its first output once. */
  reportDelivery(sink: TaskSink, atUs: number): void {
    if (this.resumedReported || sink.emitted === 0) return;
    this.resumedReported = true;
    this.port.postMessage({ type: 'resumed', partition: this.partition, atUs } satisfies ResumedMessage);
  }

  /** Sends the driver the snapshot of a commit point (call after delivering, before committing the offset in the log). */
  checkpoint(at: ResumePoint, sink: TaskSink, stages: readonly StageState[], measured: PartitionTaskOutput): void {
    const snapshot: PartitionSnapshot = {
      offset: at.offset,
      sequence: at.sequence,
      finalized: at.finalized,
      operators: stages.map((stage) => stage.snapshotState?.()),
      ...(at.laneScannedOffset !== undefined ? { laneScannedOffset: at.laneScannedOffset } : {}),
      emittedPerClass: sink.classSinks.map((classSink) => classSink.emitted),
      redeliveredPending: sink.classSinks.map((_, c) => this.replaying[c]?.redeliveredPending() ?? []),
      measured,
    };
    this.port.postMessage({ type: 'snapshot', partition: this.partition, snapshot } satisfies SnapshotMessage);
  }

  /** Output records this attempt produced again that an earlier one had delivered. */
  get duplicates(): number {
    return this.replaying.reduce((sum, sink) => sum + (sink?.duplicates ?? 0), 0);
  }

  /** Their digest. */
  get duplicateDigest(): OutputDigest {
    return mergeDigests(this.replaying.flatMap((sink) => (sink ? [sink.duplicateDigest] : [])));
  }
}
