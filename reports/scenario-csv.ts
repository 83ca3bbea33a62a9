/**
 * summary.csv columns that only scenarios with extra figures produce (recovery from a peak,
 * latency per class); added to the file only when some row has them, so the CSV of other
 * scenarios keeps its columns.
 */
import type { RunSummary } from './summary.js';

type Cell = string | number | boolean | undefined;

/** Recovery columns (µs and records; empty where not recovered within the window). */
export const RECOVERY_CSV_COLUMNS = [
  'peakFactor', 'peakStartSec', 'peakEndSec', 'peakLatencyUs', 'peakWindowP99Us', 'preWindowP99Us', 'slidingWindowMs',
  'preBacklog', 'backlogMax', 'drainTimeUs', 'latencyRecoveryUs', 'drainedWithinWindow', 'recoveredWithinWindow',
] as const;

/** Per-class columns (event-time latency, µs). */
export const PRIORITY_CSV_COLUMNS = [
  'priorityLane', 'priorityFraction', 'priorityRecords', 'fastTracked', 'caughtUp', 'priorityCount', 'priorityP50Us',
  'priorityP99Us', 'priorityP99_9Us', 'priorityMaxUs', 'normalCount', 'normalP50Us', 'normalP99Us', 'normalP99_9Us', 'normalMaxUs',
] as const;

/** The extra columns the summaries call for. */
export function scenarioCsvColumns(summaries: readonly RunSummary[]): string[] {
  return [
    ...(summaries.some((s) => s.recovery) ? RECOVERY_CSV_COLUMNS : []),
    ...(summaries.some((s) => s.priority) ? PRIORITY_CSV_COLUMNS : []),
  ];
}

/** The extra cells of one summary (empty for columns it has no figures for). */
export function scenarioCsvCells(s: RunSummary): Record<string, Cell> {
  const r = s.recovery;
  const p = s.priority;
  return {
    ...(r
      ? {
          peakFactor: r.peakFactor,
          peakStartSec: r.peakStartSec,
          peakEndSec: r.peakEndSec,
          peakLatencyUs: Math.round(r.peakLatencyUs),
          peakWindowP99Us: r.peakWindowP99Us ?? undefined,
          preWindowP99Us: r.preWindowP99Us ?? undefined,
          slidingWindowMs: r.slidingWindowMs,
          preBacklog: r.preBacklog,
          backlogMax: r.backlogMax,
          drainTimeUs: r.drainTimeUs ?? undefined,
          latencyRecoveryUs: r.latencyRecoveryUs ?? undefined,
          drainedWithinWindow: r.drainTimeUs !== null,
          recoveredWithinWindow: r.latencyRecoveryUs !== null,
        }
      : {}),
    ...(p
      ? {
          priorityLane: p.lane,
          priorityFraction: p.fraction,
          priorityRecords: p.priorityRecords,
          fastTracked: p.fastTracked,
          caughtUp: p.caughtUp,
          priorityCount: p.priority.count,
          priorityP50Us: p.priority.p50,
          priorityP99Us: p.priority.p99,
          priorityP99_9Us: p.priority.p99_9,
          priorityMaxUs: p.priority.max,
          normalCount: p.normal.count,
          normalP50Us: p.normal.p50,
          normalP99Us: p.normal.p99,
          normalP99_9Us: p.normal.p99_9,
          normalMaxUs: p.normal.max,
        }
      : {}),
  };
}
