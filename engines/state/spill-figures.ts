/** Adding up what spill stores did: over a partition's attempts, and over the partitions of a run. */
import type { SpillFigures } from './spill-store.js';

/** The figures of two stores (or attempts) together: counts and times add, the disk size and the hot peak are the larger. */
export function mergeSpillFigures(a: SpillFigures, b: SpillFigures): SpillFigures {
  return {
    spilledRecords: a.spilledRecords + b.spilledRecords,
    spilledBytes: a.spilledBytes + b.spilledBytes,
    spillUs: a.spillUs + b.spillUs,
    readBackRecords: a.readBackRecords + b.readBackRecords,
    readBackBytes: a.readBackBytes + b.readBackBytes,
    lookups: a.lookups + b.lookups,
    readBackUs: a.readBackUs + b.readBackUs,
    diskBytes: Math.max(a.diskBytes, b.diskBytes),
    peakHotEntries: Math.max(a.peakHotEntries, b.peakHotEntries),
  };
}
