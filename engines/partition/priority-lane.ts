/**
 * The routing of a partition task with a priority class (the task loop is
 * `engines/partition/partition-task.ts`): each record is classified from its key and value
 * (`priority-class.ts`) into its class's sink of a {@link ClassifiedSink}, so latency is
 * recorded per class.
 *
 * The priority lane (`--priority-lane on`) is a pre-pass: before a stretch of records is
 * processed in order, the task scans it and processes its priority records first,
 * delivering them at once (their own output buffer, so normal output still waits for its
 * batch end or flush timeout; behind a slow sink they take their place in its queue at
 * once); while a long stretch or batch runs it rescans the partition's new appends every
 * {@link LANE_CHECK_EVERY} records; and a batch task, between batches, runs the priority
 * records appended since its last scan as a mini-batch of their own every
 * {@link LANE_INTERVAL_MS} (a faster trigger for the priority class; the driver's command
 * still wakes it at once). The in-order pass later skips the offsets already fast-tracked, so
 * each offset is processed exactly once (`fastTracked` = `caughtUp` once drained). What it
 * costs: a hash per record in each pass, extra wake-ups (a batch task: one per interval) and
 * flushes, and out-of-order processing (so only pipelines whose output does not depend on
 * order may use it).
 *
 * With recovery, a snapshot carries the lane's scan position: the operators' state then
 * holds the priority records below it, so a replacement resumes the lane there (never
 * below its resume offset) and skips them in order, exactly once. Fast-tracked output is
 * delivered before the batch or epoch holding it commits: what the failed attempt
 * fast-tracked after its last snapshot is delivered again by the replay and counted as
 * duplicates — at-least-once for the priority class, in every mode.
 */
import type { Clock } from '../../primitives/clock.js';
import type { SourceLog } from '../../primitives/source-log.js';
import type { Stage } from '../operators/stage.js';
import type { Delivery } from './delivery.js';
import { IDLE_CHECK_MS, type Routing } from './routing.js';
import type { ClassOutput, PriorityTaskSettings } from './task-messages.js';
import type { ClassifiedSink } from './classified-sink.js';
import { isPriority, priorityThreshold } from '../priority/priority-class.js';

/** The lane rescans new appends after this many in-order records (a power of two). */
export const LANE_CHECK_EVERY = 256;
/** Batch modes with the lane: the interval of the priority mini-batches between batches (ms). */
export const LANE_INTERVAL_MS = 1;
const CHECK_MASK = LANE_CHECK_EVERY - 1;

/** What the priority routing of a task is built from. */
export interface PriorityRoutingParts {
  log: SourceLog;
  partition: number;
  clock: Clock;
  head: Stage;
  sink: ClassifiedSink;
  settings: PriorityTaskSettings;
  /** Delivers the lane's output at once (the task's delivery seam). */
  delivery: Pick<Delivery, 'deliverAhead'>;
  /** Where the lane starts: offsets below it are done (the task's start offset, or a snapshot's scan position). */
  scannedOffset: number;
}

/** Classifies every record; with the lane on, fast-tracks the priority class ahead of the in-order pass. */
export class PriorityRouting implements Routing {
  private readonly threshold: number;
  private readonly laneOn: boolean;
  private scanned: number;
  private fastTracked = 0;
  private caughtUp = 0;
  private priorityRecords = 0;
  private readonly times: Float64Array;
  private readonly keys: Int32Array;
  private readonly values: Int32Array;

  constructor(private readonly parts: PriorityRoutingParts) {
    this.threshold = priorityThreshold(parts.settings.fraction);
    this.laneOn = parts.settings.lane;
    this.scanned = parts.scannedOffset;
    this.times = parts.log.eventTime;
    this.keys = parts.log.key;
    this.values = parts.log.value;
  }

  processStretch(from: number, end: number, perRecord: Pick<Delivery, 'afterRecord'> | undefined): void {
    for (let offset = from; offset < end; ) {
      this.processInOrder(offset);
      offset++;
      if (perRecord !== undefined) perRecord.afterRecord(offset);
      if (this.laneOn && (offset & CHECK_MASK) === 0) this.fastTrack(offset, this.parts.log.end(this.parts.partition));
    }
  }

  processRange(from: number, to: number): void {
    for (let offset = from; offset < to; offset++) {
      this.processInOrder(offset);
      if (this.laneOn && (offset & CHECK_MASK) === 0) this.fastTrack(offset + 1, this.parts.log.end(this.parts.partition));
    }
  }

  beforeStretch(from: number, end: number): void {
    if (this.laneOn) this.fastTrack(from, end);
  }

  betweenBatches(offset: number): number {
    if (!this.laneOn) return IDLE_CHECK_MS;
    // Between batches the lane runs the priority records appended since its last scan as a mini-batch.
    this.fastTrack(offset, this.parts.log.end(this.parts.partition));
    return LANE_INTERVAL_MS;
  }

  laneScannedOffset(): number {
    return this.scanned;
  }

  classes(): ClassOutput {
    const { priority, normal } = this.parts.sink.encodeClasses();
    return { priority, normal, priorityRecords: this.priorityRecords, fastTracked: this.fastTracked, caughtUp: this.caughtUp };
  }

  /** Processes `offset` in order: through its class's sink, or not at all if the lane already did. */
  private processInOrder(offset: number): void {
    const slot = this.parts.log.slot(this.parts.partition, offset);
    const key = this.keys[slot];
    const value = this.values[slot];
    const priority = isPriority(key, value, this.threshold);
    if (priority) {
      if (offset < this.scanned) {
        this.caughtUp++;
        return;
      }
      this.priorityRecords++;
    }
    this.parts.sink.route(priority);
    this.parts.head.push(this.times[slot], key, value);
  }

  /** The lane: processes the priority records in [from, upTo) not yet scanned, and delivers them at once. */
  private fastTrack(from: number, upTo: number): void {
    const start = Math.max(from, this.scanned);
    if (start >= upTo) return;
    const { log, partition, sink, head, clock } = this.parts;
    const { times, keys, values, threshold } = this;
    sink.priority.readTimeUs = clock.now();
    sink.route(true);
    let found = 0;
    for (let offset = start; offset < upTo; offset++) {
      const slot = log.slot(partition, offset);
      if (isPriority(keys[slot], values[slot], threshold)) {
        head.push(times[slot], keys[slot], values[slot]);
        found++;
      }
    }
    this.scanned = upTo;
    this.fastTracked += found;
    this.priorityRecords += found;
    if (found > 0) this.parts.delivery.deliverAhead(sink.priorityAhead);
  }
}
