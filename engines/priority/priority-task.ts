/**
 * The partition task of a scenario with a priority class (see `partition-task.ts` for the
 * task itself; this is the same task with records classified and, with the lane on,
 * priority records fast-tracked). Latency is recorded per class.
 *
 * The priority lane (`--priority-lane on`): before a stretch of records is processed in
 * order, the task scans it and processes its priority records first, emitting them at once
 * (their own output buffer, so normal output still waits for its batch end or flush
 * timeout); while a long stretch or batch runs it rescans the partition's new appends every
 * {@link LANE_CHECK_EVERY} records; and a batch task, between batches, runs the priority
 * records appended since its last scan as a mini-batch of their own every
 * {@link LANE_INTERVAL_MS} (a faster trigger for the priority class; the driver's command
 * still wakes it at once). The in-order pass later skips the offsets already fast-tracked, so each offset
 * is processed exactly once (`fastTracked` = `caughtUp` once drained). What it costs: a hash
 * per record in each pass, extra wake-ups (a batch task: one per interval) and flushes, out-of-order processing (so only
 * pipelines whose output does not depend on order may use it), and fast-tracked output
 * emitted before the batch that holds it commits (on replay after a crash it would be
 * emitted again: at-least-once for the priority class).
 */
import type { Clock } from '../../primitives/clock.js';
import { LatencyBinsTimeline } from '../../primitives/latency-bins.js';
import { SourceLog } from '../../primitives/source-log.js';
import { Timeline } from '../../primitives/timeline.js';
import { buildPipeline } from '../operators/pipeline.js';
import type { OperatorContext } from '../operators/stage.js';
import type { BatchDone, EpochDone, PartitionTaskInput, PartitionTaskOutput, TaskReady } from '../partition/partition-task.js';
import { ClassifiedSink, type ClassHistograms } from './classified-sink.js';
import { isPriority, priorityThreshold } from './priority-class.js';

/** The priority class of a task: the declared fraction and whether the lane is on. */
export interface PriorityTaskSettings {
  fraction: number;
  lane: boolean;
}

/** What a classified task reports beyond the usual output. */
export interface ClassOutput {
  priority: ClassHistograms;
  normal: ClassHistograms;
  /** Input records of the priority class processed. */
  priorityRecords: number;
  /** Priority records processed ahead of their turn by the lane. */
  fastTracked: number;
  /** Fast-tracked offsets the in-order pass later passed over (equals `fastTracked` once drained). */
  caughtUp: number;
}

/** The lane rescans new appends after this many in-order records (a power of two). */
export const LANE_CHECK_EVERY = 256;
/** How long an idle task waits before re-checking for commands and stop requests (ms). */
const IDLE_CHECK_MS = 50;
/** Batch modes with the lane: the interval of the priority mini-batches between batches (ms). */
export const LANE_INTERVAL_MS = 1;

/** Runs a classified partition task until the driver requests a stop. */
export function runPriorityPartitionTask(input: PartitionTaskInput, settings: PriorityTaskSettings, clock: Clock): PartitionTaskOutput {
  const log = new SourceLog(input.buffers);
  const p = input.partition;
  const threshold = priorityThreshold(settings.fraction);
  const timeline = new Timeline(input.measureStartUs, input.bucketUs, input.buckets);
  const bins = input.latencyBins ? new LatencyBinsTimeline(input.measureStartUs, input.bucketUs, input.buckets) : undefined;
  const sink = new ClassifiedSink(input, timeline, bins);
  const context: OperatorContext = { keys: input.keys, cpuIterationsPerUs: input.cpuIterationsPerUs, counters: { lateDropped: 0 } };
  const head = buildPipeline(input.pipeline, sink, context);
  const startOffset = log.committed(p);
  const state = { offset: startOffset, finalized: false };
  const lane = { scanned: startOffset, fastTracked: 0, caughtUp: 0, priorityRecords: 0 };
  const { eventTime: times, key: keys, value: values } = log;
  const checkMask = LANE_CHECK_EVERY - 1;

  /** Processes `offset` in order: through its class's sink, or not at all if the lane already did. */
  const processInOrder = (offset: number): void => {
    const slot = log.slot(p, offset);
    const key = keys[slot];
    const value = values[slot];
    const priority = isPriority(key, value, threshold);
    if (priority) {
      if (offset < lane.scanned) {
        lane.caughtUp++;
        return;
      }
      lane.priorityRecords++;
    }
    sink.route(priority);
    head.push(times[slot], key, value);
  };
  /** The lane: processes the priority records in [from, upTo) not yet scanned, and emits them at once. */
  const fastTrack = (from: number, upTo: number): void => {
    const start = Math.max(from, lane.scanned);
    if (start >= upTo) return;
    sink.priority.readTimeUs = clock.now();
    sink.route(true);
    let found = 0;
    for (let offset = start; offset < upTo; offset++) {
      const slot = log.slot(p, offset);
      if (isPriority(keys[slot], values[slot], threshold)) {
        head.push(times[slot], keys[slot], values[slot]);
        found++;
      }
    }
    lane.scanned = upTo;
    lane.fastTracked += found;
    lane.priorityRecords += found;
    if (found > 0) sink.priority.flush(clock.now());
  };
  const finalizeIfDone = (): void => {
    if (!state.finalized && log.finished(p) && state.offset === log.end(p)) {
      head.finish();
      state.finalized = true;
    }
  };
  const emit = (): void => {
    sink.flush(clock.now());
    log.commit(p, state.offset);
    log.setOutputCount(p, sink.emitted);
  };

  input.port.postMessage({ type: 'ready', partition: p } satisfies TaskReady);
  if (input.kind === 'continuous') runContinuous();
  else runBatches();

  finalizeIfDone();
  emit();
  const histograms = sink.close();
  return {
    partition: p,
    processed: state.offset - startOffset,
    emitted: sink.emitted,
    emittedInWindow: sink.emittedInWindow,
    lateDropped: context.counters.lateDropped,
    digest: sink.digest,
    eventTime: histograms.all.eventTime,
    processingTime: histograms.all.processingTime,
    output: timeline.toData(),
    ...(bins ? { latencyBins: bins.toData() } : {}),
    classes: { priority: histograms.priority, normal: histograms.normal, ...lane },
  };

  function runContinuous(): void {
    const perRecord = input.flushTimeoutUs === 0;
    let firstHeldUs = -1;
    let epochSequence = 0;
    for (;;) {
      const end = log.end(p);
      if (state.offset < end) {
        if (settings.lane) fastTrack(state.offset, end);
        sink.readTimeUs = clock.now();
        while (state.offset < end) {
          processInOrder(state.offset);
          state.offset++;
          if (perRecord) {
            if (sink.buffered > 0) sink.flush(clock.now());
            log.commit(p, state.offset);
          }
          if (settings.lane && (state.offset & checkMask) === 0) fastTrack(state.offset, log.end(p));
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
    let sequence = 0;
    for (;;) {
      const command = log.command(p);
      if (command.sequence !== sequence) {
        sequence = command.sequence;
        const startUs = clock.now();
        const from = state.offset;
        sink.readTimeUs = startUs;
        for (let offset = from; offset < command.argument; offset++) {
          processInOrder(offset);
          if (settings.lane && (offset & checkMask) === 0) fastTrack(offset + 1, log.end(p));
        }
        state.offset = Math.max(from, command.argument);
        finalizeIfDone();
        emit();
        const done: BatchDone = { type: 'batch', partition: p, sequence, startUs, endUs: clock.now(), records: state.offset - from, finalized: state.finalized };
        input.port.postMessage(done);
        continue;
      }
      if (log.stopRequested(p)) return;
      // Between batches the lane runs the priority records appended since its last scan as a mini-batch.
      if (settings.lane) fastTrack(state.offset, log.end(p));
      log.waitForCommand(p, sequence, settings.lane ? LANE_INTERVAL_MS : IDLE_CHECK_MS);
    }
  }
}
