/**
 * The output tap: how a mode's output leaves its process when the mode runs behind a broker
 * (`streambench serve`), with no change to the engines. Two ways in, one way out:
 *
 * - **Built-in engines** (their partition tasks run the scenario's pipeline specs on worker
 *   threads): `serve` wraps the pipeline as `[tapInput, …scenario, tapOutput]`
 *   ({@link tappedPipeline}). `tapInput` notes which input offset of which partition is being
 *   processed; `tapOutput`, just before the task's measuring sink, copies each output record
 *   with that offset into a shared-memory ring per partition ({@link OutputTapBuffers}). An
 *   output counts as *emitted* once the task commits past its input offset: the task commits
 *   right after it flushes its sink (per record in continuous mode, at the batch end in the
 *   batch modes), so the bridge publishes exactly what the engine emitted, when it emitted it.
 * - **Engines of one's own** (`openPartitions`): the {@link OutputTap} hook on the engine
 *   context sees `output()` and `emit()` of each partition on the engine's own thread.
 *
 * The reader side (`runner/broker/serve.ts`) drains the rings into its own queue, so a task
 * blocks on a full ring only while the reader is slow to copy, never on a commit.
 */

/** Sees a custom partition's output (engines built on `openPartitions`): held records, then their emission. */
export interface OutputTap {
  /** `output(eventTimeUs, key, value)` was called on `partition`. */
  output(partition: number, eventTimeUs: number, key: number, value: number): void;
  /** `emit()` was called on `partition`: every record held since the last emit is emitted now. */
  emit(partition: number): void;
}

/** The shared memory of the output rings; structured-cloneable (it travels inside an operator spec). */
export interface OutputTapBuffers {
  readonly partitions: number;
  /** Records per ring; a power of two. */
  readonly capacity: number;
  /** Int32: [0] a sequence bumped on every write, [1] non-zero while the reader waits, then per partition WRITE, READ. */
  readonly control: SharedArrayBuffer;
  readonly eventTime: SharedArrayBuffer;
  readonly key: SharedArrayBuffer;
  readonly value: SharedArrayBuffer;
  /** Input offset (in the partition) whose processing produced the record. */
  readonly input: SharedArrayBuffer;
}

const SEQUENCE = 0;
const WAITING = 1;
const HEADER = 2;
const writeIndex = (p: number): number => HEADER + 2 * p;
const readIndex = (p: number): number => HEADER + 2 * p + 1;

/** A view over {@link OutputTapBuffers}: writers on worker threads, one reader on the bridge's thread. */
export class OutputTapRing {
  readonly partitions: number;
  readonly capacity: number;
  private readonly control: Int32Array;
  private readonly eventTime: Float64Array;
  private readonly key: Int32Array;
  private readonly value: Int32Array;
  private readonly input: Int32Array;
  private readonly mask: number;

  static create(partitions: number, capacity = 1 << 16): OutputTapRing {
    const ring = 2 ** Math.ceil(Math.log2(Math.max(2, capacity)));
    const records = partitions * ring;
    return new OutputTapRing({
      partitions,
      capacity: ring,
      control: new SharedArrayBuffer((HEADER + 2 * partitions) * 4),
      eventTime: new SharedArrayBuffer(records * 8),
      key: new SharedArrayBuffer(records * 4),
      value: new SharedArrayBuffer(records * 4),
      input: new SharedArrayBuffer(records * 4),
    });
  }

  constructor(readonly buffers: OutputTapBuffers) {
    this.partitions = buffers.partitions;
    this.capacity = buffers.capacity;
    this.mask = buffers.capacity - 1;
    this.control = new Int32Array(buffers.control);
    this.eventTime = new Float64Array(buffers.eventTime);
    this.key = new Int32Array(buffers.key);
    this.value = new Int32Array(buffers.value);
    this.input = new Int32Array(buffers.input);
  }

  /** Appends one output record of `partition` (a worker thread: blocks while the ring is full). */
  write(partition: number, eventTimeUs: number, key: number, value: number, inputOffset: number): void {
    const c = this.control;
    const w = Atomics.load(c, writeIndex(partition));
    for (;;) {
      const r = Atomics.load(c, readIndex(partition));
      if (w - r < this.capacity) break;
      Atomics.wait(c, readIndex(partition), r, 50);
    }
    const slot = partition * this.capacity + (w & this.mask);
    this.eventTime[slot] = eventTimeUs;
    this.key[slot] = key;
    this.value[slot] = value;
    this.input[slot] = inputOffset;
    Atomics.store(c, writeIndex(partition), w + 1);
    Atomics.add(c, SEQUENCE, 1);
    if (Atomics.load(c, WAITING) !== 0) Atomics.notify(c, SEQUENCE);
  }

  /** Hands every record written to `partition` since the last drain to `take`, in order; returns how many. */
  drain(partition: number, take: (eventTimeUs: number, key: number, value: number, inputOffset: number) => void): number {
    const c = this.control;
    const r = Atomics.load(c, readIndex(partition));
    const w = Atomics.load(c, writeIndex(partition));
    for (let i = r; i < w; i++) {
      const slot = partition * this.capacity + (i & this.mask);
      take(this.eventTime[slot], this.key[slot], this.value[slot], this.input[slot]);
    }
    if (w !== r) {
      Atomics.store(c, readIndex(partition), w);
      Atomics.notify(c, readIndex(partition));
    }
    return w - r;
  }

  /** The write sequence now (to wait on with {@link waitForWrite}). */
  get sequence(): number {
    return Atomics.load(this.control, SEQUENCE);
  }

  /** Resolves once a record is written after `seenSequence`, or after `timeoutMs`. */
  async waitForWrite(seenSequence: number, timeoutMs: number): Promise<void> {
    const c = this.control;
    Atomics.store(c, WAITING, 1);
    try {
      const result = Atomics.waitAsync(c, SEQUENCE, seenSequence, timeoutMs);
      if (result.async) await result.value;
    } finally {
      Atomics.store(c, WAITING, 0);
    }
  }
}

/** Operator spec of the head of a tapped pipeline: notes the partition and input offset of each record. */
export interface TapInputSpec {
  op: 'tapInput';
  /** Source partitions: a record's partition is `key mod partitions`, as the source partitions it. */
  partitions: number;
}

/** Operator spec of the tail of a tapped pipeline: copies each output record into the ring. */
export interface TapOutputSpec {
  op: 'tapOutput';
  buffers: OutputTapBuffers;
}

/** The scenario's pipeline wrapped for a tap: `[tapInput, …pipeline, tapOutput]`. */
export function tappedPipeline<Spec extends { op: string }>(pipeline: readonly Spec[], ring: OutputTapRing): (Spec | TapInputSpec | TapOutputSpec)[] {
  return [{ op: 'tapInput', partitions: ring.partitions }, ...pipeline, { op: 'tapOutput', buffers: ring.buffers }];
}
