/**
 * What a mode of one's own (a plugin, or a peer such as RxJS) uses instead of the built-in
 * partition tasks: one {@link CustomPartition} per source partition, read and written on the
 * engine's own thread. It reads the partition's records straight from the source log, and its
 * output goes into the same measuring sink the built-in tasks use, so latency (event time =
 * scheduled time; emit time = when `emit()` is called), the output timeline and the
 * order-insensitive digest are measured exactly as for every other mode.
 */
import { createHistogram, encodeHistogram } from '../primitives/histogram.js';
import { LatencyBinsTimeline } from '../primitives/latency-bins.js';
import type { SourceLog } from '../primitives/source-log.js';
import { Timeline } from '../primitives/timeline.js';
import type { Clock } from '../primitives/clock.js';
import type { EngineContext } from './engine.js';
import type { OutputTap } from './output-tap.js';
import { MeasuringSink } from './partition/measuring-sink.js';
import type { PartitionTaskOutput } from './partition/task-messages.js';
import { RecordColumns } from '../primitives/record-columns.js';
import { buildRecordPipeline } from './records/record-pipeline.js';
import type { RecordTaskSettings } from './records/record-query.js';
import { hashRow, recordCounters, type RowSink } from './records/record-stage.js';

/** Receives one input record: event time (µs, the scheduled time), key, value, and its offset in the partition. */
export type RecordReader = (eventTimeUs: number, key: number, value: number, offset: number) => void;

/** One source partition, as an engine of one's own sees it. */
export interface CustomPartition {
  readonly partition: number;
  /**
   * Calls `read` for every record appended since the last poll, in offset order; returns how
   * many (at most `maxRecords`, for an engine that takes input in chunks to keep its own
   * buffers bounded). A per-record engine may `output` and `emit` from inside `read`.
   */
  poll(read: RecordReader, maxRecords?: number): number;
  /** Whether the source has finished and every record of this partition has been polled. */
  readonly exhausted: boolean;
  /** Holds one output record (the event time of the input it came from, a key, a value) until the next `emit`. */
  output(eventTimeUs: number, key: number, value: number): void;
  /**
   * Emits the held output now (its latency is measured at this instant) and commits the input
   * up to `processedOffset` (default: everything polled): those offsets are done, backlog falls.
   */
  emit(processedOffset?: number): void;
  /**
   * A record query's scenario (issue 14; a mode that lists 'record-queries' in `handles`):
   * the query's operators over this partition's shared record columns, whose output rows go
   * into this partition's output (held until `emit`, digest and latency as the built-in
   * tasks measure them). Call `push(offset)` for each record polled, in offset order, and
   * `finish()` once the partition is exhausted (the final windows). Undefined for a scalar
   * scenario; build it once per partition.
   */
  openQuery(): RecordQueryHandle | undefined;
  /** What this partition measured; call once, when the engine stops. */
  close(): PartitionTaskOutput;
}

/** A record query over one custom partition (see {@link CustomPartition.openQuery}). */
export interface RecordQueryHandle {
  /** Runs the record at `offset` (polled) through the query. */
  push(offset: number): void;
  /** The end of the input: fires the final windows. */
  finish(): void;
}

/** Opens every partition of the run's source log for an engine of one's own. */
export function openPartitions(context: EngineContext): CustomPartition[] {
  return Array.from({ length: context.log.partitions }, (_, partition) => new LogPartition(context, partition));
}

/** Resolves once any partition has records not yet polled, or after `timeoutMs` (an idle engine's wait, without spinning). */
export function waitForInput(context: EngineContext, partitions: readonly CustomPartition[], timeoutMs: number): Promise<void> {
  const seen = partitions.map((p) => (p as LogPartition).polledEnd);
  return context.log.waitForAnyAppend(seen, timeoutMs);
}

class LogPartition implements CustomPartition {
  private readonly log: SourceLog;
  private readonly clock: Clock;
  private readonly eventTime = createHistogram();
  private readonly processingTime = createHistogram();
  private readonly timeline: Timeline;
  private readonly bins?: LatencyBinsTimeline;
  private readonly sink: MeasuringSink;
  private readonly startOffset: number;
  /** One past the last offset polled. */
  polledEnd: number;
  private committed: number;
  private closed?: PartitionTaskOutput;
  private readonly tap?: OutputTap;

  private readonly records: RecordTaskSettings | undefined;
  private readonly counters = recordCounters();

  constructor(context: EngineContext, readonly partition: number) {
    const { task } = context;
    this.records = task.records;
    this.tap = context.outputTap;
    this.log = context.log;
    this.clock = context.clock;
    this.timeline = new Timeline(task.measureStartUs, task.bucketUs, task.buckets);
    if (task.latencyBins) this.bins = new LatencyBinsTimeline(task.measureStartUs, task.bucketUs, task.buckets);
    this.sink = new MeasuringSink(task, this.eventTime, this.processingTime, this.timeline, this.bins);
    this.startOffset = this.polledEnd = this.committed = this.log.committed(partition);
  }

  poll(read: RecordReader, maxRecords = Infinity): number {
    const { log, partition } = this;
    const end = Math.min(log.end(partition), this.polledEnd + maxRecords);
    const from = this.polledEnd;
    if (from >= end) return 0;
    this.sink.readTimeUs = this.clock.now();
    const { eventTime, key, value } = log;
    for (let offset = from; offset < end; offset++) {
      const slot = log.slot(partition, offset);
      // Counted as polled before `read` sees it, so an `emit()` from inside `read` commits this record too.
      this.polledEnd = offset + 1;
      read(eventTime[slot], key[slot], value[slot], offset);
    }
    return end - from;
  }

  get exhausted(): boolean {
    return this.log.finished(this.partition) && this.polledEnd === this.log.end(this.partition);
  }

  openQuery(): RecordQueryHandle | undefined {
    const records = this.records;
    if (records === undefined) return undefined;
    const columns = new RecordColumns(records.columns[this.partition]);
    const rows: RowSink = { row: (eventTimeUs, fields) => this.output(eventTimeUs, hashRow(fields), 0), finish: () => undefined };
    const { head } = buildRecordPipeline(records.query, records.windowScale, columns, rows, this.counters);
    const mask = columns.mask;
    return { push: (offset) => head.push(offset & mask), finish: () => head.finish() };
  }

  output(eventTimeUs: number, key: number, value: number): void {
    this.sink.push(eventTimeUs, key, value);
    this.tap?.output(this.partition, eventTimeUs, key, value);
  }

  emit(processedOffset = this.polledEnd): void {
    this.sink.flush(this.clock.now());
    const upTo = Math.min(Math.max(processedOffset, this.committed), this.polledEnd);
    if (upTo !== this.committed) {
      this.committed = upTo;
      this.log.commit(this.partition, upTo);
    }
    this.tap?.emit(this.partition);
    this.log.setOutputCount(this.partition, this.sink.emitted);
  }

  close(): PartitionTaskOutput {
    if (this.closed) return this.closed;
    this.sink.close();
    this.closed = {
      partition: this.partition,
      processed: this.committed - this.startOffset,
      emitted: this.sink.emitted,
      emittedInWindow: this.sink.emittedInWindow,
      lateDropped: this.counters.lateDropped,
      digest: { ...this.sink.digest },
      eventTime: encodeHistogram(this.eventTime),
      processingTime: encodeHistogram(this.processingTime),
      output: this.timeline.toData(),
      ...(this.bins ? { latencyBins: this.bins.toData() } : {}),
      // No thread of its own: its work is on the driver's thread (a plugin's own threads count as the process's other CPU).
      cpuUs: 0,
    };
    this.eventTime.destroy();
    this.processingTime.destroy();
    return this.closed;
  }
}
