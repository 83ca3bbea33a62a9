import { describe, expect, it } from 'vitest';
import { sweepCsv } from '../reports/sweep-csv.js';
import type { SweepResult } from '../primitives/results-schema.js';

describe('sweep.csv', () => {
  it('writes one row per probe with its verdict and reasons', () => {
    const sweep: SweepResult = {
      scenario: 'steady',
      mode: 'continuous',
      setting: 'workers=2',
      params: { workers: 2 },
      points: [
        { mode: 'continuous', setting: 'workers=2', offeredRate: 1000, throughputOut: 750, p50: 20, p99: 300, p99_9: 900, max: 1000, sustainable: true, reasons: [] },
        { mode: 'continuous', setting: 'workers=2', offeredRate: 2e7, throughputOut: 8e6, p50: 9e5, p99: 1e6, p99_9: 1e6, max: 1e6, sustainable: false, reasons: ['backlog grows 100 records/s', 'did not drain'] },
      ],
      sustainableThroughput: 1000,
      confirmed: true,
      probes: 2,
    };
    const lines = sweepCsv([sweep]).trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toBe('scenario,mode,setting,offeredRate,throughputOut,p50Us,p99Us,p99_9Us,maxUs,sustainable,reasons,sustainableThroughput');
    expect(lines[1]).toBe('steady,continuous,workers=2,1000,750,20,300,900,1000,true,,1000');
    expect(lines[2]).toContain('false,backlog grows 100 records/s; did not drain,1000');
  });
});
