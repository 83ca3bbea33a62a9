/**
 * The floors a run is held against (DESIGN.md §5, §8), measured in the same process and
 * minutes as its trials: the scenario's pipeline fused into one loop on one fresh thread
 * (`reference-fused.ts`, tinybench), and a raw MessagePort hand-off to a sleeping worker at
 * each light offered rate's record spacing (`reference-handoff.ts`). The tables then show each
 * mode's throughput as a share of the floor × workers and its latency as a multiple of the hand-off.
 */
import type { RunLimits } from '../primitives/results-schema.js';
import type { Scenario } from '../scenarios/index.js';
import { measureFusedRateIsolated } from './reference-fused.js';
import { measureHandoff } from './reference-handoff.js';

/** Hand-offs are measured for offered rates up to this (records/s): above it records queue, and a latency is a backlog, not a wake-up. */
export const HANDOFF_MAX_RATE = 100_000;

/** How the limits are measured (injected in tests). */
export interface LimitProbes {
  fused: (scenario: Scenario, cpuIterationsPerUs: number) => Promise<number>;
  handoff: (spacingUs: number) => Promise<{ oneWay: { p50: number; p99: number } }>;
}

const REAL: LimitProbes = { fused: measureFusedRateIsolated, handoff: (spacingUs) => measureHandoff(spacingUs) };

/** Measures the floors of `scenarios` at `rates`. */
export async function measureLimits(scenarios: readonly Scenario[], rates: readonly number[], cpuIterationsPerUs: number, probes: LimitProbes = REAL): Promise<RunLimits> {
  const limits: RunLimits = { fusedRecordsPerSec: {}, handoff: {} };
  for (const scenario of scenarios) limits.fusedRecordsPerSec[scenario.name] ??= await probes.fused(scenario, cpuIterationsPerUs);
  for (const rate of [...new Set(rates)].filter((r) => r <= HANDOFF_MAX_RATE)) {
    const spacingUs = Math.round(1e6 / rate);
    const { oneWay } = await probes.handoff(spacingUs);
    limits.handoff[String(rate)] = { spacingUs, oneWayP50Us: oneWay.p50, oneWayP99Us: oneWay.p99 };
  }
  return limits;
}
