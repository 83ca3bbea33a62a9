/**
 * The shape of a partition task's in-order pass (`engines/partition/record-loop.ts` has the
 * interpreted form, `compile-pipeline.ts` generates the other): declared here so the
 * generated loop names it without importing the partition task's room.
 */

/** What a continuous pass calls after each record: the task's delivery. */
export interface AfterRecord {
  /** Called with the offset after the record just pushed. */
  afterRecord(offset: number): void;
}

/** The in-order pass over a range of offsets of one partition. */
export interface RecordLoop {
  /** Batch: pushes the records [from, to) in order. */
  processRange(from: number, to: number): void;
  /**
   * Continuous: pushes the records [from, end) in order, one at a time; with `perRecord`,
   * calls its `afterRecord` after each (with the offset after the record).
   */
  processStretch(from: number, end: number, perRecord: AfterRecord | undefined): void;
}
