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
import { threadId, type MessagePort } from 'node:worker_threads';
import { SystemClock, type Clock } from '../../primitives/clock.js';
import { createHistogram, encodeHistogram } from '../../primitives/histogram.js';
import { LatencyBinsTimeline, type LatencyBinsData } from '../../primitives/latency-bins.js';
import { SourceLog, type SourceLogBuffers } from '../../primitives/source-log.js';
import { Timeline, type TimelineData } from '../../primitives/timeline.js';
import { buildPipelineStages, recoverableOperators, type OperatorSpec } from '../operators/pipeline.js';
import type { OperatorContext } from '../operators/stage.js';
import { runPriorityPartitionTask, type ClassOutput, type PriorityTaskSettings } from '../priority/priority-task.js';
import { MeasuringSink, type OutputDigest } from './measuring-sink.js';
import { SlowSinkWriter, type PartitionSinkSpec, type SlowSinkFigures } from './slow-sink.js';
import { InjectedTaskFailure, TaskRecovery, type RecoveryInput, type ResumedMessage, type SnapshotMessage } from './task-recovery.js';

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
  /** Count latencies in log bins per timeline bucket too (for sliding-window percentiles; `burst`). */
  latencyBins?: boolean;
  /** The scenario's priority class: records are classified, and with `lane` fast-tracked (`priority-task.ts`). */
  priority?: PriorityTaskSettings;
  /** A slow downstream (this partition's share); absent = the instant sink. */
  sink?: PartitionSinkSpec;
  /** Fault recovery: snapshot at every commit point, resume from one; absent = no recovery. */
  recovery?: RecoveryInput;
}

/** Sent once when the task has started and is about to consume. */
export interface TaskReady {
  type: 'ready';
  partition: number;
  /** The worker thread the task runs on (so the driver can terminate it to inject a fault). */
  threadId?: number;
  /** When the task was ready, µs on the run clock. */
  atUs?: number;
}

/** A message from a partition task to the driver. */
export type TaskMessage = TaskReady | BatchDone | EpochDone | SnapshotMessage | ResumedMessage;

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
  /** With `latencyBins`: latency bins per bucket of emit time. */
  latencyBins?: LatencyBinsData;
  /** With `priority`: latency per class and what the lane did. */
  classes?: ClassOutput;
  /** Present with a slow downstream. */
  sink?: SlowSinkFigures;
  /** Output records delivered again after a replay (recovery after a fault), and their digest. */
  duplicates?: number;
  duplicateDigest?: OutputDigest;
}

/** Continuous mode behind a slow sink: most records read before checking for a stop request. */
const SLOW_SINK_READ_CHUNK = 1024;

/** How long a waiting task sleeps before re-checking for stop requests and commands (ms). */
const IDLE_CHECK_MS = 50;

/** Runs the task until the driver requests a stop. */
export function runPartitionTask(input: PartitionTaskInput, clock: Clock = new SystemClock(input.originUs)): PartitionTaskOutput {
  if (input.priority) return runPriorityPartitionTask(input, input.priority, clock);
  const log = new SourceLog(input.buffers);
  const p = input.partition;
  const eventTime = createHistogram();
  const processingTime = createHistogram();
  const timeline = new Timeline(input.measureStartUs, input.bucketUs, input.buckets);
  const bins = input.latencyBins ? new LatencyBinsTimeline(input.measureStartUs, input.bucketUs, input.buckets) : undefined;
  const sink = new MeasuringSink(input, eventTime, processingTime, timeline, bins);
  const context: OperatorContext = { keys: input.keys, cpuIterationsPerUs: input.cpuIterationsPerUs, counters: { lateDropped: 0 } };
  const stages = buildPipelineStages(input.pipeline, sink, context);
  const head = stages[0] ?? sink;
  const slowSink = input.sink ? new SlowSinkWriter(input.sink, clock, timeline) : undefined;
  const recovery = input.recovery ? new TaskRecovery(input.recovery, p, input.port, stages) : undefined;
  if (recovery) {
    const unrecoverable = input.pipeline.filter((spec) => !recoverableOperators.has(spec.op)).map((spec) => spec.op);
    if (unrecoverable.length > 0) throw new Error(`fault recovery cannot snapshot the state of ${unrecoverable.join(', ')}`);
  }
  const resumed = recovery ? recovery.restore(sink.digest) : undefined;
  const startOffset = resumed ? resumed.offset : log.committed(p);
  if (resumed) log.commit(p, resumed.offset);
  const state = { offset: startOffset, sequence: resumed?.sequence ?? 0, finalized: resumed?.finalized ?? false, deliveredOffset: startOffset };

  /** Hands the held output to the downstream: at once (instant sink), or through the slow sink's queue. */
  const deliver = (): void => {
    const emittedBefore = sink.emitted;
    if (slowSink) slowSink.deliver(sink);
    else sink.flush(clock.now());
    if (recovery) {
      state.deliveredOffset = state.offset;
      recovery.delivered(state.offset);
      recovery.afterDelivery(sink.emitted, clock.now(), emittedBefore);
    }
  };
  /** At the end of the input (generator finished, all read): flush the final windows. */
  const finalizeIfDone = (): void => {
    if (!state.finalized && log.finished(p) && state.offset === log.end(p)) {
      head.finish();
      state.finalized = true;
    }
  };
  /** A commit point: deliver, snapshot (with recovery), then advance the committed offset. */
  const emit = (): void => {
    deliver();
    recovery?.checkpoint(state.offset, state.sequence, state.finalized, measured());
    log.commit(p, state.offset);
    log.setOutputCount(p, sink.emitted);
  };

  input.port.postMessage({ type: 'ready', partition: p, threadId, atUs: clock.now() } satisfies TaskReady);
  if (input.kind === 'continuous') runContinuous();
  else runBatches();

  finalizeIfDone();
  emit();
  const output = measured();
  eventTime.destroy();
  processingTime.destroy();
  return output;

  /** What this task has measured so far. */
  function measured(): PartitionTaskOutput {
    sink.close();
    return {
      partition: p,
      processed: state.offset - startOffset,
      emitted: sink.emitted,
      emittedInWindow: sink.emittedInWindow,
      lateDropped: context.counters.lateDropped,
      digest: { ...sink.digest },
      eventTime: encodeHistogram(eventTime),
      processingTime: encodeHistogram(processingTime),
      output: timeline.toData(),
      ...(bins ? { latencyBins: bins.toData() } : {}),
      ...(slowSink ? { sink: slowSink.figures() } : {}),
      ...(recovery ? { duplicates: recovery.duplicates, duplicateDigest: { ...recovery.duplicateDigest } } : {}),
    };
  }

  function runContinuous(): void {
    const { eventTime: times, key: keys, value: values } = log;
    const perRecord = input.flushTimeoutUs === 0;
    // With recovery the committed offset advances only at epochs (the replay point); without, after every delivery.
    const commitEveryDelivery = !recovery;
    const duplicatesEnd = recovery ? recovery.duplicatesEnd : -1;
    // The per-record hot path without a slow sink or recovery: emit straight into the measuring sink.
    const instantDelivery = !slowSink && !recovery;
    let firstHeldUs = -1;
    let epochSequence = state.sequence;
    /** Delivers held output; without recovery that is a commit point too. */
    const flushOutput = (): void => {
      if (commitEveryDelivery) emit();
      else deliver();
    };
    for (;;) {
      // Behind a slow sink, delivery can block for long: read in chunks so a stop request is seen between them.
      const end = slowSink ? Math.min(log.end(p), state.offset + SLOW_SINK_READ_CHUNK) : log.end(p);
      if (state.offset < end) {
        sink.readTimeUs = clock.now();
        while (state.offset < end) {
          const slot = log.slot(p, state.offset);
          head.push(times[slot], keys[slot], values[slot]);
          state.offset++;
          if (perRecord) {
            if (sink.buffered > 0) {
              if (instantDelivery) sink.flush(clock.now());
              else deliver();
            }
            if (commitEveryDelivery) log.commit(p, state.offset);
            else if (state.deliveredOffset !== state.offset) {
              state.deliveredOffset = state.offset;
              recovery?.delivered(state.offset);
            }
          }
          if (state.offset === duplicatesEnd) recovery?.closeDuplicates(sink.digest);
        }
        log.setOutputCount(p, sink.emitted);
      }
      finalizeIfDone();
      let waitMs = IDLE_CHECK_MS;
      if (sink.buffered > 0 || (commitEveryDelivery ? log.committed(p) : state.deliveredOffset) !== state.offset) {
        const now = clock.now();
        if (firstHeldUs < 0) firstHeldUs = now;
        const dueUs = firstHeldUs + input.flushTimeoutUs;
        if (perRecord || now >= dueUs) {
          flushOutput();
          firstHeldUs = -1;
        } else {
          waitMs = (dueUs - now) / 1000;
        }
      }
      const command = log.command(p);
      if (command.sequence !== epochSequence) {
        epochSequence = command.sequence;
        if (recovery) {
          state.sequence = epochSequence;
          emit();
        }
        const done: EpochDone = { type: 'epoch', partition: p, epoch: command.argument, committed: log.committed(p), atUs: clock.now() };
        input.port.postMessage(done);
      }
      // With recovery, the end of the input is a commit point too (so the run drains).
      if (recovery && state.finalized && log.committed(p) !== state.offset) emit();
      if (log.stopRequested(p)) return;
      if (log.end(p) === end) log.waitForAppend(p, end, waitMs);
    }
  }

  function runBatches(): void {
    const { eventTime: times, key: keys, value: values } = log;
    let sequence = state.sequence;
    // A replacement whose batch had committed but not yet replied: reply now (the runner ignores repeats).
    if (resumed && sequence > 0 && log.command(p).sequence === sequence) reply(sequence, clock.now(), 0);
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
        // An injected task failure: the batch's output is discarded with the task, uncommitted.
        if (recovery?.failsBatch(startUs)) throw new InjectedTaskFailure(`batch ${sequence} of partition ${p} failed (injected fault)`);
        state.sequence = sequence;
        emit();
        reply(sequence, startUs, state.offset - from);
        continue;
      }
      if (log.stopRequested(p)) return;
      log.waitForCommand(p, sequence, IDLE_CHECK_MS);
    }
  }

  function reply(sequence: number, startUs: number, records: number): void {
    const done: BatchDone = { type: 'batch', partition: p, sequence, startUs, endUs: clock.now(), records, finalized: state.finalized };
    input.port.postMessage(done);
  }
}
