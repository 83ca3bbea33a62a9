import { describe, expect, it } from 'vitest';
import { Random } from '../runner/random.js';
import { isSuspect, judgeRun, slope, trend } from '../runner/sweep/stability.js';
import { parseSlo } from '../runner/sweep/slo.js';
import { makeRun, timelineOf } from './fixtures/run-result.js';

const BUCKETS = 30; // a 3 s window of 100 ms buckets

function runWith(backlog: number[], latencyUs: number[], extra: Parameters<typeof makeRun>[0] = {}) {
  return makeRun({
    offeredRate: 100_000,
    durationSec: 3,
    timeline: { input: timelineOf(backlog.map(() => 10_000)), output: timelineOf(backlog.map(() => 10_000), latencyUs), backlog },
    ...extra,
  });
}

const noise = (seed: number, amplitude: number) => {
  const random = new Random(seed);
  return () => (random.next() - 0.5) * 2 * amplitude;
};

describe('least-squares slope', () => {
  it('recovers a linear trend and is zero on a constant', () => {
    expect(slope([0, 10, 20, 30], 0.1)).toBeCloseTo(100);
    expect(slope([5, 5, 5, 5, 5], 0.1)).toBe(0);
    expect(slope([7], 0.1)).toBe(0);
  });
});

describe('sustainability judgement', () => {
  it('stable: flat backlog and latency', () => {
    const verdict = judgeRun(runWith(Array(BUCKETS).fill(2000), Array(BUCKETS).fill(800)));
    expect(verdict).toMatchObject({ sustainable: true, reasons: [] });
  });

  it('noisy but flat (a micro-batch sawtooth and jittery latency) is sustainable', () => {
    const jitter = noise(3, 4000);
    const backlog = Array.from({ length: BUCKETS }, (_, i) => (i % 2 === 0 ? 10_000 : 500));
    const latency = Array.from({ length: BUCKETS }, () => 50_000 + jitter());
    expect(judgeRun(runWith(backlog, latency)).sustainable).toBe(true);
  });

  it('growing backlog is unsustainable and says so', () => {
    const backlog = Array.from({ length: BUCKETS }, (_, i) => i * 20_000);
    const verdict = judgeRun(runWith(backlog, Array(BUCKETS).fill(800)));
    expect(verdict.sustainable).toBe(false);
    expect(verdict.reasons.join()).toMatch(/backlog grows \d+ records\/s/);
    expect(verdict.backlogSlope).toBeCloseTo(200_000, -3);
  });

  it('rising latency is unsustainable and says so', () => {
    const latency = Array.from({ length: BUCKETS }, (_, i) => 1000 + i * 2000);
    const verdict = judgeRun(runWith(Array(BUCKETS).fill(100), latency));
    expect(verdict.sustainable).toBe(false);
    expect(verdict.reasons.join()).toMatch(/latency rises 20\.0 ms\/s/);
  });

  it('a small latency drift under the floor is tolerated', () => {
    const latency = Array.from({ length: BUCKETS }, (_, i) => 1000 + i * 50); // +1.5 ms over 3 s
    expect(judgeRun(runWith(Array(BUCKETS).fill(100), latency)).sustainable).toBe(true);
  });

  it('source drops, an undrained run and an undelivered rate each make a probe unsustainable', () => {
    const flat = [Array(BUCKETS).fill(100), Array(BUCKETS).fill(800)] as const;
    expect(judgeRun(runWith(...flat, { sourceDropped: 5 })).reasons.join()).toMatch(/source dropped 5/);
    expect(judgeRun(runWith(...flat, { drained: false })).reasons.join()).toMatch(/did not drain/);
    expect(judgeRun(runWith(...flat, { recordsOffered: 100_000, recordsIn: 90_000 })).reasons).toEqual(['source appended 90.0% of the records scheduled (rate not delivered)']);
  });

  it('a late load generator alone is not a failure (its lag is in the event-time latency), but a failed run mentions it', () => {
    const flat = [Array(BUCKETS).fill(100), Array(BUCKETS).fill(800)] as const;
    expect(judgeRun(runWith(...flat, { generatorLagUs: [50_000] })).sustainable).toBe(true);
    expect(judgeRun(runWith(...flat, { generatorLagUs: [50_000], drained: false })).reasons).toEqual(['did not drain', 'note: load generator late too (lag p99 50.0 ms)']);
  });

  it('one late spike (a descheduled thread) is noise, not a trend', () => {
    const latency = Array.from({ length: BUCKETS }, (_, i) => (i === BUCKETS - 2 ? 80_000 : 2000));
    const backlog = Array.from({ length: BUCKETS }, (_, i) => (i === BUCKETS - 2 ? 60_000 : 2000));
    const verdict = judgeRun(runWith(backlog, latency));
    expect(verdict.latencySlope).toBeGreaterThan(0); // the least-squares slope alone would fail it
    expect(verdict).toMatchObject({ sustainable: true, reasons: [] });
  });

  it('t statistic: infinite for a perfect line, small for noise', () => {
    expect(trend([0, 1, 2, 3], [0, 2, 4, 6])).toEqual({ slope: 2, t: Infinity });
    expect(trend([0, 1, 2, 3, 4], [0, 10, 0, 10, 1]).t).toBeLessThan(1);
    expect(trend([0, 1, 2], [5, 5, 5])).toEqual({ slope: 0, t: 0 });
  });

  it('two points: the line through them, its t ±Infinity (noise cannot be told)', () => {
    expect(trend([0, 1], [0, 5])).toEqual({ slope: 5, t: Infinity });
    expect(trend([0, 1], [5, 0])).toEqual({ slope: -5, t: -Infinity });
  });

  it('a long batch interval\'s backlog sawtooth is not a trend; growing peaks are', () => {
    // micro-batch T=1 s over a 4 s window: the backlog builds to 100k each second, then clears.
    const sawtooth = (growth: number) => Array.from({ length: 40 }, (_, i) => ((i % 10) + 1) * 10_000 + Math.floor(i / 10) * growth);
    const longBatches = (backlog: number[]) => makeRun({
      offeredRate: 100_000,
      durationSec: 4,
      params: { workers: 2, intervalMs: 1000 },
      timeline: { input: timelineOf(backlog.map(() => 10_000)), output: timelineOf(backlog.map(() => 10_000), backlog.map(() => 500_000)), backlog },
    });
    expect(judgeRun(longBatches(sawtooth(0))).sustainable).toBe(true);
    const growing = judgeRun(longBatches(sawtooth(50_000)));
    expect(growing.reasons.join()).toMatch(/backlog grows 50000 records\/s/);
    // Bucket by bucket, the flat sawtooth's least-squares rise over the window (25k) exceeds the 5% tolerance (20k).
    expect(slope(sawtooth(0), 0.1) * 4).toBeGreaterThan(0.05 * 100_000 * 4);
  });

  it('latency slope uses the time of each bucket that had output (batches 1 s apart)', () => {
    const count = Array.from({ length: 40 }, (_, i) => (i % 10 === 9 ? 100_000 : 0));
    const latency = Array.from({ length: 40 }, (_, i) => 500_000 + Math.floor(i / 10) * 400_000); // +400 ms per batch
    const run = makeRun({
      offeredRate: 100_000,
      durationSec: 4,
      params: { workers: 2, intervalMs: 1000 },
      timeline: { input: timelineOf(Array(40).fill(10_000)), output: timelineOf(count, latency), backlog: Array(40).fill(0) },
    });
    expect(judgeRun(run).reasons).toEqual(['latency rises 400.0 ms/s']);
  });

  it('applies an SLO on the event-time percentile', () => {
    const run = runWith(Array(BUCKETS).fill(100), Array(BUCKETS).fill(800), { eventTimeUs: [1000, 2000, 60_000] });
    expect(judgeRun(run, parseSlo('max<50ms')).reasons.join()).toMatch(/SLO max<50ms missed/);
    expect(judgeRun(run, parseSlo('p50<50ms')).sustainable).toBe(true);
  });
});

describe('suspect failures (worth one re-probe)', () => {
  const lagged = (p99: number) => ({ ...makeRun({}).generatorLag, p99 });
  it('a run whose load generator ran late with nothing dropped is suspect', () => {
    expect(isSuspect(makeRun({ generatorLag: lagged(92_000) }))).toBe(true);
  });
  it('an on-time generator, a full log or a failed run is not', () => {
    expect(isSuspect(makeRun({ generatorLag: lagged(200) }))).toBe(false);
    expect(isSuspect(makeRun({ generatorLag: lagged(92_000), sourceDropped: 5 }))).toBe(false);
    expect(isSuspect(makeRun({ generatorLag: lagged(92_000), status: 'timeout' }))).toBe(false);
  });
});
