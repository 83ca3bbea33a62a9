import { describe, expect, it } from 'vitest';
import { Random } from '../primitives/random.js';
import { cyclePeaks, DEFAULT_TOLERANCE, isSuspect, judgeRun, slope, trend, type StabilityTolerance } from '../runner/sweep/stability.js';
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

describe('trend, pinned by hand', () => {
  it('t of a noisy line is r·√(n−2)/√(1−r²)', () => {
    // (0,0) (1,1) (2,3) (3,2): Sxy = 4, Sxx = Syy = 5, so slope 0.8 and r = 0.8: t = 0.8·√2/0.6.
    const { slope: b, t } = trend([0, 1, 2, 3], [0, 1, 3, 2]);
    expect(b).toBeCloseTo(0.8, 12);
    expect(t).toBeCloseTo((0.8 * Math.SQRT2) / 0.6, 12);
    // (0,0) (1,2) (2,1): Sxy = 1, Sxx = Syy = 2, so slope 0.5 and r = 0.5: t = 0.5·1/√0.75 = 1/√3.
    const three = trend([0, 1, 2], [0, 2, 1]);
    expect(three.slope).toBe(0.5);
    expect(three.t).toBeCloseTo(1 / Math.sqrt(3), 12);
  });

  it('two points: the line through them, its t ±Infinity (noise cannot be told), even when rounding leaves a residual', () => {
    expect(trend([0, 1], [0, 5])).toEqual({ slope: 5, t: Infinity });
    expect(trend([0, 0.1], [0.3, 0.7])).toEqual({ slope: expect.closeTo(4, 12), t: Infinity });
    expect(trend([0, 0.1], [0.7, 0.3])).toEqual({ slope: expect.closeTo(-4, 12), t: -Infinity });
    expect(trend([0, 1], [3, 3])).toEqual({ slope: 0, t: 0 });
  });

  it('no slope from fewer than two points or from points at one x; extra xs or ys are left out', () => {
    expect(trend([], [])).toEqual({ slope: 0, t: 0 });
    expect(trend([4], [9])).toEqual({ slope: 0, t: 0 });
    expect(trend([1, 1, 1], [1, 2, 3])).toEqual({ slope: 0, t: 0 });
    expect(trend([0, 1, 2, 3], [0, 2, 4])).toEqual({ slope: 2, t: Infinity });
    expect(trend([0, 1, 2], [0, 2, 4, 100])).toEqual({ slope: 2, t: Infinity });
  });
});

describe('cycle peaks', () => {
  it('takes the largest value of each whole cycle and drops a trailing partial one', () => {
    expect(cyclePeaks([1, 5, 2, 7], 2)).toEqual([5, 7]);
    expect(cyclePeaks([1, 5, 2, 7, 9], 2)).toEqual([5, 7]);
    expect(cyclePeaks([3, 1, 2, 8, 4, 6], 3)).toEqual([3, 8]);
  });

  it('keeps every value when a cycle is one bucket or less, or when there would be fewer than two peaks', () => {
    expect(cyclePeaks([4, 1, 3], 1)).toEqual([4, 1, 3]);
    expect(cyclePeaks([4, 1, 3], 0)).toEqual([4, 1, 3]);
    expect(cyclePeaks([1, 5, 2], 2)).toEqual([1, 5, 2]);
    expect(cyclePeaks([1, 5], 4)).toEqual([1, 5]);
  });
});

/**
 * A 2 s window of 125 ms buckets: every time, slope and rise is exact in binary floating
 * point, so a tolerance can be met exactly.
 */
function exactRun(backlog: number[], latencyUs: number[], extra: Parameters<typeof makeRun>[0] = {}) {
  const timeline = (values: number[]) => timelineOf(values, latencyUs, 0, 125_000);
  return makeRun({ offeredRate: 100_000, durationSec: 2, timeline: { input: timeline(backlog.map(() => 10_000)), output: timeline(backlog.map(() => 10_000)), backlog }, ...extra });
}
const EXACT_BUCKETS = 16;
const only = (overrides: Partial<StabilityTolerance>): StabilityTolerance => ({ ...DEFAULT_TOLERANCE, backlogRiseFraction: 0, backlogRiseFloor: 0, latencyRiseFraction: 0, latencyRiseFloorUs: 0, ...overrides });

describe('tolerances: "at most" is allowed, a trend must reach minTrendT', () => {
  const line = (from: number, step: number) => Array.from({ length: EXACT_BUCKETS }, (_, i) => from + i * step);
  const flat = (value: number) => Array<number>(EXACT_BUCKETS).fill(value);

  it('a backlog rising by exactly the tolerance is sustainable; by more, not', () => {
    const run = exactRun(line(0, 625), flat(1000)); // 5000 records/s: +10 000 over the 2 s window
    expect(judgeRun(run).backlogSlope).toBe(5000);
    expect(judgeRun(run, undefined, only({ backlogRiseFloor: 10_000 })).sustainable).toBe(true);
    expect(judgeRun(run, undefined, only({ backlogRiseFloor: 9_999 })).reasons).toEqual(['backlog grows 5000 records/s']);
  });

  it('a latency rising by exactly the tolerance is sustainable; by more, not', () => {
    const run = exactRun(flat(100), line(1000, 625)); // 5 ms/s: +10 ms over the window
    expect(judgeRun(run).latencySlope).toBe(5000);
    expect(judgeRun(run, undefined, only({ latencyRiseFloorUs: 10_000 })).sustainable).toBe(true);
    expect(judgeRun(run, undefined, only({ latencyRiseFloorUs: 9_999 })).reasons).toEqual(['latency rises 5.0 ms/s']);
  });

  it('a rising trend whose t statistic just reaches minTrendT counts; just under, not', () => {
    const xs = Array.from({ length: BUCKETS }, (_, i) => i * 0.1);
    const zigzag = Array.from({ length: BUCKETS }, (_, i) => i * 1000 + (i % 2) * 9000);
    const { t } = trend(xs, zigzag);
    expect(t).toBeGreaterThan(3);
    expect(t).toBeLessThan(100);
    const backlogRun = runWith(zigzag, Array(BUCKETS).fill(800));
    expect(judgeRun(backlogRun, undefined, only({ minTrendT: t })).reasons).toEqual([expect.stringMatching(/^backlog grows/)]);
    expect(judgeRun(backlogRun, undefined, only({ minTrendT: t * (1 + 1e-12) })).sustainable).toBe(true);
    const latencyRun = runWith(Array(BUCKETS).fill(100), zigzag);
    expect(judgeRun(latencyRun, undefined, only({ minTrendT: t })).reasons).toEqual([expect.stringMatching(/^latency rises/)]);
    expect(judgeRun(latencyRun, undefined, only({ minTrendT: t * (1 + 1e-12) })).sustainable).toBe(true);
  });

  it('the backlog may rise by 5% of the records offered in the window (a perfect line under it passes)', () => {
    // 100 000/s over 3 s: 15 000 records of slack, above the 1000-record floor.
    const rising = (rise: number) => runWith(Array.from({ length: BUCKETS }, (_, i) => 2000 + (i * rise) / BUCKETS), Array(BUCKETS).fill(800));
    expect(judgeRun(rising(12_000))).toMatchObject({ sustainable: true, reasons: [] });
    expect(judgeRun(rising(20_000)).reasons).toEqual(['backlog grows 6667 records/s']);
  });

  it('latency may rise by half its median: slack scales with the level, and one fast bucket in the middle does not shrink it', () => {
    // +30 ms over the window on a level of ~115 ms: within the 57 ms slack.
    const rising = Array.from({ length: BUCKETS }, (_, i) => 100_000 + i * 1000);
    expect(judgeRun(runWith(Array(BUCKETS).fill(100), rising))).toMatchObject({ sustainable: true, reasons: [] });
    // The median is of the values, not of the middle bucket: a 10 ms bucket in the middle leaves it ~107 ms.
    const dip = Array.from({ length: BUCKETS }, (_, i) => (i === BUCKETS / 2 ? 10_000 : 100_000 + i * 500));
    expect(judgeRun(runWith(Array(BUCKETS).fill(100), dip), undefined, { ...DEFAULT_TOLERANCE, minTrendT: 0 })).toMatchObject({ sustainable: true, reasons: [] });
    // …while a rise past half the median fails.
    expect(judgeRun(runWith(Array(BUCKETS).fill(100), Array.from({ length: BUCKETS }, (_, i) => 20_000 + i * 1000))).reasons).toEqual(['latency rises 10.0 ms/s']);
  });

  it('exactly 95% of the scheduled records appended is delivered', () => {
    const flatRun = (recordsIn: number) => runWith(Array(BUCKETS).fill(100), Array(BUCKETS).fill(800), { recordsOffered: 100_000, recordsIn });
    expect(judgeRun(flatRun(95_000)).sustainable).toBe(true);
    expect(judgeRun(flatRun(94_999)).reasons).toEqual(['source appended 95.0% of the records scheduled (rate not delivered)']);
  });

  it('an inclusive SLO is met at its bound, a strict one is not; the message gives the value in ms', () => {
    const run = runWith(Array(BUCKETS).fill(100), Array(BUCKETS).fill(800), { eventTimeUs: [1000, 50_000] });
    expect(judgeRun(run, parseSlo('max<=50ms')).sustainable).toBe(true);
    expect(judgeRun(run, parseSlo('max<50ms')).reasons).toEqual(['SLO max<50ms missed (50.0 ms)']);
    expect(judgeRun(run, parseSlo('max<=49ms')).reasons).toEqual(['SLO max<=49ms missed (50.0 ms)']);
  });

  it('a generator lag p99 of exactly sourceLagNoteUs adds no note and is not suspect', () => {
    const lag = (p99: number) => ({ ...makeRun({}).generatorLag, p99 });
    const failed = (p99: number) => runWith(Array(BUCKETS).fill(100), Array(BUCKETS).fill(800), { drained: false, generatorLag: lag(p99) });
    expect(judgeRun(failed(10_000)).reasons).toEqual(['did not drain']);
    expect(judgeRun(failed(10_001)).reasons).toEqual(['did not drain', 'note: load generator late too (lag p99 10.0 ms)']);
    expect(isSuspect(makeRun({ generatorLag: lag(10_000) }))).toBe(false);
    expect(isSuspect(makeRun({ generatorLag: lag(10_001) }))).toBe(true);
  });
});

describe('the judged window is the measurement, not the drain after it', () => {
  it('a backlog drained after the window does not hide its growth in the window', () => {
    const window = Array.from({ length: BUCKETS }, (_, i) => i * 20_000);
    const drain = Array.from({ length: BUCKETS }, (_, i) => 580_000 - (i + 1) * 20_000);
    const run = runWith([...window, ...drain], [...Array(BUCKETS).fill(800), ...Array(BUCKETS).fill(800)]);
    expect(judgeRun(run).reasons).toEqual(['backlog grows 200000 records/s']);
  });

  it('latency of output emitted in the drain is not judged, not even its first bucket', () => {
    // +4.8 ms over the window (under the 5 ms floor), then the drain's output 20 ms later.
    const window = Array.from({ length: BUCKETS }, (_, i) => 1000 + i * 160);
    const drain = Array.from({ length: 10 }, (_, i) => 1000 + (BUCKETS + i) * 160 + 20_000);
    const run = runWith([...Array(BUCKETS).fill(100), ...Array(10).fill(0)], [...window, ...drain]);
    expect(judgeRun(run)).toMatchObject({ sustainable: true, reasons: [] });
    expect(judgeRun(run).latencySlope).toBeCloseTo(1600, 6);
  });

  it('reads the bucket width from the timeline (50 ms buckets: 60 of them in a 3 s window, batch cycles of 2)', () => {
    const at50ms = (backlog: number[]) =>
      makeRun({
        offeredRate: 100_000,
        durationSec: 3,
        params: { workers: 2, intervalMs: 100 },
        timeline: { input: timelineOf(backlog.map(() => 5000), undefined, 0, 50_000), output: timelineOf(backlog.map(() => 5000), backlog.map(() => 800), 0, 50_000), backlog },
      });
    // A batch sawtooth whose peaks (odd buckets) grow 4000 per 100 ms cycle: 40 000 records/s.
    const sawtooth = Array.from({ length: 60 }, (_, i) => (i % 2 === 1 ? 2000 * i : 0));
    expect(judgeRun(at50ms(sawtooth)).backlogSlope).toBeCloseTo(40_000, 6);
    // Flat for the first half of the window, then growing: judged over all 60 buckets.
    const late = Array.from({ length: 60 }, (_, i) => (i < 30 ? 1000 : 1000 + (i - 29) * 10_000));
    expect(judgeRun(at50ms(late)).reasons.join()).toMatch(/^backlog grows \d+ records\/s$/);
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

  it('source drops, sink drops, a failed or timed-out run, an undrained run and an undelivered rate each make a probe unsustainable', () => {
    const flat = [Array(BUCKETS).fill(100), Array(BUCKETS).fill(800)] as const;
    const sink = { capacityPerSec: 1000, writeLatencyUs: 0, queueRecords: 64, drop: 'newest' as const, writes: 10, writeSize: makeRun({}).latency.eventTime, blockedMs: 0, peakQueueDepth: 64, bucketUs: 10_000, queueDepth: [], written: [] };
    expect(judgeRun(runWith(...flat, { status: 'failed' })).reasons).toEqual(['run failed']);
    expect(judgeRun(runWith(...flat, { status: 'timeout' })).reasons).toEqual(['run timeout']);
    expect(judgeRun(runWith(...flat, { sink: { ...sink, dropped: 7 } })).reasons).toEqual(['sink dropped 7 records (its queue was full)']);
    expect(judgeRun(runWith(...flat, { sink: { ...sink, dropped: 0 } }))).toMatchObject({ sustainable: true, reasons: [] });
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
