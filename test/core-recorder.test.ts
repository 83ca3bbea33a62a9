import { describe, expect, it } from 'vitest';
import {
  createHistogram,
  decodeHistogram,
  encodeHistogram,
  HIGHEST_TRACKABLE_US,
  mergeEncoded,
  RunLengthRecorder,
  summarize,
  summarizeEncoded,
  type Histogram,
} from '../primitives/histogram.js';
import { Random } from '../primitives/random.js';

/** Count recorded in the bucket of `value` (the JS histogram has it; the shared type does not declare it). */
function countAt(histogram: Histogram, value: number): number {
  return (histogram as unknown as { getCountAtValue(v: number): number }).getCountAtValue(value);
}

const PERCENTILES = [0, 10, 50, 90, 99, 99.9, 99.99, 100];

/** What a direct recording of `v` must store: floor(max(0, v)), clamped to the trackable range. */
function direct(v: number): number {
  return Math.min(HIGHEST_TRACKABLE_US, Math.floor(Math.max(0, v)));
}

/** A mix of every kind of value the recorder must handle, in runs and scattered. */
function mixedValues(seed: number, n: number): number[] {
  const random = new Random(seed);
  const values: number[] = [];
  while (values.length < n) {
    const kind = random.below(10);
    let v: number;
    switch (kind) {
      case 0:
        v = random.below(2048); // unit-resolution range
        break;
      case 1:
        v = 2048 + random.next() * (1e6 - 2048); // 2048 .. 1e6, fractional
        break;
      case 2:
        v = 0;
        break;
      case 3:
        v = -random.next() * 5000; // negative
        break;
      case 4:
        v = random.next() * 3; // fractional below 3, including (0, 1)
        break;
      case 5:
        v = HIGHEST_TRACKABLE_US + random.next() * 1e10; // above the trackable range
        break;
      case 6:
        v = 1e6 + random.next() * 1e9; // large but trackable
        break;
      case 7:
        v = HIGHEST_TRACKABLE_US - random.next() * 3e6; // just below the top
        break;
      default: {
        // a run of nearby values (what a batch produces)
        const base = random.next() * 10_000;
        const length = 1 + random.below(30);
        for (let i = 0; i < length; i++) values.push(base + random.next() * 3);
        continue;
      }
    }
    values.push(v);
  }
  return values.slice(0, n);
}

function expectSameDistribution(actual: Histogram, expected: Histogram): void {
  expect(actual.totalCount).toBe(expected.totalCount);
  for (const p of PERCENTILES) expect(actual.getValueAtPercentile(p), `p${p}`).toBe(expected.getValueAtPercentile(p));
  // max and min are kept as recorded values (not bucket edges): they agree to the bucket
  const low = (v: number): number => (createHistogram(false) as unknown as { lowestEquivalentValue(v: number): number }).lowestEquivalentValue(v);
  expect(low(actual.maxValue)).toBe(low(expected.maxValue));
  expect(low(actual.minNonZeroValue)).toBe(low(expected.minNonZeroValue));
  // the recorder stores a bucket's lowest value: the mean may differ only within a bucket width
  const tolerance = Math.max(1, expected.mean * 2 ** -10);
  expect(Math.abs(actual.mean - expected.mean)).toBeLessThanOrEqual(tolerance);
}

describe('RunLengthRecorder', () => {
  for (const useWasm of [false, true]) {
    it(`records arbitrary values exactly as a direct histogram would (${useWasm ? 'WASM' : 'JS'} target)`, () => {
      for (const seed of [1, 2, 3]) {
        const values = mixedValues(seed, 20_000);
        const target = createHistogram(useWasm);
        const recorder = new RunLengthRecorder(target);
        const reference = createHistogram(false);
        for (const v of values) {
          recorder.record(v);
          reference.recordValue(direct(v));
        }
        recorder.flush();
        expect(recorder.histogram).toBe(target);
        expectSameDistribution(target, reference);
        if (useWasm) target.destroy();
      }
    });
  }

  it('handles the edge values one by one', () => {
    const values = [
      0, -1, -0.5, 0.2, 0.999, 1, 1.5, 2047, 2047.9, 2048, 2049, 2049.5, 4095, 4096, 4097, 1e6, 1e6 + 0.5,
      HIGHEST_TRACKABLE_US - 1, HIGHEST_TRACKABLE_US, HIGHEST_TRACKABLE_US + 1, 1e12, -1e12, 0, 0, 5, 5, 5.9,
    ];
    const recorded = createHistogram(false);
    const recorder = new RunLengthRecorder(recorded);
    const reference = createHistogram(false);
    for (const v of values) {
      recorder.record(v);
      reference.recordValue(direct(v));
    }
    recorder.flush();
    expectSameDistribution(recorded, reference);
    expect(recorded.totalCount).toBe(values.length);
    // the values ≤ 0 and in (0, 1) all count as 0
    const zeros = values.filter((v) => v < 1).length;
    expect(countAt(recorded, 0)).toBe(zeros);
  });

  it('every percentile agrees after sorting too (monotone input, long runs)', () => {
    const values = mixedValues(9, 10_000).sort((a, b) => a - b);
    const recorded = createHistogram(false);
    const recorder = new RunLengthRecorder(recorded);
    const reference = createHistogram(false);
    for (const v of values) {
      recorder.record(v);
      reference.recordValue(direct(v));
    }
    recorder.flush();
    for (let p = 1; p <= 100; p += 1) expect(recorded.getValueAtPercentile(p)).toBe(reference.getValueAtPercentile(p));
    expectSameDistribution(recorded, reference);
  });

  it('keeps the pending run out of the histogram until flush()', () => {
    const histogram = createHistogram(false);
    const recorder = new RunLengthRecorder(histogram);
    recorder.record(100);
    recorder.record(100.4);
    recorder.record(100.9);
    expect(histogram.totalCount).toBe(0);
    recorder.record(5000); // a new bucket writes the previous run
    expect(histogram.totalCount).toBe(3);
    expect(countAt(histogram, 100)).toBe(3);
    recorder.flush();
    expect(histogram.totalCount).toBe(4);
    // flush twice adds nothing
    recorder.flush();
    expect(histogram.totalCount).toBe(4);
    // and recording after a flush starts a fresh run
    recorder.record(5000);
    recorder.flush();
    expect(histogram.totalCount).toBe(5);
    expect(countAt(histogram, 5000)).toBe(2);
  });

  it('records `count` values at once, whether the value continues the pending run or starts a new one', () => {
    const histogram = createHistogram(false);
    const recorder = new RunLengthRecorder(histogram);
    recorder.record(3000, 4); // starts a run with 4
    recorder.record(3000, 2); // continues it
    recorder.record(7000, 5); // starts another: the first is written
    recorder.flush();
    expect(histogram.totalCount).toBe(11);
    expect(countAt(histogram, 3000)).toBe(6);
    expect(countAt(histogram, 7000)).toBe(5);
  });

  it('merges a run of values sharing a bucket into one call', () => {
    const calls: [number, number][] = [];
    const histogram = createHistogram(false);
    const spy = {
      recordValueWithCount(value: number, count: number) {
        calls.push([value, count]);
        histogram.recordValueWithCount(value, count);
      },
    } as unknown as Histogram;
    const recorder = new RunLengthRecorder(spy);
    for (const v of [3000, 3000.5, 3001, 3001.99]) recorder.record(v); // bucket [3000, 3002)
    recorder.record(3002); // next bucket
    for (const v of [0, -3, 0.5, -0.1, 0]) recorder.record(v); // all in the 0 bucket, in any order
    recorder.record(1);
    recorder.flush();
    expect(calls).toEqual([
      [3000, 4],
      [3002, 1],
      [0, 5],
      [1, 1],
    ]);
  });
});

describe('summaries and encoded histograms', () => {
  function build(values: readonly number[]): Histogram {
    const h = createHistogram(false);
    for (const v of values) h.recordValue(v);
    return h;
  }

  it('summarize reports count, min, mean, percentiles and max of the histogram', () => {
    const values = Array.from({ length: 1000 }, (_, i) => i + 1); // 1..1000, unit resolution
    const s = summarize(build(values));
    expect(s.count).toBe(1000);
    expect(s.min).toBe(1);
    expect(s.max).toBe(1000);
    expect(s.p50).toBe(500);
    expect(s.p90).toBe(900);
    expect(s.p99).toBe(990);
    expect(s.p99_9).toBe(999);
    expect(s.mean).toBeCloseTo(500.5, 6);
    expect(typeof s.histogram).toBe('string');
    expect(s.histogram.length).toBeGreaterThan(0);
  });

  it('summarize of an empty histogram is all zeros', () => {
    const s = summarize(createHistogram(false));
    expect(s).toMatchObject({ count: 0, min: 0, mean: 0, p50: 0, p90: 0, p99: 0, p99_9: 0, max: 0 });
  });

  it('encode/decode round-trips the distribution', () => {
    const values = mixedValues(4, 5000).map(direct);
    const original = build(values);
    const decoded = decodeHistogram(encodeHistogram(original));
    expectSameDistribution(decoded, original);
    expect(decoded.mean).toBe(original.mean);
    // a WASM histogram encodes the same way
    const wasm = createHistogram(true);
    for (const v of values) wasm.recordValue(v);
    expectSameDistribution(decodeHistogram(encodeHistogram(wasm)), original);
    wasm.destroy();
  });

  it('mergeEncoded adds counts and matches a histogram of all values', () => {
    const parts = [mixedValues(5, 3000), mixedValues(6, 1000), mixedValues(7, 7000)].map((vs) => vs.map(direct));
    // parts skewed apart so the merged p50 is not any part's p50
    parts[1] = parts[1].map((v) => Math.min(HIGHEST_TRACKABLE_US, v + 50_000));
    const encoded = parts.map((vs) => encodeHistogram(build(vs)));
    const merged = mergeEncoded(encoded);
    const all = build(parts.flat());
    expect(merged.totalCount).toBe(3000 + 1000 + 7000);
    expect(merged.getValueAtPercentile(50)).toBe(all.getValueAtPercentile(50));
    expectSameDistribution(merged, all);
    const summary = summarizeEncoded(encoded);
    expect(summary.count).toBe(11_000);
    expect(summary.p50).toBe(all.getValueAtPercentile(50));
    expect(summary.p99).toBe(all.getValueAtPercentile(99));
    // after decoding, max is the top of its bucket
    const jsAll = all as unknown as { lowestEquivalentValue(v: number): number; highestEquivalentValue(v: number): number };
    expect(summary.max).toBeGreaterThanOrEqual(all.maxValue);
    expect(summary.max).toBeLessThanOrEqual(jsAll.highestEquivalentValue(all.maxValue));
    // and the summary's own histogram decodes to the merged distribution
    expectSameDistribution(decodeHistogram(summary.histogram), all);
  });

  it('mergeEncoded skips empty strings and merges nothing into an empty histogram', () => {
    const h = build([10, 20, 30]);
    const merged = mergeEncoded(['', encodeHistogram(h), '']);
    expect(merged.totalCount).toBe(3);
    expect(merged.getValueAtPercentile(50)).toBe(20);
    expect(mergeEncoded([]).totalCount).toBe(0);
    expect(summarizeEncoded([]).count).toBe(0);
  });

  it('merged p50 differs from a naive average of part p50s (real merge, not averaging)', () => {
    const a = build(Array(900).fill(100));
    const b = build(Array(100).fill(10_000));
    const merged = mergeEncoded([encodeHistogram(a), encodeHistogram(b)]);
    expect(merged.getValueAtPercentile(50)).toBe(100);
    expect(merged.getValueAtPercentile(95)).toBeGreaterThanOrEqual(10_000);
    expect(merged.getValueAtPercentile(95)).toBeLessThan(10_016);
  });
});
