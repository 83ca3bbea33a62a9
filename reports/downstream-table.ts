/**
 * Terminal tables for the runs with a slow downstream (`slow-sink`) and with injected
 * faults (`fault`), printed under the main table: one row per trial, only for those runs,
 * so the output for every other scenario is unchanged.
 */
import { formatCount, formatMicros, formatRate } from '../primitives/units.js';
import { modeLabel } from './format.js';
import type { RunResult } from '../primitives/results-schema.js';

type Row = readonly string[];

/** Left-aligns text columns and right-aligns the rest, two spaces apart, no trailing spaces. */
export function renderRows(headers: Row, rows: readonly Row[], leftColumns: number): string[] {
  const widths = headers.map((h, i) => Math.max([...h].length, ...rows.map((r) => [...r[i]].length)));
  const line = (cells: Row): string =>
    cells
      .map((cell, i) => {
        const fill = ' '.repeat(widths[i] - [...cell].length);
        return i < leftColumns ? cell + fill : fill + cell;
      })
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
}

/** The sink's limits: "200k/s 100µs/write queue 20k". */
export function sinkLimitsLabel(sink: NonNullable<RunResult['sink']>): string {
  const capacity = sink.capacityPerSec === null ? 'unlimited' : formatRate(sink.capacityPerSec);
  return `${capacity} ${formatMicros(sink.writeLatencyUs)}/write queue ${formatCount(sink.queueRecords)}${sink.drop === 'newest' ? ' drop newest' : ''}`;
}

/** The sink table, or [] when no run had a slow downstream. */
export function renderSinkTable(runs: readonly RunResult[]): string[] {
  const withSink = runs.filter((run) => run.sink && run.status !== 'failed');
  if (withSink.length === 0) return [];
  const rows = withSink.map((run) => {
    const sink = run.sink as NonNullable<RunResult['sink']>;
    return [
      run.scenario,
      formatRate(run.offeredRate),
      `${modeLabel(run.mode, run.params)}${run.trial > 0 ? ` #${run.trial + 1}` : ''}`,
      formatRate(run.throughputOut),
      formatCount(sink.writes),
      sink.writeSize.count === 0 ? '-' : formatCount(sink.writeSize.p50),
      sink.writeSize.count === 0 ? '-' : formatCount(sink.writeSize.max),
      formatCount(sink.peakQueueDepth),
      formatMicros(sink.blockedMs * 1000),
      formatCount(Math.max(0, ...run.timeline.backlog)),
      formatCount(sink.dropped),
      `${run.resources.peakRssMb.toFixed(0)}MB`,
    ];
  });
  const headers = ['scenario', 'rate', 'mode', 'out/s', 'writes', 'write p50', 'write max', 'peak queue', 'blocked', 'peak backlog', 'sink dropped', 'peak RSS'];
  return [
    `slow downstream: ${[...new Set(withSink.map((run) => sinkLimitsLabel(run.sink as NonNullable<RunResult['sink']>)))].join('; ')}`,
    ...renderRows(headers, rows, 3),
    'write p50/max: records per write to the downstream; peak queue: records queued in the sink (sum of partition peaks);',
    'blocked: time tasks waited for room (back-pressure); peak backlog: source log end − committed; latency includes the sink queue.',
  ];
}

/** The recovery table, or [] when no run had faults. */
export function renderRecoveryTable(runs: readonly RunResult[]): string[] {
  const withFaults = runs.filter((run) => run.faults && run.status !== 'failed');
  if (withFaults.length === 0) return [];
  const rows = withFaults.map((run) => {
    const faults = run.faults as NonNullable<RunResult['faults']>;
    const optional = (us: number | undefined): string => (us === undefined ? 'never' : formatMicros(us));
    const kill = faults.events.find((event) => event.cause === 'worker-killed');
    return [
      run.scenario,
      formatRate(run.offeredRate),
      `${modeLabel(run.mode, run.params)}${run.trial > 0 ? ` #${run.trial + 1}` : ''}`,
      kill ? formatMicros(kill.atUs - run.warmupSec * 1e6) : 'not killed',
      optional(kill?.restartedAtUs === undefined ? undefined : kill.restartedAtUs - kill.atUs),
      optional(faults.outputResumedUs),
      optional(faults.latencyRecoveredUs),
      formatCount(faults.recordsReplayed),
      formatCount(faults.duplicates),
      String(faults.retries),
      faults.delivery,
      run.accounting && run.accounting.appended === run.accounting.committed && run.accounting.delivered + run.accounting.sinkDropped === run.accounting.outputs
        ? '✓ all'
        : '✗ MISSING',
    ];
  });
  const headers = ['scenario', 'rate', 'mode', 'kill at', 'restarted', 'output resumed', 'latency recovered', 'replayed', 'duplicates', 'retries', 'delivery', 'offsets'];
  return [
    'recovery:',
    ...renderRows(headers, rows, 3),
    'kill at: when the worker thread was terminated, into the measurement; restarted: kill → replacement task consuming;',
    'output resumed: kill → its first output; latency recovered: kill → end of the first 100 ms bucket from which mean latency',
    'stays within max(50%, 5 ms) of its pre-kill median; replayed: offsets re-read, all faults; retries: batch tasks that threw, rerun;',
    'offsets: every appended offset committed and every output delivered. The digest (main table) is the deduplicated output.',
  ];
}
