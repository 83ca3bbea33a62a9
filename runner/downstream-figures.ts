/**
 * Turns what the partition tasks measured about a slow downstream into the run's
 * {@link SinkFigures}, and accounts for every input offset ({@link OffsetAccounting}).
 */
import type { PartitionTaskOutput } from '../engines/partition/partition-task.js';
import { SINK_BUCKET_US, type PartitionSinkSpec } from '../engines/partition/slow-sink.js';
import type { OffsetAccounting, SinkFigures } from '../primitives/results-schema.js';
import type { SinkSpec } from '../scenarios/downstream.js';
import { summarizeEncoded } from '../primitives/histogram.js';
import type { SourceLog } from '../primitives/source-log.js';

/** One partition's share of the sink: 1/P of its capacity and of its queue. */
export function partitionShare(sink: SinkSpec, partitions: number): PartitionSinkSpec {
  return {
    capacityPerSec: sink.capacityPerSec / partitions,
    writeLatencyUs: sink.writeLatencyUs,
    queueRecords: Math.max(1, Math.floor(sink.queueRecords / partitions)),
    drop: sink.drop,
  };
}

/** The sink figures of a run from its partitions' outputs. */
export function sinkFigures(sink: SinkSpec, parts: readonly PartitionTaskOutput[]): SinkFigures {
  const figures = parts.flatMap((part) => (part.sink ? [part.sink] : []));
  const buckets = Math.max(0, ...figures.map((f) => f.depthPeaks.length));
  const sumOver = (pick: (f: (typeof figures)[number]) => number[]): number[] =>
    Array.from({ length: buckets }, (_, i) => figures.reduce((sum, f) => sum + (pick(f)[i] ?? 0), 0));
  return {
    capacityPerSec: Number.isFinite(sink.capacityPerSec) ? sink.capacityPerSec : null,
    writeLatencyUs: sink.writeLatencyUs,
    queueRecords: sink.queueRecords,
    drop: sink.drop,
    writes: figures.reduce((sum, f) => sum + f.writes, 0),
    writeSize: summarizeEncoded(figures.map((f) => f.writeSizes)),
    dropped: figures.reduce((sum, f) => sum + f.dropped, 0),
    blockedMs: figures.reduce((sum, f) => sum + f.blockedUs, 0) / 1000,
    peakQueueDepth: figures.reduce((sum, f) => sum + Math.max(0, ...f.depthPeaks), 0),
    bucketUs: figures[0]?.bucketUs ?? SINK_BUCKET_US,
    queueDepth: sumOver((f) => f.depthPeaks),
    written: sumOver((f) => f.written),
  };
}

/** Where every offset of the log went, from the log's offsets and the partitions' outputs. */
export function offsetAccounting(log: SourceLog, parts: readonly PartitionTaskOutput[]): OffsetAccounting {
  const sinkDropped = parts.reduce((sum, p) => sum + (p.sink?.dropped ?? 0), 0);
  const duplicates = parts.reduce((sum, p) => sum + (p.duplicates ?? 0), 0);
  // `emitted` counts each output once: a replay's second delivery is measured, the first one was lost with its task.
  const emitted = parts.reduce((sum, p) => sum + p.emitted, 0);
  return {
    appended: log.total((p) => log.end(p)),
    committed: log.total((p) => log.committed(p)),
    sourceDropped: log.total((p) => log.dropped(p)),
    outputs: parts.reduce((sum, p) => sum + p.digest.count, 0),
    delivered: emitted,
    sinkDropped,
    duplicates,
  };
}
