/**
 * Pipelines as DAGs (the seed's lazy evaluation and cache hint): a shared prefix forks into
 * branches, each with its own output. Without the cache hint each branch recomputes the prefix
 * (its own copy of the prefix's operators, every source record through every branch's full
 * chain); with it the prefix runs once and fans out. Both give the same per-branch output, under
 * every mode; a branch swap changes the digest; nothing is retained between the steps.
 */
import { describe, expect, it } from 'vitest';
import { BranchStage, planLineage, type BranchSpec } from '../engines/operators/branch.js';
import { buildPipelineStages, type OperatorSpec } from '../engines/operators/pipeline.js';
import { BranchedSink } from '../engines/partition/branch-sink.js';
import { formatDigest } from '../engines/partition/measuring-sink.js';
import { Timeline } from '../primitives/timeline.js';
import type { RunResult } from '../primitives/results-schema.js';
import { runTrial } from '../runner/run-trial.js';
import { builtinScenarios, parseWorkload, WorkloadError } from '../scenarios/index.js';
import { ALL_MODES, smallTrial } from './fixtures/small-trial.js';

const cache = builtinScenarios().get('cache')!;
const window = { measureStartUs: 0, measureEndUs: 1e12 };

/** The `cache` scenario's DAG built for one task under `plan`, ending in a branched sink. */
function buildDag(pipeline: OperatorSpec[]): { head: BranchStage | OperatorSpec; stages: ReturnType<typeof buildPipelineStages>; sink: BranchedSink } {
  const sink = new BranchedSink(['counts', 'sums'], window, new Timeline(0, 100_000, 10));
  const stages = buildPipelineStages(pipeline, sink, { keys: cache.keys, cpuIterationsPerUs: 2, counters: { lateDropped: 0 } });
  return { head: stages[0] as BranchStage, stages, sink };
}

/** Pushes `n` records (1 ms apart, seeded keys and values) into `head`, flushing every `chunk` like a delivery; returns the held counts seen before each flush. */
function feed(stages: ReturnType<typeof buildPipelineStages>, sink: BranchedSink, n: number, chunk: number): number[] {
  const held: number[] = [];
  let x = 7;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1103515245) + 12345) | 0;
    stages[0].push(i * 1000, (x >>> 8) % cache.keys, (x >>> 4) % cache.valueRange);
    if ((i + 1) % chunk === 0) {
      held.push(sink.buffered);
      sink.flush(i * 1000);
    }
  }
  stages[0].finish();
  sink.flush(n * 1000);
  return held;
}

describe('the lineage plan', () => {
  it('without the cache hint moves the fork to the source and copies the prefix into every branch', () => {
    const lazy = planLineage(cache.pipeline, false);
    expect(lazy).toHaveLength(1);
    const fork = lazy[0] as BranchSpec<OperatorSpec>;
    expect(fork.op).toBe('branch');
    const prefix = cache.pipeline.slice(0, -1);
    expect(fork.branches.map((b) => b.name)).toEqual(['counts', 'sums']);
    for (const branch of fork.branches) expect(branch.pipeline.slice(0, prefix.length)).toEqual(prefix);
    expect(fork.branches[0].pipeline.slice(prefix.length)).toEqual([{ op: 'keyedCount' }]);
  });

  it('with the cache hint keeps the prefix once, ahead of the fork', () => {
    const cached = planLineage(cache.pipeline, true);
    expect(cached.slice(0, -1)).toEqual(cache.pipeline.slice(0, -1));
    expect((cached.at(-1) as BranchSpec<OperatorSpec>).branches.map((b) => b.pipeline)).toEqual([[{ op: 'keyedCount' }], [expect.objectContaining({ op: 'tumblingWindow' })]]);
  });

  it('leaves a linear pipeline as it is, and follows the fork\'s own hint when none is given', () => {
    const steady = builtinScenarios().get('steady')!.pipeline;
    expect(planLineage(steady, true)).toEqual(steady);
    expect(planLineage(cache.pipeline)).toEqual(planLineage(cache.pipeline, false));
  });
});

describe('a DAG in one task', () => {
  it('instantiates the prefix once per branch without the cache, once with it', () => {
    const lazy = buildDag(planLineage(cache.pipeline, false));
    const cached = buildDag(planLineage(cache.pipeline, true));
    // Lazy: one fork whose branches each hold prefix (map, cpuCost) + own operator.
    expect(lazy.stages).toHaveLength(1);
    expect((lazy.stages[0] as BranchStage).branches.map((b) => b.length)).toEqual([3, 3]);
    // Cached: map, cpuCost, fork with one operator per branch.
    expect(cached.stages).toHaveLength(3);
    expect((cached.stages[2] as BranchStage).branches.map((b) => b.length)).toEqual([1, 1]);
  });

  it('gives identical per-branch digests with and without the cache, and a different one with the branches swapped', () => {
    const outputs = [false, true].map((hint) => {
      const dag = buildDag(planLineage(cache.pipeline, hint));
      feed(dag.stages, dag.sink, 5000, 500);
      return dag.sink.outputs().map((b) => [b.name, formatDigest(b.digest), b.emitted]);
    });
    expect(outputs[0]).toEqual(outputs[1]);
    expect(Number(outputs[0][0][2])).toBe(5000);
    expect(Number(outputs[0][1][2])).toBeGreaterThan(0);

    const fork = cache.pipeline.at(-1) as BranchSpec<OperatorSpec>;
    const swapped: OperatorSpec[] = [...cache.pipeline.slice(0, -1), { ...fork, branches: [...fork.branches].reverse() }];
    const normal = buildDag(planLineage(cache.pipeline, true));
    const reversed = buildDag(planLineage(swapped, true));
    feed(normal.stages, normal.sink, 2000, 2000);
    feed(reversed.stages, reversed.sink, 2000, 2000);
    expect(normal.sink.digest.count).toBe(reversed.sink.digest.count);
    expect(formatDigest(normal.sink.digest)).not.toBe(formatDigest(reversed.sink.digest));
  });

  it('retains no intermediate: what is held between deliveries is only the last chunk\'s output, and nothing after', () => {
    for (const hint of [false, true]) {
      const short = buildDag(planLineage(cache.pipeline, hint));
      const long = buildDag(planLineage(cache.pipeline, hint));
      const heldShort = feed(short.stages, short.sink, 2_000, 500);
      const heldLong = feed(long.stages, long.sink, 20_000, 500);
      // Each chunk of 500 records holds the keyed count's 500 outputs plus the windows fired in it, whatever the run's length.
      expect(Math.max(...heldLong)).toBeLessThanOrEqual(Math.max(...heldShort) + 200);
      expect(Math.max(...heldLong)).toBeLessThan(1000);
      expect(long.sink.buffered).toBe(0);
      const forks = long.stages.filter((s): s is BranchStage => s instanceof BranchStage);
      expect(forks).toHaveLength(1);
      for (const fork of forks) expect(fork.retained).toBe(0);
    }
  });
});

describe('the cache scenario under every mode', () => {
  it('gives the same per-branch digests with the cache off and on, and per-branch figures that add up to the run', async () => {
    const runs: RunResult[] = [];
    for (const [mode, params] of ALL_MODES) {
      for (const hint of [false, true]) runs.push(await runTrial(smallTrial('cache', mode, { ...params, cache: hint }, { cpuIterationsPerUs: 5 })));
    }
    for (const run of runs) {
      expect(run.status).toBe('ok');
      expect(run.drained).toBe(true);
      expect(run.branches?.map((b) => b.name)).toEqual(['counts', 'sums']);
      const branches = run.branches!;
      expect(branches.reduce((sum, b) => sum + b.recordsOut, 0)).toBe(run.recordsOut);
      expect(branches.reduce((sum, b) => sum + b.latency.eventTime.count, 0)).toBe(run.latency.eventTime.count);
      expect(branches.reduce((sum, b) => sum + Number(b.outputDigest.split(':')[0]), 0)).toBe(Number(run.outputDigest.split(':')[0]));
      expect(branches[0].throughputOut).toBeCloseTo(branches[0].recordsOut / run.durationSec);
    }
    expect(new Set(runs.map((run) => JSON.stringify(run.branches!.map((b) => b.outputDigest)))).size).toBe(1);
    expect(new Set(runs.map((run) => run.outputDigest)).size).toBe(1);
  });
});

describe('a fork under a fault', () => {
  const forkFault = parseWorkload(
    JSON.stringify({
      name: 'fork-fault',
      description: 'keyed branches under a fault',
      profile: { kind: 'constant', rate: 1000 },
      keys: { count: 2000 },
      valueRange: 1_000_000,
      pipeline: [{ op: 'map', multiply: 3, add: 7, modulo: 1_000_003 }, { op: 'branch', branches: { counts: [{ op: 'keyedCount' }], sums: [{ op: 'keyedSum' }] } }],
      fault: { partition: 0, killAtSec: 0.4 },
    }),
    'json',
    'fork-fault.json',
  );

  it('recovers every branch under every mode, lazy and cached: the per-branch digests of a fault-free run, every offset accounted for', async () => {
    const trial = (mode: string, params: RunResult['params'], faulty: boolean) =>
      runTrial(smallTrial('fork-fault', mode, params, { workload: forkFault, ...(faulty ? { fault: { partition: 0, killAtSec: 0.4 } } : {}) }));
    const clean = await trial('continuous', { ...ALL_MODES[2][1], cache: true }, false);
    const expected = clean.branches!.map((b) => b.outputDigest);
    for (const [mode, params] of ALL_MODES) {
      for (const hint of [false, true]) {
        const run = await trial(mode, { ...params, cache: hint }, true);
        expect(run.status).toBe('ok');
        expect(run.faults?.events.length).toBeGreaterThan(0);
        expect(run.branches!.map((b) => b.outputDigest)).toEqual(expected);
        expect(run.accounting?.committed).toBe(run.accounting?.appended);
        expect(run.accounting?.delivered).toBe(run.accounting?.outputs);
      }
    }
  });
});

describe('a fork in a workload file', () => {
  const base = {
    name: 'fork',
    description: 'a fork',
    profile: { kind: 'constant', rate: 100 },
    keys: { count: 10 },
    valueRange: 100,
  };
  const parse = (extra: object): unknown => parseWorkload(JSON.stringify({ ...base, ...extra }), 'json', 'fork.json');
  const problems = (extra: object): string => {
    try {
      parse(extra);
    } catch (error) {
      if (error instanceof WorkloadError) return error.message;
      throw error;
    }
    return '';
  };

  it('becomes a branch whose branches keep the file\'s order, the cache hint defaulting to off', () => {
    const scenario = parse({ pipeline: [{ op: 'map', multiply: 1, add: 0, modulo: 7 }, { op: 'branch', branches: { b: [{ op: 'keyedSum' }], a: [] } }] }) as { pipeline: OperatorSpec[] };
    expect(scenario.pipeline[1]).toEqual({ op: 'branch', cache: false, branches: [{ name: 'b', pipeline: [{ op: 'keyedSum' }] }, { name: 'a', pipeline: [] }] });
  });

  it.each([
    [{ pipeline: [{ op: 'branch', branches: { a: [], b: [] } }, { op: 'keyedCount' }] }, /pipeline\[0\]\.op: found 'branch' at step 1 of 2; accepted: 'branch' as the last step only/],
    [{ pipeline: [{ op: 'branch', branches: { a: [] } }] }, /pipeline\[0\]\.branches: found 1 branch; accepted: 2 to 8 branches/],
    [{ pipeline: [{ op: 'branch', branches: { a: [], b: [] } }], priority: { fraction: 0.1 } }, /found 'branch' with priority/],
    [{ pipeline: [{ op: 'branch', cache: 'yes', branches: { a: [], b: [] } }] }, /pipeline\[0\]\.cache: .*accepted: true or false/],
    [{ pipeline: [{ op: 'branch', branches: { a: [{ op: 'branch', branches: {} }], b: [] } }] }, /pipeline\[0\]\.branches\.a\[0\]/],
  ])('refuses %j with one line naming the field', (extra, message) => {
    expect(problems(extra)).toMatch(message);
  });
});
