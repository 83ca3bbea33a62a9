/**
 * The report's own stylesheet (uPlot's is inlined before it): readable on a laptop,
 * tables that scroll sideways rather than squeeze, and print rules (no navigation, charts
 * and tables kept whole on a page, histograms left out).
 */
export const REPORT_CSS = `
:root { --fg: #1a1a1a; --muted: #555; --line: #d9d9d9; --head: #f3f4f6; --bad: #a4001d; --good: #005a32; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--fg); background: #fff; }
header, main { max-width: 1200px; margin: 0 auto; padding: 0 20px; }
header { padding-top: 16px; border-bottom: 1px solid var(--line); }
h1 { font-size: 1.6rem; margin: 0 0 4px; }
h2 { font-size: 1.3rem; margin: 32px 0 8px; padding-bottom: 4px; border-bottom: 2px solid var(--fg); }
h3 { font-size: 1.1rem; margin: 24px 0 8px; }
h4 { font-size: 1rem; margin: 16px 0 6px; }
nav { margin: 8px 0 12px; }
nav a { margin-right: 14px; color: #0b57a4; text-decoration: none; }
nav a:hover { text-decoration: underline; }
.meta, .note { color: var(--muted); margin: 4px 0; }
.note { font-size: 0.9rem; }
.table-wrap { overflow-x: auto; margin: 8px 0; }
table { border-collapse: collapse; font-size: 0.88rem; }
th, td { padding: 4px 9px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
th { background: var(--head); font-weight: 600; white-space: nowrap; }
table.numeric td { white-space: nowrap; font-variant-numeric: tabular-nums; }
th.r, td.r { text-align: right; }
.swatch { display: inline-block; width: 11px; height: 11px; border-radius: 2px; margin-right: 6px; vertical-align: baseline; }
.delta { font-size: 0.8rem; margin-left: 2px; }
.delta.better { color: var(--good); }
.delta.worse { color: var(--bad); font-weight: 600; }
.delta.same { color: var(--muted); }
.bad { color: var(--bad); }
.good { color: var(--good); }
ul.digests, ul.files { margin: 8px 0; padding-left: 20px; }
figure.chart-block { margin: 16px 0 24px; break-inside: avoid; page-break-inside: avoid; }
figcaption strong { font-size: 1rem; display: block; }
figcaption .note { display: block; }
.chart { width: 100%; min-height: 120px; }
.uplot { font-family: inherit; }
.u-legend { font-size: 0.82rem; text-align: left; }
.u-legend .u-series > * { padding: 1px 4px; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.85em; }
code.b64 { display: block; max-width: 640px; word-break: break-all; white-space: normal; font-size: 0.75rem; }
details.histograms { margin: 12px 0; }
details.histograms summary { cursor: pointer; color: #0b57a4; }
footer { max-width: 1200px; margin: 32px auto; padding: 0 20px; color: var(--muted); font-size: 0.85rem; }
@media print {
  body { font-size: 10pt; }
  header, main, footer { max-width: none; padding: 0; }
  nav, details.histograms, .no-print { display: none; }
  h2 { break-before: auto; break-after: avoid; }
  h3, h4 { break-after: avoid; }
  table { font-size: 8pt; }
  .table-wrap { overflow: visible; }
  tr, figure.chart-block { break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
  .swatch, .uplot canvas { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  .uplot, .uplot canvas { max-width: 100%; }
}
`;
