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
 *
 * One loop per kind serves every scenario. Its two seams are chosen once, at task start:
 * {@link Routing} (in order, or with the priority lane ahead: `routing.ts`,
 * `engines/priority/priority-lane.ts`) and {@link Delivery} (instant or slow sink, with or
 * without recovery: `delivery.ts`), each a class, so each call site in the loop sees one
 * method per thread.
 */
import { performance } from 'node:perf_hooks';
import { threadId } from 'node:worker_threads';
import { profileGcPauses } from '../../primitives/gc-pauses.js';
import { SystemClock, type Clock } from '../../primitives/clock.js';
import { createHistogram } from '../../primitives/histogram.js';
import { LatencyBinsTimeline } from '../../primitives/latency-bins.js';
import { threadCpuSince, threadCpuUs } from '../../primitives/thread-cpu.js';
import { SourceLog } from '../../primitives/source-log.js';
import { Timeline } from '../../primitives/timeline.js';
import { branchNames } from '../operators/branch.js';
import { openSpillStore } from '../state/spill-store.js';
import type { OperatorContext } from '../operators/stage.js';
import { ClassifiedSink } from './classified-sink.js';
import { PriorityRouting } from './priority-lane.js';
import { BranchedSink } from './branch-sink.js';
import { createDelivery, type Delivery, type TaskState } from './delivery.js';
import { MeasuringSink } from './measuring-sink.js';
import { UnrecordedSink } from './unrecorded-sink.js';
import { IDLE_CHECK_MS, InOrderRouting, type Routing } from './routing.js';
import { SlowSinkWriter } from './slow-sink.js';
import { SpillLatency } from './spill-latency.js';
import { buildRecordTaskPipeline, buildTaskPipeline } from './task-pipeline.js';
import { recordCounters } from '../records/record-stage.js';
import { InjectedTaskFailure, TaskRecovery } from './task-recovery.js';
import type { BatchDone, EpochDone, PartitionTaskInput, PartitionTaskOutput, TaskReady } from './task-messages.js';
import type { ClassSinkFactory, TaskSink } from './task-sink.js';

export type { PartitionTaskInput, PartitionTaskOutput } from './task-messages.js';

/** What a test may substitute in a task run. */
export interface TaskHooks {
  /** Blocks until the clock reaches the given time, behind a slow sink (default: `Atomics.wait`); tests pass a ManualClock's advance. */
  sleepUntil?: (atUs: number) => void;
  /** Builds the measuring sink of each output class without recovery (default: a `MeasuringSink`); `bench:micro` passes one that records no latency. */
  classSink?: ClassSinkFactory;
}

/** Runs the task until the driver requests a stop. */
export function runPartitionTask(input: PartitionTaskInput, clock: Clock = new SystemClock(input.originUs), hooks: TaskHooks = {}): PartitionTaskOutput {
  const cpuAtStart = threadCpuUs();
  const gcPauses = profileGcPauses();
  const eluAtStart = performance.eventLoopUtilization();
  const log = new SourceLog(input.buffers);
  const p = input.partition;
  const recovery = input.recovery ? new TaskRecovery(input.recovery, p, input.port) : undefined;
  const timeline = new Timeline(input.measureStartUs, input.bucketUs, input.buckets);
  const bins = input.latencyBins ? new LatencyBinsTimeline(input.measureStartUs, input.bucketUs, input.buckets) : undefined;
  const spill = input.spill ? openSpillStore(input.spill, p, clock) : undefined;
  const spillLatency = spill ? new SpillLatency(spill, input.measureStartUs) : undefined;
  const classSink: ClassSinkFactory = recovery
    ? recovery.makeClassSink
    : (hooks.classSink ?? ((_classIndex, ...parts) => (input.recording === false ? new UnrecordedSink(...parts) : new MeasuringSink(...parts))));
  const makeClassSink = spillLatency ? splittingBySpill(classSink, spillLatency) : classSink;
  const classified = input.priority ? new ClassifiedSink(input, timeline, bins, makeClassSink) : undefined;
  const branched = forkedSink(input, timeline, bins, makeClassSink);
  const sink: TaskSink = classified ?? branched ?? makeClassSink(0, input, createHistogram(), createHistogram(), timeline, bins);
  const counters = recordCounters();
  const context: OperatorContext = { keys: input.keys, cpuIterationsPerUs: input.cpuIterationsPerUs, counters, ...(spill ? { spill } : {}) };
  const { loop, head, stages } = input.records
    ? buildRecordTaskPipeline(input.records, sink, counters, p)
    : buildTaskPipeline(input.pipeline, sink, context, log, p, input.codegen !== false);
  const resumed = recovery?.restore(input.pipeline, stages);
  const startOffset = resumed ? resumed.offset : log.committed(p);
  if (resumed) log.commit(p, resumed.offset);
  const state: TaskState = { offset: startOffset, sequence: resumed?.sequence ?? 0, finalized: resumed?.finalized ?? false, deliveredOffset: startOffset };
  const slowSink = input.sink ? new SlowSinkWriter(input.sink, clock, timeline, hooks.sleepUntil) : undefined;
  const delivery: Delivery = createDelivery({
    log,
    partition: p,
    clock,
    sink,
    state,
    ...(slowSink ? { slowSink } : {}),
    ...(recovery
      ? { recovery: { duties: recovery, checkpoint: () => recovery.checkpoint(resumePoint(), sink, stages, measured()), transactional: input.kind === 'batch' } }
      : {}),
  });
  const routing: Routing =
    classified && input.priority
      ? new PriorityRouting({
          log,
          partition: p,
          clock,
          head,
          sink: classified,
          settings: input.priority,
          delivery,
          scannedOffset: Math.max(startOffset, resumed?.laneScannedOffset ?? startOffset),
        })
      : new InOrderRouting(loop);

  input.port.postMessage({ type: 'ready', partition: p, threadId, atUs: clock.now() } satisfies TaskReady);
  if (input.kind === 'continuous') runContinuous(input.flushTimeoutUs);
  else runBatches();

  finalizeIfDone();
  delivery.commit();
  const output: PartitionTaskOutput = { ...measured(), gc: gcPauses.stop(), elu: performance.eventLoopUtilization(eluAtStart).utilization };
  sink.destroy();
  spillLatency?.destroy();
  spill?.close();
  return output;

  /** At the end of the input (generator finished, all read): flush the final windows. */
  function finalizeIfDone(): void {
    if (!state.finalized && log.finished(p) && state.offset === log.end(p)) {
      head.finish();
      state.finalized = true;
    }
  }

  /** Where a replacement would resume from now (a commit point's snapshot). */
  function resumePoint(): { offset: number; sequence: number; finalized: boolean; laneScannedOffset?: number } {
    const laneScannedOffset = routing.laneScannedOffset();
    return { offset: state.offset, sequence: state.sequence, finalized: state.finalized, ...(laneScannedOffset !== undefined ? { laneScannedOffset } : {}) };
  }

  /** What this task has measured so far. */
  function measured(): PartitionTaskOutput {
    const latency = sink.encode();
    const classes = routing.classes();
    return {
      partition: p,
      processed: state.offset - startOffset,
      emitted: sink.emitted,
      emittedInWindow: sink.emittedInWindow,
      lateDropped: context.counters.lateDropped,
      digest: { ...sink.digest },
      eventTime: latency.eventTime,
      processingTime: latency.processingTime,
      output: timeline.toData(),
      ...(bins ? { latencyBins: bins.toData() } : {}),
      ...(classes ? { classes } : {}),
      ...(branched ? { branches: branched.outputs() } : {}),
      ...(spill ? { spill: spill.figures() } : {}),
      ...(spillLatency ? { spillLatency: spillLatency.encode() } : {}),
      ...(slowSink ? { sink: slowSink.figures() } : {}),
      ...(recovery ? { duplicates: recovery.duplicates, duplicateDigest: recovery.duplicateDigest } : {}),
      ...optionalCpu(threadCpuSince(cpuAtStart)),
    };
  }

  function runContinuous(flushTimeoutUs: number): void {
    const perRecord = flushTimeoutUs === 0;
    let firstHeldUs = -1;
    let epochSequence = state.sequence;
    for (;;) {
      // Behind a slow sink, delivery can block for long: read in chunks so a stop request is seen between them.
      const end = Math.min(log.end(p), state.offset + delivery.readChunk);
      if (state.offset < end) {
        routing.beforeStretch(state.offset, end);
        sink.readTimeUs = clock.now();
        routing.processStretch(state.offset, end, perRecord ? delivery : undefined);
        state.offset = end;
        log.setOutputCount(p, sink.emitted);
      }
      finalizeIfDone();
      let waitMs = IDLE_CHECK_MS;
      if (delivery.awaitsDelivery()) {
        const now = clock.now();
        if (firstHeldUs < 0) firstHeldUs = now;
        const dueUs = firstHeldUs + flushTimeoutUs;
        if (perRecord || now >= dueUs) {
          delivery.deliverDue();
          firstHeldUs = -1;
        } else {
          waitMs = (dueUs - now) / 1000;
        }
      }
      const command = log.command(p);
      if (command.sequence !== epochSequence) {
        epochSequence = command.sequence;
        if (delivery.commitsAtEpochs) {
          state.sequence = epochSequence;
          delivery.commit();
        }
        const done: EpochDone = { type: 'epoch', partition: p, epoch: command.argument, committed: log.committed(p), atUs: clock.now() };
        input.port.postMessage(done);
      }
      // With recovery, the end of the input is a commit point too (so the run drains).
      if (delivery.commitsAtEpochs && state.finalized && log.committed(p) !== state.offset) delivery.commit();
      if (log.stopRequested(p)) return;
      if (log.end(p) === end) log.waitForAppend(p, end, waitMs);
    }
  }

  function runBatches(): void {
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
        routing.processRange(from, command.argument);
        state.offset = Math.max(from, command.argument);
        finalizeIfDone();
        // An injected task failure: the batch's output is discarded with the task, uncommitted.
        if (recovery?.failsBatch(startUs)) throw new InjectedTaskFailure(`batch ${sequence} of partition ${p} failed (injected fault)`);
        state.sequence = sequence;
        delivery.commit();
        reply(sequence, startUs, state.offset - from);
        continue;
      }
      if (log.stopRequested(p)) return;
      log.waitForCommand(p, sequence, routing.betweenBatches(state.offset));
    }
  }

  function reply(sequence: number, startUs: number, records: number): void {
    const done: BatchDone = { type: 'batch', partition: p, sequence, startUs, endUs: clock.now(), records, finalized: state.finalized };
    input.port.postMessage(done);
  }
}

/** The sink of a pipeline that forks into branches (one measuring sink per branch); undefined for a linear one. */
function forkedSink(input: PartitionTaskInput, timeline: Timeline, bins: LatencyBinsTimeline | undefined, makeClassSink: ClassSinkFactory): BranchedSink | undefined {
  const names = branchNames(input.pipeline);
  if (names.length === 0) return undefined;
  if (input.priority) throw new Error('a pipeline that forks into branches cannot also have a priority class');
  return new BranchedSink(names, input, timeline, bins, makeClassSink);
}

/** `factory`, each sink it builds also splitting its output's latency by the spill store's activity into `latency`. */
function splittingBySpill(factory: ClassSinkFactory, latency: SpillLatency): ClassSinkFactory {
  return (classIndex, ...parts) => {
    const sink = factory(classIndex, ...parts);
    sink.splitBySpill(latency);
    return sink;
  };
}

function optionalCpu(cpuUs: number | undefined): { cpuUs?: number } {
  return cpuUs === undefined ? {} : { cpuUs };
}
