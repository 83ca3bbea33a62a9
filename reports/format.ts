/**
 * Short labels for a mode's parameters, in the tables, CSV and HTML.
 */
import type { RunParams } from '../primitives/results-schema.js';
import { formatCount, formatMicros, formatMillis } from '../primitives/units.js';

/**
 * The parameter that distinguishes a mode's configuration, for a table cell:
 * batch modes show their interval ("T=100ms", plus "cap=10k" for a capped trigger),
 * continuous shows its workers ("workers=2", plus "flush=500µs" for a non-zero flush
 * timeout), any other mode shows its workers; "+lane" follows when the priority lane is on.
 */
export function keyParamsLabel(mode: string, params: RunParams): string {
  const parts: string[] = [];
  if (mode === 'micro-batch' || mode === 'trigger') {
    if (params.intervalMs !== undefined) parts.push(`T=${formatMillis(params.intervalMs)}`);
    if (params.maxRecordsPerBatch !== undefined) parts.push(`cap=${formatCount(params.maxRecordsPerBatch)}`);
  } else {
    parts.push(`workers=${params.workers}`);
    if (params.flushTimeoutUs) parts.push(`flush=${formatMicros(params.flushTimeoutUs)}`);
  }
  if (params.priorityLane) parts.push('+lane');
  return parts.join(' ');
}

/** The mode with its key parameters: "micro-batch T=100ms", "continuous workers=2". */
export function modeLabel(mode: string, params: RunParams): string {
  const key = keyParamsLabel(mode, params);
  return key ? `${mode} ${key}` : mode;
}

/** Every parameter a run was made with, compact and in a fixed order: "workers=2 T=100ms cap=10000". */
export function paramsLabel(params: RunParams): string {
  const parts = [`workers=${params.workers}`];
  if (params.intervalMs !== undefined) parts.push(`T=${params.intervalMs}ms`);
  if (params.maxRecordsPerBatch !== undefined) parts.push(`cap=${params.maxRecordsPerBatch}`);
  if (params.checkpointMs !== undefined) parts.push(`checkpoint=${params.checkpointMs}ms`);
  if (params.flushTimeoutUs !== undefined) parts.push(`flush=${params.flushTimeoutUs}µs`);
  if (params.priorityLane) parts.push('lane=on');
  return parts.join(' ');
}

/** A JSON text of the parameters with keys sorted, so equal parameters give equal text. */
export function paramsKey(params: RunParams): string {
  const entries = Object.entries(params)
    .filter(([, value]) => value !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify(Object.fromEntries(entries));
}
