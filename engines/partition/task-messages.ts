/**
 * What crosses between a partition task and the driver: the task's input (settings shared by
 * every partition, the kind the engine chooses, the partition's own port and recovery
 * input), the messages it posts, the snapshots it takes at commit points, and what it
 * returns. Types only, so every part of the task and both pools can share them.
 */
import type { MessagePort } from 'node:worker_threads';
import type { GcSample } from '../../primitives/gc-pauses.js';
import type { LatencyBinsData } from '../../primitives/latency-bins.js';
import type { SourceLogBuffers } from '../../primitives/source-log.js';
import type { TimelineData } from '../../primitives/timeline.js';
import type { OperatorSpec } from '../operators/pipeline.js';
import type { RecordTaskSettings } from '../records/record-query.js';
import type { BranchOutput } from './branch-sink.js';
import type { OutputDigest } from './measuring-sink.js';
import type { SpillFigures, SpillSettings } from '../state/spill-store.js';
import type { PartitionSinkSpec, SlowSinkFigures } from './slow-sink.js';
import type { SpillLatencyHistograms } from './spill-latency.js';
import type { ClassHistograms } from './task-sink.js';

/** The priority class of a task: the declared fraction and whether the lane is on. */
export interface PriorityTaskSettings {
  fraction: number;
  lane: boolean;
}

/** Settings shared by every partition task of a run, whatever the mode (the engine adds the {@link TaskKind}). */
export interface TaskSettings {
  buffers: SourceLogBuffers;
  originUs: number;
  pipeline: OperatorSpec[];
  keys: number;
  cpuIterationsPerUs: number;
  measureStartUs: number;
  measureEndUs: number;
  bucketUs: number;
  buckets: number;
  /** Count latencies in log bins per timeline bucket too (for sliding-window percentiles; `burst`). */
  latencyBins?: boolean;
  /** With a memory budget (its shares are in the pipeline's budgeted operators): where the task's spill store goes. */
  spill?: SpillSettings;
  /** The scenario's priority class: records are classified, and with `lane` fast-tracked (`engines/priority/priority-lane.ts`). */
  priority?: PriorityTaskSettings;
  /** A slow downstream (this partition's share); absent = the instant sink. */
  sink?: PartitionSinkSpec;
  /** A record query (issue 14) instead of the scalar `pipeline` (which is then empty): its operators read the partition's shared record columns. */
  records?: RecordTaskSettings;
  /** Whole-stage code generation of the pipeline (`engines/codegen/`); false = the interpreted chain of stages. Absent = on. */
  codegen?: boolean;
  /** false: the task's output records no latency (`--latency-recording off`: throughput only, to price the instrumentation). Absent = on. */
  recording?: boolean;
}

/**
 * How a task runs: `batch` tasks wait for the driver's "process up to offset N"; `continuous`
 * ones process each record as it arrives and hold output at most `flushTimeoutUs` (0 = emit
 * after every record).
 */
export type TaskKind = { kind: 'batch' } | { kind: 'continuous'; flushTimeoutUs: number };

/** The task settings shared by every partition, with the kind its engine runs them as. */
export type PartitionTaskTemplate = TaskSettings & TaskKind;

/** Everything a partition task starts with (structured-cloneable; `port` is transferred). */
export type PartitionTaskInput = PartitionTaskTemplate & {
  partition: number;
  /** Replies to the driver: batch completions, epoch acknowledgements, snapshots. */
  port: MessagePort;
  /** Fault recovery: snapshot at every commit point, resume from one; absent = no recovery. */
  recovery?: RecoveryInput;
};

/** What a partition task needs to take part in recovery (`task-recovery.ts`). */
export interface RecoveryInput {
  /** The shared board on which tasks publish how far they delivered. */
  board: SharedArrayBuffer;
  /** Where to resume: absent = from the start of the partition with empty state. */
  resume?: { offset: number; sequence: number; finalized: boolean; operators: unknown[]; laneScannedOffset?: number };
  /**
   * Per output class (see `TaskSink.classSinks`): for each earlier attempt whose deliveries
   * this replay repeats, how many of the class's outputs after the resume point it had
   * delivered. The replay's first that many outputs of the class are counted as duplicates.
   */
  redelivered?: number[][];
  /** Batch modes: the first batch starting at or after this time (µs) throws, before it commits; absent = none. */
  failBatchAtUs?: number;
  /** Whether this task replaces a failed one (it reports when its first output is delivered). */
  replacement: boolean;
}

/** The state of a partition at a commit point: enough to resume from, plus what the task measured so far. */
export interface PartitionSnapshot {
  offset: number;
  /** The last batch (batch modes) or epoch marker (continuous) completed. */
  sequence: number;
  finalized: boolean;
  operators: unknown[];
  /** With the priority lane: offsets below this were scanned, and their priority records processed (and in the operators' state). */
  laneScannedOffset?: number;
  /** Outputs this attempt had delivered per output class when it took the snapshot. */
  emittedPerClass: number[];
  /** {@link RecoveryInput.redelivered} still to count from this snapshot on. */
  redeliveredPending: number[][];
  /** What this task attempt measured since it started (the driver adds earlier attempts). */
  measured: PartitionTaskOutput;
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

/** Sent at each commit point, before the committed offset advances. */
export interface SnapshotMessage {
  type: 'snapshot';
  partition: number;
  snapshot: PartitionSnapshot;
}

/** Sent once by a replacement task when it delivers its first output. */
export interface ResumedMessage {
  type: 'resumed';
  partition: number;
  atUs: number;
}

/** A message from a partition task to the driver. */
export type TaskMessage = TaskReady | BatchDone | EpochDone | SnapshotMessage | ResumedMessage;

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
  /** A pipeline that forks: each branch's output, in branch order. */
  branches?: BranchOutput[];
  /** With a memory budget: what the task's spill store wrote and read back. */
  spill?: SpillFigures;
  /** With a memory budget: event-time latency of the output emitted while the spill store was busy, and of the rest (`spill-latency.ts`). */
  spillLatency?: SpillLatencyHistograms;
  /** Present with a slow downstream. */
  sink?: SlowSinkFigures;
  /** Output records delivered again after a replay (recovery after a fault), and their digest. */
  duplicates?: number;
  duplicateDigest?: OutputDigest;
  /** CPU time the task's thread used while it ran, µs (summed over attempts); absent where the system does not say. */
  cpuUs?: number;
  /** The task's thread's GC pauses (V8's GCProfiler: the task holds its event loop), from its final output; a killed attempt's are lost. */
  gc?: GcSample;
  /** `performance.eventLoopUtilization()` of the task's thread over the task (≈1: the task holds its loop, waiting in Atomics.wait). */
  elu?: number;
}
