/** Table labels of the built-in modes' parameters (`ModeDescriptor.label`, engines/mode.ts). */
import type { RunParams } from '../primitives/results-schema.js';
import { formatCount, formatMicros, formatMillis } from '../primitives/units.js';

/** A batch mode's interval, plus its cap when it has one: "T=100ms", "T=0ms cap=10k". */
export function batchLabel(params: RunParams): string {
  const parts: string[] = [];
  if (params.intervalMs !== undefined) parts.push(`T=${formatMillis(params.intervalMs)}`);
  if (params.maxRecordsPerBatch !== undefined) parts.push(`cap=${formatCount(params.maxRecordsPerBatch)}`);
  return parts.join(' ');
}

/** A per-record mode's workers, plus its flush timeout when it is not zero: "workers=2", "workers=2 flush=500µs". */
export function workersLabel(params: RunParams): string {
  const parts = [`workers=${params.workers}`];
  if (params.flushTimeoutUs) parts.push(`flush=${formatMicros(params.flushTimeoutUs)}`);
  return parts.join(' ');
}

