/**
 * A measuring sink that records no latency: it holds, digests and counts its output like a
 * `MeasuringSink` (so generated code appends to it in line as to any), but emitting a record
 * skips the histograms, the output timeline and the latency bins. Only `bench:micro` uses it,
 * to price the instrumentation: the same task with and without latency recording.
 */
import { MeasuringSink } from '../engines/partition/measuring-sink.js';

/** A `MeasuringSink` whose emits only count (see the file's doc). */
export class UnrecordedSink extends MeasuringSink {
  protected override emitRange(from: number, to: number, emitUs: number): void {
    const n = to - from;
    this.emitted += n;
    if (emitUs >= this.window.measureStartUs && emitUs <= this.window.measureEndUs) this.emittedInWindow += n;
  }
}
