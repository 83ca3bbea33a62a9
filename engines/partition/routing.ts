/**
 * The routing seam of a partition task: how its records enter the pipeline. Chosen once at
 * task start — in order ({@link InOrderRouting}), or in order with the priority lane as a
 * pre-pass (`engines/priority/priority-lane.ts`) — so the task loop has one shape for every
 * scenario. Each implementation is a class: its methods are the same functions in every
 * task, so the loop's call sites stay monomorphic and V8 inlines them.
 */
import type { SourceLog } from '../../primitives/source-log.js';
import type { Stage } from '../operators/stage.js';
import type { Delivery } from './delivery.js';
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

/** Every record in offset order, straight into the head of the pipeline. */
export class InOrderRouting implements Routing {
  private readonly times: Float64Array;
  private readonly keys: Int32Array;
  private readonly values: Int32Array;

  constructor(
    private readonly log: SourceLog,
    private readonly partition: number,
    private readonly head: Stage,
  ) {
    this.times = log.eventTime;
    this.keys = log.key;
    this.values = log.value;
  }

  processStretch(from: number, end: number, perRecord: Pick<Delivery, 'afterRecord'> | undefined): void {
    const { log, partition, head, times, keys, values } = this;
    for (let offset = from; offset < end; ) {
      const slot = log.slot(partition, offset);
      head.push(times[slot], keys[slot], values[slot]);
      offset++;
      if (perRecord !== undefined) perRecord.afterRecord(offset);
    }
  }

  processRange(from: number, to: number): void {
    const { log, partition, head, times, keys, values } = this;
    for (let offset = from; offset < to; offset++) {
      const slot = log.slot(partition, offset);
      head.push(times[slot], keys[slot], values[slot]);
    }
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
