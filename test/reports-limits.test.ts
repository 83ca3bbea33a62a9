/**
 * Every run measures its floors (the pipeline fused on one thread, a raw thread hand-off at
 * the run's record spacing) and the table shows each configuration against them: output as a
 * share of floor × workers, p50 latency as a multiple of the hand-off. Probes are injected;
 * no thread is started.
 */
import { describe, expect, it } from 'vitest';
import type { RunLimits } from '../primitives/results-schema.js';
import { floorShare, formatMultiple, formatShare, handoffMultiple } from '../reports/limits.js';
import { summarizeRuns } from '../reports/summary.js';
import { renderTable } from '../reports/table.js';
import { HANDOFF_MAX_RATE, measureLimits } from '../runner/run-limits.js';
import { builtinScenarios } from '../scenarios/index.js';
import { makeRun } from './fixtures/run-result.js';

const LIMITS: RunLimits = {
  fusedRecordsPerSec: { steady: 50_000_000 },
  handoff: { '1000': { spacingUs: 1000, oneWayP50Us: 20, oneWayP99Us: 60 } },
};

describe('a configuration against the run\'s floors', () => {
  it('is its output ÷ (fused × workers), and its p50 ÷ the hand-off p50 at its rate', () => {
    const light = summarizeRuns([makeRun({ recordsOut: 10_000, durationSec: 10, eventTimeUs: [30, 30, 50] })])[0];
    expect(floorShare({ ...light, params: { workers: 2 } }, LIMITS)).toBeCloseTo(1000 / 100_000_000, 12);
    expect(handoffMultiple(light, LIMITS)).toBe(30 / 20);
    const overload = { ...light, offeredRate: 20_000_000, throughputOut: 30_000_000, params: { workers: 2 } };
    expect(floorShare(overload, LIMITS)).toBe(0.3);
    expect(handoffMultiple(overload, LIMITS)).toBeUndefined(); // no hand-off at that rate
    expect(floorShare({ ...overload, scenario: 'heavy' }, LIMITS)).toBeUndefined(); // no floor for that scenario
    expect(floorShare(overload, undefined)).toBeUndefined();
  });

  it('formats shares and multiples for a table cell', () => {
    expect([0.3, 0.047, 0.0004, undefined].map(formatShare)).toEqual(['30%', '4.7%', '<0.1%', '-']);
    expect([1.5, 12.4, 4321, undefined].map(formatMultiple)).toEqual(['1.5×', '12×', '4k×', '-']);
  });

  it('appear as two columns of the table only when the run measured them', () => {
    const summaries = summarizeRuns([makeRun({ recordsOut: 10_000, durationSec: 10, eventTimeUs: [30, 30, 50] })]);
    const withLimits = renderTable(summaries, [], LIMITS);
    const header = withLimits.split('\n')[0];
    expect(header).toMatch(/out\/s +of floor +p50\/hand-off +src lag p99/);
    expect(withLimits.split('\n')[2]).toMatch(/1k\/s +<0\.1% +1\.5× /);
    expect(withLimits).toMatch(/of floor: out\/s ÷ \(the pipeline fused on one thread × workers\)/);
    expect(renderTable(summaries, [])).not.toMatch(/of floor/);
  });
});

describe('measureLimits', () => {
  it('measures the fused floor once per scenario and a hand-off at each light rate\'s spacing', async () => {
    const fused: string[] = [];
    const spacings: number[] = [];
    const steady = builtinScenarios().get('steady')!;
    const heavy = builtinScenarios().get('heavy')!;
    const limits = await measureLimits([steady, heavy, steady], [1000, 50_000, 20_000_000, 1000], 600, {
      fused: async (scenario, cpuIterationsPerUs) => (fused.push(`${scenario.name}@${cpuIterationsPerUs}`), scenario.name === 'steady' ? 4e7 : 5e4),
      handoff: async (spacingUs) => (spacings.push(spacingUs), { oneWay: { p50: spacingUs / 100, p99: spacingUs / 10 } }),
    });
    expect(fused).toEqual(['steady@600', 'heavy@600']);
    expect(spacings).toEqual([1000, 20]); // 20M/s is above HANDOFF_MAX_RATE: its latency is queueing, not a wake-up
    expect(HANDOFF_MAX_RATE).toBeLessThan(20_000_000);
    expect(limits).toEqual({
      fusedRecordsPerSec: { steady: 4e7, heavy: 5e4 },
      handoff: { '1000': { spacingUs: 1000, oneWayP50Us: 10, oneWayP99Us: 100 }, '50000': { spacingUs: 20, oneWayP50Us: 0.2, oneWayP99Us: 2 } },
    });
  });
});
