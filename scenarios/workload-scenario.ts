/**
 * A validated workload file turned into the in-memory {@link Scenario} the runner and the
 * engines use: keys become a cardinality plus an optional skew, `'unlimited'` sink capacity
 * becomes Infinity, and optional sections are left out when absent (so a built-in file gives
 * exactly the object its scenario always was).
 */
import type { OperatorSpec } from '../engines/operators/pipeline.js';
import { parseBytes } from '../primitives/units.js';
import type { KeyDistribution } from './key-distribution.js';
import type { Scenario } from './scenario.js';
import type { WorkloadFile } from './workload-schema.js';

/** The scenario a validated workload file declares. */
export function toScenario(file: WorkloadFile): Scenario {
  const { keys, outOfOrder, peak, minDurationSec, priority, sink, fault, memoryBudget } = file;
  const keyDistribution: KeyDistribution | undefined =
    keys.distribution === 'zipf'
      ? { kind: 'zipf', exponent: keys.exponent }
      : keys.distribution === 'hot'
        ? { kind: 'hot', hotKeys: keys.hotKeys, hotRatio: keys.hotRatio }
        : undefined;
  return {
    name: file.name,
    description: file.description,
    profile: file.profile,
    arrivals: file.arrivals,
    keys: keys.count,
    ...(keyDistribution ? { keyDistribution } : {}),
    valueRange: file.valueRange,
    ...(outOfOrder ? { outOfOrder: { fraction: outOfOrder.fraction, maxDelayMs: outOfOrder.maxDelayMs } } : {}),
    pipeline: toPipeline(file.pipeline),
    ...(file.source !== undefined && file.source !== 'scalar' && file.query !== undefined
      ? { records: { source: file.source, query: file.query, windowScale: file.windowScale ?? 1 } }
      : {}),
    ...(peak ? { peak: { factor: peak.factor, startFraction: peak.startFraction, lengthFraction: peak.lengthFraction } } : {}),
    ...(minDurationSec !== undefined ? { minDurationSec } : {}),
    ...(priority ? { priority: { fraction: priority.fraction } } : {}),
    ...(sink
      ? {
          sink: {
            capacityPerSec: sink.capacityPerSec === 'unlimited' ? Infinity : sink.capacityPerSec,
            writeLatencyUs: sink.writeLatencyUs,
            queueRecords: sink.queueRecords,
            drop: sink.drop,
          },
        }
      : {}),
    ...(fault ? { fault: { partition: fault.partition, killAtSec: fault.killAtSec, ...(fault.failBatchAtSec !== undefined ? { failBatchAtSec: fault.failBatchAtSec } : {}) } } : {}),
    ...(memoryBudget !== undefined ? { memoryBudgetBytes: parseBytes(memoryBudget) as number } : {}),
  };
}

/** A step of a workload file's pipeline or of one of its branches: an operator, or a fork (branch name → its steps). */
type FileStep = Exclude<OperatorSpec, { op: 'branch' }> | { op: 'branch'; cache: boolean; branches: Record<string, FileStep[]> };

/** The file's pipeline as operator specs: a fork's branches (name → steps) become a list in the file's order, a nested fork's too. */
function toPipeline(steps: readonly FileStep[]): OperatorSpec[] {
  return steps.map((step): OperatorSpec =>
    step.op === 'branch' ? { op: 'branch', cache: step.cache, branches: Object.entries(step.branches).map(([name, pipeline]) => ({ name, pipeline: toPipeline(pipeline) })) } : step,
  );
}
