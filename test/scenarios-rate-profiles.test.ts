/**
 * The ramp and sine rate profiles (DESIGN.md §4): their rate functions pinned by values
 * computed by hand, how `--rate` rescales them, where the generator recomputes its gap, and
 * the records the open-loop generator actually schedules under them.
 */
import { describe, expect, it } from 'vitest';
import { SourceLog } from '../primitives/source-log.js';
import { LoadGenerator } from '../runner/load-generator.js';
import { baseRate, expectedRecords, nextRateChangeUs, rateAt, scaleProfile, type RateProfile } from '../scenarios/rate-profile.js';

const SEC = 1_000_000;
const ramp: RateProfile = { kind: 'ramp', rate: 1000, toRate: 3000, atSec: 2, durationSec: 4 };
const down: RateProfile = { kind: 'ramp', rate: 5000, toRate: 1000, atSec: 0, durationSec: 2 };
const sine: RateProfile = { kind: 'sine', rate: 1000, amplitude: 0.5, periodSec: 4 };

describe('ramp', () => {
  it.each([
    [0, 1000],
    [1.999999, 1000],
    [2, 1000],
    [3, 1500], // a quarter of the way: 1000 + 2000 · 1/4
    [4, 2000],
    [5.5, 2750], // 1000 + 2000 · 3.5/4
    [6, 3000],
    [100, 3000],
  ])('at %d s offers %d records/s', (tSec, expected) => {
    expect(rateAt(ramp, tSec * SEC)).toBeCloseTo(expected, 9);
  });

  it('ramps down as well: 5000 → 1000 over 2 s is 4000 at 0.5 s and 3000 at 1 s', () => {
    expect(rateAt(down, 0.5 * SEC)).toBe(4000);
    expect(rateAt(down, 1 * SEC)).toBe(3000);
    expect(rateAt(down, 2 * SEC)).toBe(1000);
  });

  it('is rescaled by --rate at both ends; its base rate is where it starts', () => {
    expect(scaleProfile(ramp, 2)).toEqual({ kind: 'ramp', rate: 2000, toRate: 6000, atSec: 2, durationSec: 4 });
    expect(baseRate(ramp)).toBe(1000);
  });

  it('changes rate at its start, then every 1 ms slice until its end, then never', () => {
    expect(nextRateChangeUs(ramp, 0)).toBe(2 * SEC);
    expect(nextRateChangeUs(ramp, 2 * SEC)).toBe(2 * SEC + 1000);
    expect(nextRateChangeUs(ramp, 2 * SEC + 500)).toBe(2 * SEC + 1000);
    expect(nextRateChangeUs(ramp, 6 * SEC - 500)).toBe(6 * SEC);
    expect(nextRateChangeUs(ramp, 6 * SEC)).toBe(Infinity);
  });

  it('schedules 2·1000 + 4·2000 = 10000 records in its first 6 s, less one for its 1 ms slices', () => {
    // Each slice takes the rate at its start: 500/s² · (1 ms)² / 2 short per slice, × 4000 slices = 1 record.
    expect(expectedRecords(ramp, 6 * SEC)).toBeCloseTo(9999, 6);
  });
});

describe('sine', () => {
  it.each([
    [0, 1000],
    [0.5, 1000 + 500 * Math.SQRT1_2], // 1353.55…: sin(π/4) = √½
    [1, 1500],
    [2, 1000],
    [3, 500],
    [4, 1000],
    [5, 1500], // one period later
  ])('at %d s offers %d records/s', (tSec, expected) => {
    expect(rateAt(sine, tSec * SEC)).toBeCloseTo(expected, 9);
  });

  it('keeps its amplitude (a fraction) when --rate rescales it', () => {
    expect(scaleProfile(sine, 3)).toEqual({ kind: 'sine', rate: 3000, amplitude: 0.5, periodSec: 4 });
  });

  it('recomputes its rate every 1 ms slice', () => {
    expect(nextRateChangeUs(sine, 0)).toBe(1000);
    expect(nextRateChangeUs(sine, 1500)).toBe(2000);
  });

  it('schedules its mean rate over a whole period: 4000 records in 4 s', () => {
    expect(expectedRecords(sine, 4 * SEC)).toBeCloseTo(4000, 6);
  });
});

/** Event times the generator appends for `profile` over [0, endUs), pumped every 100 µs. */
function generated(profile: RateProfile, endUs: number): number[] {
  const log = SourceLog.create(1, 1 << 14);
  const generator = new LoadGenerator(log, { profile, arrivals: 'uniform', seed: 7, keys: 8, valueRange: 100, startUs: 0, endUs, measureStartUs: 0, bucketUs: 100_000, buckets: 40 });
  for (let t = 0; !generator.done; t += 100) generator.pump(t);
  generator.finish();
  return Array.from({ length: log.end(0) }, (_, o) => log.eventTime[log.slot(0, o)]);
}

const countIn = (times: number[], fromSec: number, toSec: number): number => times.filter((t) => t >= fromSec * SEC && t < toSec * SEC).length;

describe('the generator under ramp and sine', () => {
  it('follows a ramp 1000 → 3000 over 2 s: 1500, then 2500, then 3000 records per second', () => {
    const times = generated({ kind: 'ramp', rate: 1000, toRate: 3000, atSec: 0, durationSec: 2 }, 3 * SEC);
    expect(Math.abs(countIn(times, 0, 1) - 1500)).toBeLessThanOrEqual(2);
    expect(Math.abs(countIn(times, 1, 2) - 2500)).toBeLessThanOrEqual(2);
    expect(Math.abs(countIn(times, 2, 3) - 3000)).toBeLessThanOrEqual(1);
  });

  it('follows a sine of mean 2000/s, amplitude ½, period 1 s: 1000 ± 1000/π records per half period', () => {
    const times = generated({ kind: 'sine', rate: 2000, amplitude: 0.5, periodSec: 1 }, 2 * SEC);
    // ∫ 2000 · (1 + ½ sin 2πt) over [0, ½] = 1000 + 1000/π = 1318.3; over [½, 1] = 681.7.
    expect(Math.abs(countIn(times, 0, 0.5) - (1000 + 1000 / Math.PI))).toBeLessThanOrEqual(2);
    expect(Math.abs(countIn(times, 0.5, 1) - (1000 - 1000 / Math.PI))).toBeLessThanOrEqual(2);
    expect(Math.abs(times.length - 4000)).toBeLessThanOrEqual(2);
  });
});
