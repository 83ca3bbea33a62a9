/**
 * The results file schema (`results.json`), version 1. Every figure is in microseconds
 * (latency) or records per second (throughput) unless its name says otherwise.
 */
import type { GcFigures } from './gc-pauses.js';

export type { GcFigures } from './gc-pauses.js';
import type { LatencySummary } from './histogram.js';
import type { TimelineData } from './timeline.js';
import type { BrokerFigures } from './broker-figures.js';

export type { LatencySummary, TimelineData, BrokerFigures };

export const RESULTS_SCHEMA = 'streambench/results';
export const RESULTS_VERSION = 1;

/** Where a result was measured. */
export interface Environment {
  node: string;
  v8: string;
  os: string;
  arch: string;
  cpuModel: string;
  cores: number;
  totalMemoryMb: number;
  gitSha: string;
}

/**
 * The knobs a run was executed with: `workers` for every mode, the rest from the mode's
 * settings (its descriptor, `engines/mode.ts`); a mode of one's own may add its own.
 */
export interface RunParams {
  /** Partition tasks, one per pool worker thread. */
  workers: number;
  /** The batch interval of a batch mode, ms (micro-batch: T; trigger: its interval, 0 = back to back); absent for per-record modes. */
  intervalMs?: number;
  /** Per-batch record cap (trigger mode, like maxOffsetsPerTrigger); absent = uncapped. */
  maxRecordsPerBatch?: number;
  /** Epoch marker interval (continuous), ms. */
  checkpointMs?: number;
  /** Output flush timeout (continuous), µs; 0 = flush after every record. */
  flushTimeoutUs?: number;
  /** Priority lane (scenarios with a priority class): priority records are fast-tracked. Absent = off. */
  priorityLane?: boolean;
  /** Scenarios whose pipeline forks: the cache hint (true: the shared prefix runs once; false: once per branch). Absent = no fork. */
  cache?: boolean;
  /** The keyed and window state budget of each partition task, bytes; past it state spills to disk. Absent = none. */
  memoryBudgetBytes?: number;
  /** A plugin mode's own settings. */
  [param: string]: number | boolean | undefined;
}

/** Latency per class of a scenario with a priority class (`priority`). */
export interface PriorityFigures {
  /** Declared fraction of records of the priority class. */
  fraction: number;
  /** Whether the priority lane was on. */
  lane: boolean;
  /** Input records of the priority class processed (warm-up included). */
  priorityRecords: number;
  /** Priority records the lane processed ahead of their turn. */
  fastTracked: number;
  /** Fast-tracked offsets the in-order pass later passed over; equals `fastTracked` when every offset was processed exactly once. */
  caughtUp: number;
  priority: { eventTime: LatencySummary; processingTime: LatencySummary };
  normal: { eventTime: LatencySummary; processingTime: LatencySummary };
}

/** Per-batch figures of the batch modes. */
export interface BatchFigures {
  count: number;
  /** Records per batch. */
  size: { mean: number; p50: number; max: number };
  /** Batch start − the time the batch was due (its tick). */
  schedulingDelay: LatencySummary;
  /** Batch end − batch start. */
  processing: LatencySummary;
  /** Trigger timer lateness: actual tick − scheduled tick (micro-batch). */
  tickLateness?: LatencySummary;
  /** Batches whose processing outlasted the interval. */
  overruns: number;
}

/** What a trial cost: CPU (by role where the system says, `runner/cpu-by-role.ts`) and memory peaks. */
export interface Resources {
  /** CPU of the whole trial process (every thread), ms. */
  cpuUserMs: number;
  cpuSystemMs: number;
  /** The engine's CPU per offered record, µs: its worker threads and the driver thread (the whole process where per-thread CPU is unknown). */
  cpuUsPerRecord: number;
  /** The whole process's CPU per offered record, µs (generator included). */
  processCpuUsPerRecord?: number;
  /** CPU by role, ms: the load generator's thread, the driver (main) thread, each partition task's worker thread, the rest of the process. */
  cpuByRole?: { generatorMs: number; driverMs: number; workersMs: number[]; otherMs: number };
  /** The generator's share of the process's CPU: what the harness's own source cost. */
  harnessCpuShare?: number;
  peakRssMb: number;
  peakHeapMb: number;
  /** Peak anonymous resident memory (heap, typed arrays, native allocations; RSS less file-backed and shared pages), MB; absent where the system does not say. */
  peakRssAnonMb?: number;
  /**
   * GC pauses by thread: the driver's (a `PerformanceObserver` on 'gc'), every partition task's
   * thread together and the generator's (V8's GCProfiler: those threads hold their event loop);
   * a plugin mode's tasks run on the driver. Absent in older results.
   */
  gc?: { driver: GcFigures; workers: GcFigures; generator?: GcFigures };
  /** Each partition task's thread's event-loop utilisation over its task (≈1: a task holds its loop, waiting in Atomics.wait, not idle in libuv). */
  workerElu?: number[];
  /**
   * Throughput per core: events the engine processed (every partition's processed offsets,
   * warm-up included) ÷ the engine's CPU seconds (its partition tasks' threads and the driver
   * thread; the generator excluded) — events/s per fully busy core. Absent where thread CPU is unknown.
   */
  eventsPerCoreSec?: number;
}

/** One trial of one scenario under one mode at one offered rate. */
export interface RunResult {
  scenario: string;
  mode: string;
  params: RunParams;
  trial: number;
  seed: number;
  status: 'ok' | 'timeout' | 'failed';
  error?: string;
  /** Offered (scheduled) rate of the profile's base, records/s. */
  offeredRate: number;
  warmupSec: number;
  durationSec: number;
  /** Records scheduled in the measurement window. */
  recordsOffered: number;
  /** Records appended to the source log in the measurement window. */
  recordsIn: number;
  /** Output records emitted in the measurement window. */
  recordsOut: number;
  /** recordsIn ÷ measured wall time. */
  throughputIn: number;
  /** recordsOut ÷ measured wall time. */
  throughputOut: number;
  /** Records rejected by the source because its retention (ring) was full: the declared drop policy. */
  sourceDropped: number;
  /** Records dropped by a window operator as later than the allowed lateness. */
  lateDropped: number;
  /** Offsets appended but neither processed nor dropped when the run stopped (drain timed out). */
  unprocessed: number;
  /** Whether every appended offset was processed before the run stopped. */
  drained: boolean;
  latency: { eventTime: LatencySummary; processingTime: LatencySummary };
  /** Actual publish time − scheduled time, per record (the source's own lag). */
  generatorLag: LatencySummary;
  /**
   * The source's publish cadence, µs: above 1k records/s the generator publishes the log's end
   * offsets at most every this many µs (sleeping between), so a record may wait up to one
   * publish interval (this, plus the OS's wake-up jitter); the wait is in its latency and in
   * `generatorLag`. 0: every record was published at its own time. Absent in older results.
   */
  sourceCadenceUs?: number;
  batches?: BatchFigures;
  epochs?: number;
  /** 100 ms buckets: records in (by scheduled time), records out and latency (by emit time), backlog (sampled). */
  timeline: { input: TimelineData; output: TimelineData; backlog: number[] };
  resources: Resources;
  /** Order-insensitive digest of all output: equal across modes for the same scenario, seed and partitions. */
  outputDigest: string;
  /** Scenarios with a load peak (`burst`): the peak and how the run recovered from it. */
  recovery?: RecoveryFigures;
  /** Scenarios with a priority class (`priority`): latency per class and what the lane did. */
  priority?: PriorityFigures;
  /** Present when the sink had a slow downstream (`slow-sink`, or a --sink-* flag). */
  sink?: SinkFigures;
  /** Present when faults were injected (`fault`). */
  faults?: FaultFigures;
  /** Present with `sink` or `faults`: where every input offset went. */
  accounting?: OffsetAccounting;
  /** Present when the trial ran through a broker (`--target`): see `broker-figures.ts`. */
  broker?: BrokerFigures;
  /** A pipeline that forks into branches: each branch's own output (the run's figures above are their union). */
  branches?: BranchFigures[];
  /** Present with a memory budget (`--memory-budget`): what spilled to disk and came back, and latency while it did. */
  spill?: SpillRunFigures;
  /**
   * Present for a record query (issue 14): its source, its query and the declared window scale
   * (windows `windowScale`× shorter than Nexmark's/YSB's 10 s). recordsIn counts events;
   * recordsOut counts the query's output rows.
   */
  records?: { source: string; query: string; windowScale: number };
}

/** What a run's spill stores did, all partitions together. */
export interface SpillRunFigures {
  /** The budget of each partition task, bytes. */
  budgetBytes: number;
  /** State entries written to disk, their payload bytes (key and values), and the time spent writing, ms. */
  spilledRecords: number;
  spilledBytes: number;
  spillMs: number;
  /** Entries read back from disk, their payload bytes, disk look-ups in all (found or not), and the time spent reading, ms. */
  readBackRecords: number;
  readBackBytes: number;
  lookups: number;
  readBackMs: number;
  /** Size of the stores' files at the end, bytes (the largest attempt per partition, summed). */
  diskBytes: number;
  /** Entries the budgeted operators held in memory at their peak, summed over partitions. */
  peakHotEntries: number;
  /**
   * Event-time latency of the output emitted while its task's spill store was busy — the store
   * wrote or read back at some moment between the record's event time and its emit — and of the
   * rest of the output (every partition's, pooled; histograms included). Count 0 where none.
   */
  latencyWhileSpilling: LatencySummary;
  latencyOtherwise: LatencySummary;
}

/** One branch of a pipeline that forks: its own output, as the run's figures are for all of it. */
export interface BranchFigures {
  name: string;
  /** Order-insensitive digest of the branch's output (the branch index folded into each record's hash). */
  outputDigest: string;
  /** Output records the branch emitted in the measurement window. */
  recordsOut: number;
  /** recordsOut ÷ measured wall time. */
  throughputOut: number;
  latency: { eventTime: LatencySummary; processingTime: LatencySummary };
}

/** A slow downstream and what it did (its limits are for the whole sink; each partition had 1/P). */
export interface SinkFigures {
  capacityPerSec: number | null;
  writeLatencyUs: number;
  queueRecords: number;
  /** 'none': back-pressure; 'newest': output that did not fit was dropped and counted. */
  drop: 'none' | 'newest';
  /** Writes to the downstream, all partitions. */
  writes: number;
  /** Records per write (a "latency summary" whose values are record counts). */
  writeSize: LatencySummary;
  /** Output records dropped by the drop policy. */
  dropped: number;
  /** Time partition tasks spent blocked on a full sink queue, summed over partitions, ms. */
  blockedMs: number;
  /** Largest queue depth seen, records (sum over partitions of each one's peak). */
  peakQueueDepth: number;
  /** Width of the buckets of `queueDepth` and `written` (µs; 10 ms), from the start of the measurement window. */
  bucketUs: number;
  /** Per bucket: sum over partitions of the peak queue depth seen at a write (0 where nothing was written). */
  queueDepth: number[];
  /** Per bucket: records written into the sink's queue (batch output arrives in bursts). */
  written: number[];
}

/** One failure and its recovery. */
export interface FaultEvent {
  partition: number;
  /** 'worker-killed': the worker thread was terminated; 'task-failed': the task threw (a failed batch). */
  cause: 'worker-killed' | 'task-failed';
  /** When it happened, µs on the run clock. */
  atUs: number;
  /** When the replacement task was consuming again, µs. */
  restartedAtUs?: number;
  /** First output the replacement task delivered, µs. */
  resumedAtUs?: number;
  /** The committed offset (of the last state snapshot) the replacement restarted from. */
  replayFromOffset: number;
  /** Offsets read again: up to where the failed task had read (continuous) or the end of the failed batch. */
  recordsReplayed: number;
  /** Batch modes: the batch (sequence number) being run. */
  batch?: number;
}

/** Faults injected into a run and how it recovered. */
export interface FaultFigures {
  /** When the worker was to be killed, µs on the run clock. */
  killAtUs: number;
  events: FaultEvent[];
  /** Batch tasks retried after throwing. */
  retries: number;
  /** Kill → first output of the replacement task, µs. */
  outputResumedUs?: number;
  /** Kill → end of the first 100 ms bucket from which mean latency stays within tolerance of before the kill, µs. */
  latencyRecoveredUs?: number;
  /** Median per-bucket mean latency before the kill, and the tolerance above it, µs. */
  baselineLatencyUs?: number;
  toleranceUs?: number;
  recordsReplayed: number;
  /** Output records delivered a second time after a replay (continuous: at-least-once). */
  duplicates: number;
  /** What the mode promises: batch output commits with the batch; continuous output is delivered before its epoch commits. */
  delivery: 'exactly-once' | 'at-least-once';
  /** Digest of every delivery, duplicates included (outputDigest is the deduplicated output). */
  deliveredDigest: string;
}

/** Where every input offset went: appended = committed (processed), and outputs = delivered + dropped by the sink. */
export interface OffsetAccounting {
  /** Offsets appended to the source log, all partitions, warm-up included. */
  appended: number;
  /** Offsets committed (processed, output delivered) when the run stopped. */
  committed: number;
  /** Offsets the source rejected (its ring was full). */
  sourceDropped: number;
  /** Distinct output records the pipeline produced. */
  outputs: number;
  /** Distinct output records delivered to the downstream. */
  delivered: number;
  /** Output records dropped by the sink's drop policy. */
  sinkDropped: number;
  /** Deliveries of an output record already delivered (after a replay). */
  duplicates: number;
}

/**
 * The physical limits a run measured beside its trials (DESIGN.md §5 "Limits in the same
 * run"): each scenario's pipeline fused on one thread (the floor of per-record work), and a
 * raw thread hand-off at each offered rate's record spacing (the floor of per-record latency).
 */
export interface RunLimits {
  /** Output records/s of the scenario's pipeline fused into one loop on one thread, by scenario. */
  fusedRecordsPerSec: Record<string, number>;
  /** MessagePort hand-off to a sleeping worker at the rate's mean record spacing, by offered rate (light rates only), µs. */
  handoff: Record<string, { spacingUs: number; oneWayP50Us: number; oneWayP99Us: number }>;
}

/** A results file. */
export interface ResultsFile {
  schema: typeof RESULTS_SCHEMA;
  version: typeof RESULTS_VERSION;
  createdAt: string;
  environment: Environment;
  /** The command line options the runs were made with. */
  options: Record<string, unknown>;
  runs: RunResult[];
  /** Cross-mode digest check per scenario and rate. */
  digestChecks: DigestCheck[];
  /** The run's own floors, measured with its trials (`streambench run`). */
  limits?: RunLimits;
  /** Present when written by `streambench sweep`: one entry per scenario × mode × setting. */
  sweeps?: SweepResult[];
  /** Present with `sweeps`: the sustainable points no other beats on both throughput and p99, per scenario. */
  frontier?: { scenario: string; points: SweepPoint[] }[];
}

/** One probe of a sweep: a run at one offered rate and its sustainability verdict. */
export interface SweepPoint {
  mode: string;
  /** The mode's key parameters, e.g. "T=100ms", "T=0ms cap=10k", "workers=2 flush=500µs" (reports/format.ts keyParamsLabel). */
  setting: string;
  offeredRate: number;
  throughputOut: number;
  p50: number;
  p99: number;
  p99_9: number;
  max: number;
  sustainable: boolean;
  /** Why not, when not sustainable. */
  reasons: string[];
}

/** A sustainable-throughput search (or explicit rate list) for one scenario, mode and setting. */
export interface SweepResult {
  scenario: string;
  mode: string;
  setting: string;
  params: RunParams;
  points: SweepPoint[];
  /** Highest offered rate judged sustainable (confirmed when `confirmed`), records/s; 0 if none. */
  sustainableThroughput: number;
  confirmed: boolean;
  /** Event-time latency at the sustainable rate (from its last probe), µs. */
  latencyAtSustainable?: { p50: number; p99: number; p99_9: number; max: number };
  probes: number;
}

/** Whether the modes that ran one scenario at one rate produced the same output. */
export interface DigestCheck {
  scenario: string;
  offeredRate: number;
  /** 'match', 'mismatch', or 'not comparable' (some run dropped records or did not drain). */
  verdict: 'match' | 'mismatch' | 'not comparable';
  digests: Record<string, string>;
}

/** The recovery figures of one run (also the shape stored in results.json). */
export interface RecoveryFigures {
  /** The peak's rate ÷ the base rate. */
  peakFactor: number;
  /** The peak, seconds after the measurement started. */
  peakStartSec: number;
  peakEndSec: number;
  /** Length of the sliding window of the p99 figures, ms. */
  slidingWindowMs: number;
  /** Largest event-time latency of any record emitted from the peak's start on, µs (exact). */
  peakLatencyUs: number;
  /** Largest sliding-window p99 from the peak's start on, µs (bin upper bound). */
  peakWindowP99Us: number | null;
  /** Pre-peak level of the sliding-window p99: the median over the pre-peak buckets, µs. */
  preWindowP99Us: number | null;
  /** Pre-peak level of the backlog: the median of the samples before the peak (records). */
  preBacklog: number;
  /** Largest backlog sample from the peak's start on (records). */
  backlogMax: number;
  /** From the peak's end until the backlog is back within tolerance of its pre-peak level, µs; null if not within the measurement window. */
  drainTimeUs: number | null;
  /** From the peak's end until the sliding-window p99 is back within tolerance of its pre-peak level, µs; null if not within the measurement window. */
  latencyRecoveryUs: number | null;
  /** The sliding-window p99 per bucket (µs, null where the window emitted nothing): the timeline the recovery was read from. */
  windowP99Us: (number | null)[];
}
