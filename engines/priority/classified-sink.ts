/**
 * The sink of a scenario with a priority class: two {@link MeasuringSink}s, one per class,
 * behind one pipeline (so keyed state is shared), with separate latency histograms and
 * separate output buffers — the priority buffer can be emitted on its own (the priority
 * lane) while normal output waits for its batch or flush timeout. An output record belongs
 * to the class of the input record being pushed when it is produced (the task calls
 * {@link ClassifiedSink.route} before each push; the `priority` scenario's pipeline maps
 * each input to at most one output).
 */
import { createHistogram, encodeHistogram, mergeEncoded, type Histogram } from '../../primitives/histogram.js';
import type { LatencyBinsTimeline } from '../../primitives/latency-bins.js';
import type { Timeline } from '../../primitives/timeline.js';
import type { Stage } from '../operators/stage.js';
import { mergeDigests, MeasuringSink, type MeasurementWindow, type OutputDigest } from '../partition/measuring-sink.js';

/** Encoded latency histograms of one class. */
export interface ClassHistograms {
  eventTime: string;
  processingTime: string;
}

export class ClassifiedSink implements Stage {
  readonly priority: MeasuringSink;
  readonly normal: MeasuringSink;
  private current: MeasuringSink;
  private readonly histograms: Histogram[];

  constructor(window: MeasurementWindow, timeline: Timeline, latencyBins?: LatencyBinsTimeline) {
    this.histograms = [createHistogram(), createHistogram(), createHistogram(), createHistogram()];
    const [priorityEvent, priorityProcessing, normalEvent, normalProcessing] = this.histograms;
    this.priority = new MeasuringSink(window, priorityEvent, priorityProcessing, timeline, latencyBins);
    this.normal = new MeasuringSink(window, normalEvent, normalProcessing, timeline, latencyBins);
    this.current = this.normal;
  }

  /** Sends the next pushes to the priority class's sink (`true`) or the normal one. */
  route(priority: boolean): void {
    this.current = priority ? this.priority : this.normal;
  }

  /** Sets when the records now being pushed were first read, for both classes. */
  set readTimeUs(us: number) {
    this.priority.readTimeUs = us;
    this.normal.readTimeUs = us;
  }

  push(eventTimeUs: number, key: number, value: number): void {
    this.current.push(eventTimeUs, key, value);
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

  /** Closes both sinks and returns the encoded histograms per class and for both together; frees the histograms. */
  close(): { priority: ClassHistograms; normal: ClassHistograms; all: ClassHistograms } {
    this.priority.close();
    this.normal.close();
    const [pe, pp, ne, np] = this.histograms.map(encodeHistogram);
    for (const histogram of this.histograms) histogram.destroy();
    return {
      priority: { eventTime: pe, processingTime: pp },
      normal: { eventTime: ne, processingTime: np },
      all: { eventTime: encodeHistogram(mergeEncoded([pe, ne])), processingTime: encodeHistogram(mergeEncoded([pp, np])) },
    };
  }
}
