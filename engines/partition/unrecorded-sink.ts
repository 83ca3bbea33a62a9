/**
 * A measuring sink that records no latency: it holds, digests and counts its output like a
 * `MeasuringSink` (so generated code appends to it in line as to any), but emitting a record
 * skips the histograms, the output timeline and the latency bins. It prices the instrumentation:
 * the same task with and without latency recording, in `bench:micro` and in a real run
 * (`--latency-recording off`).
 */
import type { HeldRunTarget } from './held-records.js';
import { MeasuringSink } from './measuring-sink.js';

/** Takes emitted records and records nothing. */
const NOWHERE: HeldRunTarget = { emit() {} };

/** A `MeasuringSink` whose emits only count (see the file's doc). */
export class UnrecordedSink extends MeasuringSink {
  constructor(...parts: ConstructorParameters<typeof MeasuringSink>) {
    super(...parts);
    this.emitTarget = NOWHERE;
  }
}
