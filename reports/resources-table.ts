/**
 * The resources table under the main table (issue 14): per run, throughput per core beside
 * records/s, CPU per record, GC pauses by thread (driver; partition tasks together;
 * generator), each task thread's event-loop utilisation and the peak RSS — for the runs that
 * have GC figures (every run since they were added; older results files show none).
 */
import { formatCount, formatRate } from '../primitives/units.js';
import type { GcFigures, RunResult } from '../primitives/results-schema.js';
import { modeLabel } from './format.js';
import { renderRows } from './downstream-table.js';

/** "count, total ms / max ms" of one kind of thread's GC pauses. */
export function gcCell(gc: GcFigures | undefined): string {
  if (!gc) return '-';
  if (gc.count === 0) return '0';
  return `${formatCount(gc.count)}: ${gc.totalMs.toFixed(1)}ms, max ${gc.maxMs.toFixed(2)}ms`;
}

/** Events per core per second, as the table shows it (e.g. 1.2M/s). */
export function perCoreCell(run: RunResult): string {
  return run.resources.eventsPerCoreSec === undefined ? '-' : formatRate(run.resources.eventsPerCoreSec);
}

/** The resources table, or [] when no run has GC figures. */
export function renderResourcesTable(runs: readonly RunResult[]): string[] {
  const measured = runs.filter((run) => run.resources?.gc && run.status !== 'failed');
  if (measured.length === 0) return [];
  const rows = measured.map((run) => [
    run.scenario,
    formatRate(run.offeredRate),
    `${modeLabel(run.mode, run.params)}${run.trial > 0 ? ` #${run.trial + 1}` : ''}`,
    formatRate(run.throughputIn),
    perCoreCell(run),
    run.resources.cpuUsPerRecord.toFixed(2),
    gcCell(run.resources.gc?.workers),
    gcCell(run.resources.gc?.driver),
    gcCell(run.resources.gc?.generator),
    run.resources.workerElu ? run.resources.workerElu.map((u) => u.toFixed(2)).join(' ') : '-',
    `${run.resources.peakRssMb.toFixed(0)}MB`,
  ]);
  return [
    'resources:',
    ...renderRows(['scenario', 'rate', 'mode', 'in/s', 'ev/s/core', 'cpu µs/rec', 'gc tasks', 'gc driver', 'gc generator', 'task ELU', 'peak RSS'], rows, 3),
    'ev/s/core: events the engine processed ÷ its CPU seconds (task threads + driver; generator excluded). gc: pauses, their total and the longest.',
    'task ELU: each partition task thread\'s event-loop utilisation (≈1: a task holds its loop, waiting in Atomics.wait rather than idle in libuv).',
  ];
}
