/**
 * The slow-sink scenario on real engines: a sink that absorbs less than the offered rate
 * holds every mode back (the backlog grows in the source log) and, without a drop policy,
 * loses nothing; with the 'newest' policy, drops are counted and every offset is still
 * accounted for.
 */
import { describe, expect, it } from 'vitest';
import type { RunResult } from '../primitives/results-schema.js';
import { runTrial } from '../runner/run-trial.js';
import type { TrialSpec } from '../runner/trial-spec.js';
import { ALL_MODES, smallTrial } from './fixtures/small-trial.js';
import type { SinkSpec } from '../scenarios/downstream.js';

/** Offered 6000 records/s against a sink of 2000/s: overloaded threefold. */
function spec(mode: string, params: TrialSpec['params'], sink: SinkSpec): TrialSpec {
  return smallTrial('slow-sink', mode, params, { rate: 6000, durationSec: 0.6, seed: 7, drainTimeoutSec: 20, sink });
}

const modes = ALL_MODES;

const backPressure: SinkSpec = { capacityPerSec: 2000, writeLatencyUs: 0, queueRecords: 200, drop: 'none' };

function expectAccounted(run: RunResult): void {
  const accounting = run.accounting;
  expect(accounting).toBeDefined();
  if (!accounting) return;
  expect(accounting.committed).toBe(accounting.appended);
  expect(accounting.sourceDropped).toBe(0);
  // The pipeline (map, keyed count) emits one output per input.
  expect(accounting.outputs).toBe(accounting.appended);
  expect(accounting.delivered + accounting.sinkDropped).toBe(accounting.outputs);
  expect(accounting.duplicates).toBe(0);
}

describe('slow-sink without a drop policy', () => {
  it.each(modes)('%s: back-pressure grows the backlog, nothing is dropped, every offset is delivered', async (mode, params) => {
    const run = await runTrial(spec(mode, params, backPressure));
    expect(run.status).toBe('ok');
    expect(run.drained).toBe(true);
    expectAccounted(run);
    expect(run.sink?.dropped).toBe(0);
    expect(run.accounting?.delivered).toBe(run.accounting?.appended);
    // Three times the sink's capacity was offered: the excess waits in the source log.
    expect(Math.max(...run.timeline.backlog)).toBeGreaterThan(1000);
    expect(run.sink?.blockedMs).toBeGreaterThan(0);
    expect(run.sink?.peakQueueDepth).toBeLessThanOrEqual(200);
  });
});

describe("slow-sink with the 'newest' drop policy", () => {
  it.each([modes[0], modes[2]])('%s: drops are counted, and offsets still add up', async (mode, params) => {
    const run = await runTrial(spec(mode, params, { ...backPressure, drop: 'newest' }));
    expect(run.status).toBe('ok');
    expect(run.drained).toBe(true);
    expectAccounted(run);
    expect(run.sink?.dropped).toBeGreaterThan(0);
    expect(run.accounting?.sinkDropped).toBe(run.sink?.dropped);
  });
});
