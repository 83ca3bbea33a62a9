import { describe, expect, it } from 'vitest';
import { createHistogram } from '../primitives/histogram.js';
import { LoadGenerator, type GeneratorPlan } from '../runner/load-generator.js';
import { expectedRecords, type RateProfile } from '../scenarios/rate-profile.js';
import { SourceLog } from '../primitives/source-log.js';

const MS = 1000;
const SEC = 1_000_000;

function plan(overrides: Partial<GeneratorPlan> = {}): GeneratorPlan {
  return {
    profile: { kind: 'constant', rate: 1000 },
    arrivals: 'uniform',
    seed: 42,
    keys: 16,
    valueRange: 1000,
    startUs: 0,
    endUs: 2 * SEC,
    measureStartUs: 0,
    bucketUs: 100 * MS,
    buckets: 20,
    ...overrides,
  };
}

/** Pumps the generator from `fromUs` to `toUs` in `stepUs` steps; returns the pump results. */
function pumpRange(generator: LoadGenerator, fromUs: number, toUs: number, stepUs: number): number[] {
  const dues: number[] = [];
  for (let t = fromUs; t <= toUs; t += stepUs) dues.push(generator.pump(t));
  return dues;
}

/** Every record of partition `p` in offset order (from offset 0; the ring must not have wrapped). */
function recordsOf(log: SourceLog, p: number): { eventTime: number; key: number; value: number }[] {
  const out = [];
  for (let o = 0; o < log.end(p); o++) {
    const s = log.slot(p, o);
    out.push({ eventTime: log.eventTime[s], key: log.key[s], value: log.value[s] });
  }
  return out;
}

function allRecords(log: SourceLog): { eventTime: number; key: number; value: number }[] {
  const out = [];
  for (let p = 0; p < log.partitions; p++) out.push(...recordsOf(log, p));
  return out.sort((a, b) => a.eventTime - b.eventTime);
}

/** Counts records with event time in [fromUs, toUs). */
function countIn(records: { eventTime: number }[], fromUs: number, toUs: number): number {
  return records.filter((r) => r.eventTime >= fromUs && r.eventTime < toUs).length;
}

describe('LoadGenerator schedule and rate', () => {
  it('constant 1000/s over 2 s pumped every 1 ms appends 2000 records at exactly i·1000 µs', () => {
    const log = SourceLog.create(1, 4096);
    const generator = new LoadGenerator(log, plan({ keys: 4 }));
    expect(generator.nextDueUs).toBe(0);
    const dues = pumpRange(generator, 0, 2 * SEC, MS);
    expect(generator.done).toBe(true);
    expect(generator.nextDueUs).toBe(Infinity);
    // one record due per 1 ms pump, none at the final pump (endUs is exclusive)
    expect(dues.slice(0, 2000).every((d) => d === 1)).toBe(true);
    expect(dues[2000]).toBe(0);
    expect(log.end(0)).toBe(2000);
    for (let i = 0; i < 2000; i++) expect(log.eventTime[log.slot(0, i)]).toBe(i * 1000);
    const report = generator.finish();
    expect(report.offered).toBe(2000);
    expect(report.appended).toBe(2000);
    expect(report.offeredTotal).toBe(2000);
    expect(report.dropped).toBe(0);
    expect(report.ends).toEqual([2000]);
    // pumped on time: every lag is 0
    expect(report.lagHistogram.totalCount).toBe(2000);
    expect(report.lagHistogram.maxValue).toBe(0);
    // the input timeline counts 100 per 100 ms bucket
    expect(report.input.toData().count).toEqual(Array(20).fill(100));
  });

  it('matches expectedRecords for a non-integer gap (3 000/s = 333.3 µs)', () => {
    const log = SourceLog.create(2, 8192);
    const generator = new LoadGenerator(log, plan({ profile: { kind: 'constant', rate: 3000 } }));
    pumpRange(generator, 0, 2 * SEC, MS);
    const total = log.end(0) + log.end(1);
    expect(Math.abs(total - 6000)).toBeLessThanOrEqual(1);
    // no record scheduled in the future was appended: each pump appends only what is due
    const events = allRecords(log).map((r) => r.eventTime);
    expect(Math.max(...events)).toBeLessThan(2 * SEC);
    for (let i = 1; i < events.length; i++) expect(events[i] - events[i - 1]).toBeCloseTo(1e6 / 3000, 6);
  });

  it('pump appends only records due at or before now', () => {
    const log = SourceLog.create(1, 64);
    const generator = new LoadGenerator(log, plan({ profile: { kind: 'constant', rate: 100 } })); // 10 ms gap
    expect(generator.pump(0)).toBe(1);
    expect(generator.pump(9_999)).toBe(0);
    expect(generator.nextDueUs).toBe(10_000);
    expect(generator.pump(10_000)).toBe(1);
    expect(generator.pump(35_000)).toBe(2); // 20 ms and 30 ms
    expect(log.end(0)).toBe(4);
    expect(generator.nextDueUs).toBe(40_000);
  });

  it('poisson arrivals average close to the rate, with irregular gaps', () => {
    const rate = 10_000;
    const durationUs = 2 * SEC;
    const counts: number[] = [];
    for (const seed of [1, 2, 3]) {
      const log = SourceLog.create(1, 65_536);
      const generator = new LoadGenerator(log, plan({ seed, arrivals: 'poisson', profile: { kind: 'constant', rate }, endUs: durationUs }));
      pumpRange(generator, 0, durationUs, MS);
      counts.push(log.end(0));
      const times = recordsOf(log, 0).map((r) => r.eventTime);
      const gaps = times.slice(1).map((t, i) => t - times[i]);
      const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length;
      const sd = Math.sqrt(gaps.reduce((a, g) => a + (g - mean) ** 2, 0) / gaps.length);
      // exponential gaps: mean ≈ sd ≈ 100 µs (uniform arrivals would have sd 0)
      expect(mean).toBeGreaterThan(95);
      expect(mean).toBeLessThan(105);
      expect(sd / mean).toBeGreaterThan(0.9);
      expect(sd / mean).toBeLessThan(1.1);
    }
    // expected 20 000 each, Poisson sd ≈ 141: allow 4 sd
    for (const c of counts) expect(Math.abs(c - 20_000)).toBeLessThan(600);
    // different seeds give different arrival counts
    expect(new Set(counts).size).toBeGreaterThan(1);
  });

  it('a step profile changes the rate at the step time', () => {
    const profile: RateProfile = { kind: 'step', rate: 1000, steps: [{ atSec: 1, rate: 4000 }, { atSec: 1.5, rate: 500 }] };
    const log = SourceLog.create(1, 8192);
    const generator = new LoadGenerator(log, plan({ profile, endUs: 2 * SEC }));
    pumpRange(generator, 0, 2 * SEC, MS);
    const records = allRecords(log);
    expect(countIn(records, 0, SEC)).toBe(1000);
    expect(Math.abs(countIn(records, SEC, 1.5 * SEC) - 2000)).toBeLessThanOrEqual(1);
    expect(Math.abs(countIn(records, 1.5 * SEC, 2 * SEC) - 250)).toBeLessThanOrEqual(1);
    expect(Math.abs(records.length - expectedRecords(profile, 2 * SEC))).toBeLessThanOrEqual(2);
  });

  it('a step profile is measured from startUs, not from time 0', () => {
    const profile: RateProfile = { kind: 'step', rate: 1000, steps: [{ atSec: 0.5, rate: 2000 }] };
    const log = SourceLog.create(1, 8192);
    const startUs = 3 * SEC;
    const generator = new LoadGenerator(log, plan({ profile, startUs, endUs: startUs + SEC, measureStartUs: startUs }));
    expect(generator.nextDueUs).toBe(startUs);
    pumpRange(generator, startUs, startUs + SEC, MS);
    const records = allRecords(log);
    expect(records[0].eventTime).toBe(startUs);
    expect(countIn(records, startUs, startUs + 0.5 * SEC)).toBe(500);
    expect(Math.abs(countIn(records, startUs + 0.5 * SEC, startUs + SEC) - 1000)).toBeLessThanOrEqual(1);
  });

  it('a burst profile multiplies the rate inside the peak window only', () => {
    const profile: RateProfile = { kind: 'burst', rate: 1000, peakFactor: 5, atSec: 0.5, durationSec: 0.25 };
    const log = SourceLog.create(2, 8192);
    const generator = new LoadGenerator(log, plan({ profile, endUs: SEC }));
    pumpRange(generator, 0, SEC, MS);
    const records = allRecords(log);
    expect(countIn(records, 0, 0.5 * SEC)).toBe(500);
    expect(Math.abs(countIn(records, 0.5 * SEC, 0.75 * SEC) - 1250)).toBeLessThanOrEqual(1);
    expect(Math.abs(countIn(records, 0.75 * SEC, SEC) - 250)).toBeLessThanOrEqual(1);
    // in the peak, records are 200 µs apart
    const peak = records.filter((r) => r.eventTime >= 0.55 * SEC && r.eventTime < 0.7 * SEC).map((r) => r.eventTime);
    for (let i = 1; i < peak.length; i++) expect(peak[i] - peak[i - 1]).toBeCloseTo(200, 6);
  });
});

describe('LoadGenerator open-loop timing', () => {
  it('stamps scheduled times, not append times, when pumped late, and records the lag', () => {
    const log = SourceLog.create(1, 4096);
    const generator = new LoadGenerator(log, plan({ keys: 1 }));
    // a stall: nothing pumped from 0 to 500 ms
    expect(generator.pump(500 * MS)).toBe(501); // 0, 1, ..., 500 ms
    expect(log.end(0)).toBe(501);
    const times = recordsOf(log, 0).map((r) => r.eventTime);
    expect(times).toEqual(Array.from({ length: 501 }, (_, i) => i * MS));
    // then on time again
    pumpRange(generator, 501 * MS, 2 * SEC, MS);
    const report = generator.finish();
    expect(report.appended).toBe(2000);
    const lag = report.lagHistogram;
    expect(lag.totalCount).toBe(2000);
    // lag of record i (i ≤ 500) is (500 − i) ms; the rest are on time
    expect(lag.maxValue).toBeGreaterThanOrEqual(500 * MS * 0.999);
    expect(lag.maxValue).toBeLessThanOrEqual(500 * MS * 1.001);
    expect(lag.minNonZeroValue).toBeGreaterThanOrEqual(MS * 0.999);
    expect(lag.minNonZeroValue).toBeLessThanOrEqual(MS * 1.001);
    // 1500 records on time + record at 500 ms: p75 is 0, the late ones sit above
    expect(lag.getValueAtPercentile(74)).toBe(0);
    const meanExpected = (MS * (500 * 501)) / 2 / 2000; // Σ(500−i) ms / 2000
    expect(Math.abs(lag.mean - meanExpected) / meanExpected).toBeLessThan(0.002);
  });

  it('records lag into an injected histogram, and only for measured records', () => {
    const log = SourceLog.create(1, 4096);
    const histogram = createHistogram(false);
    const generator = new LoadGenerator(log, plan({ measureStartUs: SEC }), histogram);
    generator.pump(SEC - MS); // warm-up records, 999 ms late at most
    pumpRange(generator, SEC, 2 * SEC, MS);
    const report = generator.finish();
    expect(report.lagHistogram).toBe(histogram);
    expect(histogram.totalCount).toBe(1000);
    expect(histogram.maxValue).toBe(0);
  });
});

describe('LoadGenerator content', () => {
  it('sends every record to partition key % partitions, keys in [0, keys), values in [0, valueRange)', () => {
    const partitions = 3;
    const log = SourceLog.create(partitions, 4096);
    const generator = new LoadGenerator(log, plan({ keys: 10, valueRange: 50 }));
    pumpRange(generator, 0, 2 * SEC, MS);
    const seenKeys = new Set<number>();
    let total = 0;
    for (let p = 0; p < partitions; p++) {
      const records = recordsOf(log, p);
      expect(records.length).toBeGreaterThan(0);
      total += records.length;
      for (const r of records) {
        expect(r.key % partitions).toBe(p);
        expect(r.key).toBeGreaterThanOrEqual(0);
        expect(r.key).toBeLessThan(10);
        expect(r.value).toBeGreaterThanOrEqual(0);
        expect(r.value).toBeLessThan(50);
        seenKeys.add(r.key);
      }
      // offset order is scheduled-time order within a partition
      for (let i = 1; i < records.length; i++) expect(records[i].eventTime).toBeGreaterThan(records[i - 1].eventTime);
    }
    expect(total).toBe(2000);
    expect(seenKeys.size).toBe(10);
    expect(generator.finish().ends).toEqual([0, 1, 2].map((p) => log.end(p)));
  });

  it('is reproducible for the same seed and differs for another', () => {
    const run = (seed: number, stepUs: number, arrivals: 'uniform' | 'poisson' = 'uniform') => {
      const log = SourceLog.create(2, 4096);
      const generator = new LoadGenerator(log, plan({ seed, arrivals, outOfOrder: { fraction: 0.2, maxDelayMs: 30 } }));
      pumpRange(generator, 0, 2 * SEC, stepUs);
      generator.pump(2 * SEC);
      expect(generator.done).toBe(true);
      return [0, 1].map((p) => recordsOf(log, p));
    };
    const a = run(7, MS);
    expect(run(7, MS)).toEqual(a);
    // the pump cadence does not change the content either
    expect(run(7, 37 * MS)).toEqual(a);
    const b = run(8, MS);
    expect(b).not.toEqual(a);
    const keysA = a.flat().sort((x, y) => x.eventTime - y.eventTime).map((r) => r.key);
    const keysB = b.flat().sort((x, y) => x.eventTime - y.eventTime).map((r) => r.key);
    const same = keysA.filter((k, i) => k === keysB[i]).length;
    expect(same).toBeLessThan(keysA.length / 4); // 16 keys: ~1/16 agree by chance
    // poisson arrival times are reproducible too
    expect(run(9, MS, 'poisson')).toEqual(run(9, MS, 'poisson'));
    expect(run(9, MS, 'poisson')).not.toEqual(run(10, MS, 'poisson'));
  });

  it('out-of-order records have event times up to maxDelay before their scheduled time', () => {
    const log = SourceLog.create(1, 4096);
    const generator = new LoadGenerator(log, plan({ keys: 1, outOfOrder: { fraction: 0.3, maxDelayMs: 20 } }));
    pumpRange(generator, 0, 2 * SEC, MS);
    const records = recordsOf(log, 0);
    expect(records).toHaveLength(2000);
    let late = 0;
    const delays: number[] = [];
    records.forEach((r, i) => {
      const scheduled = i * MS;
      expect(r.eventTime).toBeLessThanOrEqual(scheduled);
      expect(r.eventTime).toBeGreaterThan(scheduled - 20 * MS);
      if (r.eventTime < scheduled) {
        late++;
        delays.push(scheduled - r.eventTime);
      }
    });
    expect(late / 2000).toBeGreaterThan(0.25);
    expect(late / 2000).toBeLessThan(0.35);
    // The delays spread uniformly over [0, 20 ms): mean ≈ 10 ms (±0.25 ms for ~600 of them), the largest near 20 ms.
    const mean = delays.reduce((a, b) => a + b, 0) / delays.length;
    expect(mean).toBeGreaterThan(9 * MS);
    expect(mean).toBeLessThan(11 * MS);
    expect(Math.max(...delays)).toBeGreaterThan(19 * MS);
    expect(delays.filter((d) => d < 10 * MS).length / delays.length).toBeGreaterThan(0.4);
    expect(delays.filter((d) => d < 10 * MS).length / delays.length).toBeLessThan(0.6);
  });
});

describe('LoadGenerator overload and lifecycle', () => {
  it('counts drops instead of overwriting when a ring is full', () => {
    const log = SourceLog.create(1, 8);
    const generator = new LoadGenerator(log, plan({ keys: 1, endUs: 20 * MS }));
    pumpRange(generator, 0, 20 * MS, MS);
    expect(log.end(0)).toBe(8);
    const before = recordsOf(log, 0).map((r) => r.eventTime);
    expect(before).toEqual(Array.from({ length: 8 }, (_, i) => i * MS)); // the first 8 survive, untouched
    const report = generator.finish();
    expect(report.offered).toBe(20);
    expect(report.appended).toBe(8);
    expect(report.dropped).toBe(12);
    expect(log.dropped(0)).toBe(12);
    expect(report.ends).toEqual([8]);
    expect(report.lagHistogram.totalCount).toBe(8);
    expect(report.input.toData().count[0]).toBe(8);
  });

  it('resumes appending once the consumer commits', () => {
    const log = SourceLog.create(2, 4);
    const generator = new LoadGenerator(log, plan({ keys: 2, endUs: SEC }));
    generator.pump(50 * MS);
    const dropped0 = log.dropped(0) + log.dropped(1);
    expect(log.end(0)).toBe(4);
    expect(log.end(1)).toBe(4);
    expect(dropped0).toBe(51 - 8);
    log.commit(0, 3);
    generator.pump(60 * MS);
    expect(log.end(0)).toBe(7); // three more into partition 0
    expect(log.end(1)).toBe(4);
    // the new records wrapped around into the slots of committed offsets 0..2
    for (let o = 4; o < 7; o++) {
      const t = log.eventTime[log.slot(0, o)];
      expect(t).toBeGreaterThan(50 * MS);
      expect(log.key[log.slot(0, o)] % 2).toBe(0);
    }
    const report = generator.finish();
    expect(report.dropped).toBe(log.dropped(0) + log.dropped(1));
    expect(report.appended + report.dropped).toBe(report.offered);
    expect(report.appended).toBe(11);
  });

  it('does not count warm-up records as offered or appended', () => {
    const log = SourceLog.create(1, 4096);
    const generator = new LoadGenerator(log, plan({ measureStartUs: 500 * MS, endUs: SEC, buckets: 5 }));
    pumpRange(generator, 0, SEC, MS);
    const report = generator.finish();
    expect(log.end(0)).toBe(1000); // warm-up records are still appended
    expect(report.offeredTotal).toBe(1000);
    expect(report.offered).toBe(500);
    expect(report.appended).toBe(500);
    expect(report.lagHistogram.totalCount).toBe(500);
    const input = report.input.toData();
    expect(input.startUs).toBe(500 * MS);
    expect(input.count).toEqual([100, 100, 100, 100, 100]);
  });

  it('counts drops of warm-up records but not in offered', () => {
    const log = SourceLog.create(1, 4);
    const generator = new LoadGenerator(log, plan({ keys: 1, measureStartUs: 10 * MS, endUs: 20 * MS }));
    pumpRange(generator, 0, 20 * MS, MS);
    const report = generator.finish();
    expect(report.offeredTotal).toBe(20);
    expect(report.offered).toBe(10);
    expect(report.appended).toBe(0); // the 4 slots were taken in warm-up
    expect(report.dropped).toBe(16);
  });

  it('publishes ends only through pump, and finish() marks every partition finished', () => {
    const log = SourceLog.create(3, 64);
    const generator = new LoadGenerator(log, plan({ endUs: 10 * MS }));
    for (let p = 0; p < 3; p++) expect(log.finished(p)).toBe(false);
    pumpRange(generator, 0, 10 * MS, MS);
    expect(generator.done).toBe(true);
    for (let p = 0; p < 3; p++) expect(log.finished(p)).toBe(false);
    const report = generator.finish();
    for (let p = 0; p < 3; p++) expect(log.finished(p)).toBe(true);
    expect(report.ends.reduce((a, b) => a + b, 0)).toBe(10);
  });

  it('continues from offsets already in the log', () => {
    const log = SourceLog.create(1, 64);
    log.publish(0, 5);
    log.commit(0, 5);
    const generator = new LoadGenerator(log, plan({ keys: 1, endUs: 3 * MS }));
    generator.pump(3 * MS);
    expect(log.end(0)).toBe(8);
    expect(log.eventTime[log.slot(0, 5)]).toBe(0);
    expect(log.eventTime[log.slot(0, 7)]).toBe(2 * MS);
    expect(generator.finish().ends).toEqual([8]);
  });
});

describe('LoadGenerator sharing one schedule (broker runs: a generator per share)', () => {
  type Indexed = { eventTime: number; key: number; value: number; index: number };

  /**
   * Runs share `share` (none: the whole schedule) of 20k records/s for 0.2 s, pumped every
   * 250 µs, reading each record as it is published with the schedule index written beside it;
   * the consumer commits everything read every `commitEveryUs` (Infinity: never).
   */
  function generate(share: { index: number; count: number } | undefined, capacity: number, commitEveryUs: number) {
    const log = SourceLog.create(2, capacity);
    const recordIndex = new SharedArrayBuffer(2 * capacity * 8);
    const index = new Float64Array(recordIndex);
    const generator = new LoadGenerator(log, plan({ profile: { kind: 'constant', rate: 20_000 }, endUs: 0.2 * SEC, ...(share ? { share } : {}), recordIndex }));
    const records: Indexed[] = [];
    const read = [0, 0];
    for (let t = 0; !generator.done; t += 250) {
      generator.pump(t);
      for (let p = 0; p < 2; p++) {
        for (; read[p] < log.end(p); read[p]++) {
          const s = log.slot(p, read[p]);
          records.push({ eventTime: log.eventTime[s], key: log.key[s], value: log.value[s], index: index[s] });
        }
        if (t % commitEveryUs === 0) log.commit(p, read[p]);
      }
    }
    return { records: records.sort((a, b) => a.index - b.index), report: generator.finish() };
  }

  it('the shares together append exactly the unshared schedule, each record once with its index in the schedule', () => {
    const whole = generate(undefined, 8192, Infinity);
    expect(whole.records.map((r) => r.index)).toEqual(Array.from({ length: 4000 }, (_, i) => i));
    const shares = [0, 1, 2].map((index) => generate({ index, count: 3 }, 8192, Infinity));
    shares.forEach((s, index) => {
      expect(s.records.every((r) => r.index % 3 === index)).toBe(true);
      expect(s.report.offeredTotal).toBe(s.records.length);
    });
    const union = shares.flatMap((s) => s.records).sort((a, b) => a.index - b.index);
    expect(union).toEqual(whole.records);
  });

  it('records held back for want of a slot keep their index; drops are counted in their share alone', () => {
    // A ring of 8 per partition committed every 1 ms: records written ahead find it full, are
    // held back, and are written (a slot freed by then) or dropped at their time.
    const whole = generate(undefined, 8192, Infinity).records;
    for (const index of [0, 1]) {
      const s = generate({ index, count: 2 }, 8, 1000);
      expect(s.report.dropped).toBeGreaterThan(0);
      expect(s.records.length).toBe(2000 - s.report.dropped);
      expect(s.report.offeredTotal).toBe(2000);
      for (const r of s.records) expect(r).toEqual(whole[r.index]);
    }
  });
});
