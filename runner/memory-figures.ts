/**
 * What a trial does and reports for the memory chapter: the plan of the pipeline the
 * partition tasks run (the cache hint applied to a fork, state budgeted under a memory budget),
 * the trial's spill folder, per-branch figures of a pipeline that forks (each branch's digest,
 * output and latency, pooled over the partitions), and what spilled (records, bytes, time,
 * event-time latency of the output emitted while a store was busy against the rest). Kept
 * apart from `run-trial.ts` so the common lifecycle stays short.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EngineReport } from '../engines/engine.js';
import { planLineage } from '../engines/operators/branch.js';
import type { OperatorSpec } from '../engines/operators/pipeline.js';
import { mergeBranchOutputs } from '../engines/partition/branch-sink.js';
import { formatDigest } from '../engines/partition/measuring-sink.js';
import { planBudget } from '../engines/operators/budget-plan.js';
import type { SpillFigures, SpillSettings } from '../engines/state/spill-store.js';
import { summarizeEncoded } from '../primitives/histogram.js';
import type { BranchFigures, SpillRunFigures } from '../primitives/results-schema.js';
import type { Scenario } from '../scenarios/scenario.js';
import type { TrialSpec } from './trial-spec.js';

/** The pipeline the trial's partition tasks run: the scenario's, with the trial's cache hint applied to a fork, and its state budgeted under a memory budget. */
export function trialPipeline(scenario: Scenario, spec: TrialSpec): OperatorSpec[] {
  return planBudget(planLineage(scenario.pipeline, spec.params.cache), spec.params.memoryBudgetBytes);
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

/** Spill folders are named after the trial process, so the parent can remove those a killed trial left behind. */
const SPILL_PREFIX = 'streambench-spill-';

/** Removes the spill folders trial process `pid` made for `spec` (after it exited; nothing without a budget). */
export function removeSpillDirsOf(spec: TrialSpec, pid: number): void {
  if (spec.params.memoryBudgetBytes === undefined) return;
  const root = spec.spillDir ?? tmpdir();
  try {
    for (const name of readdirSync(root)) if (name.startsWith(`${SPILL_PREFIX}${pid}-`)) rmSync(join(root, name), { recursive: true, force: true });
  } catch {
    // Nothing to remove, or not ours to read.
  }
}

/** The trial's spill folder (made inside --spill-dir, or the system's temporary folder) and the task settings for it; undefined without a budget. */
export function openTrialSpill(spec: TrialSpec): { settings: SpillSettings; remove(): void } | undefined {
  if (spec.params.memoryBudgetBytes === undefined) return undefined;
  let dir: string;
  try {
    dir = mkdtempSync(join(spec.spillDir ?? tmpdir(), `${SPILL_PREFIX}${process.pid}-`));
  } catch (error) {
    const where = spec.spillDir ? `--spill-dir ${spec.spillDir}` : `the temporary folder ${tmpdir()}`;
    throw new Error(`${where}: cannot make the trial's spill folder (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  return {
    settings: { dir, ...(spec.spillDir ? { named: spec.spillDir } : {}) },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Anonymous resident memory of this process now, bytes (Linux: RssAnon in /proc/self/status); undefined elsewhere. */
export function rssAnonBytes(): number | undefined {
  try {
    const match = /^RssAnon:\s+(\d+)\s*kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** The run's spill figures: every partition's store together, and the latency of the output emitted while a store was busy against the rest. */
export function spillFigures(spec: TrialSpec, report: EngineReport): SpillRunFigures | undefined {
  const parts = report.partitions.flatMap((p) => (p.spill ? [p.spill] : []));
  if (parts.length === 0 || spec.params.memoryBudgetBytes === undefined) return undefined;
  const sum = (pick: (f: SpillFigures) => number): number => parts.reduce((total, f) => total + pick(f), 0);
  const latencies = report.partitions.flatMap((p) => (p.spillLatency ? [p.spillLatency] : []));
  return {
    budgetBytes: spec.params.memoryBudgetBytes,
    spilledRecords: sum((f) => f.spilledRecords),
    spilledBytes: sum((f) => f.spilledBytes),
    spillMs: sum((f) => f.spillUs) / 1000,
    readBackRecords: sum((f) => f.readBackRecords),
    readBackBytes: sum((f) => f.readBackBytes),
    lookups: sum((f) => f.lookups),
    readBackMs: sum((f) => f.readBackUs) / 1000,
    diskBytes: sum((f) => f.diskBytes),
    peakHotEntries: sum((f) => f.peakHotEntries),
    latencyWhileSpilling: summarizeEncoded(latencies.map((l) => l.whileSpilling)),
    latencyOtherwise: summarizeEncoded(latencies.map((l) => l.otherwise)),
  };
}
