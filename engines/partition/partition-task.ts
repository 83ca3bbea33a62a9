/**
 * A long-running partition task: the executor of one source partition, hosted on a piscina
 * worker thread for the whole run. It reads its partition of the source log straight from
 * shared memory, runs the pipeline, and emits into its sink; keyed state stays with it
 * (key-affine by construction: the source partitions by key).
 *
 * - `continuous`: processes each record as soon as it is appended (woken by `Atomics.wait`
 *   on the partition's end offset) and emits it at once, or after `flushTimeoutUs` (Flink's
 *   buffer timeout); answers epoch markers from the driver with its committed offset.
 * - `batch`: waits for the driver's command "process up to offset N", processes the range
 *   in a tight loop, emits and commits the output at the end of the task (the commit point
 *   of a batch), and reports back.
 */
import type { MessagePort } from 'node:worker_threads';
import { SystemClock, type Clock } from '../../runner/clock.js';
import { createHistogram, encodeHistogram } from '../../runner/histogram.js';
import { SourceLog, type SourceLogBuffers } from '../../runner/source-log.js';
import { Timeline, type TimelineData } from '../../runner/timeline.js';
import { buildPipeline, type OperatorSpec } from '../operators/pipeline.js';
import type { OperatorContext } from '../operators/stage.js';
import { MeasuringSink, type OutputDigest } from './measuring-sink.js';
import { SlowSinkWriter, type PartitionSinkSpec, type SlowSinkFigures } from './slow-sink.js';

/** Everything a partition task starts with (structured-cloneable; `port` is transferred). */
export interface PartitionTaskInput {
  partition: number;
  kind: 'continuous' | 'batch';
  buffers: SourceLogBuffers;
  originUs: number;
  pipeline: OperatorSpec[];
  keys: number;
  cpuIterationsPerUs: number;
  /** Continuous only: hold output at most this long before emitting; 0 = after every record. */
  flushTimeoutUs: number;
  measureStartUs: number;
  measureEndUs: number;
  bucketUs: number;
  buckets: number;
  /** Replies to the driver: batch completions, epoch acknowledgements. */
  port: MessagePort;
  /** A slow downstream (this partition's share); absent = the instant sink. */
  sink?: PartitionSinkSpec;
}

/** Sent once when the task has started and is about to consume. */
export interface TaskReady {
  type: 'ready';
  partition: number;
}

/** A message from a partition task to the driver. */
export type TaskMessage = TaskReady | BatchDone | EpochDone;

/** A batch task's reply. */
export interface BatchDone {
  type: 'batch';
  partition: number;
  sequence: number;
  startUs: number;
  endUs: number;
  records: number;
  /** Whether this partition has now processed its final record and flushed its final windows. */
  finalized: boolean;
}

/** A continuous task's acknowledgement of an epoch marker. */
export interface EpochDone {
  type: 'epoch';
  partition: number;
  epoch: number;
  committed: number;
  atUs: number;
}

/** What a partition task returns when stopped. */
export interface PartitionTaskOutput {
  partition: number;
  processed: number;
  emitted: number;
  emittedInWindow: number;
  lateDropped: number;
  digest: OutputDigest;
  eventTime: string;
  processingTime: string;
  output: TimelineData;
  /** Present with a slow downstream. */
  sink?: SlowSinkFigures;
  /** Output records delivered again after a replay (recovery after a fault). */
  duplicates?: number;
}

/** How long a waiting task sleeps before re-checking for stop requests and commands (ms). */
const IDLE_CHECK_MS = 50;

/** Runs the task until the driver requests a stop. */
export function runPartitionTask(input: PartitionTaskInput, clock: Clock = new SystemClock(input.originUs)): PartitionTaskOutput {
  const log = new SourceLog(input.buffers);
  const p = input.partition;
  const eventTime = createHistogram();
  const processingTime = createHistogram();
  const timeline = new Timeline(input.measureStartUs, input.bucketUs, input.buckets);
  const sink = new MeasuringSink(input, eventTime, processingTime, timeline);
  const context: OperatorContext = { keys: input.keys, cpuIterationsPerUs: input.cpuIterationsPerUs, counters: { lateDropped: 0 } };
  const head = buildPipeline(input.pipeline, sink, context);
  const slowSink = input.sink ? new SlowSinkWriter(input.sink, clock, timeline) : undefined;
  /** Hands the held output to the downstream: at once (instant sink), or through the slow sink's queue. */
  const deliver = (): void => {
    if (slowSink) slowSink.deliver(sink);
    else sink.flush(clock.now());
  };
  const startOffset = log.committed(p);
  const state = { offset: startOffset, finalized: false };

  /** At the end of the input (generator finished, all read): flush the final windows. */
  const finalizeIfDone = (): void => {
    if (!state.finalized && log.finished(p) && state.offset === log.end(p)) {
      head.finish();
      state.finalized = true;
    }
  };
  const emit = (): void => {
    deliver();
    log.commit(p, state.offset);
    log.setOutputCount(p, sink.emitted);
  };

  input.port.postMessage({ type: 'ready', partition: p } satisfies TaskReady);
  if (input.kind === 'continuous') runContinuous();
  else runBatches();

  finalizeIfDone();
  emit();
  sink.close();
  const output: PartitionTaskOutput = {
    partition: p,
    processed: state.offset - startOffset,
    emitted: sink.emitted,
    emittedInWindow: sink.emittedInWindow,
    lateDropped: context.counters.lateDropped,
    digest: sink.digest,
    eventTime: encodeHistogram(eventTime),
    processingTime: encodeHistogram(processingTime),
    output: timeline.toData(),
    ...(slowSink ? { sink: slowSink.figures() } : {}),
  };
  eventTime.destroy();
  processingTime.destroy();
  return output;

  function runContinuous(): void {
    const { eventTime: times, key: keys, value: values } = log;
    const perRecord = input.flushTimeoutUs === 0;
    let firstHeldUs = -1;
    let epochSequence = 0;
    for (;;) {
      const end = log.end(p);
      if (state.offset < end) {
        sink.readTimeUs = clock.now();
        while (state.offset < end) {
          const slot = log.slot(p, state.offset);
          head.push(times[slot], keys[slot], values[slot]);
          state.offset++;
          if (perRecord) {
            if (sink.buffered > 0) deliver();
            log.commit(p, state.offset);
          }
        }
        log.setOutputCount(p, sink.emitted);
      }
      finalizeIfDone();
      let waitMs = IDLE_CHECK_MS;
      if (sink.buffered > 0 || log.committed(p) !== state.offset) {
        const now = clock.now();
        if (firstHeldUs < 0) firstHeldUs = now;
        const dueUs = firstHeldUs + input.flushTimeoutUs;
        if (perRecord || now >= dueUs) {
          emit();
          firstHeldUs = -1;
        } else {
          waitMs = (dueUs - now) / 1000;
        }
      }
      const command = log.command(p);
      if (command.sequence !== epochSequence) {
        epochSequence = command.sequence;
        const done: EpochDone = { type: 'epoch', partition: p, epoch: command.argument, committed: log.committed(p), atUs: clock.now() };
        input.port.postMessage(done);
      }
      if (log.stopRequested(p)) return;
      if (log.end(p) === end) log.waitForAppend(p, end, waitMs);
    }
  }

  function runBatches(): void {
    const { eventTime: times, key: keys, value: values } = log;
    let sequence = 0;
    for (;;) {
      const command = log.command(p);
      if (command.sequence !== sequence) {
        sequence = command.sequence;
        const startUs = clock.now();
        const from = state.offset;
        sink.readTimeUs = startUs;
        for (let offset = from; offset < command.argument; offset++) {
          const slot = log.slot(p, offset);
          head.push(times[slot], keys[slot], values[slot]);
        }
        state.offset = Math.max(from, command.argument);
        finalizeIfDone();
        emit();
        const done: BatchDone = {
          type: 'batch',
          partition: p,
          sequence,
          startUs,
          endUs: clock.now(),
          records: state.offset - from,
          finalized: state.finalized,
        };
        input.port.postMessage(done);
        continue;
      }
      if (log.stopRequested(p)) return;
      log.waitForCommand(p, sequence, IDLE_CHECK_MS);
    }
  }
}
