/**
 * Short labels for a mode's parameters, in the tables, CSV and HTML.
 */
import type { RunParams } from '../primitives/results-schema.js';
import { modes } from '../engines/index.js';
import { workersLabel } from '../engines/mode-labels.js';

/**
 * The parameter that distinguishes a mode's configuration, for a table cell: the mode's own
 * label (its descriptor: batch modes "T=100ms", plus "cap=10k" for a capped trigger;
 * continuous "workers=2", plus "flush=500µs"); a mode not registered in this process shows its
 * workers; "+lane" follows when the priority lane is on, "cache=on"/"cache=off" for a
 * pipeline that forks, and "budget=8MB" with a memory budget.
 */
export function keyParamsLabel(mode: string, params: RunParams): string {
  const label = (modes.get(mode)?.label ?? workersLabel)(params);
  return [label, ...(params.priorityLane ? ['+lane'] : []), ...memoryParts(params)].filter(Boolean).join(' ');
}

/** "cache=on|off" (a pipeline that forks) and "budget=…" (a memory budget), where the run had them. */
function memoryParts(params: RunParams): string[] {
  return [
    ...(params.cache !== undefined ? [`cache=${params.cache ? 'on' : 'off'}`] : []),
    ...(params.memoryBudgetBytes !== undefined ? [`budget=${formatBytes(params.memoryBudgetBytes)}`] : []),
  ];
}

/** A size in binary units, 3 significant digits: "512KB", "8MB", "1.5GB". */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${Number(value.toPrecision(3))}${units[unit]}`;
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
  parts.push(...memoryParts(params));
  return parts.join(' ');
}

/** A JSON text of the parameters with keys sorted, so equal parameters give equal text. */
export function paramsKey(params: RunParams): string {
  const entries = Object.entries(params)
    .filter(([, value]) => value !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify(Object.fromEntries(entries));
}
