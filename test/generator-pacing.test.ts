/**
 * How the generator's thread paces its publishes (`runner/generator-pacing.ts`), in simulated
 * time: a ManualClock that a clock read advances a little (so spinning costs time) and a sleep
 * advances by what was asked plus the OS's wake-up overshoot. Per record at 1k/s (microsecond
 * lateness, spinning only the last `spinUs` before a record), on the cadence above (no
 * spinning, a publish per cadence, lateness below one publish interval), never early.
 */
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../primitives/clock.js';
import { paceGenerator, type PacingSettings } from '../runner/generator-pacing.js';
import { LoadGenerator, type GeneratorPlan } from '../runner/load-generator.js';
import { GENERATOR_PACING } from '../runner/generator-pacing.js';
import { SourceLog } from '../primitives/source-log.js';
import type { RateProfile } from '../scenarios/rate-profile.js';

const MS = 1000;
const SEC = 1_000_000;
/** What a clock read costs in simulated time (µs): spinning is many reads. */
const READ_US = 0.25;

interface Simulation {
  /** Sleeps' overshoot (µs), by sleep number. */
  overshootUs?: (sleep: number) => number;
  /** How long a pump takes (µs), beyond the clock reads. */
  pumpUs?: number;
  /** Stop after this many pumps. */
  stopAfterPumps?: number;
  settings?: PacingSettings;
}

function plan(profile: RateProfile, durationUs: number, measureStartUs = 0): GeneratorPlan {
  return { profile, arrivals: 'uniform', seed: 5, keys: 64, valueRange: 1000, startUs: 0, endUs: durationUs, measureStartUs, bucketUs: 100 * MS, buckets: Math.ceil(durationUs / (100 * MS)) + 1 };
}

/** Paces a real generator over a real log in simulated time; a consumer commits all it sees at each pump. */
function simulate(generatorPlan: GeneratorPlan, simulation: Simulation = {}) {
  const clock = new ManualClock(generatorPlan.startUs - 2 * MS);
  const log = SourceLog.create(2, 1 << 16);
  const generator = new LoadGenerator(log, generatorPlan);
  const pumpTimes: number[] = [];
  let readTimeUs = 0;
  let sleepTimeUs = 0;
  let sleeps = 0;
  let earlyPublishes = 0;
  const paced = {
    get nextDueUs() {
      return generator.nextDueUs;
    },
    get done() {
      return generator.done;
    },
    rateAtUs: (atUs: number) => generator.rateAtUs(atUs),
    pump(nowUs: number): number {
      pumpTimes.push(nowUs);
      const due = generator.pump(nowUs);
      clock.advance(simulation.pumpUs ?? 0);
      // nothing visible is scheduled after the pump's time (event time = scheduled time here)
      for (let p = 0; p < 2; p++) if (log.end(p) > 0 && log.eventTime[log.slot(p, log.end(p) - 1)] > nowUs) earlyPublishes++;
      for (let p = 0; p < 2; p++) log.commit(p, log.end(p));
      return due;
    },
  };
  const report = paceGenerator(
    paced,
    () => {
      clock.advance(READ_US);
      readTimeUs += READ_US;
      return clock.now();
    },
    (us) => {
      const overshootUs = simulation.overshootUs?.(sleeps) ?? 0;
      sleeps++;
      sleepTimeUs += us + overshootUs;
      clock.advance(us + overshootUs);
    },
    () => simulation.stopAfterPumps !== undefined && pumpTimes.length >= simulation.stopAfterPumps,
    simulation.settings ?? GENERATOR_PACING,
  );
  const result = generator.finish();
  const lag = { max: result.lagHistogram.maxValue, p50: result.lagHistogram.getValueAtPercentile(50), count: result.lagHistogram.totalCount };
  result.lagHistogram.destroy();
  const intervals = pumpTimes.slice(1).map((t, i) => t - pumpTimes[i]);
  return { report, result, lag, pumpTimes, intervals, readTimeUs, sleepTimeUs, sleeps, earlyPublishes, generator, elapsedUs: clock.now() };
}

/** A deterministic jitter in [0, 1): the sleep number hashed. */
function jitter(n: number): number {
  return ((Math.imul(n + 1, 0x9e3779b1) >>> 0) % 1000) / 1000;
}

describe('pacing per record (rates up to 1k/s)', () => {
  it('publishes each record within a microsecond of its time, and spins only the last spinUs before it', () => {
    // the sleep ends 5..65 µs late, inside the 120 µs spin
    const run = simulate(plan({ kind: 'constant', rate: 1000 }, SEC), { overshootUs: (n) => 5 + 60 * jitter(n) });
    expect(run.result.appended).toBe(1000);
    expect(run.earlyPublishes).toBe(0);
    expect(run.lag.count).toBe(1000);
    expect(run.lag.max).toBeLessThanOrEqual(1);
    expect(run.report.pumps).toBe(1000);
    expect(run.report.cadencePumps).toBe(0);
    expect(run.sleeps).toBe(1000);
    // time awake (reading the clock) per record: what the spin left after the overshoot, never more than spinUs
    const awakePerRecordUs = run.readTimeUs / 1000;
    expect(awakePerRecordUs).toBeLessThanOrEqual(GENERATOR_PACING.spinUs);
    expect(awakePerRecordUs).toBeGreaterThan(GENERATOR_PACING.spinUs - 70);
  });

  it('a sleep that overshoots past the record makes that record late by the overshoot, nothing more', () => {
    const run = simulate(plan({ kind: 'constant', rate: 1000 }, 100 * MS), { overshootUs: (n) => (n === 10 ? 300 : 20) });
    expect(run.lag.max).toBeGreaterThanOrEqual(300 - GENERATOR_PACING.spinUs - 1);
    expect(run.lag.max).toBeLessThanOrEqual(300 - GENERATOR_PACING.spinUs + 1);
    expect(run.lag.p50).toBe(0);
  });
});

describe('pacing on the cadence (above 1k/s)', () => {
  it('at 1M/s: a publish per cadence, no spinning, each record late by less than one publish interval', () => {
    // the wake-up overshoots 40..60 µs; records of the first 20 ms (while the estimate settles) are warm-up
    const run = simulate(plan({ kind: 'constant', rate: 1e6 }, 200 * MS, 20 * MS), { overshootUs: (n) => 40 + 20 * jitter(n) });
    expect(run.result.appended).toBe(180_000);
    expect(run.result.offeredTotal).toBe(200_000);
    expect(run.earlyPublishes).toBe(0);
    const { cadenceUs } = GENERATOR_PACING;
    // one pump per cadence, all of them on it
    expect(run.report.pumps).toBeGreaterThan((200 * MS) / cadenceUs / 1.1);
    expect(run.report.pumps).toBeLessThan((200 * MS) / cadenceUs / 0.9);
    expect(run.report.cadencePumps).toBe(run.report.pumps);
    // no spinning: a few clock reads per pump
    expect(run.readTimeUs / run.report.pumps).toBeLessThanOrEqual(4 * READ_US);
    // the learnt overshoot (its low end) keeps the interval within the jitter of the cadence, not cadence + 50 µs
    const settled = run.intervals.slice(50);
    const mean = settled.reduce((a, b) => a + b, 0) / settled.length;
    expect(mean).toBeGreaterThan(cadenceUs);
    expect(mean).toBeLessThan(cadenceUs + 10);
    // lateness < the publish interval: the cadence plus the overshoot's jitter around its estimate
    const longest = Math.max(...settled);
    expect(longest).toBeLessThan(cadenceUs + 20 + 1);
    expect(run.lag.max).toBeLessThan(longest + 1);
    expect(run.lag.max).toBeGreaterThan(cadenceUs * 0.8);
    expect(run.lag.p50).toBeGreaterThan(cadenceUs * 0.4);
    expect(run.lag.p50).toBeLessThan(cadenceUs * 0.6);
  });

  it('with wake-ups on time, lateness stays below the cadence', () => {
    const run = simulate(plan({ kind: 'constant', rate: 20e6 }, 20 * MS));
    expect(run.lag.count).toBe(run.result.offeredTotal);
    expect(run.lag.count).toBeGreaterThanOrEqual(400_000);
    expect(run.lag.max).toBeLessThan(GENERATOR_PACING.cadenceUs + 1);
    expect(run.earlyPublishes).toBe(0);
    for (const interval of run.intervals) expect(interval).toBeLessThanOrEqual(GENERATOR_PACING.cadenceUs + 3 * READ_US);
  });

  it('between the rates: one publish per record at its time, sleeping to it (no spinning)', () => {
    // 5k/s: 200 µs apart, more than a cadence
    const run = simulate(plan({ kind: 'constant', rate: 5000 }, 100 * MS), { overshootUs: () => 30 });
    expect(run.report.pumps).toBe(500);
    expect(run.report.cadencePumps).toBe(500);
    expect(run.readTimeUs / run.report.pumps).toBeLessThanOrEqual(4 * READ_US);
    expect(run.lag.max).toBeLessThan(GENERATOR_PACING.cadenceUs);
  });

  it('a generator behind its schedule pumps back to back, without sleeping, and catches up', () => {
    const run = simulate(plan({ kind: 'constant', rate: 1e6 }, 10 * MS), { pumpUs: 150 });
    expect(run.result.appended).toBe(10_000);
    expect(run.sleeps).toBeLessThanOrEqual(2);
    expect(run.lag.max).toBeGreaterThan(100);
  });

  it('a custom cadence bounds the lateness likewise', () => {
    const settings = { ...GENERATOR_PACING, cadenceUs: 1000 };
    const run = simulate(plan({ kind: 'constant', rate: 1e5 }, 100 * MS), { settings });
    expect(run.report.pumps).toBeGreaterThan(95);
    expect(run.report.pumps).toBeLessThan(105);
    expect(run.lag.max).toBeLessThan(1001);
    expect(run.lag.max).toBeGreaterThan(900);
  });
});

describe('pacing across rate changes, and stopping', () => {
  it('a burst from 500/s to 25k/s: per record outside the peak, on the cadence inside it', () => {
    const profile: RateProfile = { kind: 'burst', rate: 500, peakFactor: 50, atSec: 0.4, durationSec: 0.2 };
    const run = simulate(plan(profile, SEC), { overshootUs: (n) => 20 + 30 * jitter(n) });
    expect(run.earlyPublishes).toBe(0);
    expect(run.result.appended).toBe(run.result.offeredTotal);
    expect(Math.abs(run.result.appended - (400 + 5000))).toBeLessThanOrEqual(1);
    const perRecordPumps = run.report.pumps - run.report.cadencePumps;
    expect(perRecordPumps).toBeGreaterThanOrEqual(399);
    expect(perRecordPumps).toBeLessThanOrEqual(402);
    // 0.2 s at a pump per 100 µs
    expect(run.report.cadencePumps).toBeGreaterThan(1800);
    expect(run.report.cadencePumps).toBeLessThan(2100);
    expect(run.lag.max).toBeLessThan(GENERATOR_PACING.cadenceUs + 50);
  });

  it('returns as soon as it is stopped, without publishing more', () => {
    const run = simulate(plan({ kind: 'constant', rate: 1e6 }, SEC), { stopAfterPumps: 10 });
    expect(run.report.pumps).toBe(10);
    expect(run.generator.done).toBe(false);
    expect(run.elapsedUs).toBeLessThan(2 * MS);
  });

  it('the default settings: per record up to 1k/s, spinning the last 120 µs; above, a publish per 100 µs', () => {
    expect(GENERATOR_PACING).toEqual({ perRecordMaxRate: 1000, spinUs: 120, cadenceUs: 100 });
  });
});
