/**
 * The routing seam of a partition task: how its records enter the pipeline. Chosen once at
 * task start — in order ({@link InOrderRouting}, through the task's record loop: interpreted
 * or generated, `record-loop.ts`), or classified, with the priority lane as a pre-pass
 * (`engines/priority/priority-lane.ts`, which pushes record by record into the head of the
 * pipeline: a generated stage with `--codegen on`) — so the task loop has one shape for every
 * scenario. Each implementation is a class: its methods are the same functions in every
 * task, so the loop's call sites stay monomorphic and V8 inlines them.
 */
import type { Delivery } from './delivery.js';
import type { RecordLoop } from '../codegen/record-loop-shape.js';
import type { ClassOutput } from './task-messages.js';

/** How long a waiting task sleeps before re-checking for stop requests and commands (ms). */
export const IDLE_CHECK_MS = 50;

/** How a partition task pushes its records into the pipeline. */
export interface Routing {
  /**
   * Continuous: pushes the records [from, end) in order, one at a time; with `perRecord`,
   * calls its `afterRecord` after each (with the offset after the record).
   */
  processStretch(from: number, end: number, perRecord: Pick<Delivery, 'afterRecord'> | undefined): void;
  /** Batch: pushes the records [from, to) in order. */
  processRange(from: number, to: number): void;
  /** Continuous: called before a stretch [from, end) is processed record by record. */
  beforeStretch(from: number, end: number): void;
  /** Batch, between batches (records below `offset` done): does any work due and returns how long to wait for a command (ms). */
  betweenBatches(offset: number): number;
  /** With a priority class: offsets below this were scanned by the lane (for a snapshot); undefined in order. */
  laneScannedOffset(): number | undefined;
  /** With a priority class: latency per class and what the lane did. */
  classes(): ClassOutput | undefined;
}

/** Every record in offset order, through the task's record loop (interpreted or generated). */
export class InOrderRouting implements Routing {
  constructor(private readonly loop: RecordLoop) {}

  processStretch(from: number, end: number, perRecord: Pick<Delivery, 'afterRecord'> | undefined): void {
    this.loop.processStretch(from, end, perRecord);
  }

  processRange(from: number, to: number): void {
    this.loop.processRange(from, to);
  }

  beforeStretch(): void {}

  betweenBatches(): number {
    return IDLE_CHECK_MS;
  }

  laneScannedOffset(): undefined {
    return undefined;
  }

  classes(): undefined {
    return undefined;
  }
}
