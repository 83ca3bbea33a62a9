/**
 * Tables under a scenario's timelines for scenarios with extra figures: recovery from the
 * load peak (`burst`), event-time latency per class with and without the priority lane
 * (`priority`), each branch of a fork (`cache`) and what spilled under a memory budget
 * (`spill`). Empty for other scenarios.
 */
import { formatCount, formatMicros, formatRate } from '../../primitives/units.js';
import { gcCell, perCoreCell } from '../resources-table.js';
import type { LatencySummary } from '../../primitives/results-schema.js';
import { recoveryTimeCell } from '../scenario-columns.js';
import { modeCell } from './headline.js';
import { escapeHtml, htmlTable } from './html.js';
import { modeRank, type ConfigSummary } from './model.js';
import type { ModePalette } from './palette.js';

/** "p50 / p99 / max" of a class, or "—" when it emitted nothing. */
function classSpread(summary: LatencySummary): string {
  if (summary.count === 0) return '—';
  return `${formatMicros(summary.p50)} / ${formatMicros(summary.p99)} / ${formatMicros(summary.max)}`;
}

/** A µs figure that may be missing. */
function micros(us: number | null): string {
  return us === null ? '—' : formatMicros(us);
}

/** The recovery table of one scenario and rate; '' when no configuration has recovery figures. */
export function recoveryTable(summaries: readonly ConfigSummary[], palette: ModePalette, compare: boolean): string {
  const rows = summaries.flatMap((s) => {
    const r = s.recovery;
    if (!r) return [];
    return [
      [
        ...(compare ? [escapeHtml(s.fileLabel)] : []),
        modeCell(s, palette),
        formatMicros(r.peakLatencyUs),
        `${micros(r.preWindowP99Us)} → ${micros(r.peakWindowP99Us)}`,
        `${formatCount(r.preBacklog)} → ${formatCount(r.backlogMax)}`,
        escapeHtml(recoveryTimeCell(r.drainTimeUs, r.afterPeakSec)),
        escapeHtml(recoveryTimeCell(r.latencyRecoveryUs, r.afterPeakSec)),
      ],
    ];
  });
  const first = summaries.find((s) => s.recovery)?.recovery;
  if (!first) return '';
  const head = [...(compare ? ['file'] : []), 'mode', 'peak latency', `p99 (${first.slidingWindowMs} ms window) before → peak`, 'backlog before → max', 'drain time', 'p99 recovery time'];
  const note = `<p class="note">Peak: ${first.peakFactor}× the base rate from ${first.peakStartSec} s to ${first.peakEndSec} s of the measurement (shaded on the timelines). Drain / recovery: from the peak's end until the backlog / the sliding-window p99 is back within 25% (+ slack) of its pre-peak median and stays 500 ms; "&gt;X" = not within the X measured after the peak. Worst trial.</p>`;
  return `<h4>Recovery from the peak</h4>${note}${htmlTable(head, rows, 'numeric')}`;
}

/** The per-class latency table of one scenario and rate; '' when no configuration has a priority class. */
export function priorityTable(summaries: readonly ConfigSummary[], palette: ModePalette, compare: boolean): string {
  // Each mode without the lane, then with it, so the pair reads as before → after.
  const ordered = [...summaries].sort(
    (a, b) => modeRank(a.mode) - modeRank(b.mode) || a.mode.localeCompare(b.mode) || Number(a.priority?.lane ?? false) - Number(b.priority?.lane ?? false) || a.fileIndex - b.fileIndex,
  );
  const rows = ordered.flatMap((s) => {
    const p = s.priority;
    if (!p) return [];
    return [
      [
        ...(compare ? [escapeHtml(s.fileLabel)] : []),
        modeCell(s, palette),
        p.lane ? 'on' : 'off',
        classSpread(p.priority),
        classSpread(p.normal),
        `${formatCount(s.throughputOut)}/s`,
        formatCount(p.fastTracked),
      ],
    ];
  });
  if (rows.length === 0) return '';
  const head = [...(compare ? ['file'] : []), 'mode', 'lane', 'priority p50 / p99 / max', 'normal p50 / p99 / max', 'out/s', 'fast-tracked'];
  return `<h4>Latency per class</h4>${htmlTable(head, rows, 'numeric')}`;
}

/** The per-branch table of one scenario and rate (a pipeline that forks); '' when none forks. */
export function branchTable(summaries: readonly ConfigSummary[], palette: ModePalette, compare: boolean): string {
  const rows = summaries.flatMap((s) =>
    s.runs.flatMap((run) =>
      (run.branches ?? []).map((branch, i) => [
        ...(compare ? [escapeHtml(s.fileLabel)] : []),
        i === 0 ? modeCell(s, palette) : '',
        escapeHtml(branch.name),
        `${formatCount(branch.throughputOut)}/s`,
        classSpread(branch.latency.eventTime),
        i === 0 ? run.resources.cpuUsPerRecord.toFixed(2) : '',
        `<code>${escapeHtml(branch.outputDigest)}</code>`,
      ]),
    ),
  );
  if (rows.length === 0) return '';
  const head = [...(compare ? ['file'] : []), 'mode', 'branch', 'out/s', 'p50 / p99 / max', 'CPU µs/record', 'digest'];
  const note = '<p class="note">Each branch of the fork has its own output and digest. cache=off recomputes the shared prefix for every branch (Spark\'s lazy lineage); cache=on computes it once and hands its output to every branch.</p>';
  return `<h4>Branches</h4>${note}${htmlTable(head, rows, 'numeric')}`;
}

/** The memory-budget table of one scenario and rate; '' when no run had a budget. */
export function spillTable(summaries: readonly ConfigSummary[], palette: ModePalette, compare: boolean): string {
  const bytes = (n: number): string => `${formatCount(n / 2 ** 20)} MB`;
  const latency = (figure: LatencySummary | undefined): string =>
    figure && figure.count > 0 ? `${formatMicros(figure.p50)} / ${formatMicros(figure.p99)} / ${formatMicros(figure.max)} (${formatCount(figure.count)})` : '—';
  const rows = summaries.flatMap((s) =>
    s.runs.flatMap((run) => {
      const spill = run.spill;
      if (!spill) return [];
      return [
        [
          ...(compare ? [escapeHtml(s.fileLabel)] : []),
          modeCell(s, palette),
          `${formatCount(spill.spilledRecords)} (${bytes(spill.spilledBytes)})`,
          formatMicros(spill.spillMs * 1000),
          `${formatCount(spill.readBackRecords)} (${bytes(spill.readBackBytes)})`,
          formatMicros(spill.readBackMs * 1000),
          bytes(spill.diskBytes),
          `${Math.round(run.resources.peakRssMb)} / ${run.resources.peakRssAnonMb === undefined ? '—' : Math.round(run.resources.peakRssAnonMb)} MB`,
          latency(spill.latencyWhileSpilling),
          latency(spill.latencyOtherwise),
        ],
      ];
    }),
  );
  if (rows.length === 0) return '';
  const head = [...(compare ? ['file'] : []), 'mode', 'spilled', 'spill time', 'read back', 'read time', 'on disk', 'peak RSS / anon', 'latency while spilling: p50 / p99 / max (records)', 'latency otherwise'];
  const note = '<p class="note">State past the memory budget of each partition task spills to disk (LMDB) and is read back when needed; the output is the same as without a budget. Event-time latency of the output emitted while its task\'s spill store was busy (it wrote or read back between the record\'s event time and its emit), against the rest of the output.</p>';
  return `<h4>Memory budget and spill</h4>${note}${htmlTable(head, rows, 'numeric')}`;
}

/** The resources table of one scenario and rate (throughput per core, GC pauses by thread, task ELU); '' when no run has GC figures. */
export function resourcesTable(summaries: readonly ConfigSummary[], palette: ModePalette, compare: boolean): string {
  const rows = summaries.flatMap((s) =>
    s.runs.flatMap((run) => {
      const gc = run.resources?.gc;
      if (!gc) return [];
      return [
        [
          ...(compare ? [escapeHtml(s.fileLabel)] : []),
          modeCell(s, palette),
          escapeHtml(formatRate(run.throughputIn)),
          escapeHtml(perCoreCell(run)),
          run.resources.cpuUsPerRecord.toFixed(2),
          escapeHtml(gcCell(gc.workers)),
          escapeHtml(gcCell(gc.driver)),
          escapeHtml(gcCell(gc.generator)),
          run.resources.workerElu ? run.resources.workerElu.map((u) => u.toFixed(2)).join(' ') : '—',
          `${Math.round(run.resources.peakRssMb)} MB`,
        ],
      ];
    }),
  );
  if (rows.length === 0) return '';
  const head = [...(compare ? ['file'] : []), 'mode', 'in/s', 'events/s per core', 'CPU µs/record', 'GC: tasks', 'GC: driver', 'GC: generator', 'task ELU', 'peak RSS'];
  const note = '<p class="note">Events per core: events the engine processed ÷ its CPU seconds (partition task threads and the driver; the generator excluded). GC: pauses (count: total, longest) — the driver by a PerformanceObserver on \'gc\', the task and generator threads by V8\'s GCProfiler (they hold their event loop). Task ELU ≈ 1: a task waits in Atomics.wait, never idle in libuv.</p>';
  return `<h4>Resources</h4>${note}${htmlTable(head, rows, 'numeric')}`;
}
