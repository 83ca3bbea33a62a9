/**
 * The sink of a scenario with a priority class: two {@link MeasuringSink}s, one per class,
 * behind one pipeline (so keyed state is shared), with separate latency histograms and
 * separate output buffers — the priority buffer can be delivered on its own
 * ({@link ClassifiedSink.priorityAhead}, the priority lane) while normal output waits for its
 * batch or flush timeout. An output record belongs to the class of the input record being
 * pushed when it is produced (the task calls {@link ClassifiedSink.route} before each push;
 * the `priority` scenario's pipeline maps each input to at most one output). To delivery it
 * is one {@link TaskSink}: a partial delivery takes the oldest held records of both classes.
 */
import { createHistogram, encodeHistogram, mergeEncoded } from '../../primitives/histogram.js';
import type { LatencyBinsTimeline } from '../../primitives/latency-bins.js';
import type { Timeline } from '../../primitives/timeline.js';
import { mergeDigests, MeasuringSink, type MeasurementWindow, type OutputDigest } from './measuring-sink.js';
import type { ClassHistograms, ClassSinkFactory, HeldOutput, TaskSink } from './task-sink.js';
import { HeldClassOrder } from '../priority/held-class-order.js';

/** Index of the normal class among a classified sink's `classSinks`. */
export const NORMAL_CLASS = 0;
/** Index of the priority class among a classified sink's `classSinks`. */
export const PRIORITY_CLASS = 1;

/** The sink of a task with a priority class (see the file's doc). */
export class ClassifiedSink implements TaskSink {
  readonly normal: MeasuringSink;
  readonly priority: MeasuringSink;
  readonly classSinks: readonly MeasuringSink[];
  /** The priority class's held output, for the lane to deliver ahead of the rest. */
  readonly priorityAhead: HeldOutput;
  private current: MeasuringSink;
  private readonly order = new HeldClassOrder();

  constructor(
    window: MeasurementWindow,
    timeline: Timeline,
    latencyBins?: LatencyBinsTimeline,
    makeClassSink: ClassSinkFactory = (_classIndex, ...parts) => new MeasuringSink(...parts),
  ) {
    this.normal = makeClassSink(NORMAL_CLASS, window, createHistogram(), createHistogram(), timeline, latencyBins);
    this.priority = makeClassSink(PRIORITY_CLASS, window, createHistogram(), createHistogram(), timeline, latencyBins);
    this.classSinks = [this.normal, this.priority];
    this.current = this.normal;
    const { priority, order } = this;
    this.priorityAhead = {
      get buffered() {
        return priority.buffered;
      },
      get emitted() {
        return priority.emitted;
      },
      flush(emitUs) {
        order.priorityLeft(priority.buffered);
        priority.flush(emitUs);
      },
      flushFirst(count, emitUs) {
        order.priorityLeft(Math.min(count, priority.buffered));
        priority.flushFirst(count, emitUs);
      },
      discardHeld() {
        const dropped = priority.discardHeld();
        order.priorityLeft(dropped);
        return dropped;
      },
    };
  }

  /** Sends the next pushes to the priority class's sink (`true`) or the normal one. */
  route(priority: boolean): void {
    this.current = priority ? this.priority : this.normal;
  }

  /** When the records now being pushed were first read, for both classes. */
  get readTimeUs(): number {
    return this.normal.readTimeUs;
  }

  set readTimeUs(us: number) {
    this.priority.readTimeUs = us;
    this.normal.readTimeUs = us;
  }

  push(eventTimeUs: number, key: number, value: number): void {
    this.current.push(eventTimeUs, key, value);
    this.order.note(this.current === this.priority);
  }

  finish(): void {}

  /** Output records held in both classes. */
  get buffered(): number {
    return this.priority.buffered + this.normal.buffered;
  }

  /** Emits every held record of both classes at `emitUs`. */
  flush(emitUs: number): void {
    this.priority.flush(emitUs);
    this.normal.flush(emitUs);
    this.order.clear();
  }

  /** Emits the `count` oldest held records of both classes at `emitUs`. */
  flushFirst(count: number, emitUs: number): void {
    const priority = this.order.take(Math.min(count, this.buffered));
    this.priority.flushFirst(priority, emitUs);
    this.normal.flushFirst(count - priority, emitUs);
  }

  discardHeld(): number {
    this.order.clear();
    return this.priority.discardHeld() + this.normal.discardHeld();
  }

  get emitted(): number {
    return this.priority.emitted + this.normal.emitted;
  }

  get emittedInWindow(): number {
    return this.priority.emittedInWindow + this.normal.emittedInWindow;
  }

  get digest(): OutputDigest {
    return mergeDigests([this.priority.digest, this.normal.digest]);
  }

  /** The latency histograms per class so far, encoded. */
  encodeClasses(): { priority: ClassHistograms; normal: ClassHistograms } {
    return { priority: this.priority.encode(), normal: this.normal.encode() };
  }

  /** The latency histograms of both classes together, encoded. */
  encode(): ClassHistograms {
    const { priority, normal } = this.encodeClasses();
    return {
      eventTime: encodeHistogram(mergeEncoded([priority.eventTime, normal.eventTime])),
      processingTime: encodeHistogram(mergeEncoded([priority.processingTime, normal.processingTime])),
    };
  }

  destroy(): void {
    this.priority.destroy();
    this.normal.destroy();
  }
}
