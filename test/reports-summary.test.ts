import { describe, expect, it } from 'vitest';
import { measuredSeconds, summarizeRuns } from '../reports/summary.js';
import { batchesOf, latencyOf, makeRun, repeat } from './fixtures/run-result.js';

describe('summarizeRuns: latency pooling', () => {
  it('pools percentiles from the merged histograms, not the mean of per-trial percentiles', () => {
    const a = makeRun({ trial: 1, eventTimeUs: repeat(100, 3) }); // p50 100
    const b = makeRun({ trial: 2, eventTimeUs: [1000] }); // p50 1000

    const [summary] = summarizeRuns([a, b]);
    const eventTime = summary.latency.eventTime;
    expect(eventTime.count).toBe(4);
    expect(eventTime.p50).toBe(100); // the merged distribution 100,100,100,1000; the mean of p50s would be 550
    expect(eventTime.max).toBe(1000);
    expect(eventTime.min).toBe(100);
    expect(eventTime.mean).toBeCloseTo(325, 6);
    // …the same figures as one histogram recording all four values.
    const { histogram: _merged, ...figures } = latencyOf([100, 100, 100, 1000]);
    expect(eventTime).toMatchObject(figures);
  });

  it('pools processing-time latency and generator lag the same way', () => {
    const a = makeRun({ trial: 1, processingTimeUs: repeat(50, 100), generatorLagUs: repeat(10, 100) });
    const b = makeRun({ trial: 2, processingTimeUs: repeat(70, 100), generatorLagUs: repeat(1000, 100) });
    const [summary] = summarizeRuns([a, b]);
    expect(summary.latency.processingTime.count).toBe(200);
    expect(summary.latency.processingTime.p50).toBe(50);
    expect(summary.latency.processingTime.p90).toBe(70);
    // p99 of 100×10 µs and 100×1000 µs pooled is 1000, not the mean of the trials' p99s (505).
    expect(summary.generatorLagP99Us).toBe(1000);
  });
});

describe('summarizeRuns: throughput pooling', () => {
  it('divides total records by total measured seconds, not the mean of per-trial rates', () => {
    const a = makeRun({ trial: 1, durationSec: 10, recordsIn: 10_000, recordsOut: 10_000 }); // 1000/s
    const b = makeRun({ trial: 2, durationSec: 30, recordsIn: 90_000, recordsOut: 90_000 }); // 3000/s
    const [summary] = summarizeRuns([a, b]);
    expect(summary.throughputOut).toBe(2500); // 100 000 records / 40 s; the mean of the two rates would be 2000
    expect(summary.throughputIn).toBe(2500);
    expect(summary.measuredSec).toBe(40);
    expect(summary.recordsOut).toBe(100_000);
    expect(summary.throughputOutMin).toBe(1000);
    expect(summary.throughputOutMax).toBe(3000);
  });

  it('uses the wall time each trial measured its own rate over', () => {
    // The trial ran 10.5 s of measured wall time although its configured duration was 10 s.
    const run = makeRun({ durationSec: 10, recordsIn: 1050, recordsOut: 1050, throughputIn: 100, throughputOut: 100 });
    expect(measuredSeconds(run)).toBeCloseTo(10.5, 9);
    const [summary] = summarizeRuns([run]);
    expect(summary.throughputIn).toBeCloseTo(100, 9);
    expect(summary.throughputOut).toBeCloseTo(100, 9);
  });

  it('falls back to the configured duration when a trial moved no records', () => {
    expect(measuredSeconds(makeRun({ durationSec: 7, recordsIn: 0, recordsOut: 0 }))).toBe(7);
  });
});

describe('summarizeRuns: grouping, status and accounting', () => {
  it('makes one summary per scenario, mode, rate and parameters, in first-seen order', () => {
    const runs = [
      makeRun({ mode: 'micro-batch', params: { workers: 1, intervalMs: 100 }, trial: 1 }),
      makeRun({ mode: 'continuous', params: { workers: 2 }, trial: 1 }),
      makeRun({ mode: 'micro-batch', params: { intervalMs: 100, workers: 1 }, trial: 2 }), // same params, other key order
      makeRun({ mode: 'micro-batch', params: { workers: 1, intervalMs: 10 }, trial: 1 }),
      makeRun({ mode: 'micro-batch', params: { workers: 1, intervalMs: 100 }, offeredRate: 5000, trial: 1 }),
    ];
    const summaries = summarizeRuns(runs);
    expect(summaries.map((s) => [s.mode, s.params.intervalMs, s.offeredRate, s.trials])).toEqual([
      ['micro-batch', 100, 1000, 2],
      ['continuous', undefined, 1000, 1],
      ['micro-batch', 10, 1000, 1],
      ['micro-batch', 100, 5000, 1],
    ]);
  });

  it('reports the worst status and totals of drops and unprocessed offsets', () => {
    const summaries = summarizeRuns([
      makeRun({ trial: 1, sourceDropped: 5, lateDropped: 2 }),
      makeRun({ trial: 2, status: 'timeout', unprocessed: 7, drained: false, lateDropped: 1 }),
    ]);
    expect(summaries).toHaveLength(1);
    expect(summaries[0].status).toBe('timeout');
    expect(summaries[0].sourceDropped).toBe(5);
    expect(summaries[0].lateDropped).toBe(3);
    expect(summaries[0].unprocessed).toBe(7);
    expect(summaries[0].drained).toBe(false);
  });

  it('counts a failed trial but keeps it out of the pooled figures', () => {
    const ok = makeRun({ trial: 1, durationSec: 10, recordsIn: 10_000, eventTimeUs: [100] });
    const failed = makeRun({ trial: 2, status: 'failed', error: 'worker crashed', durationSec: 10, recordsIn: 0, eventTimeUs: [] });
    const [summary] = summarizeRuns([ok, failed]);
    expect(summary.status).toBe('failed');
    expect(summary.trials).toBe(2);
    expect(summary.failedTrials).toBe(1);
    expect(summary.throughputIn).toBe(1000);
    expect(summary.latency.eventTime.count).toBe(1);
  });

  it('gives the shared digest, or an empty one with both listed when trials disagree', () => {
    const [agreeing] = summarizeRuns([makeRun({ trial: 1 }), makeRun({ trial: 2 })]);
    expect(agreeing.outputDigest).toBe('digest-a');
    expect(agreeing.trialDigests).toEqual(['digest-a']);
    const [disagreeing] = summarizeRuns([makeRun({ trial: 1, outputDigest: 'x' }), makeRun({ trial: 2, outputDigest: 'y' })]);
    expect(disagreeing.outputDigest).toBe('');
    expect(disagreeing.trialDigests).toEqual(['x', 'y']);
  });
});

describe('summarizeRuns: batch figures', () => {
  it('weights each trial by its batch count', () => {
    const a = makeRun({ trial: 1, batches: batchesOf(10, 100, 1000, 500) });
    const b = makeRun({ trial: 2, batches: batchesOf(30, 200, 2000, 700) });
    const [summary] = summarizeRuns([a, b]);
    expect(summary.batches?.count).toBe(40);
    expect(summary.batches?.meanSize).toBe(175); // (10·100 + 30·200) / 40; the mean of means would be 150
    expect(summary.batches?.maxSize).toBe(200);
    expect(summary.batches?.meanSchedulingDelayUs).toBe(1750);
    expect(summary.batches?.meanProcessingUs).toBe(650);
  });

  it('leaves batch figures out for a mode without batches', () => {
    const [summary] = summarizeRuns([makeRun({ mode: 'continuous', params: { workers: 2 } })]);
    expect(summary.batches).toBeUndefined();
    expect('batches' in summary).toBe(false);
  });
});
