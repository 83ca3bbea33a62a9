/**
 * What a trial reports for the memory chapter: per-branch figures of a pipeline that forks
 * (each branch's digest, output and latency, pooled over the partitions), and the plan of the
 * pipeline the partition tasks run (the cache hint applied to a fork). Kept apart from
 * `run-trial.ts` so the common lifecycle stays short.
 */
import type { EngineReport } from '../engines/engine.js';
import { planLineage } from '../engines/operators/branch.js';
import type { OperatorSpec } from '../engines/operators/pipeline.js';
import { mergeBranchOutputs } from '../engines/partition/branch-sink.js';
import { formatDigest } from '../engines/partition/measuring-sink.js';
import { summarizeEncoded } from '../primitives/histogram.js';
import type { BranchFigures } from '../primitives/results-schema.js';
import type { Scenario } from '../scenarios/scenario.js';
import type { TrialSpec } from './trial-spec.js';

/** The pipeline the trial's partition tasks run: the scenario's, with the trial's cache hint applied to a fork. */
export function trialPipeline(scenario: Scenario, spec: TrialSpec): OperatorSpec[] {
  return planLineage(scenario.pipeline, spec.params.cache);
}

/** Each branch's figures, pooled over the partitions; undefined when the pipeline does not fork. */
export function branchFigures(report: EngineReport, durationSec: number): BranchFigures[] | undefined {
  const parts = report.partitions.flatMap((p) => (p.branches ? [p.branches] : []));
  if (parts.length === 0) return undefined;
  const pooled = parts.slice(1).reduce(mergeBranchOutputs, parts[0]);
  return pooled.map((branch) => ({
    name: branch.name,
    outputDigest: formatDigest(branch.digest),
    recordsOut: branch.emittedInWindow,
    throughputOut: branch.emittedInWindow / durationSec,
    latency: { eventTime: summarizeEncoded([branch.eventTime]), processingTime: summarizeEncoded([branch.processingTime]) },
  }));
}
