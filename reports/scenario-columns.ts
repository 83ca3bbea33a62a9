/**
 * Terminal-table columns that only scenarios with extra figures produce: recovery from a
 * load peak (`burst`) and latency per class (`priority`). Each set appears only when some
 * row has its figures, so the table of other scenarios is unchanged.
 */
import { formatCount, formatMicros } from '../primitives/units.js';
import type { RunSummary } from './summary.js';

/** A table column (the shape `table.ts` renders). */
export interface ExtraColumn {
  header: string;
  align: 'left' | 'right';
  cell: (summary: RunSummary, firstOfGroup: boolean) => string;
}

/** A time until recovery: the time, or "> Xs" (not within the X seconds measured after the peak). */
export function recoveryTimeCell(us: number | null, afterPeakSec: number): string {
  return us === null ? `>${formatMicros(afterPeakSec * 1e6)}` : formatMicros(us);
}

const RECOVERY_COLUMNS: ExtraColumn[] = [
  { header: 'peak lat', align: 'right', cell: (s) => (s.recovery ? formatMicros(s.recovery.peakLatencyUs) : '') },
  { header: 'backlog max', align: 'right', cell: (s) => (s.recovery ? formatCount(s.recovery.backlogMax) : '') },
  { header: 'drain', align: 'right', cell: (s) => (s.recovery ? recoveryTimeCell(s.recovery.drainTimeUs, s.recovery.afterPeakSec) : '') },
  { header: 'p99 recovery', align: 'right', cell: (s) => (s.recovery ? recoveryTimeCell(s.recovery.latencyRecoveryUs, s.recovery.afterPeakSec) : '') },
];

/** A class latency cell: the value, or "-" when the class emitted nothing. */
function classCell(summary: RunSummary, pick: (p: NonNullable<RunSummary['priority']>) => { count: number; p50: number; p99: number }, which: 'p50' | 'p99'): string {
  if (!summary.priority) return '';
  const latency = pick(summary.priority);
  return latency.count === 0 ? '-' : formatMicros(latency[which]);
}

const PRIORITY_COLUMNS: ExtraColumn[] = [
  { header: 'prio p50', align: 'right', cell: (s) => classCell(s, (p) => p.priority, 'p50') },
  { header: 'prio p99', align: 'right', cell: (s) => classCell(s, (p) => p.priority, 'p99') },
  { header: 'normal p99', align: 'right', cell: (s) => classCell(s, (p) => p.normal, 'p99') },
];

/** The extra columns the summaries call for (none for scenarios without peak or priority class). */
export function scenarioColumns(summaries: readonly RunSummary[]): ExtraColumn[] {
  return [
    ...(summaries.some((s) => s.recovery) ? RECOVERY_COLUMNS : []),
    ...(summaries.some((s) => s.priority) ? PRIORITY_COLUMNS : []),
  ];
}

/** Footer lines explaining the extra columns shown. */
export function scenarioFooter(summaries: readonly RunSummary[]): string[] {
  const lines: string[] = [];
  const recovery = summaries.find((s) => s.recovery)?.recovery;
  if (recovery) {
    lines.push(
      `peak lat: largest latency from the peak (${recovery.peakFactor}× for ${formatMicros((recovery.peakEndSec - recovery.peakStartSec) * 1e6)}) on; backlog max: largest 100 ms backlog sample from then on.`,
      `drain / p99 recovery: from the peak's end until the backlog / the p99 over a ${recovery.slidingWindowMs} ms sliding window (100 ms latency bins, ≤12.5% high)`,
      '  is back within 25% (+ slack) of its pre-peak median and stays there 500 ms; ">X": not within the X measured after the peak. Worst trial.',
    );
  }
  if (summaries.some((s) => s.priority)) {
    const fraction = summaries.find((s) => s.priority)?.priority?.fraction ?? 0;
    lines.push(`prio / normal: event-time latency of the priority class (${Number((fraction * 100).toPrecision(6))}% of records) and of the rest; +lane: the priority lane fast-tracks them.`);
  }
  return lines;
}
