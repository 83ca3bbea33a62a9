/**
 * The sink side of a partition task, as delivery and the task see it. A pipeline ends in one
 * {@link TaskSink}: a `MeasuringSink` (one class of output) or a `ClassifiedSink` (one
 * measuring sink per priority class). Delivery only needs its {@link HeldOutput}: how much
 * is held, and how to emit all of it, its oldest part (a slow sink's write) or drop it.
 */
import type { Stage } from '../operators/stage.js';
import type { MeasuringSink, OutputDigest } from './measuring-sink.js';

/** Encoded latency histograms of one class of output (or of all together). */
export interface ClassHistograms {
  eventTime: string;
  processingTime: string;
}

/** Output held at the end of a pipeline, waiting to be delivered. */
export interface HeldOutput {
  /** Output records held, not yet emitted. */
  readonly buffered: number;
  /** Output records emitted so far. */
  readonly emitted: number;
  /** Emits every held record at `emitUs`, recording its latencies. */
  flush(emitUs: number): void;
  /** Emits the `count` oldest held records at `emitUs`; the rest stay held. */
  flushFirst(count: number, emitUs: number): void;
  /** Drops every held record without emitting it (a declared drop policy); returns how many. */
  discardHeld(): number;
}

/** The sink a partition task's pipeline ends in. */
export interface TaskSink extends Stage, HeldOutput {
  /** When the task first read the records now being pushed; set by the task per read. */
  readTimeUs: number;
  /** Output records emitted inside the measurement window. */
  readonly emittedInWindow: number;
  /** Order-insensitive digest of every output record produced (at push). */
  readonly digest: OutputDigest;
  /**
   * The measuring sink of each output class, in a fixed order: one for a plain sink;
   * normal then priority for a classified one. Recovery counts deliveries per class.
   */
  readonly classSinks: readonly HeldOutput[];
  /** The latency histograms so far, all classes together, encoded. */
  encode(): ClassHistograms;
  /** Frees the histograms; the sink is not used after. */
  destroy(): void;
}

/** Builds the measuring sink of output class `classIndex` (recovery substitutes one that counts replayed outputs). */
export type ClassSinkFactory = (classIndex: number, ...parts: ConstructorParameters<typeof MeasuringSink>) => MeasuringSink;
