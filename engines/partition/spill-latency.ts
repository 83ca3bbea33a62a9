/**
 * Event-time latency of a budgeted task's output, split by whether its spill store was busy
 * while the record was in flight. A record emitted at E with event time T counts as emitted
 * **while spilling** when the store wrote (an eviction) or read back (a look-up or a firing
 * window's range read) at some moment in [T, E]: its latency then includes that disk work, or
 * waiting behind it. The store works on the task's thread, so every operation has ended by the
 * time anything is emitted, and the test is one comparison: T ≤ the end of the store's latest
 * operation ({@link BusyMark.lastBusyEndUs}). Everything else counts as **otherwise**.
 *
 * Recorded per emitted record, at its emit, into two HdrHistograms (integer µs, through
 * run-length recorders), never per-record arrays; only records at or after the measurement
 * start, as the task's own latency histograms. Attached to each output class's measuring sink
 * (`MeasuringSink.splitBySpill`); one pair per task attempt, merged like the task's figures.
 */
import { createHistogram, encodeHistogram, RunLengthRecorder } from '../../primitives/histogram.js';

/** What the split needs of a spill store: when its latest write or read ended (µs, the task's clock). */
export interface BusyMark {
  readonly lastBusyEndUs: number;
}

/** The two histograms, encoded (HdrHistogram compressed base64), as a task reports them. */
export interface SpillLatencyHistograms {
  whileSpilling: string;
  otherwise: string;
}

/** Splits emitted records' event-time latency by the spill store's activity (see the file's doc). */
export class SpillLatency {
  readonly whileSpilling: RunLengthRecorder;
  readonly otherwise: RunLengthRecorder;

  constructor(
    private readonly store: BusyMark,
    /** Records with an earlier event time are warm-up: not recorded. */
    private readonly measureStartUs: number,
  ) {
    this.whileSpilling = new RunLengthRecorder(createHistogram());
    this.otherwise = new RunLengthRecorder(createHistogram());
  }

  /** Records that the records of `eventTimes` [from, to) were emitted at `emitUs`. */
  record(eventTimes: Float64Array, from: number, to: number, emitUs: number): void {
    const busyEndUs = this.store.lastBusyEndUs;
    const { measureStartUs, whileSpilling, otherwise } = this;
    for (let i = from; i < to; i++) {
      const eventTimeUs = eventTimes[i];
      if (eventTimeUs < measureStartUs) continue;
      (eventTimeUs <= busyEndUs ? whileSpilling : otherwise).record(emitUs - eventTimeUs);
    }
  }

  /** Both histograms so far, encoded. */
  encode(): SpillLatencyHistograms {
    this.whileSpilling.flush();
    this.otherwise.flush();
    return { whileSpilling: encodeHistogram(this.whileSpilling.histogram), otherwise: encodeHistogram(this.otherwise.histogram) };
  }

  /** Frees the histograms (WebAssembly memory); not used after. */
  destroy(): void {
    this.whileSpilling.histogram.destroy();
    this.otherwise.histogram.destroy();
  }
}
