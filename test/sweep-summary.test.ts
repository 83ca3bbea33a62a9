import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildResultsFile, readResultsFile, writeReports } from '../reports/results-file.js';
import type { SweepPoint, SweepResult } from '../primitives/results-schema.js';
import { paretoFrontier } from '../runner/sweep/frontier.js';
import { parseSlo } from '../runner/sweep/slo.js';
import { kneeOf, renderSweepSummary } from '../reports/sweep-summary.js';
import { makeRun, TEST_ENVIRONMENT } from './fixtures/run-result.js';

const point = (mode: string, setting: string, offeredRate: number, p99: number, sustainable: boolean, reasons: string[] = []): SweepPoint => ({
  mode, setting, offeredRate, throughputOut: offeredRate * 0.75, p50: p99 / 2, p99, p99_9: p99, max: p99, sustainable, reasons,
});

const sweep = (mode: string, setting: string, points: SweepPoint[], sustainable: number): SweepResult => ({
  scenario: 'steady', mode, setting, params: { workers: 2 }, points, sustainableThroughput: sustainable, confirmed: true,
  latencyAtSustainable: { p50: 500, p99: points.find((p) => p.offeredRate === sustainable)?.p99 ?? 0, p99_9: 0, max: 0 }, probes: points.length,
});

const sweeps = [
  sweep('continuous', 'workers=2', [point('continuous', 'workers=2', 1e6, 800, true), point('continuous', 'workers=2', 2e6, 9e5, false, ['backlog grows 400000 records/s']), point('continuous', 'workers=2', 1.4e6, 2000, true), point('continuous', 'workers=2', 1.7e6, 5e5, false, ['did not drain'])], 1.4e6),
  sweep('micro-batch', 'T=100ms', [point('micro-batch', 'T=100ms', 4e6, 105_000, true), point('micro-batch', 'T=100ms', 8e6, 4e6, false, ['source dropped 5 records (log full)'])], 4e6),
];
const frontier = [{ scenario: 'steady', points: paretoFrontier(sweeps.flatMap((s) => s.points.filter((p) => p.sustainable))) }];

describe('sweep summary', () => {
  it('finds the knee: the lowest failing rate above the sustainable one', () => {
    expect(kneeOf(sweeps[0])?.offeredRate).toBe(1.7e6);
    expect(kneeOf({ ...sweeps[0], points: sweeps[0].points.filter((p) => p.sustainable) })).toBeUndefined();
  });

  it('prints sustainable throughput, the knee and the best mode under each p99 bound', () => {
    const text = renderSweepSummary(sweeps, frontier);
    expect(text).toContain('continuous workers=2');
    expect(text).toMatch(/sustainable\s+1\.4M\/s\s+p50 500µs\s+p99 2\.00ms\s+4 probes\s+knee: 1\.7M\/s fails \(did not drain\)/);
    expect(text).toContain('for p99 under 1.00ms, the most throughput is continuous workers=2: 750k/s out');
    expect(text).toContain('for p99 under 10.0ms, the most throughput is continuous workers=2: 1.05M/s out');
    expect(text).toContain('for p99 under 100ms, the most throughput is continuous workers=2');
    expect(text).toContain('for p99 under 1.00s, the most throughput is micro-batch T=100ms: 3M/s out');
  });

  it('says so when nothing above the sustainable rate failed: the search stopped before the ceiling', () => {
    const capped = sweep('trigger', 'T=0ms', [point('trigger', 'T=0ms', 2e7, 9000, true), point('trigger', 'T=0ms', 4e7, 22_000, true)], 4e7);
    expect(renderSweepSummary([capped], frontier)).toMatch(/sustainable\s+40M\/s.*2 probes  no probe above it failed: the ceiling is higher \(raise --max-rate\)/);
    expect(renderSweepSummary([sweeps[0]], frontier)).not.toContain('raise --max-rate');
  });

  it('answers for the SLO bound when one was given', () => {
    expect(renderSweepSummary(sweeps, frontier, parseSlo('p99<=2ms'))).toContain('for p99<=2ms, the most throughput is continuous workers=2: 1.05M/s out');
    expect(renderSweepSummary(sweeps, frontier, parseSlo('p50<1s'))).toContain('meeting SLO p50<1s, the most throughput is micro-batch T=100ms: 3M/s out');
  });
});

describe('sweep results', () => {
  it('results.json carries sweeps and frontier (still version 1) and sweep.csv is written in the same set', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sweep-results-'));
    try {
      const file = buildResultsFile([makeRun()], TEST_ENVIRONMENT, {}, [], new Date(0), { sweeps, frontier });
      const paths = await writeReports(dir, file);
      expect(paths.at(-1)).toBe(join(dir, 'sweep.csv'));
      expect((await readdir(dir)).sort()).toEqual(['percentiles.csv', 'results.json', 'summary.csv', 'sweep.csv', 'timeline.csv']);
      const read = await readResultsFile(join(dir, 'results.json'));
      expect(read.version).toBe(1);
      expect(read.sweeps?.[0].points[0]).toMatchObject({ mode: 'continuous', setting: 'workers=2', offeredRate: 1e6, throughputOut: 750_000, p99: 800 });
      expect(read.frontier?.[0].points.length).toBeGreaterThan(0);
      expect((await readFile(join(dir, 'sweep.csv'), 'utf8')).trim().split('\n')).toHaveLength(7);
      expect(buildResultsFile([], TEST_ENVIRONMENT, {}, []).sweeps).toBeUndefined();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
