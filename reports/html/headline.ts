/**
 * Section 1 of the report: the headline table (modes side by side, with deltas against the
 * first file when several are compared), sustainable throughput from sweeps, whether the
 * modes' output digests agree, and the environment each file was measured in.
 */
import { formatMicros, formatRate } from '../../primitives/units.js';
import { modeLabel } from '../format.js';
import type { ResultsFile, SweepResult } from '../../primitives/results-schema.js';
import { backlogCell, digestVerdictCell } from '../table.js';
import { escapeHtml, htmlTable } from './html.js';
import { configKey } from './model.js';
import type { ConfigSummary, ReportInput } from './model.js';
import type { ModePalette } from './palette.js';

/** Relative change below which a delta is shown muted, as noise rather than better or worse. */
const NOISE = 0.02;

/** A colour swatch and the mode label, for a table cell. */
export function modeCell(summary: Pick<ConfigSummary, 'mode' | 'params'>, palette: ModePalette): string {
  return `<span class="swatch" style="background:${palette.color(summary.mode)}"></span>${escapeHtml(modeLabel(summary.mode, summary.params))}`;
}

/** The change from `base` to `value` as a marked-up percentage; `higherIsBetter` picks which way is an improvement. */
export function deltaCell(value: number, base: number, higherIsBetter: boolean): string {
  if (!(base > 0) || !Number.isFinite(value)) return '';
  const change = value / base - 1;
  const text = `${change >= 0 ? '+' : '−'}${Math.abs(change * 100).toFixed(Math.abs(change) < 0.1 ? 1 : 0)}%`;
  if (Math.abs(change) < NOISE) return ` <span class="delta same" title="within ±${NOISE * 100}%">${text}</span>`;
  const better = change > 0 === higherIsBetter;
  const arrow = change > 0 ? '▲' : '▼';
  return ` <span class="delta ${better ? 'better' : 'worse'}" title="${better ? 'better' : 'worse'} than the first file">${arrow} ${text}</span>`;
}

/** The best sustainable throughput of a mode in a file's sweeps, over its settings. */
function bestSweep(file: ResultsFile, scenario: string, mode: string): SweepResult | undefined {
  return (file.sweeps ?? [])
    .filter((s) => s.scenario === scenario && s.mode === mode)
    .reduce<SweepResult | undefined>((best, s) => (!best || s.sustainableThroughput > best.sustainableThroughput ? s : best), undefined);
}

/** A sustainable-throughput cell: "12.3k/s (T=100ms)", with "unconfirmed" when the re-run did not confirm it. */
function sustainableCell(sweep: SweepResult | undefined): string {
  if (!sweep) return '—';
  const setting = sweep.setting ? ` (${escapeHtml(sweep.setting)})` : '';
  return `${formatRate(sweep.sustainableThroughput)}${setting}${sweep.confirmed ? '' : ' <em>unconfirmed</em>'}`;
}

/** The headline table: one row per configuration and file, deltas against the first file's same configuration. */
export function headlineTable(inputs: readonly ReportInput[], summaries: readonly ConfigSummary[], palette: ModePalette): string {
  const compare = inputs.length > 1;
  const withSweeps = inputs.some((input) => (input.file.sweeps ?? []).length > 0);
  const baseline = new Map(summaries.filter((s) => s.fileIndex === 0).map((s) => [configKey(s), s]));
  const head = [
    ...(compare ? ['file'] : []),
    'scenario',
    'rate',
    'mode',
    'p50',
    'p99',
    'p99.9',
    'max',
    'in/s',
    'out/s',
    ...(withSweeps ? ['sustainable'] : []),
    'backlog',
    'digest',
  ];
  const rows = summaries.map((s) => {
    const base = s.fileIndex > 0 ? baseline.get(configKey(s)) : undefined;
    const lat = s.latency.eventTime;
    const latency = (pick: (l: typeof lat) => number): string =>
      lat.count === 0 ? '-' : `${formatMicros(pick(lat))}${base && base.latency.eventTime.count > 0 ? deltaCell(pick(lat), pick(base.latency.eventTime), false) : ''}`;
    const rate = (value: number, baseValue: number | undefined): string => `${formatRate(value)}${baseValue !== undefined ? deltaCell(value, baseValue, true) : ''}`;
    const file = inputs[s.fileIndex].file;
    return [
      ...(compare ? [escapeHtml(s.fileLabel)] : []),
      escapeHtml(s.scenario),
      formatRate(s.offeredRate),
      modeCell(s, palette),
      latency((l) => l.p50),
      latency((l) => l.p99),
      latency((l) => l.p99_9),
      latency((l) => l.max),
      rate(s.throughputIn, base?.throughputIn),
      rate(s.throughputOut, base?.throughputOut),
      ...(withSweeps ? [sustainableCell(bestSweep(file, s.scenario, s.mode))] : []),
      escapeHtml(backlogCell(s)),
      escapeHtml(digestVerdictCell(file.digestChecks, s.scenario, s.offeredRate)),
    ];
  });
  const legend = compare ? `<p class="note">Deltas compare each file with the first (${escapeHtml(inputs[0].label)}): ▲/▼ up/down, marked better or worse; changes under ${NOISE * 100}% are shown muted as noise.</p>` : '';
  const first = head.indexOf('p50');
  const right = new Set(Array.from({ length: head.indexOf('out/s') - first + 1 }, (_, i) => first + i));
  return `${htmlTable(head, rows, 'headline numeric', right)}${legend}`;
}

/** The sweeps table: sustainable throughput and the latency there, per file, scenario, mode and setting. */
export function sweepsTable(inputs: readonly ReportInput[], palette: ModePalette): string {
  const compare = inputs.length > 1;
  const rows = inputs.flatMap((input) =>
    (input.file.sweeps ?? []).map((s) => [
      ...(compare ? [escapeHtml(input.label)] : []),
      escapeHtml(s.scenario),
      `<span class="swatch" style="background:${palette.color(s.mode)}"></span>${escapeHtml(s.mode)}`,
      escapeHtml(s.setting || '(defaults)'),
      sustainableCell(s),
      s.latencyAtSustainable ? formatMicros(s.latencyAtSustainable.p50) : '—',
      s.latencyAtSustainable ? formatMicros(s.latencyAtSustainable.p99) : '—',
      String(s.probes),
    ]),
  );
  if (rows.length === 0) return '';
  const head = [...(compare ? ['file'] : []), 'scenario', 'mode', 'setting', 'sustainable throughput', 'p50 there', 'p99 there', 'probes'];
  return `<h3>Sustainable throughput (sweeps)</h3>${htmlTable(head, rows, 'numeric')}`;
}

/** One line per file saying whether the modes' outputs agreed, then each check. */
export function digestSummary(inputs: readonly ReportInput[]): string {
  const compare = inputs.length > 1;
  const lines = inputs.map((input) => {
    const checks = input.file.digestChecks;
    const mismatches = checks.filter((c) => c.verdict === 'mismatch');
    const matches = checks.filter((c) => c.verdict === 'match').length;
    const name = compare ? `${escapeHtml(input.label)}: ` : '';
    if (mismatches.length > 0) {
      const where = mismatches.map((c) => `${escapeHtml(c.scenario)} @ ${formatRate(c.offeredRate)}`).join(', ');
      return `<li class="bad">${name}✗ OUTPUT MISMATCH in ${where} — a mode that is fast but wrong is a failure.</li>`;
    }
    if (matches > 0) return `<li class="good">${name}✓ all modes produced the same output (${matches} of ${checks.length} checks comparable, all match).</li>`;
    return `<li>${name}digests not comparable (some run dropped records, did not drain, or only one mode ran).</li>`;
  });
  return `<ul class="digests">${lines.join('')}</ul>`;
}

/** The environment of each file, files as columns. */
export function environmentTable(inputs: readonly ReportInput[]): string {
  const option = (file: ResultsFile, name: string): string => (file.options[name] === undefined ? '—' : escapeHtml(String(file.options[name])));
  const fields: [string, (file: ResultsFile) => string][] = [
    ['Node', (f) => escapeHtml(`${f.environment.node} (V8 ${f.environment.v8})`)],
    ['CPU', (f) => escapeHtml(f.environment.cpuModel)],
    ['cores', (f) => String(f.environment.cores)],
    ['memory', (f) => `${Math.round(f.environment.totalMemoryMb / 1024)} GiB`],
    ['OS', (f) => escapeHtml(`${f.environment.os} ${f.environment.arch}`)],
    ['git SHA', (f) => `<code>${escapeHtml(f.environment.gitSha)}</code>`],
    ['date', (f) => escapeHtml(f.createdAt)],
    ['seed', (f) => option(f, 'seed')],
    ['duration / warm-up', (f) => `${option(f, 'durationSec')} s / ${option(f, 'warmupSec')} s`],
    ['trials', (f) => option(f, 'trials')],
  ];
  const head = ['', ...inputs.map((input) => escapeHtml(input.label))];
  return htmlTable(head, fields.map(([name, cell]) => [`<strong>${name}</strong>`, ...inputs.map((input) => cell(input.file))]), 'environment');
}
