/**
 * Delivers a partition's output to a slow downstream ({@link BoundedSinkQueue}) with real
 * back-pressure: when the queue is full the partition task blocks (`Atomics.wait`) until
 * the downstream completes a write, so it stops reading its partition and the backlog grows
 * in the source log. With the `newest` drop policy it drops what does not fit instead, and
 * counts it. Records are emitted (their latency measured) when the downstream completes
 * their write, so latency includes the sink's queueing and write time.
 */
import type { Clock } from '../../primitives/clock.js';
import { createHistogram, encodeHistogram, RunLengthRecorder, type Histogram } from '../../primitives/histogram.js';
import { BoundedSinkQueue, type SinkQueueLimits } from './sink-queue.js';
import type { HeldOutput } from './task-sink.js';

/** What the sink does when its queue is full: wait (back-pressure, the default) or drop the newest output and count it. */
export type SinkDropPolicy = 'none' | 'newest';

/** One partition's share of the sink, as a task receives it. */
export interface PartitionSinkSpec extends SinkQueueLimits {
  drop: SinkDropPolicy;
}

/** What one partition's slow sink measured. */
export interface SlowSinkFigures {
  writes: number;
  /** Records per write, HdrHistogram compressed base64. */
  writeSizes: string;
  /** Output records dropped by the drop policy. */
  dropped: number;
  /** Time the task spent blocked waiting for room, µs. */
  blockedUs: number;
  /** Width of the buckets below (µs): finer than the timeline's, so batch bursts show. */
  bucketUs: number;
  /** Largest queue depth (records) seen at a write, per bucket (0 where nothing was written). */
  depthPeaks: number[];
  /** Records admitted into the sink's queue, per bucket. */
  written: number[];
}

/** Bucket width of the sink's own timelines: 10 ms, a tenth of the run's timeline buckets. */
export const SINK_BUCKET_US = 10_000;

export class SlowSinkWriter {
  private readonly queue: BoundedSinkQueue;
  private readonly sizes: Histogram = createHistogram(false);
  private readonly sizeRecorder = new RunLengthRecorder(this.sizes);
  private readonly depthPeaks: Float64Array;
  private readonly written: Float64Array;
  private writes = 0;
  private dropped = 0;
  private blockedUs = 0;

  constructor(
    private readonly spec: PartitionSinkSpec,
    private readonly clock: Clock,
    private readonly timeline: { startUs: number; bucketUs: number; buckets: number },
    /** Blocks until the clock reaches the given time (default: `Atomics.wait`); tests pass a ManualClock's advance. */
    private readonly sleepUntil: (atUs: number) => void = (atUs) => {
      const waitMs = (atUs - clock.now()) / 1000;
      if (waitMs > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, waitMs);
    },
  ) {
    this.queue = new BoundedSinkQueue(spec);
    const buckets = Math.ceil((timeline.buckets * timeline.bucketUs) / SINK_BUCKET_US);
    this.depthPeaks = new Float64Array(buckets);
    this.written = new Float64Array(buckets);
  }

  /**
   * Delivers every record `sink` holds (a measuring sink, a classified one, or one class of
   * it), waiting for room (or dropping, by policy); calls `afterWrite` after each write.
   */
  deliver(sink: HeldOutput, afterWrite?: () => void): void {
    while (sink.buffered > 0) {
      const now = this.clock.now();
      const room = this.queue.room(now);
      if (room <= 0) {
        if (this.spec.drop === 'newest') {
          this.dropped += sink.discardHeld();
          return;
        }
        this.waitUntil(this.queue.nextCompletionUs(now));
        continue;
      }
      const records = Math.min(room, sink.buffered);
      const doneUs = this.queue.admit(records, now);
      sink.flushFirst(records, doneUs);
      this.writes++;
      this.sizeRecorder.record(records);
      this.noteWrite(now, records, this.queue.depth(now));
      afterWrite?.();
    }
  }

  /** The figures so far. */
  figures(): SlowSinkFigures {
    this.sizeRecorder.flush();
    return {
      writes: this.writes,
      writeSizes: encodeHistogram(this.sizes),
      dropped: this.dropped,
      blockedUs: this.blockedUs,
      bucketUs: SINK_BUCKET_US,
      depthPeaks: Array.from(this.depthPeaks),
      written: Array.from(this.written),
    };
  }

  private waitUntil(atUs: number): void {
    const start = this.clock.now();
    this.sleepUntil(atUs);
    this.blockedUs += this.clock.now() - start;
  }

  private noteWrite(atUs: number, records: number, depth: number): void {
    const index = Math.floor((atUs - this.timeline.startUs) / SINK_BUCKET_US);
    if (index < 0 || index >= this.depthPeaks.length) return;
    this.written[index] += records;
    if (depth > this.depthPeaks[index]) this.depthPeaks[index] = depth;
  }
}
