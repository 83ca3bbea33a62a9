/**
 * Event-time windows recover from a fault, with and without a memory budget: a tumbling
 * window's snapshot (the watermark, the open windows, each (window, key) count and sum) taken
 * mid-stream and restored into a fresh operator — and, budgeted, a fresh spill store — continues
 * exactly, spilled entries included; both forms take the same snapshot, so either restores the
 * other's; and the windowed scenario with a worker killed mid-run (and a batch that fails once)
 * gives the digest of a fault-free run under every mode, budgeted or not, every offset accounted
 * for.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildPipelineStages, type OperatorSpec } from '../engines/operators/pipeline.js';
import type { Stage } from '../engines/operators/stage.js';
import type { WindowsState } from '../engines/operators/tumbling-window.js';
import { planBudget } from '../engines/operators/budget-plan.js';
import { openSpillStore, type SpillStore } from '../engines/state/spill-store.js';
import { ManualClock } from '../primitives/clock.js';
import { digestSink } from './fixtures/digest-sink.js';
import { runTrial } from '../runner/run-trial.js';
import { builtinScenarios, parseWorkload } from '../scenarios/index.js';
import { ALL_MODES, smallTrial } from './fixtures/small-trial.js';

const root = mkdtempSync(join(tmpdir(), 'streambench-window-recovery-'));
const stores: SpillStore[] = [];
afterAll(() => {
  for (const store of stores) store.close();
});

const windowed = builtinScenarios().get('windowed')!;
const KEYS = 2000;

/** `n` records 50 µs apart, keys below {@link KEYS}, a fifth of them up to 80 ms early (seeded). */
function records(n: number): [number, number, number][] {
  let x = 31;
  const next = (): number => (x = (Math.imul(x, 1103515245) + 12345) | 0) >>> 1;
  return Array.from({ length: n }, (_, i) => {
    const early = next() % 5 === 0 ? next() % 80_000 : 0;
    return [100_000 + i * 50 - early, next() % KEYS, next() % 100_000];
  });
}

/** The windowed pipeline (a budget of `budgetBytes`, or none) built into `sink`: its head, its window operator and its store. */
function build(budgetBytes: number | undefined, sink: Stage): { head: Stage; window: Stage; store?: SpillStore } {
  const store = budgetBytes === undefined ? undefined : openSpillStore({ dir: root }, 0, new ManualClock());
  if (store) stores.push(store);
  const [head, window] = buildPipelineStages(planBudget(windowed.pipeline as OperatorSpec[], budgetBytes), sink, { keys: KEYS, cpuIterationsPerUs: 1, counters: { lateDropped: 0 }, ...(store ? { spill: store } : {}) });
  return { head, window, ...(store ? { store } : {}) };
}

const input = records(40_000);
const half = 20_000;

/** The digest of the whole input through one operator. */
function uninterrupted(budgetBytes?: number): string {
  const sink = digestSink();
  const { head } = build(budgetBytes, sink);
  for (const [t, k, v] of input) head.push(t, k, v);
  head.finish();
  return sink.digest();
}

/** The first half through one operator, its snapshot (structured-cloned, as it crosses threads), and the store it spilled to. */
function firstHalf(budgetBytes: number | undefined, sink: Stage): { snapshot: WindowsState; store?: SpillStore } {
  const { head, window, store } = build(budgetBytes, sink);
  for (const [t, k, v] of input.slice(0, half)) head.push(t, k, v);
  return { snapshot: structuredClone(window.snapshotState!() as WindowsState), ...(store ? { store } : {}) };
}

/** The second half through a fresh operator restored from `snapshot`. */
function secondHalf(budgetBytes: number | undefined, sink: Stage, snapshot: WindowsState): void {
  const { head, window } = build(budgetBytes, sink);
  window.restoreState!(snapshot);
  for (const [t, k, v] of input.slice(half)) head.push(t, k, v);
  head.finish();
}

describe('a tumbling window\'s snapshot', () => {
  // 4KB: a table of about 120 entries for windows of up to 2000 keys each.
  const BUDGET = 4096;

  it.each([
    ['without a budget', undefined],
    ['under a tiny budget, spilled entries included', BUDGET],
  ])('%s restores into a fresh operator that continues exactly', (_name, budget) => {
    const whole = uninterrupted(budget);
    const sink = digestSink();
    const { snapshot, store } = firstHalf(budget, sink);
    expect(snapshot.windows.length).toBeGreaterThan(0);
    expect(snapshot.watermarkUs).toBeGreaterThan(0);
    if (store) {
      // Far more entries than memory holds: those on disk are in it too.
      expect(store.figures().spilledRecords).toBeGreaterThan(0);
      expect(snapshot.entries.length).toBeGreaterThan(200);
    }
    secondHalf(budget, sink, snapshot);
    expect(sink.digest()).toBe(whole);
  });

  it('is the same for both forms, so either restores the other\'s', () => {
    const whole = uninterrupted();
    expect(uninterrupted(BUDGET)).toBe(whole);
    const plain = firstHalf(undefined, digestSink()).snapshot;
    const budgeted = firstHalf(BUDGET, digestSink()).snapshot;
    expect(budgeted).toEqual(plain);
    for (const [from, to] of [
      [undefined, BUDGET],
      [BUDGET, undefined],
    ]) {
      const sink = digestSink();
      const { snapshot } = firstHalf(from, sink);
      secondHalf(to, sink, snapshot);
      expect(sink.digest()).toBe(whole);
    }
  });
});

describe('the windowed scenario under a fault', () => {
  const windowFault = parseWorkload(
    JSON.stringify({
      name: 'windowed-fault',
      description: 'the windowed scenario with a worker killed mid-run and a batch that fails once',
      profile: { kind: 'constant', rate: 1000 },
      arrivals: 'poisson',
      keys: { count: 100 },
      valueRange: 1_000_000,
      outOfOrder: { fraction: 0.2, maxDelayMs: 80 },
      pipeline: windowed.pipeline,
      fault: { partition: 0, killAtSec: 0.4, failBatchAtSec: 0.25 },
    }),
    'json',
    'windowed-fault.json',
  );
  const fault = { partition: 0, killAtSec: 0.4, failBatchAtSec: 0.25 };

  it('recovers under every mode, budgeted (spilling) or not, with the digest of a fault-free run', async () => {
    const trial = (mode: string, params: Parameters<typeof smallTrial>[2], faulty: boolean) =>
      runTrial(smallTrial('windowed-fault', mode, params, { workload: windowFault, ...(faulty ? { fault } : {}) }));
    const clean = await trial('continuous', ALL_MODES[2][1], false);
    expect(clean.status).toBe('ok');
    for (const [mode, params] of ALL_MODES) {
      for (const budget of [undefined, 2048]) {
        const run = await trial(mode, { ...params, ...(budget ? { memoryBudgetBytes: budget } : {}) }, true);
        expect(run.status).toBe('ok');
        expect(run.drained).toBe(true);
        expect(run.faults?.events.length).toBeGreaterThan(0);
        expect(run.outputDigest).toBe(clean.outputDigest);
        expect(run.lateDropped).toBe(clean.lateDropped);
        expect(run.accounting?.committed).toBe(run.accounting?.appended);
        if (budget) {
          expect(run.spill?.spilledRecords).toBeGreaterThan(0);
          expect(run.spill?.readBackRecords).toBeGreaterThan(0);
        }
      }
    }
  });
});
