/**
 * The self-contained HTML report: one page with uPlot, the styles, the chart data and the
 * page script inlined, so it opens from disk with no server and no network. Sections:
 * headline (table, sweeps, digests, environment), percentile spectrum, latency–throughput
 * (when there are sweeps or several rates per mode), timelines (with batch figures), run
 * details.
 */
import { formatRate } from '../../primitives/units.js';
import type { ReportAssets } from './assets.js';
import { buildCharts } from './charts-data.js';
import type { ChartSpec } from './chart-spec.js';
import { CLIENT_SCRIPT, DATA_ELEMENT_ID } from './client.js';
import { batchTable, runDetails } from './details.js';
import { digestSummary, environmentTable, headlineTable, sweepsTable } from './headline.js';
import { escapeHtml, jsonForScript, scriptForInline, styleForInline } from './html.js';
import { summarizeInputs } from './model.js';
import type { ReportInput } from './model.js';
import { ModePalette } from './palette.js';
import { branchTable, priorityTable, recoveryTable, resourcesTable, spillTable } from './scenario-tables.js';
import { REPORT_CSS } from './styles.js';

export type { ReportInput } from './model.js';

/** The placeholder a chart is drawn into, with its title and note. */
function chartBlock(chart: ChartSpec): string {
  return [
    `<figure class="chart-block">`,
    `<figcaption><strong>${escapeHtml(chart.title)}</strong><span class="note">${escapeHtml(chart.note)}</span></figcaption>`,
    `<div class="chart" id="chart-${escapeHtml(chart.id)}" data-series="${chart.series.length}"></div>`,
    `</figure>`,
  ].join('');
}

/** A section with an id for the navigation. */
function section(id: string, title: string, body: string): string {
  return `<section id="${id}"><h2>${escapeHtml(title)}</h2>\n${body}\n</section>`;
}

/**
 * Builds the page for one results file, or several overlaid for comparison (series and rows
 * labelled with each input's label, deltas against the first). Throws if no input has a run.
 */
export function renderReport(inputs: readonly ReportInput[], assets: ReportAssets): string {
  if (inputs.length === 0 || inputs.every((input) => input.file.runs.length === 0)) {
    throw new Error('nothing to report: the results files hold no runs');
  }
  const palette = new ModePalette();
  const summaries = summarizeInputs(inputs);
  const charts = buildCharts(inputs, summaries, palette);
  const compare = inputs.length > 1;

  const sections: [id: string, title: string, body: string][] = [
    ['headline', 'Headline', `${headlineTable(inputs, summaries, palette)}${sweepsTable(inputs, palette)}<h3>Output digests</h3>${digestSummary(inputs)}<h3>Environment</h3>${environmentTable(inputs)}`],
    ['spectrum', 'Percentile spectrum', charts.spectrum.map(chartBlock).join('\n') || '<p class="note">No run emitted any record.</p>'],
  ];
  if (charts.frontier.length > 0) sections.push(['frontier', 'Latency–throughput', charts.frontier.map(chartBlock).join('\n')]);
  sections.push([
    'timelines',
    'Timelines',
    charts.timelines
      .map((group) => {
        const groupSummaries = summaries.filter((s) => s.scenario === group.scenario && s.offeredRate === group.offeredRate);
        return `<h3>${escapeHtml(group.scenario)} @ ${formatRate(group.offeredRate)}</h3>${group.charts.map(chartBlock).join('\n')}${batchTable(groupSummaries, palette, compare)}${recoveryTable(groupSummaries, palette, compare)}${priorityTable(groupSummaries, palette, compare)}${branchTable(groupSummaries, palette, compare)}${spillTable(groupSummaries, palette, compare)}${resourcesTable(groupSummaries, palette, compare)}`;
      })
      .join('\n'),
  ]);
  sections.push(['details', 'Run details', inputs.map((input, i) => runDetails(input, summaries.filter((s) => s.fileIndex === i), palette, compare)).join('\n')]);

  const allCharts = [...charts.spectrum, ...charts.frontier, ...charts.timelines.flatMap((g) => g.charts)];
  const labels = inputs.map((input) => input.label).join(' vs ');
  const created = inputs.map((input) => `${escapeHtml(input.label)}: ${escapeHtml(input.file.createdAt)}`).join(' · ');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>streambench report — ${escapeHtml(labels)}</title>
<style>${styleForInline(assets.uplotCss)}</style>
<style>${REPORT_CSS}</style>
</head>
<body>
<header>
<h1>streambench report</h1>
<p class="meta">${compare ? `Comparing ${escapeHtml(labels)} · ` : ''}${created}</p>
<nav>${sections.map(([id, title]) => `<a href="#${id}">${escapeHtml(title)}</a>`).join('')}</nav>
</header>
<main>
<noscript><p class="bad">The charts need JavaScript; the tables below are complete without it.</p></noscript>
${sections.map(([id, title, body]) => section(id, title, body)).join('\n')}
</main>
<footer>Latencies are event-time (emit − scheduled time) in µs-resolution HdrHistograms; throughput is records ÷ measured seconds. Written by streambench.</footer>
<script>${scriptForInline(assets.uplotJs)}</script>
<script type="application/json" id="${DATA_ELEMENT_ID}">${jsonForScript({ charts: allCharts })}</script>
<script>${scriptForInline(CLIENT_SCRIPT)}</script>
</body>
</html>
`;
}
