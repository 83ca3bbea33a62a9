/**
 * Nested forks (a branch inside a branch): a workload's branch may end in a fork of its own.
 * The outputs are the leaves, named by their path and numbered depth first; the lineage plan
 * applies at every level (uncached, each leaf recomputes everything from the source; cached, a
 * fork's prefix runs once for the branches below it). Every plan — cache off, on, and each
 * fork's own hint — gives the same per-leaf digests, in one task (with and without a memory
 * budget) and under every mode; a fork nested deeper, or more than 8 outputs, is refused with
 * one line naming the field.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BranchStage, branchNames, planLineage, type BranchSpec } from '../engines/operators/branch.js';
import { buildPipelineStages, type OperatorSpec } from '../engines/operators/pipeline.js';
import { BranchedSink } from '../engines/partition/branch-sink.js';
import { formatDigest } from '../engines/partition/measuring-sink.js';
import { planBudget } from '../engines/operators/budget-plan.js';
import { openSpillStore, type SpillStore } from '../engines/state/spill-store.js';
import { ManualClock } from '../primitives/clock.js';
import { Timeline } from '../primitives/timeline.js';
import type { RunResult } from '../primitives/results-schema.js';
import { runTrial } from '../runner/run-trial.js';
import { parseWorkload, WorkloadError } from '../scenarios/index.js';
import { ALL_MODES, smallTrial } from './fixtures/small-trial.js';

const stores: SpillStore[] = [];
afterAll(() => {
  for (const store of stores) store.close();
});

const base = { name: 'nested', description: 'a fork inside a fork', profile: { kind: 'constant', rate: 1000 }, keys: { count: 500 }, valueRange: 1_000_000 };
const map = { op: 'map', multiply: 3, add: 7, modulo: 1_000_003 };
/** windows → (sums | tumbling) | counts: the outer fork lazy, the inner one cached, as declared (the nested branch first, so the leaf after it is numbered past its leaves). */
const nestedFile = {
  ...base,
  pipeline: [
    map,
    {
      op: 'branch',
      cache: false,
      branches: {
        windows: [{ op: 'map', multiply: 5, add: 1, modulo: 999_983 }, { op: 'branch', cache: true, branches: { sums: [{ op: 'keyedSum' }], tumbling: [{ op: 'tumblingWindow', sizeMs: 100 }] } }],
        counts: [{ op: 'keyedCount' }],
      },
    },
  ],
};
const nested = parseWorkload(JSON.stringify(nestedFile), 'json', 'nested.json');
const LEAVES = ['windows.sums', 'windows.tumbling', 'counts'];

/** The problem message of a workload, '' when it parses. */
function problems(file: object): string {
  try {
    parseWorkload(JSON.stringify({ ...base, ...file }), 'json', 'nested.json');
  } catch (error) {
    if (error instanceof WorkloadError) return error.message;
    throw error;
  }
  return '';
}

/** The forks of a planned pipeline, outermost first, as [cache, branch names]. */
function forksOf(specs: readonly OperatorSpec[]): [boolean, string[]][] {
  const fork = specs.at(-1) as BranchSpec<OperatorSpec> | undefined;
  if (fork?.op !== 'branch') return [];
  return [[fork.cache, fork.branches.map((b) => b.name)], ...fork.branches.flatMap((b) => forksOf(b.pipeline))];
}

/** Per-leaf digests and output counts of `pipeline` over seeded records, in one task (with a spill store under `budgetBytes`). */
function leafDigests(pipeline: OperatorSpec[], budgetBytes?: number): [string, string, number][] {
  const sink = new BranchedSink(branchNames(pipeline), { measureStartUs: 0, measureEndUs: 1e12 }, new Timeline(0, 100_000, 10));
  const spill = budgetBytes === undefined ? undefined : openSpillStore({ dir: mkdtempSync(join(tmpdir(), 'streambench-nested-')) }, 0, new ManualClock());
  if (spill) stores.push(spill);
  const [head] = buildPipelineStages(planBudget(pipeline, budgetBytes), sink, { keys: nested.keys, cpuIterationsPerUs: 1, counters: { lateDropped: 0 }, ...(spill ? { spill } : {}) });
  let x = 3;
  for (let i = 0; i < 20_000; i++) {
    x = (Math.imul(x, 1103515245) + 12345) | 0;
    head.push(i * 100, (x >>> 8) % nested.keys, (x >>> 4) % nested.valueRange);
    if (i % 1000 === 999) sink.flush(i * 100);
  }
  head.finish();
  sink.flush(2e6);
  const outputs = sink.outputs().map((b): [string, string, number] => [b.name, formatDigest(b.digest), b.emitted]);
  sink.destroy();
  return outputs;
}

describe('a nested fork in a workload file', () => {
  it('becomes a fork inside a branch; its outputs are the leaves, named by their path, depth first', () => {
    const fork = nested.pipeline[1] as BranchSpec<OperatorSpec>;
    expect(fork.branches.map((b) => b.name)).toEqual(['windows', 'counts']);
    expect((fork.branches[0].pipeline[1] as BranchSpec<OperatorSpec>).branches.map((b) => b.name)).toEqual(['sums', 'tumbling']);
    expect(branchNames(nested.pipeline)).toEqual(LEAVES);
  });

  it.each([
    [{ pipeline: [{ op: 'branch', branches: { a: [{ op: 'branch', branches: { x: [{ op: 'branch', branches: { p: [], q: [] } }], y: [] } }], b: [] } }] }, /^nested\.json: pipeline\[0\]\.branches\.a\[0\]\.branches\.x\[0\]\.op: /m],
    [{ pipeline: [{ op: 'branch', branches: { a: [{ op: 'branch', branches: { x: [], y: [] } }, { op: 'keyedCount' }], b: [] } }] }, /pipeline\[0\]\.branches\.a\[0\]\.op: found 'branch' at step 1 of 2; accepted: 'branch' as the last step only/],
    [{ pipeline: [{ op: 'branch', branches: { a: [{ op: 'branch', branches: { x: [] } }], b: [] } }] }, /pipeline\[0\]\.branches\.a\[0\]\.branches: found 1 branch; accepted: 2 to 8 branches/],
    [
      { pipeline: [{ op: 'branch', branches: { a: [{ op: 'branch', branches: { p: [], q: [], r: [], s: [], t: [] } }], b: [{ op: 'branch', branches: { p: [], q: [], r: [], s: [] } }] } }] },
      /pipeline\[0\]\.branches: found 9 outputs \(branches without a fork of their own, nested ones included\); accepted: at most 8 in all/,
    ],
  ])('refuses %j with one line naming the field', (file, message) => {
    const text = problems(file);
    expect(text).toMatch(message);
  });
});

describe('the lineage plan of a nested fork', () => {
  it('without the cache copies every prefix down to the leaves: each leaf recomputes from the source', () => {
    const lazy = planLineage(nested.pipeline, false);
    expect(forksOf(lazy)).toEqual([
      [false, ['windows', 'counts']],
      [false, ['sums', 'tumbling']],
    ]);
    const windows = (lazy[0] as BranchSpec<OperatorSpec>).branches[0].pipeline;
    expect(windows).toHaveLength(1);
    for (const leaf of (windows[0] as BranchSpec<OperatorSpec>).branches) expect(leaf.pipeline.slice(0, 2).map((op) => op.op)).toEqual(['map', 'map']);
  });

  it('with the cache keeps each prefix once, ahead of its fork; without a hint each fork follows its own', () => {
    const cached = planLineage(nested.pipeline, true);
    expect(cached.map((op) => op.op)).toEqual(['map', 'branch']);
    expect(forksOf(cached).map(([cache]) => cache)).toEqual([true, true]);
    const declared = planLineage(nested.pipeline);
    expect(forksOf(declared)).toEqual([
      [false, ['windows', 'counts']],
      [true, ['sums', 'tumbling']],
    ]);
    // The outer fork is lazy: its prefix (the map) is in the windows branch, ahead of the branch's own map and its cached fork.
    expect((declared[0] as BranchSpec<OperatorSpec>).branches[0].pipeline.map((op) => op.op)).toEqual(['map', 'map', 'branch']);
  });
});

describe('a nested fork in one task', () => {
  it('gives the same per-leaf digests under every plan, with and without a memory budget', () => {
    const plans = [planLineage(nested.pipeline, false), planLineage(nested.pipeline, true), planLineage(nested.pipeline)];
    const reference = leafDigests(plans[0]);
    expect(reference.map(([name]) => name)).toEqual(LEAVES);
    for (const [, , emitted] of reference) expect(emitted).toBeGreaterThan(0);
    for (const plan of plans) {
      expect(leafDigests(plan)).toEqual(reference);
      expect(leafDigests(plan, 3 * 4096)).toEqual(reference);
    }
    // A nested fork is a fork stage inside a branch's chain.
    const sink = new BranchedSink(LEAVES, { measureStartUs: 0, measureEndUs: 1e12 }, new Timeline(0, 100_000, 1));
    const stages = buildPipelineStages(plans[1], sink, { keys: nested.keys, cpuIterationsPerUs: 1, counters: { lateDropped: 0 } });
    const outer = stages[1] as BranchStage;
    expect(outer.branches[0].at(-1)).toBeInstanceOf(BranchStage);
    sink.destroy();
  });

  it('swapping two leaves of the inner fork changes the digest of each', () => {
    const swapped = structuredClone(nestedFile);
    const fork = swapped.pipeline[1] as { branches: { windows: { branches?: Record<string, unknown[]> }[] } };
    const inner = fork.branches.windows[1] as { branches: Record<string, unknown[]> };
    inner.branches = { tumbling: inner.branches.tumbling, sums: inner.branches.sums };
    const reversed = parseWorkload(JSON.stringify(swapped), 'json', 'swapped.json');
    const normal = new Map(leafDigests(planLineage(nested.pipeline, true)).map(([name, digest]) => [name, digest]));
    const other = new Map(leafDigests(planLineage(reversed.pipeline, true)).map(([name, digest]) => [name, digest]));
    expect(other.get('windows.sums')).not.toBe(normal.get('windows.sums'));
    expect(other.get('windows.tumbling')).not.toBe(normal.get('windows.tumbling'));
    expect(other.get('counts')).toBe(normal.get('counts'));
  });
});

describe('a nested fork under every mode', () => {
  it('gives the same per-leaf digests with the cache off and on, and per-leaf figures that add up to the run', async () => {
    const runs: RunResult[] = [];
    for (const [mode, params] of ALL_MODES) {
      for (const hint of [false, true]) runs.push(await runTrial(smallTrial('nested', mode, { ...params, cache: hint }, { workload: nested })));
    }
    for (const run of runs) {
      expect(run.status).toBe('ok');
      expect(run.drained).toBe(true);
      expect(run.branches?.map((b) => b.name)).toEqual(LEAVES);
      expect(run.branches!.reduce((sum, b) => sum + b.recordsOut, 0)).toBe(run.recordsOut);
    }
    expect(new Set(runs.map((run) => JSON.stringify(run.branches!.map((b) => b.outputDigest)))).size).toBe(1);
    expect(new Set(runs.map((run) => run.outputDigest)).size).toBe(1);
  });
});
