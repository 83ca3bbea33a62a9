/**
 * The recovery figures of the `burst` scenario, from synthetic timelines (no engine, no
 * sleeps): latency bins and their sliding-window percentile, the peak's placement, and drain
 * and latency recovery times.
 */
import { describe, expect, it } from 'vitest';
import { LATENCY_BIN_COUNT, LatencyBinsTimeline, latencyBin, latencyBinUpperUs, mergeLatencyBins, slidingPercentile } from '../primitives/latency-bins.js';
import { placePeak } from '../scenarios/peak.js';
import { rateAt } from '../scenarios/rate-profile.js';
import { computeRecovery, defaultTolerance, firstSettledBucket, type RecoveryInput } from '../runner/recovery.js';

describe('latency bins', () => {
  it('are exact below 8 µs and at most 12.5% wide above', () => {
    for (let v = 0; v < 8; v++) expect(latencyBinUpperUs(latencyBin(v))).toBe(v);
    for (const v of [8, 9, 15, 16, 17, 100, 999, 1000, 12_345, 1e6, 3.6e9]) {
      const upper = latencyBinUpperUs(latencyBin(v));
      expect(upper).toBeGreaterThanOrEqual(Math.min(v, 2 ** 31 - 1));
      expect(upper).toBeLessThanOrEqual(Math.max(7, Math.min(v, 2 ** 31 - 1) * 1.125));
    }
  });

  it('are monotonic and contiguous: every value falls in the bin whose range holds it', () => {
    let previous = -1;
    for (let v = 0; v < 70_000; v += 7) {
      const bin = latencyBin(v);
      expect(bin).toBeGreaterThanOrEqual(previous);
      expect(v).toBeLessThanOrEqual(latencyBinUpperUs(bin));
      if (bin > 0) expect(v).toBeGreaterThan(latencyBinUpperUs(bin - 1));
      previous = bin;
    }
    expect(latencyBin(2 ** 40)).toBe(LATENCY_BIN_COUNT - 1);
    expect(latencyBin(-5)).toBe(0);
  });

  it('give a sliding-window percentile per bucket, null where the window emitted nothing', () => {
    const bins = new LatencyBinsTimeline(1_000_000, 100_000, 6);
    // Bucket 0: 99 × 10 µs and 1 × 5000 µs; bucket 1: nothing; bucket 2: 100 × 1000 µs.
    for (let i = 0; i < 99; i++) bins.add(1_000_000, 10);
    bins.add(1_050_000, 5000);
    for (let i = 0; i < 100; i++) bins.add(1_250_000, 1000);
    bins.add(999_999, 1e6); // before the first bucket: ignored
    bins.add(1_600_000, 1e6); // after the last bucket: ignored
    const p99 = slidingPercentile(bins.toData(), 2, 99);
    expect(p99[0]).toBe(latencyBinUpperUs(latencyBin(10)));
    expect(p99[1]).toBe(p99[0]); // window [0, 1] still holds bucket 0
    expect(p99[2]).toBe(latencyBinUpperUs(latencyBin(1000))); // window [1, 2]
    expect(p99[3]).toBe(p99[2]);
    expect(p99[4]).toBeNull();
    const p100 = slidingPercentile(bins.toData(), 1, 100);
    expect(p100[0]).toBe(latencyBinUpperUs(latencyBin(5000)));
  });

  it('merge across partitions by adding counts', () => {
    const a = new LatencyBinsTimeline(0, 100_000, 2);
    const b = new LatencyBinsTimeline(0, 100_000, 2);
    a.add(0, 50);
    b.add(0, 50);
    b.add(150_000, 70);
    const merged = mergeLatencyBins([a.toData(), b.toData()]);
    expect(merged.counts[latencyBin(50)]).toBe(2);
    expect(merged.counts[LATENCY_BIN_COUNT + latencyBin(70)]).toBe(1);
  });
});

describe('peak placement', () => {
  it('puts the peak at a fraction of the measurement window, after the warm-up', () => {
    const peak = placePeak({ factor: 5, startFraction: 0.25, lengthFraction: 0.25 }, 1000, 1, 8);
    expect(peak.startUs).toBe(2_000_000);
    expect(peak.endUs).toBe(4_000_000);
    expect(rateAt(peak.profile, 2_999_999)).toBe(1000); // 1 s warm-up + 2 s before the peak
    expect(rateAt(peak.profile, 3_000_000)).toBe(5000);
    expect(rateAt(peak.profile, 4_999_999)).toBe(5000);
    expect(rateAt(peak.profile, 5_000_000)).toBe(1000);
  });
});

describe('firstSettledBucket', () => {
  it('needs the value to hold for the given number of buckets, or to the end', () => {
    const ok = [false, true, false, true, true, true, false];
    expect(firstSettledBucket(0, ok.length, 3, (i) => ok[i])).toBe(3);
    expect(firstSettledBucket(0, ok.length, 4, (i) => ok[i])).toBeUndefined();
    expect(firstSettledBucket(0, 6, 4, (i) => ok[i])).toBe(3); // holds to the end of the range
    expect(firstSettledBucket(4, 6, 1, (i) => ok[i])).toBe(4);
  });
});

/** A run of 40 buckets (4 s), peak at [1 s, 2 s); flat before it. */
function input(overrides: Partial<RecoveryInput>): RecoveryInput {
  const buckets = 40;
  return {
    bucketUs: 100_000,
    peakFactor: 5,
    peakStartUs: 1_000_000,
    peakEndUs: 2_000_000,
    windowBuckets: buckets,
    backlog: new Array<number>(buckets).fill(100),
    latencyMax: new Array<number>(buckets).fill(2000),
    windowP99: new Array<number | null>(buckets).fill(1000),
    slidingBuckets: 5,
    tolerance: { relative: 0.25, latencyUs: 0, backlogRecords: 0, holdBuckets: 3 },
    ...overrides,
  };
}

describe('computeRecovery', () => {
  it('is immediate when nothing rises above its pre-peak level', () => {
    const r = computeRecovery(input({}));
    expect(r.drainTimeUs).toBe(0);
    expect(r.latencyRecoveryUs).toBe(100_000); // the first window after the peak ends a bucket later
    expect(r.preBacklog).toBe(100);
    expect(r.preWindowP99Us).toBe(1000);
    expect(r.peakLatencyUs).toBe(2000);
    expect(r.peakFactor).toBe(5);
    expect(r.peakStartSec).toBe(1);
    expect(r.peakEndSec).toBe(2);
    expect(r.slidingWindowMs).toBe(500);
  });

  it('measures drain and latency recovery from the end of the peak', () => {
    const backlog = new Array<number>(40).fill(100);
    const windowP99 = new Array<number | null>(40).fill(1000);
    const latencyMax = new Array<number>(40).fill(2000);
    // The backlog climbs during the peak and drains by bucket 27 (0.7 s after the peak's end at bucket 20).
    for (let i = 10; i < 27; i++) backlog[i] = 5000 + i;
    // The p99 stays high until bucket 30 (the window ending with bucket 30 is the first within 25%).
    for (let i = 10; i < 30; i++) windowP99[i] = 80_000;
    windowP99[31] = 1200; // within 25%: 1250
    latencyMax[15] = 95_000;
    const r = computeRecovery(input({ backlog, windowP99, latencyMax }));
    expect(r.backlogMax).toBe(5026);
    expect(r.drainTimeUs).toBe(700_000);
    expect(r.latencyRecoveryUs).toBe(1_100_000); // bucket 30 ends 1.1 s after the peak
    expect(r.peakLatencyUs).toBe(95_000);
    expect(r.peakWindowP99Us).toBe(80_000);
  });

  it('does not count a brief dip as recovered: the level must hold', () => {
    const windowP99 = new Array<number | null>(40).fill(1000);
    for (let i = 10; i < 35; i++) windowP99[i] = 50_000;
    windowP99[22] = 900; // one bucket back within, then up again
    const r = computeRecovery(input({ windowP99 }));
    expect(r.latencyRecoveryUs).toBe(1_600_000); // from bucket 35
  });

  it('reports null when the level is not regained within the measurement window', () => {
    const backlog = new Array<number>(40).fill(100);
    for (let i = 10; i < 40; i++) backlog[i] = 10_000;
    const windowP99 = new Array<number | null>(40).fill(1000);
    for (let i = 10; i < 40; i++) windowP99[i] = 300_000;
    // After the window (the source stopped) everything drains: not counted.
    const r = computeRecovery(input({ backlog: [...backlog, 0, 0, 0, 0], windowP99: [...windowP99, 10, 10, 10, 10] }));
    expect(r.drainTimeUs).toBeNull();
    expect(r.latencyRecoveryUs).toBeNull();
  });

  it('treats windows that emitted nothing as not recovered (a stalled engine emits nothing)', () => {
    const windowP99 = new Array<number | null>(40).fill(1000);
    for (let i = 10; i < 28; i++) windowP99[i] = null;
    const r = computeRecovery(input({ windowP99 }));
    expect(r.latencyRecoveryUs).toBe(900_000); // bucket 28 ends 0.9 s after the peak
  });

  it('takes the pre-peak level as the median, so one stall before the peak does not lift it', () => {
    const backlog = new Array<number>(40).fill(100);
    backlog[3] = 50_000;
    for (let i = 10; i < 25; i++) backlog[i] = 20_000;
    const r = computeRecovery(input({ backlog }));
    expect(r.preBacklog).toBe(100);
    expect(r.drainTimeUs).toBe(500_000);
  });

  it('takes the pre-peak backlog as the median of the sorted samples (even and odd counts)', () => {
    const backlog = new Array<number>(40).fill(100);
    // Pre-peak samples out of order: sorted 100 … 1000, so the middle two are 500 and 600 (in time order, 700 and 200).
    [500, 100, 900, 300, 700, 200, 800, 400, 600, 1000].forEach((v, i) => (backlog[i] = v));
    expect(computeRecovery(input({ backlog })).preBacklog).toBe(550);
    // The first 9 samples (peak from 0.9 s): sorted 100 … 900, middle 500 (in time order, 700).
    expect(computeRecovery(input({ backlog, peakStartUs: 900_000 })).preBacklog).toBe(500);
  });

  it('takes the pre-peak latency level from the full windows before the peak, skipping empty ones', () => {
    const windowP99 = new Array<number | null>(40).fill(1000);
    // Windows 0–3 are partial (5-bucket window): left out. Full windows 4–9, one of them empty;
    // the window ending with the peak's first bucket (10) is not pre-peak.
    [50, 60, 70, 80, 1100, 1200, null, 1800, 1400, 1600].forEach((v, i) => (windowP99[i] = v));
    windowP99[10] = 90_000;
    expect(computeRecovery(input({ windowP99 })).preWindowP99Us).toBe(1400); // median of 1100, 1200, 1400, 1600, 1800
    // A p99 timeline that ends before the peak: only the windows it has count (median of 1100, 1200, 1800).
    expect(computeRecovery(input({ windowP99: windowP99.slice(0, 8) })).preWindowP99Us).toBe(1200);
  });

  it('falls back to the partial windows when the peak comes before the first full one', () => {
    const windowP99 = new Array<number | null>(40).fill(1000);
    [300, null, 100, 200].forEach((v, i) => (windowP99[i] = v));
    // Peak at 0.4 s: bucket 4 would be the first full window; the level is the median of 300, 100, 200.
    const r = computeRecovery(input({ windowP99, peakStartUs: 400_000 }));
    expect(r.preWindowP99Us).toBe(200);
  });

  it('a peak at the very start has no pre-peak level: backlog 0, latency level and recovery null', () => {
    const windowP99 = new Array<number | null>(40).fill(10);
    const backlog = Array.from({ length: 40 }, (_, i) => (i < 25 ? 100 : 0));
    // Every window after the peak is within the 1 ms slack, but there is no level to recover to.
    const r = computeRecovery(input({ backlog, windowP99, peakStartUs: 0, tolerance: { relative: 0.25, latencyUs: 1000, backlogRecords: 0, holdBuckets: 3 } }));
    expect(r.preBacklog).toBe(0);
    expect(r.preWindowP99Us).toBeNull();
    expect(r.latencyRecoveryUs).toBeNull();
    expect(r.drainTimeUs).toBe(500_000); // back to 0 (no slack here) from bucket 25
  });

  it('adds the absolute slacks to the limits (and a value at the limit is within it)', () => {
    const backlog = new Array<number>(40).fill(100);
    const windowP99 = new Array<number | null>(40).fill(1000);
    for (let i = 10; i < 40; i++) backlog[i] = 600; // within 100·1.25 + 500
    for (let i = 10; i < 40; i++) windowP99[i] = 2250; // within 1000·1.25 + 1000
    const slack = { relative: 0.25, latencyUs: 1000, backlogRecords: 500, holdBuckets: 3 };
    const r = computeRecovery(input({ backlog, windowP99, tolerance: slack }));
    expect(r.drainTimeUs).toBe(0);
    expect(r.latencyRecoveryUs).toBe(100_000);
    // Exactly at the limit counts as recovered; just above, not.
    const atLimit = computeRecovery(input({ backlog: backlog.map((v, i) => (i >= 10 ? 625 : v)), windowP99: windowP99.map((v, i) => (i >= 10 ? 2250 : v)), tolerance: slack }));
    expect(atLimit).toMatchObject({ drainTimeUs: 0, latencyRecoveryUs: 100_000 });
    const above = computeRecovery(input({ backlog: backlog.map((v, i) => (i >= 10 ? 626 : v)), windowP99: windowP99.map((v, i) => (i >= 10 ? 2251 : v)), tolerance: slack }));
    expect(above).toMatchObject({ drainTimeUs: null, latencyRecoveryUs: null });
  });

  it('peak figures read every bucket of the longest timeline from the peak on, drain included; missing windows are skipped', () => {
    const latencyMax = new Array<number>(45).fill(2000);
    latencyMax[42] = 70_000; // emitted in the drain, after the 40-bucket window
    const windowP99 = new Array<number | null>(30).fill(1000); // shorter than the others
    windowP99[25] = 40_000;
    const r = computeRecovery(input({ latencyMax, windowP99 }));
    expect(r.peakLatencyUs).toBe(70_000);
    expect(r.peakWindowP99Us).toBe(40_000);
    // No window emitted anything from the peak on: no peak p99.
    const silent = new Array<number | null>(40).fill(1000).map((v, i) => (i >= 10 ? null : v));
    expect(computeRecovery(input({ windowP99: silent })).peakWindowP99Us).toBeNull();
  });

  it('returns the sliding-window p99 timeline it read, as a copy', () => {
    const windowP99 = Array.from({ length: 40 }, (_, i) => (i % 7 === 3 ? null : 1000 + i));
    const r = computeRecovery(input({ windowP99 }));
    expect(r.windowP99Us).toEqual(windowP99);
    expect(r.windowP99Us).not.toBe(windowP99);
  });

  it('uses the default tolerance: slack of one interval of input plus 5 ms', () => {
    expect(defaultTolerance(20_000, 100)).toEqual({ relative: 0.25, latencyUs: 1000, backlogRecords: 2100, holdBuckets: 5 });
    expect(defaultTolerance(200_000).backlogRecords).toBe(1000);
  });
});
