/**
 * The load generator writes records ahead of their time (issue 17). Pinned: for a fixed seed
 * it writes the same records, with the same drops, counts and lags, as the generator before
 * write-ahead did (values captured from that implementation, commit 91168f6, with the same
 * pumps); no record is visible before its scheduled time; a record written ahead never takes
 * an uncommitted slot; a full ring's drops are decided at the record's time; the records
 * written ahead stay within their bound.
 */
import { describe, expect, it } from 'vitest';
import { LoadGenerator, WRITE_AHEAD, type GeneratorPlan, type WriteAhead } from '../runner/load-generator.js';
import { mix32 } from '../primitives/random.js';
import { SourceLog } from '../primitives/source-log.js';

const MS = 1000;

const base: GeneratorPlan = {
  profile: { kind: 'constant', rate: 4000 },
  arrivals: 'uniform',
  seed: 42,
  keys: 1000,
  valueRange: 1_000_000,
  startUs: 0,
  endUs: 1_000_000,
  measureStartUs: 200_000,
  bucketUs: 100_000,
  buckets: 10,
};

interface Case {
  partitions: number;
  capacity: number;
  /** Pump every this many µs (from startUs), as a pacing thread would. */
  stepUs: number;
  /** A consumer that commits half of what it has not committed, this often. */
  commitEveryUs?: number;
  plan: GeneratorPlan;
}

const cases: Record<string, Case> = {
  steady: { partitions: 2, capacity: 1 << 14, stepUs: 1000, plan: base },
  windowed: { partitions: 2, capacity: 1 << 14, stepUs: 1000, plan: { ...base, keys: 100, arrivals: 'poisson', outOfOrder: { fraction: 0.2, maxDelayMs: 80 } } },
  zipfRamp: {
    partitions: 3,
    capacity: 1 << 14,
    stepUs: 700,
    plan: { ...base, seed: 1234, keys: 200, keyDistribution: { kind: 'zipf', exponent: 1.1 }, arrivals: 'poisson', profile: { kind: 'ramp', rate: 2000, toRate: 6000, atSec: 0.2, durationSec: 0.6 } },
  },
  hotSine: { partitions: 2, capacity: 1 << 14, stepUs: 1000, plan: { ...base, keys: 100, keyDistribution: { kind: 'hot', hotKeys: 1, hotRatio: 0.5 }, profile: { kind: 'sine', rate: 3000, amplitude: 0.5, periodSec: 0.5 } } },
  stepOoo: {
    partitions: 3,
    capacity: 1 << 14,
    stepUs: 1000,
    plan: { ...base, keys: 50, valueRange: 1000, outOfOrder: { fraction: 0.3, maxDelayMs: 20 }, profile: { kind: 'step', rate: 2000, steps: [{ atSec: 0.5, rate: 8000 }, { atSec: 0.9, rate: 1000 }] } },
  },
  burst: { partitions: 2, capacity: 1 << 14, stepUs: 1000, plan: { ...base, seed: 7, profile: { kind: 'burst', rate: 2000, peakFactor: 5, atSec: 0.4, durationSec: 0.2 } } },
  fast: { partitions: 2, capacity: 1 << 20, stepUs: 10, plan: { ...base, endUs: 8_000, measureStartUs: 2_000, bucketUs: 1000, buckets: 6, profile: { kind: 'constant', rate: 20e6 } } },
  fastPoisson: { partitions: 4, capacity: 1 << 18, stepUs: 37, plan: { ...base, seed: 99, arrivals: 'poisson', endUs: 4_000, measureStartUs: 0, bucketUs: 1000, buckets: 4, profile: { kind: 'constant', rate: 10e6 } } },
  cadence: { partitions: 2, capacity: 1 << 19, stepUs: 100, plan: { ...base, seed: 3, endUs: 4_000, measureStartUs: 1_000, bucketUs: 1000, buckets: 3, profile: { kind: 'constant', rate: 20e6 } } },
  cadenceOoo: {
    partitions: 3,
    capacity: 1 << 18,
    stepUs: 100,
    plan: { ...base, seed: 5, arrivals: 'poisson', outOfOrder: { fraction: 0.2, maxDelayMs: 1 }, endUs: 3_000, measureStartUs: 0, bucketUs: 1000, buckets: 3, profile: { kind: 'constant', rate: 20e6 } },
  },
  // keys past the partition table
  manyKeys: { partitions: 3, capacity: 1 << 12, stepUs: 100, plan: { ...base, seed: 8, keys: 200_000, endUs: 20_000, measureStartUs: 0, bucketUs: 10_000, buckets: 2, profile: { kind: 'constant', rate: 100_000 } } },
  // records held back (full rings) and decided at their time, out of order, lags past 2048 µs
  heldOoo: {
    partitions: 2,
    capacity: 8,
    stepUs: 3000,
    commitEveryUs: 3000,
    plan: { ...base, seed: 21, keys: 2, outOfOrder: { fraction: 0.5, maxDelayMs: 1 }, endUs: 100_000, measureStartUs: 10_000, buckets: 1, profile: { kind: 'constant', rate: 2000 } },
  },
  dropsPoisson: {
    partitions: 3,
    capacity: 32,
    stepUs: 130,
    commitEveryUs: 1000,
    plan: { ...base, seed: 77, keys: 30, arrivals: 'poisson', outOfOrder: { fraction: 0.1, maxDelayMs: 2 }, endUs: 50_000, measureStartUs: 5_000, buckets: 1, profile: { kind: 'constant', rate: 200_000 } },
  },
  drops: { partitions: 2, capacity: 64, stepUs: 250, commitEveryUs: 3000, plan: { ...base, keys: 10, endUs: 200_000, measureStartUs: 50_000, buckets: 2, profile: { kind: 'constant', rate: 40_000 } } },
};

/** What the generator before write-ahead produced for each case (commit 91168f6). */
const pinned: Record<string, Outcome> = {
  steady: { hash: 3182821432, records: 4000, offered: 3200, appended: 3200, offeredTotal: 4000, dropped: 0, ends: [1977, 2023], logDropped: [0, 0], lag: { count: 3200, max: 750, mean: 375, p50: 250, p99: 750 }, input: [400, 400, 400, 400, 400, 400, 400, 400, 0, 0] },
  windowed: { hash: 852726573, records: 4023, offered: 3196, appended: 3196, offeredTotal: 4023, dropped: 0, ends: [2032, 1991], logDropped: [0, 0], lag: { count: 3196, max: 999, mean: 502.497, p50: 505, p99: 990 }, input: [396, 410, 408, 408, 361, 396, 424, 393, 0, 0] },
  zipfRamp: { hash: 2969427467, records: 3985, offered: 3589, appended: 3589, offeredTotal: 3985, dropped: 0, ends: [1732, 1236, 1017], logDropped: [0, 0, 0], lag: { count: 3589, max: 699, mean: 347.312, p50: 348, p99: 692 }, input: [238, 296, 330, 440, 544, 564, 579, 598, 0, 0] },
  hotSine: { hash: 839505997, records: 3000, offered: 2184, appended: 2184, offeredTotal: 3000, dropped: 0, ends: [2254, 746], logDropped: [0, 0], lag: { count: 2184, max: 999, mean: 498.644, p50: 485, p99: 987 }, input: [301, 167, 216, 382, 434, 301, 167, 216, 0, 0] },
  stepOoo: { hash: 717552594, records: 4300, offered: 3900, appended: 3900, offeredTotal: 4300, dropped: 0, ends: [1411, 1501, 1388], logDropped: [0, 0, 0], lag: { count: 3900, max: 875, mean: 397.436, p50: 375, p99: 875 }, input: [200, 200, 200, 800, 800, 800, 800, 100, 0, 0] },
  burst: { hash: 1460182092, records: 3601, offered: 3201, appended: 3201, offeredTotal: 3601, dropped: 0, ends: [1846, 1755], logDropped: [0, 0], lag: { count: 3201, max: 900, mean: 474.852, p50: 400, p99: 900 }, input: [200, 200, 1000, 1000, 201, 200, 200, 200, 0, 0] },
  fast: { hash: 96303995, records: 160000, offered: 119999, appended: 119999, offeredTotal: 160000, dropped: 0, ends: [80395, 79605], logDropped: [0, 0], lag: { count: 119999, max: 9, mean: 4.5, p50: 5, p99: 9 }, input: [19999, 20000, 20000, 20000, 20000, 20000] },
  fastPoisson: { hash: 955424942, records: 40056, offered: 40056, appended: 40056, offeredTotal: 40056, dropped: 0, ends: [10075, 10035, 9931, 10015], logDropped: [0, 0, 0, 0], lag: { count: 40056, max: 36, mean: 18.144, p50: 18, p99: 36 }, input: [10154, 9962, 9928, 10012] },
  cadence: { hash: 1087125826, records: 80000, offered: 59999, appended: 59999, offeredTotal: 80000, dropped: 0, ends: [39928, 40072], logDropped: [0, 0], lag: { count: 59999, max: 99, mean: 49.499, p50: 49, p99: 99 }, input: [20000, 19999, 20000] },
  cadenceOoo: { hash: 3748986596, records: 59899, offered: 59899, appended: 59899, offeredTotal: 59899, dropped: 0, ends: [19980, 19839, 20080], logDropped: [0, 0, 0], lag: { count: 59899, max: 99, mean: 49.588, p50: 50, p99: 99 }, input: [20048, 19946, 19905] },
  manyKeys: { hash: 2186586867, records: 2000, offered: 2000, appended: 2000, offeredTotal: 2000, dropped: 0, ends: [638, 662, 700], logDropped: [0, 0, 0], lag: { count: 2000, max: 90, mean: 45, p50: 40, p99: 90 }, input: [1000, 1000] },
  heldOoo: { hash: 2331015241, records: 196, offered: 180, appended: 176, offeredTotal: 200, dropped: 4, ends: [102, 94], logDropped: [2, 2], lag: { count: 176, max: 2500, mean: 1278.58, p50: 1500, p99: 2501 }, input: [176] },
  dropsPoisson: { hash: 2108575851, records: 2448, offered: 9012, appended: 2160, offeredTotal: 9969, dropped: 7521, ends: [816, 816, 816], logDropped: [2501, 2522, 2498], lag: { count: 2160, max: 129, mean: 69.387, p50: 71, p99: 129 }, input: [2160] },
  drops: { hash: 701442521, records: 4348, offered: 6000, appended: 3200, offeredTotal: 8000, dropped: 3652, ends: [2172, 2176], logDropped: [1856, 1796], lag: { count: 3200, max: 225, mean: 115.297, p50: 125, p99: 225 }, input: [2112, 1088] },
};

interface Outcome {
  /** Hash of every record as it became visible: partition, offset, event time (its bits), key, value. */
  hash: number;
  records: number;
  offered: number;
  appended: number;
  offeredTotal: number;
  dropped: number;
  ends: number[];
  logDropped: number[];
  lag: { count: number; max: number; mean: number; p50: number; p99: number };
  input: number[];
}

const bits = new Float64Array(1);
const words = new Uint32Array(bits.buffer);

/** Hash of every record in the log (a ring that has not wrapped), partition by partition, in offset order. */
function hashOf(log: SourceLog): number {
  let hash = 0x12345678;
  for (let p = 0; p < log.partitions; p++) {
    for (let o = 0; o < log.end(p); o++) {
      const s = log.slot(p, o);
      bits[0] = log.eventTime[s];
      for (const word of [p, o, words[0], words[1], log.key[s], log.value[s]]) hash = mix32(hash, word);
    }
  }
  return hash;
}

/** Runs a case: pumps every `stepUs` until done, hashing each record once it is published. */
function runCase(c: Case, ahead: WriteAhead = WRITE_AHEAD, stepUs = c.stepUs): Outcome {
  const log = SourceLog.create(c.partitions, c.capacity);
  const generator = new LoadGenerator(log, c.plan, undefined, ahead);
  const seen = new Array<number>(c.partitions).fill(0);
  let hash = 0x12345678;
  let records = 0;
  let nextCommitUs = c.commitEveryUs ?? Infinity;
  for (let t = c.plan.startUs; !generator.done; t += stepUs) {
    generator.pump(t);
    for (let p = 0; p < log.partitions; p++) {
      for (let o = seen[p]; o < log.end(p); o++) {
        const s = log.slot(p, o);
        bits[0] = log.eventTime[s];
        for (const word of [p, o, words[0], words[1], log.key[s], log.value[s]]) hash = mix32(hash, word);
        records++;
      }
      seen[p] = log.end(p);
    }
    if (t >= nextCommitUs) {
      nextCommitUs += c.commitEveryUs!;
      for (let p = 0; p < log.partitions; p++) log.commit(p, log.committed(p) + Math.floor((log.end(p) - log.committed(p)) / 2));
    }
  }
  const report = generator.finish();
  const lag = report.lagHistogram;
  const outcome: Outcome = {
    hash,
    records,
    offered: report.offered,
    appended: report.appended,
    offeredTotal: report.offeredTotal,
    dropped: report.dropped,
    ends: report.ends,
    logDropped: Array.from({ length: log.partitions }, (_, p) => log.dropped(p)),
    lag: { count: lag.totalCount, max: lag.maxValue, mean: Math.round(lag.mean * 1000) / 1000, p50: lag.getValueAtPercentile(50), p99: lag.getValueAtPercentile(99) },
    input: report.input.toData().count,
  };
  lag.destroy();
  return outcome;
}

describe('the generator writing ahead: the same records as before', () => {
  it.each(Object.keys(cases))('%s: records, drops, counts, lags and input timeline as the generator before write-ahead', (name) => {
    expect(runCase(cases[name])).toEqual(pinned[name]);
  });

  it.each(['steady', 'windowed', 'stepOoo', 'cadenceOoo'])('%s: the same records however far ahead it writes and however often it is pumped', (name) => {
    const c = cases[name];
    const logHash = (ahead: WriteAhead, stepUs: number): { hash: number; ends: number[]; dropped: number } => {
      const log = SourceLog.create(c.partitions, c.capacity);
      const generator = new LoadGenerator(log, c.plan, undefined, ahead);
      for (let t = c.plan.startUs; !generator.done; t += stepUs) generator.pump(t);
      const report = generator.finish();
      report.lagHistogram.destroy();
      return { hash: hashOf(log), ends: report.ends, dropped: report.dropped };
    };
    const pinnedRun = logHash(WRITE_AHEAD, c.stepUs);
    expect(pinnedRun.ends).toEqual(pinned[name].ends);
    for (const ahead of [{ aheadUs: 0, records: 1 }, { aheadUs: 50, records: 8 }, { aheadUs: 1e9, records: 1 << 20 }]) {
      for (const stepUs of [37, 3 * MS]) expect(logHash(ahead, stepUs)).toEqual(pinnedRun);
    }
  });
});

describe('the generator writing ahead: never early, never over an uncommitted slot', () => {
  it('writes records ahead into the columns past the end, and publishes none before its scheduled time', () => {
    const log = SourceLog.create(2, 1 << 16);
    const generator = new LoadGenerator(log, { ...base, measureStartUs: 0, endUs: 5 * MS, profile: { kind: 'constant', rate: 1e6 } });
    let wroteAhead = 0;
    // irregular pumps, as a thread's wake-ups are
    for (let t = 0, i = 0; !generator.done; t += 13 + ((i++ * 37) % 150)) {
      generator.pump(t);
      let invisibleAhead = 0;
      for (let p = 0; p < 2; p++) {
        const end = log.end(p);
        if (end > 0) expect(log.eventTime[log.slot(p, end - 1)]).toBeLessThanOrEqual(t);
        // past the end: the records written ahead, all due later
        for (let o = end; log.eventTime[log.slot(p, o)] > t; o++) invisibleAhead++;
      }
      expect(invisibleAhead).toBe(generator.writtenAhead);
      wroteAhead = Math.max(wroteAhead, generator.writtenAhead);
      if (!generator.done) expect(generator.nextDueUs).toBeGreaterThan(t);
    }
    expect(wroteAhead).toBeGreaterThan(900); // about a millisecond ahead at 1M/s
    expect(log.end(0) + log.end(1)).toBe(5000);
  });

  it('the next record due is the earliest not yet published, across partitions', () => {
    const log = SourceLog.create(3, 1024);
    const generator = new LoadGenerator(log, { ...base, measureStartUs: 0, endUs: 10 * MS, profile: { kind: 'constant', rate: 100_000 } });
    expect(generator.nextDueUs).toBe(0);
    for (let t = 0; !generator.done; t += 55) {
      generator.pump(t);
      const scheduled = Array.from({ length: 3 }, (_, p) => log.eventTime[log.slot(p, log.end(p))]).filter((time) => time > t);
      if (generator.done) break;
      expect(generator.nextDueUs).toBe(Math.min(...scheduled));
      expect(generator.nextDueUs).toBeCloseTo(Math.floor(t / 10) * 10 + 10, 6);
    }
    expect(generator.nextDueUs).toBe(Infinity);
  });

  it('never writes over a slot that is not committed, however far ahead it may write', () => {
    const log = SourceLog.create(1, 16);
    const generator = new LoadGenerator(log, { ...base, keys: 1, measureStartUs: 0, endUs: 200 * MS, profile: { kind: 'constant', rate: 2000 } }, undefined, { aheadUs: 1e9, records: 1024 });
    for (let t = 0; !generator.done; t += 300) {
      // the uncommitted records, as the consumer may still read them
      const before = [];
      for (let o = log.committed(0); o < log.end(0); o++) before.push(log.eventTime[log.slot(0, o)]);
      generator.pump(t);
      for (let o = log.committed(0), i = 0; i < before.length; o++, i++) expect(log.eventTime[log.slot(0, o)]).toBe(before[i]);
      expect(log.end(0) - log.committed(0) + generator.writtenAhead).toBeLessThanOrEqual(16);
      // a slow consumer: one record per 1.5 ms
      if (t % 1500 === 0) log.commit(0, Math.min(log.end(0), log.committed(0) + 1));
    }
    const report = generator.finish();
    expect(report.appended + report.dropped).toBe(400);
    expect(report.dropped).toBeGreaterThan(200);
  });

  it('decides a drop at the record’s time: a record without a free slot is held back, then written if a slot was freed by then', () => {
    const log = SourceLog.create(1, 4);
    const generator = new LoadGenerator(log, { ...base, keys: 1, measureStartUs: 0, endUs: 10 * MS, profile: { kind: 'constant', rate: 1000 } }, undefined, { aheadUs: 10 * MS, records: 64 });
    generator.pump(0);
    expect(log.end(0)).toBe(1);
    expect(generator.writtenAhead).toBe(3); // 1, 2 and 3 ms take the other slots; 4 ms is held back
    expect(generator.pump(3 * MS)).toBe(3);
    expect(log.dropped(0)).toBe(0);
    log.commit(0, 1); // one slot freed before 4 ms
    expect(generator.pump(4 * MS)).toBe(1);
    expect(log.end(0)).toBe(5);
    expect(log.eventTime[log.slot(0, 4)]).toBe(4 * MS);
    expect(log.dropped(0)).toBe(0);
    // no slot freed before 5 ms: dropped then, not earlier
    expect(generator.pump(4.5 * MS)).toBe(0);
    expect(log.dropped(0)).toBe(0);
    expect(generator.pump(5 * MS)).toBe(1);
    expect(log.dropped(0)).toBe(1);
    expect(log.end(0)).toBe(5);
    log.commit(0, 5);
    for (let t = 6 * MS; !generator.done; t += MS) generator.pump(t);
    const report = generator.finish();
    expect(report.dropped).toBe(1);
    expect(report.appended).toBe(9);
    expect(report.ends).toEqual([9]);
    expect(report.offered).toBe(10);
  });

  it('a record held back past a partition with room holds the other partitions back too, in schedule order', () => {
    const log = SourceLog.create(2, 2);
    // keys 0, 1 alternate partitions; partition 0's ring fills first
    const generator = new LoadGenerator(log, { ...base, keys: 2, seed: 11, measureStartUs: 0, endUs: 20 * MS, profile: { kind: 'constant', rate: 1000 } });
    for (let t = 0; !generator.done; t += 500) {
      generator.pump(t);
      for (let p = 0; p < 2; p++) for (let o = 0; o < log.end(p); o++) expect(log.eventTime[log.slot(p, o)]).toBeLessThanOrEqual(t);
    }
    const report = generator.finish();
    expect(report.appended).toBe(4);
    expect(report.dropped).toBe(16);
    expect(report.ends).toEqual([2, 2]);
  });
});

describe('the generator writing ahead: bounded', () => {
  it('writes ahead at most `ahead.records` (a power of two) at any rate, and at most `aheadUs` of schedule', () => {
    const log = SourceLog.create(2, 1 << 16);
    const generator = new LoadGenerator(log, { ...base, measureStartUs: 0, endUs: 2 * MS, profile: { kind: 'constant', rate: 1e9 } }, undefined, { aheadUs: 1000, records: 100 });
    let most = 0;
    for (let t = 0; !generator.done; t += 1) {
      generator.pump(t);
      most = Math.max(most, generator.writtenAhead);
      for (let p = 0; p < 2; p++) log.commit(p, log.end(p));
    }
    expect(most).toBe(128);
    const slow = new LoadGenerator(SourceLog.create(1, 1 << 12), { ...base, measureStartUs: 0, profile: { kind: 'constant', rate: 10_000 } }, undefined, { aheadUs: 1000, records: 1 << 12 });
    slow.pump(0);
    expect(slow.writtenAhead).toBe(10); // 0.1 .. 1.0 ms: a millisecond of schedule
    expect(WRITE_AHEAD).toEqual({ aheadUs: 1000, records: 32_768 });
  });

  it('stopped early, it reports only what it published: records written ahead stay invisible and uncounted', () => {
    const log = SourceLog.create(2, 1 << 12);
    const generator = new LoadGenerator(log, { ...base, measureStartUs: 0, profile: { kind: 'constant', rate: 1e6 } });
    generator.pump(100);
    expect(generator.writtenAhead).toBeGreaterThan(0);
    const report = generator.finish();
    expect(report.offered).toBe(101);
    expect(report.appended).toBe(101);
    expect(report.ends).toEqual([log.end(0), log.end(1)]);
    expect(report.ends[0] + report.ends[1]).toBe(101);
    expect(report.lagHistogram.totalCount).toBe(101);
    report.lagHistogram.destroy();
  });
});

describe('the generator writing ahead: what it counts', () => {
  it('sends keys past its partition table (more than 65 536 keys) to key mod partitions too', () => {
    const log = SourceLog.create(3, 1 << 12);
    const generator = new LoadGenerator(log, { ...base, keys: 200_000, measureStartUs: 0, endUs: 20 * MS, profile: { kind: 'constant', rate: 100_000 } });
    for (let t = 0; !generator.done; t += 100) generator.pump(t);
    let large = 0;
    for (let p = 0; p < 3; p++) {
      for (let o = 0; o < log.end(p); o++) {
        const key = log.key[log.slot(p, o)];
        expect(key % 3).toBe(p);
        if (key >= 1 << 16) large++;
      }
    }
    expect(large).toBeGreaterThan(1000);
    generator.finish().lagHistogram.destroy();
  });

  it('sends the key right past its partition table (65 536) to its partition', () => {
    const log = SourceLog.create(3, 1 << 12);
    // 65 536 hot keys take half the records; the one cold key, 65 536, the other half
    const generator = new LoadGenerator(log, { ...base, keys: 65_537, keyDistribution: { kind: 'hot', hotKeys: 65_536, hotRatio: 0.5 }, measureStartUs: 0, endUs: 2 * MS, profile: { kind: 'constant', rate: 100_000 } });
    for (let t = 0; !generator.done; t += 100) generator.pump(t);
    const cold = Array.from({ length: log.end(65_536 % 3) }, (_, o) => log.key[log.slot(65_536 % 3, o)]).filter((key) => key === 65_536).length;
    expect(cold).toBeGreaterThan(50);
    expect(log.end(0) + log.end(1) + log.end(2)).toBe(200);
    generator.finish().lagHistogram.destroy();
  });

  it('counts as due the records it drops at their time, not only those it publishes', () => {
    const log = SourceLog.create(1, 2);
    const generator = new LoadGenerator(log, { ...base, keys: 1, measureStartUs: 0, endUs: 20 * MS, profile: { kind: 'constant', rate: 1000 } });
    // first pump 9 ms in: ten records due, two slots
    expect(generator.pump(9 * MS)).toBe(10);
    expect(log.end(0)).toBe(2);
    expect(log.dropped(0)).toBe(8);
    log.commit(0, 2);
    expect(generator.pump(19 * MS)).toBe(10);
    expect(log.end(0)).toBe(4);
    expect(log.dropped(0)).toBe(16);
    generator.finish().lagHistogram.destroy();
  });

  it('counts a lag of 2048 µs and more (the histogram\'s 2 µs buckets) like the smaller ones', () => {
    const log = SourceLog.create(1, 64);
    const generator = new LoadGenerator(log, { ...base, keys: 1, measureStartUs: 0, endUs: 3 * MS, profile: { kind: 'constant', rate: 1000 } });
    expect(generator.pump(2048)).toBe(3); // 0, 1 and 2 ms: 2048, 1048 and 48 µs late
    const lag = generator.finish().lagHistogram;
    expect(lag.totalCount).toBe(3);
    expect(lag.minNonZeroValue).toBe(48);
    expect(lag.getValueAtPercentile(50)).toBe(1048);
    expect(lag.maxValue).toBeGreaterThanOrEqual(2048);
    expect(lag.maxValue).toBeLessThanOrEqual(2049);
    lag.destroy();
  });

  it('counts runs of records sharing a lag of 2048 µs and more, each record once', () => {
    // 4 records per µs published at 3000 µs: lags 3000 … 0 µs, four records to each, those
    // scheduled up to 952 µs (3809 of them) 2048 µs late or more: runs past the histogram's
    // unit resolution, recorded with their counts.
    const log = SourceLog.create(1, 1 << 14);
    const generator = new LoadGenerator(log, { ...base, keys: 1, measureStartUs: 0, endUs: 3 * MS + 0.1, profile: { kind: 'constant', rate: 4e6 } });
    expect(generator.pump(3 * MS)).toBe(12_001);
    const lag = generator.finish().lagHistogram;
    expect(lag.totalCount).toBe(12_001);
    // The median record (scheduled at 1500 µs) was 1500 µs late; 3809 of 12 001 (31.7%) 2048 µs or more.
    expect(lag.getValueAtPercentile(50)).toBe(1500);
    expect(lag.getValueAtPercentile(68)).toBeLessThan(2048);
    expect(lag.getValueAtPercentile(69)).toBeGreaterThanOrEqual(2048);
    expect(lag.maxValue).toBeGreaterThanOrEqual(3000);
    lag.destroy();
  });

  it('counts each lag where the clock\'s subtraction rounds up to a whole µs (0.1 µs published at 3000.1 µs)', () => {
    // 3000.1 − 0.1 rounds to 3000, yet 3000.1 − 3000 < 0.1: the run of that lag still holds its first record
    const log = SourceLog.create(1, 64);
    const generator = new LoadGenerator(log, { ...base, keys: 1, startUs: 0.1, measureStartUs: 0, endUs: 10 * MS, profile: { kind: 'constant', rate: 1000 } });
    expect(generator.pump(3000.1)).toBe(4);
    const lag = generator.finish().lagHistogram;
    expect(lag.totalCount).toBe(4);
    expect(lag.getValueAtPercentile(25)).toBe(0);
    expect(lag.getValueAtPercentile(50)).toBe(1000);
    expect(lag.getValueAtPercentile(75)).toBe(2000);
    expect(lag.maxValue).toBeGreaterThanOrEqual(2999);
    expect(lag.maxValue).toBeLessThanOrEqual(3001);
    lag.destroy();
  });

  it('reports the profile\'s rate at a time on the run clock, from its start', () => {
    const generator = new LoadGenerator(SourceLog.create(1, 64), { ...base, startUs: 3_000_000, profile: { kind: 'step', rate: 1000, steps: [{ atSec: 0.5, rate: 2000 }] } });
    expect(generator.rateAtUs(3_400_000)).toBe(1000);
    expect(generator.rateAtUs(3_600_000)).toBe(2000);
    generator.finish().lagHistogram.destroy();
  });
});
