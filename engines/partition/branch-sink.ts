/**
 * The sink of a pipeline that forks into branches (`engines/operators/branch.ts`): one
 * {@link MeasuringSink} per branch, so each branch has its own digest, latency histograms
 * and output counts, behind one {@link TaskSink} for delivery (a delivery emits every
 * branch's held output; a slow sink's partial write takes the oldest held records of all
 * branches, in the order they were produced). It generalises the per-class routing of
 * `ClassifiedSink`: there the task routes before each push, here each branch's chain ends in
 * its own input ({@link BranchedSink.branchInput}), which folds the branch index into the
 * record before its sink hashes it, so a branch-swapping bug changes the digest. The task's
 * figures stay the union of the branches'.
 */
import { createHistogram, encodeHistogram, mergeEncoded } from '../../primitives/histogram.js';
import type { LatencyBinsTimeline } from '../../primitives/latency-bins.js';
import type { Timeline } from '../../primitives/timeline.js';
import { foldBranch, type BranchTarget } from '../operators/branch.js';
import type { Stage } from '../operators/stage.js';
import { mergeDigests, MeasuringSink, type MeasurementWindow, type OutputDigest } from './measuring-sink.js';
import type { ClassHistograms, ClassSinkFactory, TaskSink } from './task-sink.js';

/** What one branch of a partition task emitted (merged over attempts and partitions like the task's own figures). */
export interface BranchOutput {
  name: string;
  digest: OutputDigest;
  eventTime: string;
  processingTime: string;
  emitted: number;
  emittedInWindow: number;
}

/** The sink of a task whose pipeline forks (see the file's doc). */
export class BranchedSink implements TaskSink, BranchTarget {
  readonly classSinks: readonly MeasuringSink[];
  private readonly inputs: Stage[];
  /** The branch of each held record, oldest first: [first, end). */
  private order = new Uint8Array(1024);
  private first = 0;
  private end = 0;

  constructor(
    readonly names: readonly string[],
    window: MeasurementWindow,
    timeline: Timeline,
    latencyBins?: LatencyBinsTimeline,
    makeClassSink: ClassSinkFactory = (_classIndex, ...parts) => new MeasuringSink(...parts),
  ) {
    this.classSinks = names.map((_, b) => makeClassSink(b, window, createHistogram(), createHistogram(), timeline, latencyBins));
    this.inputs = this.classSinks.map((sink, b) => this.inputOf(sink, b));
  }

  /** The stage branch `index`'s chain ends in. */
  branchInput(index: number): Stage {
    const input = this.inputs[index];
    if (!input) throw new Error(`branch ${index} does not exist (the pipeline has ${this.inputs.length})`);
    return input;
  }

  private inputOf(sink: MeasuringSink, index: number): Stage {
    return {
      push: (eventTimeUs, key, value) => {
        sink.push(eventTimeUs, key, foldBranch(value, index));
        if (this.end === this.order.length) this.growOrder();
        this.order[this.end++] = index;
      },
      finish() {},
    };
  }

  get readTimeUs(): number {
    return this.classSinks[0].readTimeUs;
  }

  set readTimeUs(us: number) {
    for (const sink of this.classSinks) sink.readTimeUs = us;
  }

  push(): void {
    throw new Error("a forked pipeline's output reaches its sink through a branch (branchInput)");
  }

  finish(): void {}

  get buffered(): number {
    return this.end - this.first;
  }

  get emitted(): number {
    return this.classSinks.reduce((sum, sink) => sum + sink.emitted, 0);
  }

  get emittedInWindow(): number {
    return this.classSinks.reduce((sum, sink) => sum + sink.emittedInWindow, 0);
  }

  get digest(): OutputDigest {
    return mergeDigests(this.classSinks.map((sink) => sink.digest));
  }

  flush(emitUs: number): void {
    for (const sink of this.classSinks) sink.flush(emitUs);
    this.first = this.end = 0;
  }

  /** Emits the `count` oldest held records of all branches at `emitUs`. */
  flushFirst(count: number, emitUs: number): void {
    const to = Math.min(this.first + count, this.end);
    const perBranch = new Array<number>(this.classSinks.length).fill(0);
    for (let i = this.first; i < to; i++) perBranch[this.order[i]]++;
    this.classSinks.forEach((sink, b) => sink.flushFirst(perBranch[b], emitUs));
    this.first = to;
    if (this.first === this.end) this.first = this.end = 0;
  }

  discardHeld(): number {
    this.first = this.end = 0;
    return this.classSinks.reduce((sum, sink) => sum + sink.discardHeld(), 0);
  }

  /** Every branch's figures so far (histograms encoded). */
  outputs(): BranchOutput[] {
    return this.classSinks.map((sink, b) => {
      const { eventTime, processingTime } = sink.encode();
      return { name: this.names[b], digest: { ...sink.digest }, eventTime, processingTime, emitted: sink.emitted, emittedInWindow: sink.emittedInWindow };
    });
  }

  /** The latency histograms of all branches together, encoded. */
  encode(): ClassHistograms {
    const parts = this.classSinks.map((sink) => sink.encode());
    return {
      eventTime: encodeHistogram(mergeEncoded(parts.map((p) => p.eventTime))),
      processingTime: encodeHistogram(mergeEncoded(parts.map((p) => p.processingTime))),
    };
  }

  destroy(): void {
    for (const sink of this.classSinks) sink.destroy();
  }

  private growOrder(): void {
    const live = this.end - this.first;
    const order = new Uint8Array(Math.max(1024, live * 2));
    order.set(this.order.subarray(this.first, this.end));
    this.order = order;
    this.first = 0;
    this.end = live;
  }
}

/** Two attempts' (or partitions') figures of the same branches, added up. */
export function mergeBranchOutputs(a: readonly BranchOutput[], b: readonly BranchOutput[]): BranchOutput[] {
  return a.map((x, i) => {
    const y = b[i];
    return {
      name: x.name,
      digest: mergeDigests([x.digest, y.digest]),
      eventTime: encodeHistogram(mergeEncoded([x.eventTime, y.eventTime])),
      processingTime: encodeHistogram(mergeEncoded([x.processingTime, y.processingTime])),
      emitted: x.emitted + y.emitted,
      emittedInWindow: x.emittedInWindow + y.emittedInWindow,
    };
  });
}
