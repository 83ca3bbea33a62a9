/**
 * Checks across the fields of a workload file that passed its schema (`workload-schema.ts`):
 * what each field alone cannot say. Each problem names the field's path, what was found and
 * what is accepted, like the schema's own messages. Checks that need the run's settings
 * (a fault's partition below `--workers`, a kill inside `--duration`) are made when the run
 * is planned (`runner/downstream-options.ts`).
 */
import { MAX_BRANCHES } from '../engines/operators/branch.js';
import { MIN_BUDGET_BYTES } from '../engines/operators/budget-plan.js';
import { parseBytes } from '../primitives/units.js';
import { operatorNames, recoverableOperators, type OperatorSpec } from '../engines/operators/pipeline.js';
import type { WorkloadFile } from './workload-schema.js';
import { QUERY_SOURCE, RECORD_QUERIES } from '../engines/records/record-query.js';

/** A problem at a path of the file (keys and list indices). */
export interface WorkloadProblem {
  path: (string | number)[];
  message: string;
}

/**
 * Operators whose output does not depend on the order records arrive in (stateless, or a
 * running count: each key's counts are 1..n whatever the order). A priority lane processes
 * priority records first, so a scenario with a priority class may use only these.
 */
const ORDER_INSENSITIVE: ReadonlySet<string> = new Set(['map', 'filter', 'flatMap', 'cpuCost', 'keyedCount']);

/** The problems of `workload` beyond its schema; empty when it is consistent. */
export function workloadProblems(workload: WorkloadFile): WorkloadProblem[] {
  const problems: WorkloadProblem[] = [];
  const { profile, keys, peak, priority, fault } = workload;
  problems.push(...branchProblems(workload));
  problems.push(...recordSourceProblems(workload));
  if (workload.memoryBudget !== undefined && (parseBytes(workload.memoryBudget) ?? 0) < MIN_BUDGET_BYTES) {
    problems.push({ path: ['memoryBudget'], message: `found '${workload.memoryBudget}'; accepted: a size of at least 64KB, e.g. '4MB'` });
  }

  if (profile.kind === 'step') {
    profile.steps.forEach((step, i) => {
      const before = i > 0 ? profile.steps[i - 1].atSec : undefined;
      if (before !== undefined && !(step.atSec > before)) {
        problems.push({ path: ['profile', 'steps', i, 'atSec'], message: `found ${step.atSec} after ${before}; accepted: times in increasing order` });
      }
    });
  }
  if (keys.distribution === 'hot' && keys.hotKeys >= keys.count) {
    problems.push({ path: ['keys', 'hotKeys'], message: `found ${keys.hotKeys} of ${keys.count} keys; accepted: a whole number from 1 to ${keys.count - 1} (fewer than keys.count)` });
  }
  if (peak) {
    if (profile.kind !== 'constant') {
      problems.push({ path: ['peak'], message: `found with profile kind '${profile.kind}'; accepted: a peak on a 'constant' profile only (the peak replaces the profile by a burst on its rate)` });
    }
    if (peak.startFraction + peak.lengthFraction > 1) {
      problems.push({
        path: ['peak', 'lengthFraction'],
        message: `found ${peak.lengthFraction} from ${peak.startFraction}; accepted: startFraction + lengthFraction at most 1 (the peak ends inside the measurement window)`,
      });
    }
  }
  if (priority) {
    workload.pipeline.forEach((operator, i) => {
      if (!ORDER_INSENSITIVE.has(operator.op) && operator.op !== 'branch') {
        problems.push({
          path: ['pipeline', i, 'op'],
          message: `found '${operator.op}' with priority; accepted with a priority class (output independent of record order): ${[...ORDER_INSENSITIVE].join(', ')}`,
        });
      }
    });
  }
  if (fault) {
    if (fault.failBatchAtSec !== undefined && fault.failBatchAtSec >= (workload.minDurationSec ?? Infinity)) {
      problems.push({ path: ['fault', 'failBatchAtSec'], message: `found ${fault.failBatchAtSec}; accepted: a time below minDurationSec (${workload.minDurationSec})` });
    }
    operatorsAt(workload).forEach(({ operator, path }) => {
      if (!recoverableOperators.has(operator.op)) {
        problems.push({
          path,
          message: `found '${operator.op}' with a fault; accepted with a fault (state a recovery can snapshot): ${[...recoverableOperators].filter((op) => (operatorNames as string[]).includes(op)).join(', ')}`,
        });
      }
    });
  }
  return problems;
}

/** A step of the pipeline or of a branch, as the checks read it: an operator, or a fork (branch name → its steps). */
interface Step {
  op: string;
  branches?: Record<string, readonly Step[]>;
}

/** Every operator of `steps` with its path, those of each branch (and nested branch) too, not the forks themselves. */
function operatorsOf(steps: readonly Step[], at: (string | number)[]): { operator: { op: OperatorSpec['op'] }; path: (string | number)[] }[] {
  return steps.flatMap((step, i) =>
    step.branches
      ? Object.entries(step.branches).flatMap(([name, inner]) => operatorsOf(inner, [...at, i, 'branches', name]))
      : [{ operator: step as { op: OperatorSpec['op'] }, path: [...at, i, 'op'] }],
  );
}

/** Every operator of the pipeline with its path, those of each branch too (not the fork itself). */
function operatorsAt(workload: WorkloadFile): { operator: { op: OperatorSpec['op'] }; path: (string | number)[] }[] {
  return operatorsOf(workload.pipeline, ['pipeline']);
}

/** Outputs of `steps`: 1, or the leaves of its fork. */
function leaves(steps: readonly Step[]): number {
  const fork = steps.at(-1)?.branches;
  return fork ? Object.values(fork).reduce((sum, inner) => sum + leaves(inner), 0) : 1;
}

/** The problems of the forks of `steps` (at `at`), and of the forks inside their branches. */
function forkProblems(steps: readonly Step[], at: (string | number)[], priority: boolean): WorkloadProblem[] {
  const problems: WorkloadProblem[] = [];
  const last = steps.length - 1;
  steps.forEach((step, i) => {
    if (!step.branches) return;
    if (i !== last) problems.push({ path: [...at, i, 'op'], message: `found 'branch' at step ${i + 1} of ${last + 1}; accepted: 'branch' as the last step only (its branches continue the pipeline)` });
    const count = Object.keys(step.branches).length;
    if (count < 2 || count > MAX_BRANCHES) {
      problems.push({ path: [...at, i, 'branches'], message: `found ${count} branch${count === 1 ? '' : 'es'}; accepted: 2 to ${MAX_BRANCHES} branches` });
    }
    if (priority) {
      problems.push({ path: [...at, i, 'op'], message: "found 'branch' with priority; accepted: a priority class on a linear pipeline only (leave out one of them)" });
    }
    for (const [name, inner] of Object.entries(step.branches)) problems.push(...forkProblems(inner, [...at, i, 'branches', name], priority));
  });
  return problems;
}

/** A fork is the last step (of the pipeline or of a branch), into 2 to {@link MAX_BRANCHES} branches and that many outputs in all, and not with a priority class. */
function branchProblems(workload: WorkloadFile): WorkloadProblem[] {
  const problems = forkProblems(workload.pipeline, ['pipeline'], workload.priority !== undefined);
  const outputs = leaves(workload.pipeline);
  if (outputs > MAX_BRANCHES && problems.length === 0) {
    problems.push({
      path: ['pipeline', workload.pipeline.length - 1, 'branches'],
      message: `found ${outputs} outputs (branches without a fork of their own, nested ones included); accepted: at most ${MAX_BRANCHES} in all`,
    });
  }
  return problems;
}

/**
 * A record source runs a query of its kind instead of the scalar pipeline: its query is
 * named and fits the source, the pipeline is empty, and nothing that reads scalar keys and
 * values (a key distribution, a priority class, a memory budget's budgeted operators) is
 * declared with it; a query or a window scale needs a record source.
 */
function recordSourceProblems(workload: WorkloadFile): WorkloadProblem[] {
  const problems: WorkloadProblem[] = [];
  const source = workload.source ?? 'scalar';
  const { query } = workload;
  if (source === 'scalar') {
    if (query !== undefined) problems.push({ path: ['query'], message: `found '${query}' with scalar records; accepted: a query with "source": '${QUERY_SOURCE[query]}' (or leave out query)` });
    if (workload.windowScale !== undefined) problems.push({ path: ['windowScale'], message: `found ${workload.windowScale} with scalar records; accepted: a window scale with a record source only (scalar windows are in the pipeline)` });
    return problems;
  }
  const fitting = RECORD_QUERIES.filter((q) => QUERY_SOURCE[q] === source);
  if (query === undefined) problems.push({ path: ['query'], message: `found nothing with source '${source}'; accepted: one of ${fitting.join(', ')}` });
  else if (QUERY_SOURCE[query] !== source) problems.push({ path: ['query'], message: `found '${query}' with source '${source}'; accepted with source '${source}': ${fitting.join(', ')}` });
  if (workload.pipeline.length > 0) {
    problems.push({ path: ['pipeline'], message: `found ${workload.pipeline.length} operator${workload.pipeline.length === 1 ? '' : 's'} with source '${source}'; accepted: [] (a record source runs its query, not the scalar pipeline)` });
  }
  if (workload.keys.distribution !== undefined && workload.keys.distribution !== 'uniform') {
    problems.push({ path: ['keys', 'distribution'], message: `found '${workload.keys.distribution}' with source '${source}'; accepted: none (a record source keys its records itself)` });
  }
  if (workload.priority) problems.push({ path: ['priority'], message: `found with source '${source}'; accepted: a priority class with scalar records only (leave out one of them)` });
  if (workload.memoryBudget !== undefined) problems.push({ path: ['memoryBudget'], message: `found with source '${source}'; accepted: a memory budget with scalar records only (record queries keep their state in memory)` });
  return problems;
}
