/**
 * The admission logic of a slow downstream: a bounded queue in front of a server that
 * performs writes one at a time, first in first out. A write of n records takes
 * `writeLatencyUs + n ÷ capacity`; it is admitted only if the queue has room for all n
 * records. Pure and driven by the times it is given, so it is tested with a ManualClock
 * and no sleeps.
 */

/** Capacity and queue bound of one partition's share of the sink. */
export interface SinkQueueLimits {
  /** Records per second; Infinity = only the per-write latency limits it. */
  capacityPerSec: number;
  writeLatencyUs: number;
  /** Most records queued or being written at once (≥ 1). */
  queueRecords: number;
}

export class BoundedSinkQueue {
  /** Completion time and size of each admitted write not yet complete, oldest first (a ring). */
  private readonly completeAt: Float64Array;
  private readonly sizes: Int32Array;
  private head = 0;
  private length = 0;
  private queued = 0;
  private busyUntilUs = -Infinity;

  constructor(readonly limits: SinkQueueLimits) {
    if (!(limits.queueRecords >= 1)) throw new RangeError(`sink queue bound must be at least 1 record, got ${limits.queueRecords}`);
    if (!(limits.capacityPerSec > 0)) throw new RangeError(`sink capacity must be greater than zero, got ${limits.capacityPerSec}`);
    if (!(limits.writeLatencyUs >= 0)) throw new RangeError(`sink write latency must be zero or more, got ${limits.writeLatencyUs}`);
    const slots = Math.max(1, Math.floor(limits.queueRecords));
    this.completeAt = new Float64Array(slots);
    this.sizes = new Int32Array(slots);
  }

  /** Records queued or being written at `nowUs` (writes complete at their completion time). */
  depth(nowUs: number): number {
    this.retire(nowUs);
    return this.queued;
  }

  /** Records that can be admitted at `nowUs`. */
  room(nowUs: number): number {
    return Math.floor(this.limits.queueRecords) - this.depth(nowUs);
  }

  /** When the oldest write completes (room grows then); `nowUs` if the queue is empty. */
  nextCompletionUs(nowUs: number): number {
    this.retire(nowUs);
    return this.length === 0 ? nowUs : this.completeAt[this.head];
  }

  /**
   * Admits a write of `records` at `nowUs` and returns when the downstream will have
   * completed it. Throws if it does not fit: callers ask {@link room} first.
   */
  admit(records: number, nowUs: number): number {
    if (records < 1 || records > this.room(nowUs)) throw new RangeError(`a write of ${records} records does not fit (room ${this.room(nowUs)})`);
    const startUs = Math.max(nowUs, this.busyUntilUs);
    const doneUs = startUs + this.limits.writeLatencyUs + (records * 1e6) / this.limits.capacityPerSec;
    const tail = (this.head + this.length) % this.completeAt.length;
    this.completeAt[tail] = doneUs;
    this.sizes[tail] = records;
    this.length++;
    this.queued += records;
    this.busyUntilUs = doneUs;
    return doneUs;
  }

  /** Drops writes completed by `nowUs`. */
  private retire(nowUs: number): void {
    while (this.length > 0 && this.completeAt[this.head] <= nowUs) {
      this.queued -= this.sizes[this.head];
      this.head = (this.head + 1) % this.completeAt.length;
      this.length--;
    }
  }
}
