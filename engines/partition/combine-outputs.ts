/**
 * Adds up what successive attempts of one partition task measured: a failed attempt's
 * figures up to its last snapshot, then its replacement's. Counts add, digests add,
 * histograms and timelines merge.
 */
import { encodeHistogram, mergeEncoded } from '../../primitives/histogram.js';
import { mergeTimelines } from '../../primitives/timeline.js';
import { mergeDigests } from './measuring-sink.js';
import type { PartitionTaskOutput } from './partition-task.js';

/** The merge of two encoded histograms, encoded. */
function mergeHistograms(a: string, b: string): string {
  return encodeHistogram(mergeEncoded([a, b]));
}

/** `earlier` followed by `later` (either may be absent; at least one must be given). */
export function combineOutputs(earlier: PartitionTaskOutput | undefined, later: PartitionTaskOutput | undefined): PartitionTaskOutput {
  if (!earlier || !later) {
    const only = earlier ?? later;
    if (!only) throw new Error('combineOutputs needs at least one output');
    return only;
  }
  const zero = { count: 0, sumA: 0, sumB: 0 };
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
    ...(later.sink ?? earlier.sink ? { sink: later.sink ?? earlier.sink } : {}),
    duplicates: (earlier.duplicates ?? 0) + (later.duplicates ?? 0),
    duplicateDigest: mergeDigests([earlier.duplicateDigest ?? zero, later.duplicateDigest ?? zero]),
  };
}
