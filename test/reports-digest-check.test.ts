import { describe, expect, it } from 'vitest';
import { checkDigests } from '../reports/digest-check.js';
import { makeRun } from './fixtures/run-result.js';

const microBatch = { mode: 'micro-batch', params: { workers: 1, intervalMs: 100 } };
const trigger = { mode: 'trigger', params: { workers: 1, intervalMs: 0 } };
const continuous = { mode: 'continuous', params: { workers: 2 } };

describe('checkDigests', () => {
  it('matches when every mode and trial produced the same digest', () => {
    const checks = checkDigests([
      makeRun({ ...microBatch, trial: 1 }),
      makeRun({ ...microBatch, trial: 2 }),
      makeRun({ ...trigger }),
      makeRun({ ...continuous }),
    ]);
    expect(checks).toHaveLength(1);
    expect(checks[0]).toMatchObject({ scenario: 'steady', offeredRate: 1000, verdict: 'match' });
    expect(checks[0].digests).toEqual({
      'micro-batch workers=1 T=100ms #1': 'digest-a',
      'micro-batch workers=1 T=100ms #2': 'digest-a',
      'trigger workers=1 T=0ms #1': 'digest-a',
      'continuous workers=2 #1': 'digest-a',
    });
  });

  it('flags a mismatch when one mode emitted different output', () => {
    const [check] = checkDigests([makeRun({ ...microBatch }), makeRun({ ...continuous, outputDigest: 'digest-b' })]);
    expect(check.verdict).toBe('mismatch');
    expect(check.digests['continuous workers=2 #1']).toBe('digest-b');
  });

  it.each([
    ['dropped records at the source', { sourceDropped: 3 }],
    ['did not drain', { drained: false, unprocessed: 10 }],
    ['timed out', { status: 'timeout' as const }],
    ['failed', { status: 'failed' as const }],
  ])('is not comparable when a run %s, even if digests differ', (_, fault) => {
    const [check] = checkDigests([makeRun({ ...microBatch }), makeRun({ ...continuous, outputDigest: 'digest-b', ...fault })]);
    expect(check.verdict).toBe('not comparable');
  });

  it('is not comparable with a single run, which has nothing to compare against', () => {
    expect(checkDigests([makeRun()])[0].verdict).toBe('not comparable');
  });

  it('checks each scenario and rate separately', () => {
    const checks = checkDigests([
      makeRun({ ...microBatch, offeredRate: 1000 }),
      makeRun({ ...continuous, offeredRate: 1000 }),
      makeRun({ ...microBatch, offeredRate: 5000, outputDigest: 'digest-5k' }),
      makeRun({ ...continuous, offeredRate: 5000, outputDigest: 'digest-other' }),
      makeRun({ ...microBatch, scenario: 'windows', outputDigest: 'w' }),
      makeRun({ ...continuous, scenario: 'windows', outputDigest: 'w' }),
    ]);
    expect(checks.map((c) => [c.scenario, c.offeredRate, c.verdict])).toEqual([
      ['steady', 1000, 'match'],
      ['steady', 5000, 'mismatch'],
      ['windows', 1000, 'match'],
    ]);
  });
});
