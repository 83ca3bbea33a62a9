/**
 * A pipeline that forks (DESIGN.md §4 "an intermediate result reused by two branches"): the
 * last operator of a pipeline may be a `branch`, whose output feeds two or more named
 * branches, each a pipeline of its own ending in its own output (its own digest and latency
 * histograms, `engines/partition/branch-sink.ts`).
 *
 * The seed's memory chapter, as Spark does it: evaluation is lazy, so an intermediate used by
 * several operations is recomputed for each unless the user gives a cache hint.
 * {@link planLineage} turns a declared pipeline into the one a task runs:
 *
 * - `cache: false` (Spark's uncached lineage): the branch moves to the source and the shared
 *   prefix is copied into every branch, so each branch instantiates its own prefix operators
 *   and every source record goes through every branch's full chain. Nothing is retained
 *   between the steps (the intermediate vanishes once the next step consumed it).
 * - `cache: true`: the prefix runs once and each of its output records is handed to every
 *   branch, in branch order, as it is produced (a streaming cache: computed once, shared,
 *   never buffered).
 *
 * Either way each branch sees the same records in the same order, so both plans give the same
 * per-branch output. A branch's output is folded with its index before the sink hashes it
 * ({@link foldBranch}), so two branches swapped change the digest.
 *
 * Forks nest: a branch's last operator may be a fork of its own. The outputs are the leaves —
 * the branches with no fork inside, named by their path (`outer.inner`), numbered depth first
 * ({@link branchNames}), at most {@link MAX_BRANCHES} in all — and the plan applies at every
 * level: uncached, a fork's prefix is copied into its branches and on down into their leaves,
 * so each leaf recomputes everything from the source; cached, a fork's prefix runs once for the
 * branches below it.
 *
 * Types only from `stage.ts`: the operator union and the builder come in as parameters, so
 * `pipeline.ts` can register the branch without an import cycle.
 */
import { mix32 } from '../../primitives/random.js';
import type { OperatorContext, Stage } from './stage.js';

/** One branch: its name (in results) and its operators. */
export interface BranchDef<Op> {
  name: string;
  pipeline: Op[];
}

/**
 * `branch`: the end of a shared prefix, fanned out to named branches. `cache` is the user's
 * hint: compute the prefix once (true), or once per branch (false, the default).
 */
export interface BranchSpec<Op = { op: string }> {
  op: 'branch';
  cache: boolean;
  branches: BranchDef<Op>[];
}

/** Most outputs (leaf branches, nested forks' included) a pipeline may fork into: each is an output class of the task. */
export const MAX_BRANCHES = 8;

/** Separates the names along a nested branch's path (`outer.inner`); branch names themselves have no dot. */
export const BRANCH_PATH_SEPARATOR = '.';

/** Builds a chain of operators ending in `sink`, every stage head first (`buildPipelineStages`). */
export type StagesBuilder<Op> = (specs: readonly Op[], sink: Stage, context: OperatorContext) => Stage[];

/** A sink that takes each branch's output apart (`BranchedSink`): route-before-push, one stage per branch. */
export interface BranchTarget extends Stage {
  branchInput(index: number): Stage;
}

/** The value a branch's output record is hashed with: the record's value folded with the branch index. */
export function foldBranch(value: number, index: number): number {
  return mix32(0x5bd1e995 + index, value);
}

/** The branch operator at the end of `specs`, if it has one. */
export function branchOf<Op extends { op: string }>(specs: readonly Op[]): BranchSpec<Op> | undefined {
  const last = specs[specs.length - 1] as unknown as BranchSpec<Op> | undefined;
  return last?.op === 'branch' ? last : undefined;
}

/**
 * The names of the outputs `specs` fork into, depth first: each branch's, or for a branch that
 * forks again, each of its leaves' path (`outer.inner`); empty for a linear pipeline.
 */
export function branchNames(specs: readonly { op: string }[]): string[] {
  return (branchOf(specs)?.branches ?? []).flatMap((branch) => {
    const inner = branchNames(branch.pipeline);
    return inner.length === 0 ? [branch.name] : inner.map((name) => `${branch.name}${BRANCH_PATH_SEPARATOR}${name}`);
  });
}

/** How many outputs a branch's pipeline ends in: 1, or its fork's leaves. */
function leavesOf(pipeline: readonly { op: string }[]): number {
  return Math.max(1, branchNames(pipeline).length);
}

/**
 * The pipeline a task runs for `specs` with the cache hint `cache` (undefined: each fork's
 * own), at every level of nested forks: with the cache, the declared pipeline (prefix once,
 * then the fan-out); without, one fork at the source whose every branch starts with its own
 * copy of the prefix (and passes it on to its own branches if it forks again). Pure.
 */
export function planLineage<Op extends { op: string }>(specs: readonly Op[], cache?: boolean): Op[] {
  const branch = branchOf(specs);
  if (!branch) return [...specs];
  const cached = cache ?? branch.cache;
  const prefix = specs.slice(0, -1);
  if (cached) {
    const shared: BranchSpec<Op> = { op: 'branch', cache: true, branches: branch.branches.map((b) => ({ name: b.name, pipeline: planLineage(b.pipeline, cache) })) };
    return [...prefix, shared as unknown as Op];
  }
  const lazy: BranchSpec<Op> = { op: 'branch', cache: false, branches: branch.branches.map((b) => ({ name: b.name, pipeline: planLineage([...prefix, ...b.pipeline], cache) })) };
  return [lazy as unknown as Op];
}

/** Every operator of `specs`, those inside branches too (depth first). */
export function allOperators<Op extends { op: string }>(specs: readonly Op[]): Op[] {
  return specs.flatMap((spec) => {
    const branch = spec as unknown as BranchSpec<Op>;
    return branch.op === 'branch' ? [spec, ...branch.branches.flatMap((b) => allOperators(b.pipeline))] : [spec];
  });
}

/** A stage that folds a branch's output before the next stage hashes it (for a sink that is not a {@link BranchTarget}). */
function foldingStage(next: Stage, index: number): Stage {
  return {
    push(eventTimeUs, key, value) {
      next.push(eventTimeUs, key, foldBranch(value, index));
    },
    finish() {
      next.finish();
    },
  };
}

/** Where branch `index`'s output goes: the branch sink's own input, or `next` with the branch folded in. */
export function branchOutput(next: Stage, index: number): Stage {
  const target = next as Partial<BranchTarget>;
  return typeof target.branchInput === 'function' ? target.branchInput(index) : foldingStage(next, index);
}

/** The outputs of a fork nested in a branch: its branch i is output `first + i` of `next` (records reach a leaf's input, never this). */
function nestedOutputs(next: Stage, first: number): BranchTarget {
  return {
    branchInput: (index) => branchOutput(next, first + index),
    push() {
      throw new Error('a nested fork\'s output reaches its sink through a leaf (branchInput)');
    },
    finish() {},
  };
}

/** The fan-out: each record pushed into it goes to every branch's head, in branch order. */
export class BranchStage implements Stage {
  /** Records this stage holds between steps: none, ever (uncached and cached plans both stream). */
  readonly retained = 0;
  private readonly heads: Stage[];

  constructor(
    /** Every branch's stages, head first (a branch without operators: its output stage alone). */
    readonly branches: readonly (readonly Stage[])[],
    private readonly unrecoverable: readonly string[],
  ) {
    this.heads = branches.map((stages) => stages[0]);
  }

  push(eventTimeUs: number, key: number, value: number): void {
    const heads = this.heads;
    for (let i = 0; i < heads.length; i++) heads[i].push(eventTimeUs, key, value);
  }

  finish(): void {
    for (const head of this.heads) head.finish();
  }

  /** Every branch's operators' state; refuses (rather than lose it) when a branch holds state no snapshot can take. */
  snapshotState(): unknown {
    if (this.unrecoverable.length > 0) throw new Error(`fault recovery cannot snapshot the state of ${this.unrecoverable.join(', ')} inside a branch`);
    return this.branches.map((stages) => stages.map((stage) => stage.snapshotState?.()));
  }

  restoreState(state: unknown): void {
    const states = state as unknown[][];
    this.branches.forEach((stages, b) =>
      stages.forEach((stage, i) => {
        if (states[b]?.[i] !== undefined) stage.restoreState?.(states[b][i]);
      }),
    );
  }
}

/**
 * Builds the branch operator: each branch's chain (its operators, then its output), fanned
 * out from one stage. `recoverable` names the operators whose state a snapshot can take.
 */
export function buildBranch<Op extends { op: string }>(
  spec: BranchSpec<Op>,
  next: Stage,
  context: OperatorContext,
  build: StagesBuilder<Op>,
  recoverable: ReadonlySet<string>,
): BranchStage {
  if (spec.branches.length < 2 || spec.branches.length > MAX_BRANCHES) throw new Error(`a branch needs 2 to ${MAX_BRANCHES} branches, found ${spec.branches.length}`);
  let first = 0;
  const branches = spec.branches.map((branch) => {
    // A branch that forks again feeds outputs first .. first + its leaves − 1; one that does not, output first.
    const output = branchOf(branch.pipeline) ? nestedOutputs(next, first) : branchOutput(next, first);
    first += leavesOf(branch.pipeline);
    const stages = build(branch.pipeline, output, context);
    return stages.length > 0 ? stages : [output];
  });
  if (first > MAX_BRANCHES) throw new Error(`a pipeline may fork into at most ${MAX_BRANCHES} outputs, found ${first}`);
  const unrecoverable = [...new Set(spec.branches.flatMap((b) => allOperators(b.pipeline)).map((op) => op.op).filter((op) => !recoverable.has(op)))];
  return new BranchStage(branches, unrecoverable);
}
