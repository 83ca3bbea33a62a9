/**
 * Terminal tables of the memory chapter, printed under the main table only for the runs that
 * have their figures, so the output of every other scenario is unchanged: each branch of a
 * pipeline that forks (its own output, latency and digest; with the cache hint off and on
 * side by side), and what spilled under a memory budget (records, bytes, time, read-back,
 * peak memory, p50 / p99 event-time latency of the output emitted while a store was busy
 * against the rest).
 */
import { formatCount, formatMicros, formatRate } from '../primitives/units.js';
import { formatBytes, modeLabel } from './format.js';
import type { LatencySummary, RunResult } from '../primitives/results-schema.js';
import { renderRows } from './downstream-table.js';

function runLabel(run: RunResult): string {
  return `${modeLabel(run.mode, run.params)}${run.trial > 0 ? ` #${run.trial + 1}` : ''}`;
}

/** The branch table, or [] when no run's pipeline forks. */
export function renderBranchTable(runs: readonly RunResult[]): string[] {
  const forked = runs.filter((run) => run.branches && run.status !== 'failed');
  if (forked.length === 0) return [];
  const rows = forked.flatMap((run) =>
    (run.branches ?? []).map((branch, i) => [
      i === 0 ? run.scenario : '',
      i === 0 ? formatRate(run.offeredRate) : '',
      i === 0 ? runLabel(run) : '',
      branch.name,
      formatRate(branch.throughputOut),
      branch.latency.eventTime.count === 0 ? '-' : formatMicros(branch.latency.eventTime.p50),
      branch.latency.eventTime.count === 0 ? '-' : formatMicros(branch.latency.eventTime.p99),
      i === 0 ? run.resources.cpuUsPerRecord.toFixed(2) : '',
      branch.outputDigest,
    ]),
  );
  return [
    'branches:',
    ...renderRows(['scenario', 'rate', 'mode', 'branch', 'out/s', 'p50', 'p99', 'cpu µs/rec', 'digest'], rows, 4),
    'Each branch of the fork has its own output and digest (the branch folded into each record\'s hash); the main table is their union.',
    'cache=off recomputes the shared prefix for every branch (its CPU shows in cpu µs/rec); cache=on computes it once for all.',
  ];
}

/** The spill table, or [] when no run had a memory budget. */
export function renderSpillTable(runs: readonly RunResult[]): string[] {
  const budgeted = runs.filter((run) => run.spill && run.status !== 'failed');
  if (budgeted.length === 0) return [];
  const latency = (figure: LatencySummary | undefined): string =>
    figure && figure.count > 0 ? `${formatMicros(figure.p50)} / ${formatMicros(figure.p99)} (${formatCount(figure.count)})` : '-';
  const rows = budgeted.map((run) => {
    const spill = run.spill as NonNullable<RunResult['spill']>;
    return [
      run.scenario,
      formatRate(run.offeredRate),
      runLabel(run),
      formatCount(spill.spilledRecords),
      formatBytes(spill.spilledBytes),
      formatMicros(spill.spillMs * 1000),
      formatCount(spill.readBackRecords),
      formatMicros(spill.readBackMs * 1000),
      formatBytes(spill.diskBytes),
      `${run.resources.peakRssMb.toFixed(0)}MB`,
      run.resources.peakRssAnonMb === undefined ? '-' : `${run.resources.peakRssAnonMb.toFixed(0)}MB`,
      latency(spill.latencyWhileSpilling),
      latency(spill.latencyOtherwise),
    ];
  });
  const headers = ['scenario', 'rate', 'mode', 'spilled', 'bytes', 'spill time', 'read back', 'read time', 'on disk', 'peak RSS', 'anon RSS', 'spilling p50 / p99', 'otherwise p50 / p99'];
  return [
    'memory budget and spill:',
    ...renderRows(headers, rows, 3),
    'spilled / read back: state entries written to / read from the spill store (all partitions), bytes their payload; on disk: the store files.',
    'anon RSS: resident memory less file-backed pages (the store\'s mapped file). spilling: event-time latency (records) of the output emitted',
    'while its task\'s store was busy (it wrote or read back between the record\'s event time and its emit); otherwise: of the rest.',
  ];
}
