/**
 * What a measuring sink records when it emits: event-time latency (emit − event time) and
 * processing-time latency (emit − read time) into HdrHistograms through run-length recorders,
 * each measured latency into the output timeline (count, sum, max per bucket of emit time) and,
 * optionally, the latency bins. Only outputs of records at or after the measurement start are
 * measured.
 *
 * A large emit (a batch) is recorded at once. A small one — a continuous task emits after
 * every record — is stamped with its emit time and kept (event, read and emit time) until
 * {@link DEFERRED_RECORDS} are kept or the figures are read ({@link close}); then they are
 * recorded together in one tight loop: the same values into the same histograms, timeline and
 * bins, for a fraction of the per-call cost. Read the histograms, the timeline or the bins only
 * after `close()`. A task with a memory budget also splits each emitted record's latency by
 * whether its spill store was busy meanwhile ({@link LatencyRecorder.spill}), at the emit.
 */
import { RunLengthRecorder, type Histogram } from '../../primitives/histogram.js';
import type { LatencyBinsTimeline } from '../../primitives/latency-bins.js';
import type { Timeline } from '../../primitives/timeline.js';
import type { HeldRunTarget } from './held-records.js';
import type { SpillLatency } from './spill-latency.js';

/** The measurement window the sink records latency and output throughput for (µs, run clock). */
export interface MeasurementWindow {
  /** Outputs of records with an earlier event time are warm-up: not recorded. */
  measureStartUs: number;
  /** Outputs emitted in [measureStartUs, measureEndUs] count towards output throughput. */
  measureEndUs: number;
}

/** Emits of at most this many records are kept and recorded later, together. */
const SMALL_EMIT = 64;
/** Emitted records kept before they are recorded. */
export const DEFERRED_RECORDS = 1024;

/** Records the latencies of emitted records (see the file's doc). */
export class LatencyRecorder implements HeldRunTarget {
  readonly eventTime: RunLengthRecorder;
  readonly processingTime: RunLengthRecorder;
  private readonly keptEventTimes = new Float64Array(DEFERRED_RECORDS);
  private readonly keptReadTimes = new Float64Array(DEFERRED_RECORDS);
  private readonly keptEmitTimes = new Float64Array(DEFERRED_RECORDS);
  private kept = 0;
  /** With a memory budget: where each emitted record's latency is also recorded, by the spill store's activity (at the emit, not deferred). */
  spill: SpillLatency | undefined = undefined;

  constructor(
    private readonly window: MeasurementWindow,
    eventTimeHistogram: Histogram,
    processingTimeHistogram: Histogram,
    private readonly timeline: Timeline,
    private readonly latencyBins?: LatencyBinsTimeline,
  ) {
    this.eventTime = new RunLengthRecorder(eventTimeHistogram);
    this.processingTime = new RunLengthRecorder(processingTimeHistogram);
  }

  /** Records that the held records [from, to) of `eventTimes`, first read at `readTimeUs`, were emitted at `emitUs`. */
  emit(eventTimes: Float64Array, from: number, to: number, readTimeUs: number, emitUs: number): void {
    const n = to - from;
    if (this.spill !== undefined) this.spill.record(eventTimes, from, to, emitUs);
    if (n > SMALL_EMIT) {
      this.recordAt(eventTimes, from, to, readTimeUs, emitUs);
      return;
    }
    if (this.kept + n > DEFERRED_RECORDS) this.recordKept();
    const at = this.kept;
    for (let i = 0; i < n; i++) {
      this.keptEventTimes[at + i] = eventTimes[from + i];
      this.keptReadTimes[at + i] = readTimeUs;
      this.keptEmitTimes[at + i] = emitUs;
    }
    this.kept = at + n;
  }

  /** Records everything kept and flushes the run-length recorders: the histograms, timeline and bins are then complete. */
  close(): void {
    this.recordKept();
    this.eventTime.flush();
    this.processingTime.flush();
  }

  /** Records [from, to) of `eventTimes`, all read at `readTimeUs` and emitted at `emitUs`. */
  private recordAt(eventTimes: Float64Array, from: number, to: number, readTimeUs: number, emitUs: number): void {
    const { measureStartUs } = this.window;
    const bins = this.latencyBins;
    const eventTime = this.eventTime;
    // The run-length recorder's current bucket, compared here: a run's count stays in a local.
    let low = eventTime.runLow;
    let high = eventTime.runHigh;
    let run = 0;
    let measured = 0;
    let latencySum = 0;
    let latencyMax = 0;
    for (let i = from; i < to; i++) {
      const eventTimeUs = eventTimes[i];
      if (eventTimeUs < measureStartUs) continue;
      const latency = emitUs - eventTimeUs;
      if (latency >= low && latency < high) {
        run++;
      } else {
        eventTime.extendRun(run);
        run = 0;
        eventTime.record(latency);
        low = eventTime.runLow;
        high = eventTime.runHigh;
      }
      if (bins !== undefined) bins.add(emitUs, latency);
      measured++;
      latencySum += latency;
      if (latency > latencyMax) latencyMax = latency;
    }
    eventTime.extendRun(run);
    // Read together, emitted together: one processing time for all.
    this.processingTime.recordMany(emitUs - readTimeUs, measured);
    if (measured > 0) this.timeline.add(emitUs, measured, latencySum, latencyMax);
  }

  /**
   * Records the kept records, each at its own emit time. Consecutive records emitted in the
   * same timeline bucket ([start + i·width, start + (i + 1)·width)) are added to it together.
   */
  private recordKept(): void {
    const n = this.kept;
    if (n === 0) return;
    this.kept = 0;
    const { measureStartUs } = this.window;
    const { startUs, bucketUs } = this.timeline;
    const bins = this.latencyBins;
    const eventTimes = this.keptEventTimes;
    const readTimes = this.keptReadTimes;
    const emitTimes = this.keptEmitTimes;
    let bucketAtUs = 0;
    let bucketEndUs = -Infinity;
    let bucketStartUs = Infinity;
    let measured = 0;
    let latencySum = 0;
    let latencyMax = 0;
    for (let i = 0; i < n; i++) {
      const eventTimeUs = eventTimes[i];
      if (eventTimeUs < measureStartUs) continue;
      const emitUs = emitTimes[i];
      const latency = emitUs - eventTimeUs;
      this.eventTime.record(latency);
      this.processingTime.record(emitUs - readTimes[i]);
      if (bins !== undefined) bins.add(emitUs, latency);
      if (!(emitUs >= bucketStartUs && emitUs < bucketEndUs)) {
        if (measured > 0) this.timeline.add(bucketAtUs, measured, latencySum, latencyMax);
        bucketAtUs = emitUs;
        bucketStartUs = startUs + Math.floor((emitUs - startUs) / bucketUs) * bucketUs;
        bucketEndUs = bucketStartUs + bucketUs;
        measured = 0;
        latencySum = 0;
        latencyMax = 0;
      }
      measured++;
      latencySum += latency;
      if (latency > latencyMax) latencyMax = latency;
    }
    if (measured > 0) this.timeline.add(bucketAtUs, measured, latencySum, latencyMax);
  }
}
