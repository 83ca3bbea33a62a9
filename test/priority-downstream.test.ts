/**
 * A priority class combined with a slow sink and with faults, under every mode, with the
 * priority lane off and on (real engines on worker threads, at a light rate for about a
 * second each). Each run must produce the plain `priority` run's output (batch modes
 * exactly once; continuous and the lane's fast-tracked output at least once, deduplicated
 * equal), account for every offset, and report lane counters that add up across attempts.
 * The `fault` scenario behind a slow sink is checked the same way.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunResult } from '../primitives/results-schema.js';
import { runTrial } from '../runner/run-trial.js';
import type { TrialSpec } from '../runner/trial-spec.js';
import type { SinkSpec } from '../scenarios/downstream.js';
import { ALL_MODES, smallTrial } from './fixtures/small-trial.js';

/** Every mode, with the lane off and on. */
const RUNS = ALL_MODES.flatMap(([mode, params]) => [false, true].map((lane) => [mode, lane, { ...params, ...(lane ? { priorityLane: true } : {}) }] as const));

/** A sink of half the offered rate for the whole run, with a small queue: back-pressure in every mode. */
const SLOW_SINK: SinkSpec = { capacityPerSec: 2000, writeLatencyUs: 20, queueRecords: 200, drop: 'none' };
const FAULT = { partition: 0, killAtSec: 0.5, failBatchAtSec: 0.2 };

function spec(scenario: string, mode: string, params: TrialSpec['params'], extra: Partial<TrialSpec> = {}): TrialSpec {
  return smallTrial(scenario, mode, params, { durationSec: 1, seed: 77, drainTimeoutSec: 20, ...extra });
}

/** Every appended offset committed and every distinct output delivered or dropped by the sink's policy. */
function expectEveryOffsetAccounted(run: RunResult): void {
  expect(run.status).toBe('ok');
  expect(run.drained).toBe(true);
  expect(run.unprocessed).toBe(0);
  const accounting = run.accounting!;
  expect(accounting.sourceDropped).toBe(0);
  expect(accounting.committed).toBe(accounting.appended);
  expect(accounting.delivered + accounting.sinkDropped).toBe(accounting.outputs);
  expect(accounting.outputs).toBe(Number(run.outputDigest.split(':')[0]));
}

/** The lane counters: each priority record once, each fast-tracked one passed over once by the in-order pass. */
function expectLaneCounters(run: RunResult, plain: RunResult, lane: boolean): void {
  const figures = run.priority!;
  expect(figures.lane).toBe(lane);
  expect(figures.priorityRecords).toBe(plain.priority!.priorityRecords);
  expect(figures.caughtUp).toBe(figures.fastTracked);
  if (lane) expect(figures.fastTracked).toBeGreaterThan(0);
  else expect(figures.fastTracked).toBe(0);
  expect(figures.priority.eventTime.count + figures.normal.eventTime.count).toBe(run.latency.eventTime.count);
}

let plain: RunResult;

beforeAll(async () => {
  plain = await runTrial(spec('priority', 'continuous', ALL_MODES[2][1]));
});

describe('priority behind a slow sink', () => {
  it.each(RUNS)('%s, lane %s: back-pressure, nothing lost, the plain output', async (mode, lane, params) => {
    const run = await runTrial(spec('priority', mode, params, { sink: SLOW_SINK }));
    expectEveryOffsetAccounted(run);
    expect(run.outputDigest).toBe(plain.outputDigest);
    expect(run.accounting?.duplicates).toBe(0);
    expect(run.sink?.dropped).toBe(0);
    expect(run.sink?.blockedMs).toBeGreaterThan(0);
    expect(run.sink?.peakQueueDepth).toBeLessThanOrEqual(SLOW_SINK.queueRecords);
    expectLaneCounters(run, plain, lane);
  });

  it("micro-batch, lane on, 'newest' policy: drops are counted, offsets still add up", async () => {
    const [mode, params] = ALL_MODES[0];
    const run = await runTrial(spec('priority', mode, { ...params, priorityLane: true }, { sink: { ...SLOW_SINK, drop: 'newest' } }));
    expectEveryOffsetAccounted(run);
    expect(run.sink?.dropped).toBeGreaterThan(0);
    expect(run.accounting?.sinkDropped).toBe(run.sink?.dropped);
    expect(run.outputDigest).toBe(plain.outputDigest);
  });
});

describe('priority with a fault', () => {
  it.each(RUNS)('%s, lane %s: worker killed (and a batch failed), the plain output, duplicates counted', async (mode, lane, params) => {
    const run = await runTrial(spec('priority', mode, params, { fault: FAULT }));
    expectEveryOffsetAccounted(run);
    expectLaneCounters(run, plain, lane);
    const faults = run.faults!;
    const batchMode = mode !== 'continuous';
    expect(faults.events.map((event) => event.cause).sort()).toEqual(batchMode ? ['task-failed', 'worker-killed'] : ['worker-killed']);
    // Deduplicated, the output is the plain run's; every extra delivery is counted, in the delivered digest too.
    expect(run.outputDigest).toBe(plain.outputDigest);
    expect(run.accounting?.duplicates).toBe(faults.duplicates);
    expect(Number(faults.deliveredDigest.split(':')[0])).toBe(run.accounting!.outputs + faults.duplicates);
    if (batchMode && !lane) {
      expect(faults.delivery).toBe('exactly-once');
      expect(faults.duplicates).toBe(0);
      expect(faults.deliveredDigest).toBe(plain.outputDigest);
    } else {
      // Continuous output, and fast-tracked priority output, is delivered before the commit that covers it.
      expect(faults.delivery).toBe('at-least-once');
    }
    if (!batchMode && !lane) expect(faults.duplicates).toBeLessThanOrEqual(faults.recordsReplayed);
  });
});

describe('fault behind a slow sink', () => {
  let faultFree: RunResult;
  beforeAll(async () => {
    faultFree = await runTrial(spec('fault', 'continuous', ALL_MODES[2][1]));
  });

  it.each(ALL_MODES)('%s: recovered under back-pressure, every offset accounted for, the fault-free output', async (mode, params) => {
    const run = await runTrial(spec('fault', mode, params, { sink: SLOW_SINK, fault: FAULT }));
    expectEveryOffsetAccounted(run);
    expect(run.outputDigest).toBe(faultFree.outputDigest);
    expect(run.sink?.blockedMs).toBeGreaterThan(0);
    expect(run.faults?.events.some((event) => event.cause === 'worker-killed')).toBe(true);
    expect(Number(run.faults!.deliveredDigest.split(':')[0])).toBe(run.accounting!.outputs + run.faults!.duplicates);
  });
});
