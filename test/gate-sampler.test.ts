/**
 * The gate's measuring side with everything injected (no engine, no threads): trial specs
 * per round (planted CPU scale applied), metric values from the runs and the job's median
 * references, re-runs of disturbed or empty trials, and failed trials.
 */
import { describe, expect, it } from 'vitest';
import { resolveSuite } from '../reports/gate/suite.js';
import type { RunResult } from '../primitives/results-schema.js';
import { suiteSampler } from '../reports/gate/suite-sampler.js';
import type { GateSuite } from '../reports/gate/suite.js';
import { createRoundSampler, GateRunFailed, type SamplerOptions } from '../runner/gate-sampler.js';
import { failedRun } from '../runner/run-isolated.js';
import type { TrialSpec } from '../runner/trial-spec.js';
import { miniConfig } from './fixtures/gate-fixtures.js';

/** The suite's sampler over the round sampler, measuring through the injected `options`. */
const createSampler = (suite: GateSuite, cpuIterationsPerUs: number, options: SamplerOptions) =>
  suiteSampler(suite, cpuIterationsPerUs, createRoundSampler(cpuIterationsPerUs, options));

/** An ok result for `spec` with the given output rate and latency p50s (µs). */
function fakeRun(spec: TrialSpec, throughputOut: number, eventP50 = 30, processingP50 = 24): RunResult {
  const run = failedRun(spec, 'failed', '');
  const latency = (p50: number) => ({ ...run.latency.eventTime, count: 1000, p50, mean: p50 });
  return { ...run, status: 'ok', throughputOut, recordsOut: throughputOut * spec.durationSec, latency: { eventTime: latency(eventP50), processingTime: latency(processingP50) } };
}

const handoff = async (spacingUs: number) => ({ spacingUs, oneWay: { p50: 20, p90: 30, p99: 60 }, roundTrip: { p50: 40, p90: 50, p99: 90 } });

describe('createSampler', () => {
  it('runs each needed run once per round with the planted CPU scale, dividing by the job median references', async () => {
    const suite = resolveSuite(miniConfig, 'mini-planted', 'test.json');
    const specs: TrialSpec[] = [];
    const fusedRates = [40_000, 50_000, 60_000];
    let fusedCalls = 0;
    const sampler = createSampler(suite, 600, {
      quiet: true,
      runTrial: async (spec) => {
        specs.push(spec);
        return fakeRun(spec, spec.scenario === 'heavy' ? 60_000 : 750);
      },
      handoff,
      fused: async () => fusedRates[fusedCalls++ % 3],
      contentionMeter: () => async () => 0,
    });
    const set = await sampler(suite.metrics, 3, 'measure');
    expect(specs.map((s) => [s.scenario, s.trial, s.cpuIterationsPerUs])).toEqual([
      ['heavy', 0, 750], ['steady', 0, 600],
      ['heavy', 1, 750], ['steady', 1, 600],
      ['heavy', 2, 750], ['steady', 2, 600],
    ]);
    expect(set.samples['heavy throughput ÷ fused']).toEqual([1.2, 1.2, 1.2]); // 60k ÷ median(40k, 50k, 60k)
    expect(set.samples['steady p50 ÷ hand-off']).toEqual([1.5, 1.5, 1.5]); // 30 µs ÷ 20 µs
    expect(set.samples['heavy ÷ steady throughput']).toEqual([80, 80, 80]);
    expect(set.contention?.['heavy throughput ÷ fused']).toEqual([0, 0, 0]);
    expect(set.calibration.rounds.map((r) => r.fused.heavy)).toEqual(fusedRates);
  });

  it('re-runs a trial disturbed by other processes and keeps the least disturbed attempt', async () => {
    const suite = resolveSuite(miniConfig, 'mini', 'test.json');
    const busy = [0.9, 0.6, 0.1, 0, 0, 0, 0, 0];
    const rates = [30_000, 40_000, 60_000];
    let call = 0;
    const sampler = createSampler(suite, 600, {
      quiet: true,
      runTrial: async (spec) => fakeRun(spec, spec.scenario === 'heavy' ? (rates[call] ?? 60_000) : 750),
      handoff,
      fused: async () => 50_000,
      contentionMeter: () => async () => busy[call++],
    });
    const set = await sampler([suite.metrics[0]], 1, 'confirm');
    expect(call).toBe(3);
    expect(set.samples['heavy throughput ÷ fused']).toEqual([1.2]);
    expect(set.contention?.['heavy throughput ÷ fused']).toEqual([0.1]);
  });

  it('stops re-running after the suite\'s retries and keeps the quietest attempt', async () => {
    const suite = resolveSuite(miniConfig, 'mini', 'test.json');
    let call = 0;
    const sampler = createSampler(suite, 600, {
      quiet: true,
      runTrial: async (spec) => fakeRun(spec, 50_000 - call * 1000),
      handoff,
      fused: async () => 50_000,
      contentionMeter: () => async () => [0.7, 0.6, 0.9][call++],
    });
    const set = await sampler([suite.metrics[0]], 1, 'measure');
    expect(call).toBe(1 + suite.retries);
    expect(set.contention?.['heavy throughput ÷ fused']).toEqual([0.6]);
    expect(set.samples['heavy throughput ÷ fused']).toEqual([0.98]);
  });

  it('a failed trial, or one that never emits, makes the measurement fail', async () => {
    const suite = resolveSuite(miniConfig, 'mini', 'test.json');
    const base = { quiet: true, handoff, fused: async () => 50_000, contentionMeter: () => async () => 0 };
    const failing = createSampler(suite, 600, { ...base, runTrial: async (spec) => failedRun(spec, 'timeout', 'trial did not finish within 40 s') });
    await expect(failing([suite.metrics[0]], 3, 'measure')).rejects.toThrow(GateRunFailed);
    await expect(failing([suite.metrics[0]], 3, 'measure')).rejects.toThrow(/run 'fast' trial 1 timeout: trial did not finish/);
    let calls = 0;
    const silent = createSampler(suite, 600, { ...base, runTrial: async (spec) => (calls++, fakeRun(spec, 0)) });
    await expect(silent([suite.metrics[0]], 3, 'measure')).rejects.toThrow(/run 'fast' trial 1 emitted no output in its measurement window/);
    expect(calls).toBe(1 + suite.retries);
  });
});
