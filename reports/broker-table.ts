/**
 * The terminal table of runs through a broker (`--target`), printed under the main table: one
 * row per trial — who consumed, how the generators' clocks were joined, where every input entry
 * went (appended, acknowledged, pending, results, duplicates; from `serve`: re-delivered and
 * replayed) and the faults injected over the broker. Absent for in-process runs.
 */
import { formatCount, formatMicros, formatRate } from '../primitives/units.js';
import type { RunResult } from '../primitives/results-schema.js';
import { modeLabel } from './format.js';

/** The broker table, or [] when no run went through a broker. */
export function renderBrokerTable(runs: readonly RunResult[]): string[] {
  const through = runs.filter((run) => run.broker && run.status !== 'failed');
  if (through.length === 0) return [];
  const headers = ['scenario', 'rate', 'mode', 'sut', 'gens', 'clock', 'appended', 'acked', 'pending', 'results', 'dups', 'redelivered', 'replayed', 'faults', 'offsets'];
  const rows = through.map((run) => {
    const broker = run.broker!;
    const a = broker.accounting;
    const faults = (broker.faults ?? []).map((f) => `${f.kind} ${formatMicros(f.atUs)}${f.outputResumedUs !== undefined ? ` resumed +${formatMicros(f.outputResumedUs - f.atUs)}` : ''}`).join(', ');
    return [
      run.scenario,
      formatRate(run.offeredRate),
      `${modeLabel(run.mode, run.params)}${run.trial > 0 ? ` #${run.trial + 1}` : ''}`,
      broker.sut.length > 28 ? `${broker.sut.slice(0, 27)}…` : broker.sut,
      String(broker.generators),
      broker.clock.via === 'monotonic' ? 'same host' : `TIME ±${formatMicros(broker.clock.errorUs)}`,
      formatCount(a.appended),
      formatCount(a.acknowledged),
      formatCount(a.pending + a.undelivered),
      formatCount(a.results),
      a.duplicates === undefined ? 'n/a' : formatCount(a.duplicates),
      a.redelivered === undefined ? '-' : formatCount(a.redelivered),
      a.replayed === undefined ? '-' : formatCount(a.replayed),
      faults || '-',
      a.allAcknowledged ? '✓ all acked' : '✗ not all',
    ];
  });
  const widths = headers.map((h, i) => Math.max([...h].length, ...rows.map((r) => [...r[i]].length)));
  const left = new Set([0, 2, 3, 5, 13, 14]);
  const line = (cells: readonly string[]): string =>
    cells.map((cell, i) => (left.has(i) ? cell + ' '.repeat(widths[i] - [...cell].length) : ' '.repeat(widths[i] - [...cell].length) + cell)).join('  ').trimEnd();
  return [`broker (${through[0].broker!.target}${through[0].broker!.cluster ? ', cluster' : ''}):`, line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
}
