/**
 * Cross-mode output check (DESIGN.md §3): every mode runs the same pipeline and must emit
 * the same output for the same scenario and seed, which the order-insensitive output
 * digest makes comparable. A mode that is fast but wrong is a failure, not a result.
 */
import { paramsLabel } from './format.js';
import type { DigestCheck, RunResult } from '../primitives/results-schema.js';

/** Groups runs by (scenario, offered rate), keeping the order in which each pair first appears. */
function groupByScenarioAndRate(runs: readonly RunResult[]): RunResult[][] {
  const groups = new Map<string, RunResult[]>();
  for (const run of runs) {
    const key = JSON.stringify([run.scenario, run.offeredRate]);
    const group = groups.get(key);
    if (group) group.push(run);
    else groups.set(key, [run]);
  }
  return [...groups.values()];
}

/** Whether a run's output is complete, so its digest can be compared: nothing dropped at the source or the sink, drained, status ok. */
export function isDigestComparable(run: RunResult): boolean {
  return run.sourceDropped === 0 && (run.sink?.dropped ?? 0) === 0 && run.drained && run.status === 'ok';
}

/** The label a run's digest is listed under: mode, every parameter, trial ("trigger workers=1 T=0ms #2"). */
export function digestLabel(run: RunResult): string {
  return `${run.mode} ${paramsLabel(run.params)} #${run.trial}`;
}

/** The verdict for the runs of one scenario at one rate. */
function verdictOf(runs: readonly RunResult[]): DigestCheck['verdict'] {
  if (runs.length < 2 || !runs.every(isDigestComparable)) return 'not comparable';
  const distinct = new Set(runs.map((run) => run.outputDigest));
  return distinct.size === 1 ? 'match' : 'mismatch';
}

/**
 * One check per (scenario, offered rate): compares the output digests of every mode and
 * trial that ran it. The verdict is
 * - 'not comparable' if any run dropped records at the source, did not drain, or did not
 *   end 'ok' (its output is incomplete by design), or if there is only one run (nothing
 *   to compare it with);
 * - 'mismatch' if the digests differ;
 * - 'match' otherwise.
 * `digests` maps each run's {@link digestLabel} to its digest.
 */
export function checkDigests(runs: readonly RunResult[]): DigestCheck[] {
  return groupByScenarioAndRate(runs).map((group) => ({
    scenario: group[0].scenario,
    offeredRate: group[0].offeredRate,
    verdict: verdictOf(group),
    digests: Object.fromEntries(group.map((run) => [digestLabel(run), run.outputDigest])),
  }));
}
