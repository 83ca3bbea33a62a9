/**
 * The terminal table (DESIGN.md §6): one row per configuration, the modes of each scenario
 * and rate on adjacent rows so the latency/throughput trade-off reads at a glance.
 * Plain text, no colours, sized to its content (about 110 columns for typical runs).
 */
import { formatCount, formatMicros, formatRate } from '../primitives/units.js';
import { modes } from '../engines/index.js';
import { modeLabel } from './format.js';
import type { DigestCheck, RunLimits } from '../primitives/results-schema.js';
import { floorShare, formatMultiple, formatShare, handoffMultiple } from './limits.js';
import { scenarioColumns, scenarioFooter } from './scenario-columns.js';
import type { RunSummary } from './summary.js';

type Align = 'left' | 'right';

interface Column {
  header: string;
  align: Align;
  cell: (summary: RunSummary, firstOfGroup: boolean) => string;
}

const COLUMN_GAP = '  ';
/** Shown in place of a latency when a configuration emitted nothing. */
const NO_VALUE = '-';

/** Summaries ordered by scenario (first appearance), then offered rate, then mode. */
function orderRows(summaries: readonly RunSummary[]): RunSummary[] {
  const scenarioRank = new Map<string, number>();
  for (const s of summaries) if (!scenarioRank.has(s.scenario)) scenarioRank.set(s.scenario, scenarioRank.size);
  return [...summaries].sort(
    (a, b) =>
      (scenarioRank.get(a.scenario) ?? 0) - (scenarioRank.get(b.scenario) ?? 0) ||
      a.offeredRate - b.offeredRate ||
      modes.rank(a.mode) - modes.rank(b.mode) ||
      a.mode.localeCompare(b.mode),
  );
}

/** The verdict cell for one scenario and rate: "✓ match", "✗ MISMATCH" or "n/a". */
export function digestVerdictCell(checks: readonly DigestCheck[], scenario: string, offeredRate: number): string {
  const check = checks.find((c) => c.scenario === scenario && c.offeredRate === offeredRate);
  if (check?.verdict === 'match') return '✓ match';
  if (check?.verdict === 'mismatch') return '✗ MISMATCH';
  return 'n/a';
}

/** The backlog cell: the status when not ok ("FAILED 1/3", "TIMEOUT"), then "dropped N" / "unprocessed N", or "drained". */
export function backlogCell(summary: RunSummary): string {
  const parts: string[] = [];
  if (summary.status === 'failed') parts.push(`FAILED ${summary.failedTrials}/${summary.trials}`);
  // When every trial failed there is no backlog figure worth showing.
  if (summary.failedTrials === summary.trials) return parts.join(' ');
  if (summary.status === 'timeout') parts.push('TIMEOUT');
  if (summary.sourceDropped > 0) parts.push(`dropped ${formatCount(summary.sourceDropped)}`);
  if (summary.unprocessed > 0) parts.push(`unprocessed ${formatCount(summary.unprocessed)}`);
  if (summary.sourceDropped === 0 && summary.unprocessed === 0) parts.push(summary.drained ? 'drained' : 'not drained');
  return parts.join(' ');
}

/** A latency cell: the value with its unit, or "-" when nothing was emitted. */
function latencyCell(summary: RunSummary, pick: (latency: RunSummary['latency']['eventTime']) => number): string {
  const eventTime = summary.latency.eventTime;
  return eventTime.count === 0 ? NO_VALUE : formatMicros(pick(eventTime));
}

/** The columns of the table, given the digest checks for the verdict column; scenario-specific ones go before backlog, the floors' after out/s. */
function columns(checks: readonly DigestCheck[], summaries: readonly RunSummary[], limits: RunLimits | undefined): Column[] {
  const base = baseColumns(checks);
  const floors: Column[] = limits
    ? [
        { header: 'of floor', align: 'right', cell: (s) => formatShare(floorShare(s, limits)) },
        { header: 'p50/hand-off', align: 'right', cell: (s) => formatMultiple(handoffMultiple(s, limits)) },
      ]
    : [];
  const afterOut = base.findIndex((col) => col.header === 'out/s') + 1;
  const withFloors = [...base.slice(0, afterOut), ...floors, ...base.slice(afterOut)];
  const at = withFloors.findIndex((col) => col.header === 'backlog');
  return [...withFloors.slice(0, at), ...scenarioColumns(summaries), ...withFloors.slice(at)];
}

/** The columns every table has. */
function baseColumns(checks: readonly DigestCheck[]): Column[] {
  return [
    { header: 'scenario', align: 'left', cell: (s, first) => (first ? s.scenario : '') },
    { header: 'rate', align: 'right', cell: (s, first) => (first ? formatRate(s.offeredRate) : '') },
    { header: 'mode', align: 'left', cell: (s) => modeLabel(s.mode, s.params) },
    { header: 'p50', align: 'right', cell: (s) => latencyCell(s, (l) => l.p50) },
    { header: 'p99', align: 'right', cell: (s) => latencyCell(s, (l) => l.p99) },
    { header: 'p99.9', align: 'right', cell: (s) => latencyCell(s, (l) => l.p99_9) },
    { header: 'max', align: 'right', cell: (s) => latencyCell(s, (l) => l.max) },
    { header: 'in/s', align: 'right', cell: (s) => formatRate(s.throughputIn) },
    { header: 'out/s', align: 'right', cell: (s) => formatRate(s.throughputOut) },
    { header: 'src lag p99', align: 'right', cell: (s) => formatMicros(s.generatorLagP99Us) },
    { header: 'backlog', align: 'left', cell: (s) => backlogCell(s) },
    {
      header: 'digest',
      align: 'left',
      cell: (s, first) => (first ? digestVerdictCell(checks, s.scenario, s.offeredRate) : ''),
    },
  ];
}

/** Display width of a cell (code points; every character used here is one column wide). */
function width(text: string): number {
  return [...text].length;
}

/** Pads a cell to `size` columns on the side its alignment calls for. */
function pad(text: string, size: number, align: Align): string {
  const fill = ' '.repeat(Math.max(0, size - width(text)));
  return align === 'left' ? text + fill : fill + text;
}

/** One line of cells, padded to the column widths, without trailing spaces. */
function renderLine(cells: readonly string[], widths: readonly number[], cols: readonly Column[]): string {
  return cells
    .map((cell, i) => pad(cell, widths[i], cols[i].align))
    .join(COLUMN_GAP)
    .trimEnd();
}

/** The footer: what the columns mean. */
function footer(summaries: readonly RunSummary[], limits: RunLimits | undefined): string[] {
  const trialCounts = [...new Set(summaries.map((s) => s.trials))];
  const [only] = trialCounts;
  const trials = trialCounts.length === 1 ? `${only} trial${only === 1 ? '' : 's'}` : 'all trials';
  return [
    `p50..max: event-time latency (emit − scheduled time) over ${trials}; in/s, out/s: records ÷ measured seconds.`,
    'src lag: the source\'s own lateness (append − scheduled); large means the offered rate was not delivered on time.',
    'backlog: drained | dropped N (source full) | unprocessed N (drain timed out).',
    'digest: same output across modes and trials (n/a: some run dropped, did not drain or failed, or only one run).',
    ...(limits
      ? [
          'of floor: out/s ÷ (the pipeline fused on one thread × workers), measured in this run; p50/hand-off: p50 ÷ a raw thread hand-off at the same record spacing (rates ≤ 100k/s).',
        ]
      : []),
    ...scenarioFooter(summaries),
  ];
}

/**
 * The terminal table: a header, one row per summary (ordered by scenario, rate and then
 * mode, scenario, rate and digest verdict printed on the first row of each scenario/rate),
 * a blank line between scenarios, and a footer explaining the columns. No trailing newline.
 */
export function renderTable(summaries: readonly RunSummary[], digestChecks: readonly DigestCheck[], limits?: RunLimits): string {
  const cols = columns(digestChecks, summaries, limits);
  const rows = orderRows(summaries);
  const cellRows = rows.map((summary, i) => {
    const previous = rows[i - 1];
    const first = !previous || previous.scenario !== summary.scenario || previous.offeredRate !== summary.offeredRate;
    return cols.map((col) => col.cell(summary, first));
  });
  const headers = cols.map((col) => col.header);
  const widths = cols.map((_, i) => Math.max(width(headers[i]), ...cellRows.map((cells) => width(cells[i]))));
  const lines = [renderLine(headers, widths, cols), renderLine(widths.map((w) => '-'.repeat(w)), widths, cols)];
  cellRows.forEach((cells, i) => {
    if (i > 0 && rows[i - 1].scenario !== rows[i].scenario) lines.push('');
    lines.push(renderLine(cells, widths, cols));
  });
  if (rows.length === 0) lines.push('(no runs)');
  return [...lines, '', ...footer(summaries, limits)].join('\n');
}
