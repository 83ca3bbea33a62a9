/**
 * Human-readable units for the terminal table: latencies (µs / ms / s / min), rates
 * (records/s with k / M / G), counts, and short labels for a mode's parameters.
 */
import type { RunParams } from './schema.js';

/** Rounds to 3 significant digits and drops trailing zeros: 2.50 → "2.5", 1000 → "1000". */
function threeSignificant(value: number): string {
  return String(Number(value.toPrecision(3)));
}

/** Rounds to 3 significant digits and keeps trailing zeros: 1.2 → "1.20", 51.23 → "51.2". */
function threeSignificantFixed(value: number): string {
  const rounded = Number(value.toPrecision(3));
  const magnitude = rounded === 0 ? 0 : Math.floor(Math.log10(Math.abs(rounded)));
  return rounded.toFixed(Math.max(0, 2 - magnitude));
}

/**
 * A latency in microseconds with a readable unit: "412µs", "51.2ms", "1.20s", "2.50min".
 * Below 1 ms the value is a whole number of µs; above it, 3 significant digits. A value
 * that rounds up to the next unit is shown in that unit (999.7 ms → "1.00s").
 * NaN and infinities give "n/a".
 */
export function formatMicros(us: number): string {
  if (!Number.isFinite(us)) return 'n/a';
  if (us < 0) return `-${formatMicros(-us)}`;
  if (Math.round(us) < 1000) return `${Math.round(us)}µs`;
  const ms = Number((us / 1e3).toPrecision(3));
  if (ms < 1000) return `${threeSignificantFixed(ms)}ms`;
  const seconds = Number((us / 1e6).toPrecision(3));
  if (seconds < 60) return `${threeSignificantFixed(seconds)}s`;
  return `${threeSignificantFixed(us / 60e6)}min`;
}

/**
 * A count with a metric suffix and up to 3 significant digits, trailing zeros dropped:
 * 950 → "950", 1000 → "1k", 12_345 → "12.3k", 2_500_000 → "2.5M".
 */
export function formatCount(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  if (value < 0) return `-${formatCount(-value)}`;
  const suffixes = ['', 'k', 'M'];
  for (const [power, suffix] of suffixes.entries()) {
    const scaled = Number((value / 1000 ** power).toPrecision(3));
    if (scaled < 1000) return `${threeSignificant(scaled)}${suffix}`;
  }
  return `${threeSignificant(value / 1e9)}G`;
}

/** A rate in records per second: "500/s", "1k/s", "2.5M/s". */
export function formatRate(perSec: number): string {
  if (!Number.isFinite(perSec)) return 'n/a';
  return `${formatCount(perSec)}/s`;
}

/** A duration given in milliseconds, as the shortest readable form: 0 → "0ms", 100 → "100ms", 1500 → "1.5s". */
function formatMillis(ms: number): string {
  return ms >= 1000 ? `${threeSignificant(ms / 1000)}s` : `${threeSignificant(ms)}ms`;
}

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
