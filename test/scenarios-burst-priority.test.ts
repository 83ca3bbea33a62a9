/**
 * The `burst` and `priority` scenarios under every mode (real engines on worker threads, at
 * a light rate for about a second each): every input offset is accounted for, the modes
 * (and, for `priority`, the runs with and without the priority lane) emit the same output,
 * and the scenario's extra figures are there. No timing is asserted.
 */
import { describe, expect, it } from 'vitest';
import type { RunResult } from '../primitives/results-schema.js';
import { runTrial } from '../runner/run-trial.js';
import type { TrialSpec } from '../runner/trial-spec.js';
import { ALL_MODES, smallTrial } from './fixtures/small-trial.js';

function spec(scenario: string, mode: string, params: TrialSpec['params']): TrialSpec {
  return smallTrial(scenario, mode, params, { durationSec: 1.2, seed: 99 });
}

const modes = ALL_MODES;

/** Every appended offset processed (none unprocessed), nothing dropped, the source delivered what it offered. */
function expectAccounted(run: RunResult): void {
  expect(run.status).toBe('ok');
  expect(run.sourceDropped).toBe(0);
  expect(run.recordsIn).toBe(run.recordsOffered);
  expect(run.unprocessed).toBe(0);
  expect(run.drained).toBe(true);
  expect(run.latency.eventTime.count).toBeGreaterThan(0);
}

describe('burst under every mode', () => {
  it('accounts for every offset, agrees on the output, and reports recovery from the peak', async () => {
    const runs: RunResult[] = [];
    for (const [mode, params] of modes) runs.push(await runTrial(spec('burst', mode, params)));
    for (const run of runs) {
      expectAccounted(run);
      const recovery = run.recovery!;
      expect(recovery).toBeDefined();
      expect(recovery.peakFactor).toBe(5);
      expect(recovery.peakStartSec).toBeCloseTo(0.3, 6);
      expect(recovery.peakEndSec).toBeCloseTo(0.6, 6);
      expect(recovery.windowP99Us.length).toBe(run.timeline.backlog.length);
      expect(recovery.windowP99Us.some((v) => v !== null)).toBe(true);
      expect(recovery.peakLatencyUs).toBeGreaterThan(0);
      expect(recovery.peakLatencyUs).toBeLessThanOrEqual(run.latency.eventTime.max + 1);
      expect(run.priority).toBeUndefined();
    }
    // The peak offered five times the base rate for a quarter of the window: more records than 1.2 s at 4k/s.
    expect(runs[0].recordsOffered).toBeGreaterThan(4000 * 1.2 * 1.5);
    expect(new Set(runs.map((run) => run.outputDigest)).size).toBe(1);
  });
});

describe('priority under every mode, with and without the lane', () => {
  it('accounts for every offset exactly once, agrees on the output, and reports latency per class', async () => {
    const runs: RunResult[] = [];
    for (const [mode, params] of modes) {
      for (const lane of [false, true]) runs.push(await runTrial(spec('priority', mode, { ...params, ...(lane ? { priorityLane: true } : {}) })));
    }
    for (const run of runs) {
      expectAccounted(run);
      const figures = run.priority!;
      expect(figures.fraction).toBe(0.02);
      expect(figures.lane).toBe(run.params.priorityLane === true);
      expect(figures.priorityRecords).toBeGreaterThan(0);
      // Each fast-tracked offset was passed over exactly once by the in-order pass.
      expect(figures.caughtUp).toBe(figures.fastTracked);
      if (figures.lane) expect(figures.fastTracked).toBeGreaterThan(0);
      else expect(figures.fastTracked).toBe(0);
      expect(figures.priority.eventTime.count).toBeGreaterThan(0);
      expect(figures.priority.eventTime.count + figures.normal.eventTime.count).toBe(run.latency.eventTime.count);
      expect(run.recovery).toBeUndefined();
    }
    // Every mode marks the same records priority.
    expect(new Set(runs.map((run) => run.priority!.priorityRecords)).size).toBe(1);
    expect(new Set(runs.map((run) => run.outputDigest)).size).toBe(1);
  });
});
