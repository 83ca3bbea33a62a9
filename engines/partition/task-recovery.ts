/**
 * The partition task's side of fault recovery (lineage + checkpoints, as Spark does it):
 * at every commit point (a batch's end; an epoch in continuous mode) the task sends the
 * driver a {@link PartitionSnapshot} — the committed offset, the operators' state and what
 * it has measured — before advancing the committed offset in the source log. A replacement
 * task resumes from the latest snapshot and replays the source log from its offset.
 *
 * Continuous output is delivered before its epoch commits, so the replay delivers some
 * records a second time: the task counts those duplicates (and their digest) for offsets
 * below the point the failed task had delivered up to, which it publishes on a shared board.
 */
import type { MessagePort } from 'node:worker_threads';
import type { Stage } from '../operators/stage.js';
import type { OutputDigest } from './measuring-sink.js';
import type { PartitionTaskOutput } from './partition-task.js';

/** Int32 slots per partition on the recovery board. */
const BOARD_STRIDE = 1;
/** Offset one past the last record whose output the task delivered (continuous). */
const DELIVERED = 0;

/** A shared board on which tasks publish how far they delivered (driver reads it after a failure). */
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
}

/** What a partition task needs to take part in recovery. */
export interface RecoveryInput {
  board: SharedArrayBuffer;
  /** Where to resume: absent = from the start of the partition with empty state. */
  resume?: { offset: number; sequence: number; finalized: boolean; operators: unknown[] };
  /** Continuous: outputs of offsets below this were delivered by the failed task; their replays are duplicates. */
  duplicatesBelowOffset: number;
  /** Batch modes: the first batch starting at or after this time (µs) throws, before it commits; absent = none. */
  failBatchAtUs?: number;
  /** Whether this task replaces a failed one (it reports when its first output is delivered). */
  replacement: boolean;
}

/** The state of a partition at a commit point: enough to resume from, plus what the task measured so far. */
export interface PartitionSnapshot {
  offset: number;
  /** The last batch (batch modes) or epoch marker (continuous) completed. */
  sequence: number;
  finalized: boolean;
  operators: unknown[];
  /** What this task attempt measured since it started (the driver adds earlier attempts). */
  measured: PartitionTaskOutput;
}

/** Sent at each commit point, before the committed offset advances. */
export interface SnapshotMessage {
  type: 'snapshot';
  partition: number;
  snapshot: PartitionSnapshot;
}

/** Sent once by a replacement task when it delivers its first output. */
export interface ResumedMessage {
  type: 'resumed';
  partition: number;
  atUs: number;
}

/** Thrown by a batch task on its declared failing batch: a task failure the driver retries. */
export class InjectedTaskFailure extends Error {
  override readonly name = 'InjectedTaskFailure';
}

/** Digest `a − b` (mod 2^32): what was folded into `a` after `b` was taken. */
function digestDifference(a: OutputDigest, b: OutputDigest): OutputDigest {
  return { count: a.count - b.count, sumA: (a.sumA - b.sumA) >>> 0, sumB: (a.sumB - b.sumB) >>> 0 };
}

/** A task's recovery duties. */
export class TaskRecovery {
  private readonly board: RecoveryBoard;
  private resumedReported: boolean;
  private digestAtResume: OutputDigest | undefined;
  /** Output records delivered again by this task's replay, and their digest. */
  duplicates = 0;
  duplicateDigest: OutputDigest = { count: 0, sumA: 0, sumB: 0 };

  constructor(
    private readonly input: RecoveryInput,
    private readonly partition: number,
    private readonly port: MessagePort,
    private readonly stages: readonly Stage[],
  ) {
    this.board = new RecoveryBoard(input.board);
    this.resumedReported = !input.replacement;
  }

  /** The offset replay counts duplicates below (−1 when there are none to count). */
  get duplicatesEnd(): number {
    const resumeOffset = this.input.resume?.offset ?? 0;
    return this.input.duplicatesBelowOffset > resumeOffset ? this.input.duplicatesBelowOffset : -1;
  }

  /** Restores the operators' state; returns the offset, sequence and finalized flag to resume with. */
  restore(digest: OutputDigest): { offset: number; sequence: number; finalized: boolean } {
    const resume = this.input.resume;
    this.digestAtResume = { ...digest };
    if (!resume) return { offset: 0, sequence: 0, finalized: false };
    this.stages.forEach((stage, i) => {
      const state = resume.operators[i];
      if (state !== undefined) stage.restoreState?.(state);
    });
    return { offset: resume.offset, sequence: resume.sequence, finalized: resume.finalized };
  }

  /** Called when replay reaches {@link duplicatesEnd}: everything delivered since the resume was a duplicate. */
  closeDuplicates(digest: OutputDigest): void {
    if (!this.digestAtResume) return;
    this.duplicateDigest = digestDifference(digest, this.digestAtResume);
    this.duplicates = this.duplicateDigest.count;
  }

  /** Whether a batch that started at `startUs` must fail (once: the driver clears it for the retry). */
  failsBatch(startUs: number): boolean {
    return this.input.failBatchAtUs !== undefined && startUs >= this.input.failBatchAtUs;
  }

  /** Publishes that outputs of offsets below `offset` are delivered. */
  delivered(offset: number): void {
    this.board.setDelivered(this.partition, offset);
  }

  /** After a delivery: a replacement task reports its first output once. */
  afterDelivery(emitted: number, atUs: number, emittedAtStart: number): void {
    if (this.resumedReported || emitted === emittedAtStart) return;
    this.resumedReported = true;
    this.port.postMessage({ type: 'resumed', partition: this.partition, atUs } satisfies ResumedMessage);
  }

  /** Sends the driver the snapshot of a commit point (call before committing the offset in the log). */
  checkpoint(offset: number, sequence: number, finalized: boolean, measured: PartitionTaskOutput): void {
    const operators = this.stages.map((stage) => stage.snapshotState?.());
    const snapshot: PartitionSnapshot = { offset, sequence, finalized, operators, measured };
    this.port.postMessage({ type: 'snapshot', partition: this.partition, snapshot } satisfies SnapshotMessage);
  }
}
