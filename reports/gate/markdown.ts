/**
 * The gate's markdown summary (for `$GITHUB_STEP_SUMMARY` and `<out>/gate-summary.md`):
 * the decision, a table with every metric's baseline, current value, change, interval,
 * p-value and verdict, one explaining line per metric, and the machine calibration then and now.
 */
import { formatMicros, formatRate } from '../../primitives/units.js';
import type { Baseline } from './baseline.js';
import type { GateOutcome, GateVerdict } from './gate.js';
import type { Calibration } from './sample-set.js';
import { median } from './statistics.js';
import type { GateSuite } from './suite.js';
import { formatChange, formatP, formatValue } from './verdict.js';

/** What the summary is about besides the outcome. */
export interface SummaryContext {
  suite: GateSuite;
  baselinePath: string;
  baseline: Baseline;
  trials: number;
  elapsedSec: number;
}

const ICON = { regressed: '❌', improved: '🚀', unchanged: '✅', inconclusive: '⚠️' } as const;

/** The markdown summary of a gate run. */
export function renderGateMarkdown(outcome: GateOutcome, context: SummaryContext): string {
  const { suite, baseline } = context;
  const regressed = outcome.verdicts.filter((v) => !v.reportOnly && v.final === 'regressed').length;
  const inconclusive = outcome.verdicts.filter((v) => v.final === 'inconclusive').length;
  const lines = [
    `## streambench performance gate: ${outcome.passed ? '✅ passed' : `❌ ${regressed} regression${regressed === 1 ? '' : 's'}`}${inconclusive > 0 ? ` (⚠️ ${inconclusive} inconclusive: machine busy)` : ''}`,
    '',
    `Suite \`${suite.name}\` (${suite.description || 'no description'}) against \`${context.baselinePath}\` (suite \`${baseline.suite}\`, recorded ${baseline.createdAt}, git ${baseline.environment.gitSha.slice(0, 10)}, ${baseline.environment.cpuModel}).`,
    `${context.trials} trials per metric (baseline ${baseline.trials}); a change counts only when Mann-Whitney p < ${suite.alpha} **and** |change of medians| ≥ the metric's minimum effect; a suspected regression is re-run and must reproduce. Took ${Math.round(context.elapsedSec)} s.`,
    '',
    '| metric | better | baseline | current | change | 95% CI | p | min effect | verdict |',
    '| --- | --- | ---: | ---: | ---: | --- | ---: | ---: | --- |',
    ...outcome.verdicts.map(row),
    '',
    '<details><summary>Why each verdict</summary>',
    '',
    ...outcome.verdicts.map((v) => `- **${escape(v.metric)}** — ${v.explanation}${v.confirmation ? `. Confirmation re-run: ${v.confirmation.explanation}` : ''}${v.note ? `. ⚠️ ${v.note}` : ''}${busyNote(outcome, v.metric)}`),
    '',
    '</details>',
    '',
    ...calibrationLines(baseline.calibration, outcome.measured.calibration),
  ];
  return `${lines.join('\n')}\n`;
}

function row(v: GateVerdict): string {
  const ci = `${formatChange(v.interval.low)} … ${formatChange(v.interval.high)}`;
  let verdict = v.reportOnly ? `ℹ️ ${v.final} (report only)` : `${ICON[v.final]} ${v.final}`;
  if (v.confirmation) {
    const how = { regressed: 'confirmed', inconclusive: 'reproduced on a busy machine', unchanged: 'suspected, not reproduced', improved: '' }[v.final];
    verdict = `${verdict} (${how}: ${formatChange(v.confirmation.change)}, p ${formatP(v.confirmation.p)})`;
  }
  return `| ${escape(v.metric)} | ${v.better} | ${formatValue(v.baseline.median)} | ${formatValue(v.current.median)} | ${formatChange(v.change)} | ${ci} | ${formatP(v.p)} | ${Math.round(v.minEffect * 100)}% | ${verdict} |`;
}

/** Calibration figures (medians over rounds) of the baseline, and of this run when given. */
function calibrationLines(then: Calibration, now?: Calibration): string[] {
  const pair = (figure: (calibration: Calibration) => string): string => (now ? `${figure(then)} → ${figure(now)}` : figure(then));
  const latest = now ?? then;
  const lines = [`Machine calibration (references measured in the same job, medians over its rounds; metrics are ratios to them)${now ? ', baseline → now' : ''}:`, ''];
  lines.push(`- CPU-cost loop: ${pair((c) => c.cpuIterationsPerUs.toFixed(0))} iterations/µs`);
  for (const scenario of new Set(latest.rounds.flatMap((round) => Object.keys(round.fused)))) {
    const figure = (c: Calibration): string => formatRate(median(c.rounds.map((round) => round.fused[scenario]).filter((v) => v !== undefined)));
    lines.push(`- fused single-thread \`${scenario}\` loop: ${pair(figure)}`);
  }
  for (const spacing of new Set(latest.rounds.flatMap((round) => round.handoff.map((h) => h.spacingUs)))) {
    const figure = (c: Calibration): string => formatMicros(median(c.rounds.flatMap((round) => round.handoff.filter((h) => h.spacingUs === spacing).map((h) => h.oneWay.p50))));
    lines.push(`- thread hand-off (MessagePort, one ping per ${formatMicros(spacing)}), one-way p50: ${pair(figure)}`);
  }
  return lines;
}

/** " (machine busy: …)" when other processes used CPU during the metric's trials. */
function busyNote(outcome: GateOutcome, metric: string): string {
  const busy = [...(outcome.measured.contention?.[metric] ?? []), ...(outcome.confirmation?.contention?.[metric] ?? [])];
  if (busy.length === 0) return '';
  return `. Other processes' CPU during its trials: median ${median(busy).toFixed(2)}, max ${Math.max(...busy).toFixed(2)} cores`;
}

function escape(text: string): string {
  return text.replaceAll('|', '\\|');
}

/** The markdown written when a baseline is recorded: each metric's median and spread. */
export function renderBaselineMarkdown(baseline: Baseline, path: string, elapsedSec: number): string {
  const lines = [
    `## streambench gate baseline recorded: \`${path}\``,
    '',
    `Suite \`${baseline.suite}\`, ${baseline.trials} trials per metric, git ${baseline.environment.gitSha.slice(0, 10)}, ${baseline.environment.cpuModel}; took ${Math.round(elapsedSec)} s.`,
    '',
    '| metric | better | median | min | max |',
    '| --- | --- | ---: | ---: | ---: |',
    ...Object.entries(baseline.metrics).map(([name, m]) => `| ${escape(name)} | ${m.better} | ${formatValue(m.median)} | ${formatValue(Math.min(...m.samples))} | ${formatValue(Math.max(...m.samples))} |`),
    '',
    ...calibrationLines(baseline.calibration),
  ];
  return `${lines.join('\n')}\n`;
}
