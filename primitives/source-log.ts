/**
 * The source log: one offset-addressed ring per partition in shared memory, like the
 * partitions of a Kafka topic. The generator thread appends records and publishes each
 * partition's end offset; engines read offsets [committed, end) straight from shared memory
 * and advance `committed` once their output for those offsets is emitted.
 *
 * Records are stored as columns (event time, key, value), so reading a range costs no
 * allocation and no copy across threads. Retention is bounded: a partition holds at most
 * `capacity` records that are appended but not yet committed. When a consumer falls that
 * far behind, the generator rejects new records for the partition and counts them
 * (`sourceDropped`): the declared policy that keeps memory bounded under overload.
 */

/** The shared memory behind a {@link SourceLog}; structured-cloneable, so it crosses to threads. */
export interface SourceLogBuffers {
  readonly partitions: number;
  /** Records per partition ring; a power of two. */
  readonly capacity: number;
  readonly control: SharedArrayBuffer;
  readonly eventTime: SharedArrayBuffer;
  readonly key: SharedArrayBuffer;
  readonly value: SharedArrayBuffer;
}

/** Int32 slots per partition in the control block. */
const STRIDE = 8;
/** Offset one past the last published record (written by the generator). */
const END = 0;
/** Offset one past the last record whose output is emitted (written by the engine). */
const COMMITTED = 1;
/** Command sequence number, driver to partition task. */
const COMMAND = 2;
/** Command argument (a batch's target end offset). */
const COMMAND_ARG = 3;
/** Non-zero once the driver asks the partition task to stop. */
const STOP = 4;
/** Records the generator could not append because the ring was full. */
const DROPPED = 5;
/** Output records emitted so far by the partition task. */
const OUT = 6;
/** Non-zero once the generator has appended its last record to this partition. */
const FINISHED = 7;

/** Largest offset an Int32 slot can carry; a run must stay below it. */
export const MAX_OFFSET = 2 ** 31 - 1;

/** A view over shared {@link SourceLogBuffers}; every thread wraps the same memory. */
export class SourceLog {
  readonly partitions: number;
  readonly capacity: number;
  readonly eventTime: Float64Array;
  readonly key: Int32Array;
  readonly value: Int32Array;
  private readonly control: Int32Array;
  private readonly mask: number;

  /** Allocates (and pre-faults) a log of `partitions` rings of `capacity` records (rounded up to a power of two). */
  static create(partitions: number, capacity: number): SourceLog {
    const ring = 2 ** Math.ceil(Math.log2(Math.max(2, capacity)));
    const records = partitions * ring;
    const log = new SourceLog({
      partitions,
      capacity: ring,
      control: new SharedArrayBuffer(partitions * STRIDE * 4),
      eventTime: new SharedArrayBuffer(records * 8),
      key: new SharedArrayBuffer(records * 4),
      value: new SharedArrayBuffer(records * 4),
    });
    // Touch every page now: no page faults during the measurement, and resident memory is
    // the full retention from the start (flat however long the run).
    log.eventTime.fill(-1);
    log.key.fill(-1);
    log.value.fill(-1);
    return log;
  }

  constructor(readonly buffers: SourceLogBuffers) {
    this.partitions = buffers.partitions;
    this.capacity = buffers.capacity;
    this.mask = buffers.capacity - 1;
    this.control = new Int32Array(buffers.control);
    this.eventTime = new Float64Array(buffers.eventTime);
    this.key = new Int32Array(buffers.key);
    this.value = new Int32Array(buffers.value);
  }

  /** Index into the column arrays of `offset` in `partition`. */
  slot(partition: number, offset: number): number {
    return partition * this.capacity + (offset & this.mask);
  }

  /** Published end offset of `partition`. */
  end(partition: number): number {
    return Atomics.load(this.control, partition * STRIDE + END);
  }

  /** Makes records up to `offset` visible to consumers and wakes any that wait. */
  publish(partition: number, offset: number): void {
    const index = partition * STRIDE + END;
    Atomics.store(this.control, index, offset);
    Atomics.notify(this.control, index);
  }

  /** Committed offset of `partition`: output for every record below it is emitted. */
  committed(partition: number): number {
    return Atomics.load(this.control, partition * STRIDE + COMMITTED);
  }

  commit(partition: number, offset: number): void {
    Atomics.store(this.control, partition * STRIDE + COMMITTED, offset);
  }

  /** Records appended but not yet committed. */
  backlog(partition: number): number {
    return this.end(partition) - this.committed(partition);
  }

  /** Whether `partition` can take one more record without overwriting uncommitted ones. */
  hasRoom(partition: number, writeEnd: number): boolean {
    return writeEnd - this.committed(partition) < this.capacity;
  }

  /**
   * Blocks the calling (worker) thread until `partition`'s end differs from `seenEnd`, the
   * driver wakes it, or `timeoutMs` passes. Returns the end offset then.
   */
  waitForAppend(partition: number, seenEnd: number, timeoutMs: number): number {
    Atomics.wait(this.control, partition * STRIDE + END, seenEnd, timeoutMs);
    return this.end(partition);
  }

  /** Wakes whatever waits on `partition` (after a command or a stop request). */
  wake(partition: number): void {
    Atomics.notify(this.control, partition * STRIDE + END);
    Atomics.notify(this.control, partition * STRIDE + COMMAND);
  }

  /** Sends command number `sequence` with `argument` to the task of `partition`. */
  sendCommand(partition: number, sequence: number, argument: number): void {
    Atomics.store(this.control, partition * STRIDE + COMMAND_ARG, argument);
    Atomics.store(this.control, partition * STRIDE + COMMAND, sequence);
    this.wake(partition);
  }

  /** The latest command: its sequence number and argument. */
  command(partition: number): { sequence: number; argument: number } {
    const sequence = Atomics.load(this.control, partition * STRIDE + COMMAND);
    return { sequence, argument: Atomics.load(this.control, partition * STRIDE + COMMAND_ARG) };
  }

  /** Blocks until the command sequence of `partition` differs from `seen` or `timeoutMs` passes. */
  waitForCommand(partition: number, seen: number, timeoutMs: number): void {
    Atomics.wait(this.control, partition * STRIDE + COMMAND, seen, timeoutMs);
  }

  requestStop(partition: number): void {
    Atomics.store(this.control, partition * STRIDE + STOP, 1);
    this.wake(partition);
  }

  stopRequested(partition: number): boolean {
    return Atomics.load(this.control, partition * STRIDE + STOP) !== 0;
  }

  addDropped(partition: number, count: number): void {
    Atomics.add(this.control, partition * STRIDE + DROPPED, count);
  }

  /** Records rejected at the source because `partition`'s ring was full. */
  dropped(partition: number): number {
    return Atomics.load(this.control, partition * STRIDE + DROPPED);
  }

  setOutputCount(partition: number, count: number): void {
    Atomics.store(this.control, partition * STRIDE + OUT, count);
  }

  /** Output records emitted so far by `partition`'s task (for live progress). */
  outputCount(partition: number): number {
    return Atomics.load(this.control, partition * STRIDE + OUT);
  }

  /** Marks `partition` complete: no record will be appended after its current end. */
  markFinished(partition: number): void {
    Atomics.store(this.control, partition * STRIDE + FINISHED, 1);
    this.wake(partition);
  }

  /** Whether the generator has appended its last record to `partition`. */
  finished(partition: number): boolean {
    return Atomics.load(this.control, partition * STRIDE + FINISHED) !== 0;
  }

  /** Resolves when any partition's end moves past `seenEnds`, or after `timeoutMs`. */
  async waitForAnyAppend(seenEnds: readonly number[], timeoutMs: number): Promise<void> {
    const waits: Promise<unknown>[] = [];
    for (let p = 0; p < this.partitions; p++) {
      const result = Atomics.waitAsync(this.control, p * STRIDE + END, seenEnds[p], timeoutMs);
      if (!result.async) return;
      waits.push(result.value);
    }
    await Promise.race(waits);
  }

  /** Sums `read(partition)` over all partitions. */
  total(read: (partition: number) => number): number {
    let sum = 0;
    for (let p = 0; p < this.partitions; p++) sum += read.call(this, p);
    return sum;
  }
}
