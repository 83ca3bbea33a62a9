/**
 * The fault scenario on real engines: partition 0's worker thread is terminated mid-run and
 * (batch modes) a batch task throws once. The run must still account for every
 * offset; batch modes must deliver exactly the fault-free output; continuous mode delivers
 * at least once: its deduplicated output equals the fault-free output and the extra
 * deliveries are counted.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunResult } from '../primitives/results-schema.js';
import { runTrial } from '../runner/run-trial.js';
import type { TrialSpec } from '../runner/trial-spec.js';
import { ALL_MODES, smallTrial } from './fixtures/small-trial.js';

const modes = ALL_MODES;

function spec(mode: string, params: TrialSpec['params'], withFault: boolean): TrialSpec {
  return smallTrial('fault', mode, params, { durationSec: 1, seed: 99, ...(withFault ? { fault: { partition: 0, killAtSec: 0.5, failBatchAtSec: 0.2 } } : {}) });
}

let faultFree: RunResult;

beforeAll(async () => {
  faultFree = await runTrial(spec('continuous', modes[2][1], false));
});

function expectEveryOffsetAccounted(run: RunResult): void {
  const accounting = run.accounting;
  expect(accounting).toBeDefined();
  if (!accounting) return;
  expect(accounting.sourceDropped).toBe(0);
  expect(accounting.committed).toBe(accounting.appended);
  // The pipeline (map, keyed count) emits one output per input: each is delivered (once, or more).
  expect(accounting.outputs).toBe(accounting.appended);
  expect(accounting.delivered).toBe(accounting.outputs);
  expect(accounting.sinkDropped).toBe(0);
}

describe('fault scenario', () => {
  it('the fault-free reference run drains and has no fault figures', () => {
    expect(faultFree.status).toBe('ok');
    expect(faultFree.drained).toBe(true);
    expect(faultFree.faults).toBeUndefined();
    expect(faultFree.unprocessed).toBe(0);
  });

  it.each(modes.slice(0, 2))('%s: worker killed and a batch failed, output is exactly the fault-free output', async (mode, params) => {
    const run = await runTrial(spec(mode, params, true));
    expect(run.status).toBe('ok');
    expect(run.drained).toBe(true);
    expectEveryOffsetAccounted(run);
    const faults = run.faults;
    expect(faults?.delivery).toBe('exactly-once');
    expect(faults?.events.map((e) => e.cause).sort()).toEqual(['task-failed', 'worker-killed']);
    expect(faults?.retries).toBe(1);
    expect(faults?.duplicates).toBe(0);
    expect(faults?.events.find((e) => e.cause === 'task-failed')?.batch).toBeGreaterThan(0);
    expect(faults?.outputResumedUs).toBeGreaterThan(0);
    expect(run.outputDigest).toBe(faultFree.outputDigest);
    expect(faults?.deliveredDigest).toBe(faultFree.outputDigest);
  });

  it('continuous: worker killed, replay delivers duplicates (counted); deduplicated output equals the fault-free output', async () => {
    const [mode, params] = modes[2];
    const run = await runTrial(spec(mode, params, true));
    expect(run.status).toBe('ok');
    expect(run.drained).toBe(true);
    expectEveryOffsetAccounted(run);
    const faults = run.faults;
    expect(faults?.delivery).toBe('at-least-once');
    expect(faults?.events.map((e) => e.cause)).toEqual(['worker-killed']);
    expect(faults?.retries).toBe(0);
    expect(faults?.recordsReplayed).toBeGreaterThan(0);
    // Everything delivered since the last epoch commit was delivered again by the replay.
    expect(faults?.duplicates).toBe(faults?.recordsReplayed);
    expect(run.accounting?.duplicates).toBe(faults?.duplicates);
    expect(run.outputDigest).toBe(faultFree.outputDigest);
    const [deliveredCount] = (faults?.deliveredDigest ?? '').split(':');
    expect(Number(deliveredCount)).toBe((run.accounting?.outputs ?? 0) + (faults?.duplicates ?? 0));
    expect(faults?.outputResumedUs).toBeGreaterThan(0);
  });
});
