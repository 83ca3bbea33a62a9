/**
 * State under a memory budget, with the real spill store (LMDB in a temporary folder): a tiny
 * budget that forces constant spilling gives exactly the output of no budget — keyed count and
 * sum, event-time windows with out-of-order records, a fork's branches — and what spilled is
 * read back; a snapshot holds what is on disk, so a fault's replacement restores it (every
 * mode, against the fault-free digest); a store that fails says which folder and what failed.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { planLineage } from '../engines/operators/branch.js';
import { buildPipelineStages, type OperatorSpec } from '../engines/operators/pipeline.js';
import { BudgetedTable } from '../engines/state/budgeted-state.js';
import { planBudget, statefulOperators } from '../engines/operators/budget-plan.js';
import { openSpillStore, SpillError, type SpillStore } from '../engines/state/spill-store.js';
import { ManualClock } from '../primitives/clock.js';
import { digestSink } from './fixtures/digest-sink.js';
import { runTrial } from '../runner/run-trial.js';
import { builtinScenarios } from '../scenarios/index.js';
import { ALL_MODES, smallTrial } from './fixtures/small-trial.js';

const root = mkdtempSync(join(tmpdir(), 'streambench-spill-test-'));
const stores: SpillStore[] = [];
afterAll(() => {
  for (const store of stores) store.close();
});

function store(): SpillStore {
  const opened = openSpillStore({ dir: root }, 0, new ManualClock());
  stores.push(opened);
  return opened;
}

/** `n` records, `gapUs` apart, keys below `keys`, a fifth of them up to `lateUs` early (seeded). */
function records(n: number, keys: number, gapUs: number, lateUs = 0): [number, number, number][] {
  let x = 99;
  const next = (): number => (x = (Math.imul(x, 1103515245) + 12345) | 0) >>> 1;
  return Array.from({ length: n }, (_, i) => {
    const early = lateUs > 0 && next() % 5 === 0 ? next() % lateUs : 0;
    return [i * gapUs - early, next() % keys, next() % 100_000];
  });
}

/** The output digest of `pipeline` over `input`, with each stateful operator given `budgetBytes` in all (undefined: none). */
function run(pipeline: OperatorSpec[], input: [number, number, number][], keys: number, budgetBytes?: number): { digest: string; spill?: SpillStore } {
  const sink = digestSink();
  const spill = budgetBytes === undefined ? undefined : store();
  const stages = buildPipelineStages(planBudget(pipeline, budgetBytes), sink, { keys, cpuIterationsPerUs: 1, counters: { lateDropped: 0 }, ...(spill ? { spill } : {}) });
  for (const [t, k, v] of input) stages[0].push(t, k, v);
  stages[0].finish();
  return { digest: sink.digest(), ...(spill ? { spill } : {}) };
}

describe('the budgeted hot table', () => {
  it('keeps every value exact through constant eviction and read-back, never holding more than its capacity', () => {
    const spill = store();
    const table = new BudgetedTable(spill.table('t', 1), 2048);
    const reference = new Map<number, number>();
    let x = 5;
    for (let i = 0; i < 20_000; i++) {
      x = (Math.imul(x, 1103515245) + 12345) | 0;
      const key = (x >>> 4) % 3000;
      table.values[table.slotOf(key)] += 1 + (i % 3);
      reference.set(key, (reference.get(key) ?? 0) + 1 + (i % 3));
      expect(table.size).toBeLessThanOrEqual(table.capacity);
    }
    for (const [key, value] of reference) expect(table.values[table.slotOf(key)]).toBe(value);
    const figures = spill.figures();
    expect(table.capacity).toBeLessThan(100);
    expect(figures.spilledRecords).toBeGreaterThan(10_000);
    expect(figures.readBackRecords).toBeGreaterThan(5_000);
    expect(figures.spilledBytes).toBe(figures.spilledRecords * 12);
  });
});

describe('a tiny budget gives exactly the output of none', () => {
  const steady = builtinScenarios().get('steady')!.pipeline;
  const windowed = builtinScenarios().get('windowed')!.pipeline;
  const keyedSum: OperatorSpec[] = [{ op: 'map', multiply: 7, add: 1, modulo: 1_000_003 }, { op: 'keyedSum' }];
  const cases: [string, OperatorSpec[], number, [number, number, number][]][] = [
    ['map, filter, keyed count (steady)', steady, 5000, records(30_000, 5000, 100)],
    ['keyed sum', keyedSum, 5000, records(30_000, 5000, 100)],
    ['windows with out-of-order records and lateness (windowed)', windowed, 2000, records(30_000, 2000, 50, 80_000)],
    ['a fork, lazy: count and windows per branch (cache)', planLineage(builtinScenarios().get('cache')!.pipeline, false), 3000, records(20_000, 3000, 100)],
  ];

  it.each(cases)('%s', (_name, pipeline, keys, input) => {
    const plain = run(pipeline, input, keys);
    const budgeted = run(pipeline, input, keys, 4096 * statefulOperators(pipeline));
    expect(budgeted.digest).toBe(plain.digest);
    const figures = budgeted.spill!.figures();
    expect(figures.spilledRecords).toBeGreaterThan(1000);
    expect(figures.readBackRecords).toBeGreaterThan(100);
    expect(figures.peakHotEntries).toBeLessThan(400 * statefulOperators(pipeline));
  });

  it('plans only the stateful operators, each with its share and table, and leaves a pipeline without a budget alone', () => {
    const fork = planLineage(builtinScenarios().get('cache')!.pipeline, false);
    expect(planBudget(fork, undefined)).toEqual(fork);
    const [planned] = planBudget(fork, 8000) as unknown as [{ branches: { pipeline: OperatorSpec[] }[] }];
    expect(planned.branches.map((b) => b.pipeline.map((op) => op.op))).toEqual([
      ['map', 'cpuCost', 'budgetedKeyedCount'],
      ['map', 'cpuCost', 'budgetedTumblingWindow'],
    ]);
    expect(planned.branches.map((b) => b.pipeline[2])).toEqual([
      { op: 'budgetedKeyedCount', store: 's0', budgetBytes: 4000 },
      { op: 'budgetedTumblingWindow', sizeMs: 100, maxOutOfOrdernessMs: 0, allowedLatenessMs: 0, store: 's1', budgetBytes: 4000 },
    ]);
  });
});

describe('a snapshot of budgeted state', () => {
  it('holds what is on disk: a fresh store restored from it continues exactly', () => {
    const pipeline: OperatorSpec[] = [{ op: 'keyedCount' }];
    const input = records(20_000, 4000, 100);
    const whole = run(pipeline, input, 4000);
    const planned = planBudget(pipeline, 2048);
    const sink = digestSink();
    const first = buildPipelineStages(planned, sink, { keys: 4000, cpuIterationsPerUs: 1, counters: { lateDropped: 0 }, spill: store() });
    for (const [t, k, v] of input.slice(0, 10_000)) first[0].push(t, k, v);
    const snapshot = structuredClone(first[0].snapshotState!());
    expect((snapshot as { keys: Float64Array }).keys.length).toBeGreaterThan(2000); // far more than memory holds: the disk's entries too
    const replacement = buildPipelineStages(planned, sink, { keys: 4000, cpuIterationsPerUs: 1, counters: { lateDropped: 0 }, spill: store() });
    replacement[0].restoreState!(snapshot);
    for (const [t, k, v] of input.slice(10_000)) replacement[0].push(t, k, v);
    expect(sink.digest()).toBe(whole.digest);
  });

  it('lets the fault scenario recover spilled state under every mode: the same output as without a budget', async () => {
    for (const [mode, params] of ALL_MODES) {
      const plain = await runTrial(smallTrial('fault', mode, params, { fault: { partition: 0, killAtSec: 0.4 } }));
      const budgeted = await runTrial(smallTrial('fault', mode, { ...params, memoryBudgetBytes: 4096 }, { fault: { partition: 0, killAtSec: 0.4 } }));
      for (const result of [plain, budgeted]) {
        expect(result.status).toBe('ok');
        expect(result.drained).toBe(true);
        expect(result.faults?.events.length).toBeGreaterThan(0);
      }
      expect(budgeted.outputDigest).toBe(plain.outputDigest);
      expect(budgeted.spill?.spilledRecords).toBeGreaterThan(0);
      expect(budgeted.spill?.readBackRecords).toBeGreaterThan(0);
      expect(budgeted.accounting?.committed).toBe(budgeted.accounting?.appended);
      // Latency while spilling, over the failed attempt and its replacement: it still splits the whole output.
      expect(budgeted.spill!.latencyWhileSpilling.count + budgeted.spill!.latencyOtherwise.count).toBe(budgeted.latency.eventTime.count);
    }
  });
});

describe('a windowed scenario under every mode with a tiny budget', () => {
  it('spills, reads back and gives the digest of no budget, with the figures in the result', async () => {
    const digests = new Set<string>();
    for (const [mode, params] of ALL_MODES) {
      for (const budget of [undefined, 2048]) {
        const result = await runTrial(smallTrial('windowed', mode, { ...params, ...(budget ? { memoryBudgetBytes: budget } : {}) }));
        expect(result.status).toBe('ok');
        expect(result.drained).toBe(true);
        digests.add(result.outputDigest);
        if (!budget) {
          expect(result.spill).toBeUndefined();
          continue;
        }
        const spill = result.spill!;
        expect(spill.budgetBytes).toBe(2048);
        expect(spill.spilledRecords).toBeGreaterThan(0);
        expect(spill.readBackRecords).toBeGreaterThan(0);
        expect(spill.spilledBytes).toBe(spill.spilledRecords * 16);
        expect(spill.latencyWhileSpilling.count + spill.latencyOtherwise.count).toBe(result.latency.eventTime.count);
      }
    }
    expect(digests.size).toBe(1);
  });
});

describe('a spill store that fails', () => {
  it('cannot open in a folder that cannot be made: a SpillError naming --spill-dir and what failed', () => {
    const file = join(root, 'a-file');
    writeFileSync(file, 'not a folder');
    expect(() => openSpillStore({ dir: join(file, 'spill'), named: file }, 0, new ManualClock())).toThrow(
      new RegExp(`^--spill-dir ${file}: cannot open the spill store in .*ENOTDIR`),
    );
  });

  it('fails the operator with a SpillError when a write fails, rather than losing state', () => {
    const spill = openSpillStore({ dir: root, named: root }, 1, new ManualClock());
    const stages = buildPipelineStages(planBudget([{ op: 'keyedCount' }], 1024), digestSink(), { keys: 100_000, cpuIterationsPerUs: 1, counters: { lateDropped: 0 }, spill });
    spill.close(); // the store's environment is gone: its next write fails
    let error: unknown;
    try {
      for (let key = 0; key < 10_000; key++) stages[0].push(key, key, 1);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(SpillError);
    expect((error as Error).message).toMatch(new RegExp(`^--spill-dir ${root}: could not write spilled state \\(.+\\); the disk may be full`));
  });
});
