/**
 * The sweep's terminal summary: per scenario, mode and setting the sustainable throughput,
 * the latency there, and the knee (the first rate above it that failed, and why); then the
 * latency–throughput frontier and "for p99 under X, the most throughput is mode M at S".
 */
import { formatMicros, formatRate } from '../primitives/units.js';
import type { SweepPoint, SweepResult } from '../primitives/results-schema.js';
import { bestUnder } from '../runner/sweep/frontier.js';
import type { Slo } from '../runner/sweep/slo.js';

/** p99 bounds the summary answers for, without an SLO (µs). */
export const DEFAULT_P99_BOUNDS_US = [1000, 10_000, 100_000, 1_000_000];

/** The lowest probed rate above the sustainable one that failed, if any: where the curve breaks. */
export function kneeOf(sweep: SweepResult): SweepPoint | undefined {
  return sweep.points
    .filter((p) => !p.sustainable && p.offeredRate > sweep.sustainableThroughput)
    .sort((a, b) => a.offeredRate - b.offeredRate)[0];
}

function label(mode: string, setting: string): string {
  return setting ? `${mode} ${setting}` : mode;
}

/** One line per sweep. */
export function renderSweepLines(sweeps: readonly SweepResult[]): string[] {
  return sweeps.map((sweep) => {
    const at = sweep.latencyAtSustainable;
    const knee = kneeOf(sweep);
    const head = `${sweep.scenario.padEnd(9)} ${label(sweep.mode, sweep.setting).padEnd(30)} sustainable ${formatRate(sweep.sustainableThroughput).padStart(8)}`;
    const confirmed = sweep.sustainableThroughput > 0 && !sweep.confirmed ? ' (unconfirmed)' : '';
    const latency = at ? `  p50 ${formatMicros(at.p50)}  p99 ${formatMicros(at.p99)}` : '';
    // No failing probe above it: the search stopped at its --max-rate (or budget), not at the mode's ceiling.
    const kneeText = knee ? `  knee: ${formatRate(knee.offeredRate)} fails (${knee.reasons.join('; ')})` : sweep.sustainableThroughput > 0 ? '  no probe above it failed: the ceiling is higher (raise --max-rate)' : '';
    return `${head}${confirmed}${latency}  ${sweep.probes} probes${kneeText}`;
  });
}

/** The frontier of each scenario and the best-under-bound answers. */
export function renderFrontierLines(frontier: readonly { scenario: string; points: SweepPoint[] }[], slo?: Slo): string[] {
  const lines: string[] = [];
  for (const { scenario, points } of frontier) {
    if (points.length === 0) {
      lines.push(`${scenario} frontier: no sustainable point`);
      continue;
    }
    lines.push(`${scenario} frontier (throughput out @ p99): ${points.map((p) => `${label(p.mode, p.setting)} ${formatRate(p.throughputOut)} @ ${formatMicros(p.p99)}`).join(' → ')}`);
    if (slo && slo.percentile !== 'p99') {
      const best = points.reduce((a, b) => (b.throughputOut > a.throughputOut ? b : a));
      lines.push(`  meeting SLO ${slo.text}, the most throughput is ${label(best.mode, best.setting)}: ${formatRate(best.throughputOut)} out`);
    }
    const bounds = slo?.percentile === 'p99' ? [slo.boundUs + (slo.inclusive ? 1 : 0)] : DEFAULT_P99_BOUNDS_US;
    for (const bound of bounds) {
      const best = bestUnder(points, bound);
      const text = slo?.percentile === 'p99' ? slo.text : `p99 under ${formatMicros(bound)}`;
      lines.push(best ? `  for ${text}, the most throughput is ${label(best.mode, best.setting)}: ${formatRate(best.throughputOut)} out (offered ${formatRate(best.offeredRate)}, p99 ${formatMicros(best.p99)})` : `  for ${text}: no sustainable setting`);
    }
  }
  return lines;
}

/** The whole summary. */
export function renderSweepSummary(sweeps: readonly SweepResult[], frontier: readonly { scenario: string; points: SweepPoint[] }[], slo?: Slo): string {
  return [...renderSweepLines(sweeps), ...renderFrontierLines(frontier, slo)].join('\n');
}
