/**
 * Adds up what successive attempts of one partition task measured: a failed attempt's
 * figures up to its last snapshot, then its replacement's. Counts add, digests add,
 * histograms, timelines and latency bins merge — per priority class, for the slow sink and for
 * latency while spilling too.
 */
import { mergeGcSamples } from '../../primitives/gc-pauses.js';
import { encodeHistogram, mergeEncoded } from '../../primitives/histogram.js';
import { mergeLatencyBins } from '../../primitives/latency-bins.js';
import { mergeTimelines } from '../../primitives/timeline.js';
import { mergeSpillFigures } from '../state/spill-figures.js';
import { mergeBranchOutputs } from './branch-sink.js';
import { mergeDigests } from './measuring-sink.js';
import type { SlowSinkFigures } from './slow-sink.js';
import type { ClassOutput, PartitionTaskOutput } from './task-messages.js';
import type { ClassHistograms } from './task-sink.js';

/** The merge of two encoded histograms, encoded. */
function mergeHistograms(a: string, b: string): string {
  return encodeHistogram(mergeEncoded([a, b]));
}

function mergeClassHistograms(a: ClassHistograms, b: ClassHistograms): ClassHistograms {
  return { eventTime: mergeHistograms(a.eventTime, b.eventTime), processingTime: mergeHistograms(a.processingTime, b.processingTime) };
}

/** `a` then `b`, when both are given; otherwise the one given. */
function both<T>(a: T | undefined, b: T | undefined, combine: (a: T, b: T) => T): T | undefined {
  return a && b ? combine(a, b) : (a ?? b);
}

/** Latency per class and lane counters of two attempts. */
function combineClasses(a: ClassOutput, b: ClassOutput): ClassOutput {
  return {
    priority: mergeClassHistograms(a.priority, b.priority),
    normal: mergeClassHistograms(a.normal, b.normal),
    priorityRecords: a.priorityRecords + b.priorityRecords,
    fastTracked: a.fastTracked + b.fastTracked,
    caughtUp: a.caughtUp + b.caughtUp,
  };
}

/** What the slow sink measured over two attempts (the queue's peaks per bucket: the larger). */
function combineSinkFigures(a: SlowSinkFigures, b: SlowSinkFigures): SlowSinkFigures {
  const perBucket = (x: number[], y: number[], pick: (u: number, v: number) => number): number[] =>
    Array.from({ length: Math.max(x.length, y.length) }, (_, i) => pick(x[i] ?? 0, y[i] ?? 0));
  return {
    writes: a.writes + b.writes,
    writeSizes: mergeHistograms(a.writeSizes, b.writeSizes),
    dropped: a.dropped + b.dropped,
    blockedUs: a.blockedUs + b.blockedUs,
    bucketUs: b.bucketUs,
    depthPeaks: perBucket(a.depthPeaks, b.depthPeaks, Math.max),
    written: perBucket(a.written, b.written, (u, v) => u + v),
  };
}

/** `earlier` followed by `later` (either may be absent; at least one must be given). */
export function combineOutputs(earlier: PartitionTaskOutput | undefined, later: PartitionTaskOutput | undefined): PartitionTaskOutput {
  if (!earlier || !later) {
    const only = earlier ?? later;
    if (!only) throw new Error('combineOutputs needs at least one output');
    return only;
  }
  const zero = { count: 0, sumA: 0, sumB: 0 };
  const classes = both(earlier.classes, later.classes, combineClasses);
  const sink = both(earlier.sink, later.sink, combineSinkFigures);
  const latencyBins = both(earlier.latencyBins, later.latencyBins, (a, b) => mergeLatencyBins([a, b]));
  const branches = both(earlier.branches, later.branches, mergeBranchOutputs);
  const spill = both(earlier.spill, later.spill, mergeSpillFigures);
  const spillLatency = both(earlier.spillLatency, later.spillLatency, (a, b) => ({
    whileSpilling: mergeHistograms(a.whileSpilling, b.whileSpilling),
    otherwise: mergeHistograms(a.otherwise, b.otherwise),
  }));
  const gc = both(earlier.gc, later.gc, (a, b) => mergeGcSamples([a, b]));
  return {
    partition: later.partition,
    processed: earlier.processed + later.processed,
    emitted: earlier.emitted + later.emitted,
    emittedInWindow: earlier.emittedInWindow + later.emittedInWindow,
    lateDropped: earlier.lateDropped + later.lateDropped,
    digest: mergeDigests([earlier.digest, later.digest]),
    eventTime: mergeHistograms(earlier.eventTime, later.eventTime),
    processingTime: mergeHistograms(earlier.processingTime, later.processingTime),
    output: mergeTimelines([earlier.output, later.output]),
    ...(latencyBins ? { latencyBins } : {}),
    ...(classes ? { classes } : {}),
    ...(branches ? { branches } : {}),
    ...(spill ? { spill } : {}),
    ...(spillLatency ? { spillLatency } : {}),
    ...(sink ? { sink } : {}),
    duplicates: (earlier.duplicates ?? 0) + (later.duplicates ?? 0),
    duplicateDigest: mergeDigests([earlier.duplicateDigest ?? zero, later.duplicateDigest ?? zero]),
    ...(earlier.cpuUs !== undefined || later.cpuUs !== undefined ? { cpuUs: (earlier.cpuUs ?? 0) + (later.cpuUs ?? 0) } : {}),
    ...(gc ? { gc } : {}),
    ...(later.elu !== undefined || earlier.elu !== undefined ? { elu: later.elu ?? earlier.elu } : {}),
  };
}
