/**
 * What a scenario may declare about the system downstream of the sink (DESIGN.md §4: "sink:
 * instant, or limited capacity / per-write latency to model a slow downstream") and about
 * the faults injected into a run.
 */

import type { SinkDropPolicy } from '../engines/partition/slow-sink.js';

export type { SinkDropPolicy };

/**
 * A downstream with limited capacity: it drains writes one at a time, first in first out,
 * each taking `writeLatencyUs` plus `records ÷ capacityPerSec`, and holds at most
 * `queueRecords` records (queued or being written). Figures are for the whole sink; each of
 * the P partitions gets 1/P of the capacity and of the queue.
 */
export interface SinkSpec {
  /** Records per second the downstream absorbs; Infinity = no limit on throughput. */
  capacityPerSec: number;
  /** Fixed cost of every write (a round trip to the downstream), µs. */
  writeLatencyUs: number;
  /** Bound of the sink's inbound queue, records. */
  queueRecords: number;
  /** 'none': the engine waits for room (back-pressure); 'newest': output that does not fit is dropped and counted. */
  drop: SinkDropPolicy;
}

/**
 * Faults injected into a run. The worker thread running `partition`'s task is terminated
 * `killAtSec` into the measurement window; batch modes also fail the first attempt of the
 * first batch that starts `failBatchAtSec` or later into it (a task that throws, retried
 * from its offsets): a time, not a batch number, so every batch mode fails at about the same time.
 */
export interface FaultSpec {
  /** Partition whose worker thread is terminated. */
  partition: number;
  /** Seconds after the start of the measurement window. */
  killAtSec: number;
  /** Batch modes: seconds after the start of the measurement window; the first batch starting then or later throws once. Absent = none. */
  failBatchAtSec?: number;
}
