/**
 * Batch figures (section 4, batch modes) and run details (section 5): every trial's
 * parameters and figures, the spread across trials, links to the CSV files next to each
 * results file, and the raw histograms.
 */
import { formatCount, formatMicros, formatRate } from '../../primitives/units.js';
import { modeLabel, paramsLabel } from '../format.js';
import { floorShare, formatMultiple, formatShare, handoffMultiple } from '../limits.js';
import type { LatencySummary, RunLimits, RunResult } from '../../primitives/results-schema.js';
import { escapeHtml, htmlTable } from './html.js';
import type { ConfigSummary, ReportInput } from './model.js';
import type { ModePalette } from './palette.js';
import { modeCell } from './headline.js';

/** CSV files written next to results.json, with what each holds. */
const CSV_FILES: [name: string, what: string][] = [
  ['summary.csv', 'one row per configuration, pooled over trials'],
  ['percentiles.csv', 'event-time latency percentiles per trial'],
  ['timeline.csv', '100 ms timelines per trial'],
];

/** "p50 / p99 / max" of a latency summary. */
function spread(summary: LatencySummary | undefined): string {
  if (!summary || summary.count === 0) return '—';
  return `${formatMicros(summary.p50)} / ${formatMicros(summary.p99)} / ${formatMicros(summary.max)}`;
}

/** The trial's label within its configuration. */
function trialLabel(summary: ConfigSummary, run: RunResult): string {
  return summary.runs.length > 1 ? ` #${run.trial + 1}` : '';
}

/** The batch figures of the batch-mode runs of one scenario and rate; '' when there are none. */
export function batchTable(summaries: readonly ConfigSummary[], palette: ModePalette, compare: boolean): string {
  const rows = summaries.flatMap((s) =>
    s.runs.flatMap((run) => {
      const b = run.batches;
      if (!b) return [];
      return [
        [
          ...(compare ? [escapeHtml(s.fileLabel)] : []),
          `${modeCell(s, palette)}${trialLabel(s, run)}`,
          formatCount(b.count),
          `${formatCount(b.size.mean)} / ${formatCount(b.size.p50)} / ${formatCount(b.size.max)}`,
          spread(b.schedulingDelay),
          spread(b.processing),
          spread(b.tickLateness),
          formatCount(b.overruns),
        ],
      ];
    }),
  );
  if (rows.length === 0) return '';
  const head = [...(compare ? ['file'] : []), 'mode', 'batches', 'size mean / p50 / max', 'scheduling delay p50 / p99 / max', 'processing p50 / p99 / max', 'tick lateness p50 / p99 / max', 'overruns'];
  return `<h4>Batches</h4>${htmlTable(head, rows, 'numeric')}`;
}

/** Links to the CSV files of one input, or a note that they are not linked. */
function csvLinks(input: ReportInput): string {
  if (input.csvHref === undefined) return '<p class="note">CSV files were not found next to this results file.</p>';
  const items = CSV_FILES.map(([name, what]) => `<li><a href="${escapeHtml(input.csvHref + name)}">${name}</a> — ${what}</li>`);
  if (input.file.sweeps) items.push(`<li><a href="${escapeHtml(`${input.csvHref}sweep.csv`)}">sweep.csv</a> — every sweep probe with its verdict and reasons</li>`);
  items.push(`<li><a href="${escapeHtml(`${input.csvHref}results.json`)}">results.json</a> — every figure of every run</li>`);
  return `<ul class="files">${items.join('')}</ul>`;
}

/** Every trial of one input, one row each. */
function runsTable(summaries: readonly ConfigSummary[], palette: ModePalette, limits: RunLimits | undefined): string {
  const head = ['scenario', 'mode', 'params', 'rate', 'trial', 'status', 'offered / in / out', 'in/s', 'out/s', 'of floor × workers', 'p50 ÷ hand-off', 'latency p50 / p99 / max', 'processing-time p99', 'source lag p99', 'dropped / late / unprocessed', 'drained', 'epochs', 'engine CPU µs/record', 'generator CPU share', 'peak RSS', 'digest'];
  const rows = summaries.flatMap((s) =>
    s.runs.map((run) => [
      escapeHtml(run.scenario),
      modeCell(run, palette),
      escapeHtml(paramsLabel(run.params)),
      formatRate(run.offeredRate),
      String(run.trial + 1),
      run.status === 'ok' ? 'ok' : `<strong class="bad">${escapeHtml(run.status)}</strong>${run.error ? `: ${escapeHtml(run.error)}` : ''}`,
      `${formatCount(run.recordsOffered)} / ${formatCount(run.recordsIn)} / ${formatCount(run.recordsOut)}`,
      formatRate(run.throughputIn),
      formatRate(run.throughputOut),
      formatShare(floorShare(run, limits)),
      formatMultiple(handoffMultiple(run, limits)),
      spread(run.latency.eventTime),
      run.latency.processingTime.count > 0 ? formatMicros(run.latency.processingTime.p99) : '—',
      run.generatorLag.count > 0 ? formatMicros(run.generatorLag.p99) : '—',
      `${formatCount(run.sourceDropped)} / ${formatCount(run.lateDropped)} / ${formatCount(run.unprocessed)}`,
      run.drained ? 'yes' : '<strong class="bad">no</strong>',
      run.epochs === undefined ? '—' : String(run.epochs),
      run.resources ? run.resources.cpuUsPerRecord.toFixed(2) : '—',
      run.resources?.harnessCpuShare !== undefined ? `${Math.round(run.resources.harnessCpuShare * 100)}%` : '—',
      run.resources ? `${Math.round(run.resources.peakRssMb)} MiB` : '—',
      `<code>${escapeHtml(run.outputDigest)}</code>`,
    ]),
  );
  return htmlTable(head, rows, 'numeric runs');
}

/** The spread of figures across the trials of each configuration with more than one trial. */
function trialSpread(summaries: readonly ConfigSummary[], palette: ModePalette): string {
  const multi = summaries.filter((s) => s.runs.length > 1);
  if (multi.length === 0) return '<p class="note">One trial per configuration: no spread across trials to show (use <code>--trials N</code>).</p>';
  const range = (values: number[], format: (v: number) => string): string => `${format(Math.min(...values))} – ${format(Math.max(...values))}`;
  const rows = multi.map((s) => {
    const measured = s.runs.filter((run) => run.latency.eventTime.count > 0);
    const p = (pick: (l: LatencySummary) => number): string => (measured.length > 0 ? range(measured.map((run) => pick(run.latency.eventTime)), formatMicros) : '—');
    return [escapeHtml(s.scenario), formatRate(s.offeredRate), modeCell(s, palette), String(s.trials), range([s.throughputOutMin, s.throughputOutMax], formatRate), p((l) => l.p50), p((l) => l.p99), p((l) => l.max)];
  });
  return `<h4>Spread across trials</h4>${htmlTable(['scenario', 'rate', 'mode', 'trials', 'out/s', 'p50', 'p99', 'max'], rows, 'numeric')}`;
}

/** The encoded histograms of every trial, folded away. */
function histograms(summaries: readonly ConfigSummary[]): string {
  const rows = summaries.flatMap((s) =>
    s.runs.flatMap((run) => {
      const label = `${run.scenario} ${modeLabel(run.mode, run.params)} @ ${formatRate(run.offeredRate)} trial ${run.trial + 1}`;
      const kinds: [string, LatencySummary][] = [
        ['event time', run.latency.eventTime],
        ['processing time', run.latency.processingTime],
        ['source lag', run.generatorLag],
      ];
      return kinds.map(([kind, summary]) => [escapeHtml(label), kind, formatCount(summary.count), `<code class="b64">${escapeHtml(summary.histogram)}</code>`]);
    }),
  );
  return `<details class="histograms"><summary>Raw histograms (HdrHistogram compressed base64, µs; readable by every HdrHistogram port)</summary>${htmlTable(['run', 'latency', 'count', 'histogram'], rows)}</details>`;
}

/** Section 5 for one input: files, runs, trial spread and histograms. */
export function runDetails(input: ReportInput, summaries: readonly ConfigSummary[], palette: ModePalette, compare: boolean): string {
  const heading = compare ? `<h3>${escapeHtml(input.label)}</h3>` : '';
  return `${heading}${csvLinks(input)}${runsTable(summaries, palette, input.file.limits)}${trialSpread(summaries, palette)}${histograms(summaries)}`;
}
