/**
 * A sink's held records and its latency recording, in one thread: read times kept in runs
 * (one per read, not per record) come back with their records, in order, once, across
 * partial takes (a slow sink's writes) and drops; small emits recorded later, together,
 * give the histograms, timeline and bins that recording each at once gives.
 */
import { describe, expect, it } from 'vitest';
import { HeldRecords, type HeldRunTarget } from '../engines/partition/held-records.js';
import { LatencyRecorder } from '../engines/partition/latency-recorder.js';
import { createHistogram, type Histogram } from '../primitives/histogram.js';
import { LatencyBinsTimeline } from '../primitives/latency-bins.js';
import { Random } from '../primitives/random.js';
import { Timeline } from '../primitives/timeline.js';

/** Takes records as [eventTime, readTime, emitTime] triples. */
class Taken implements HeldRunTarget {
  records: [number, number, number][] = [];
  calls = 0;
  emit(eventTimes: Float64Array, from: number, to: number, readTimeUs: number, emitUs: number): void {
    this.calls++;
    for (let i = from; i < to; i++) this.records.push([eventTimes[i], readTimeUs, emitUs]);
  }
}

describe('held records', () => {
  it('keep one read time per run of records read together, and give each record back with it', () => {
    const held = new HeldRecords();
    held.readTimeUs = 10;
    held.push(1);
    held.push(2);
    held.readTimeUs = 10; // unchanged: the same run
    held.push(3);
    held.readTimeUs = 20;
    held.readTimeUs = 30; // an empty run takes the new time
    held.push(4);
    const taken = new Taken();
    expect(held.take(held.pending, taken, 99)).toBe(4);
    expect(taken.records).toEqual([
      [1, 10, 99],
      [2, 10, 99],
      [3, 10, 99],
      [4, 30, 99],
    ]);
    expect(taken.calls).toBe(2);
    expect(held.size).toBe(0);
    // Empty again: new records are read when the last read was, until the task says otherwise.
    held.push(5);
    held.take(held.pending, taken, 100);
    expect(taken.records.at(-1)).toEqual([5, 30, 100]);
  });

  it('give records back oldest first, each once, across partial takes of any size; a drop empties them', () => {
    const random = new Random(3);
    const held = new HeldRecords();
    const expected: [number, number][] = [];
    const taken = new Taken();
    let t = 0;
    for (let round = 0; round < 200; round++) {
      if (random.below(3) === 0) held.readTimeUs = round;
      for (let n = random.below(40); n > 0; n--) {
        held.push(++t);
        expected.push([t, held.readTimeUs]);
      }
      const count = random.below(50);
      const heldBefore = expected.length - taken.records.length;
      expect(held.take(held.first + count, taken, round)).toBe(Math.min(count, heldBefore));
      expect(held.size).toBe(expected.length - taken.records.length);
    }
    held.take(held.pending, taken, 1000);
    expect(taken.records.map(([e, r]) => [e, r])).toEqual(expected);
    held.push(1);
    held.push(2);
    expect(held.discard()).toBe(2);
    expect(held.size).toBe(0);
  });

  it('grow in place past their initial capacity, keeping every record, and make room ahead on request', () => {
    const held = new HeldRecords();
    for (let i = 0; i < 5000; i++) held.push(i);
    held.reserve(100_000);
    expect(held.eventTimes.length).toBeGreaterThanOrEqual(105_000);
    const taken = new Taken();
    held.take(held.pending, taken, 0);
    expect(taken.records.map(([e]) => e)).toEqual(Array.from({ length: 5000 }, (_, i) => i));
  });
});

/** The histogram's shape, comparable. */
function shape(histogram: Histogram): number[] {
  return [histogram.totalCount, histogram.minNonZeroValue, histogram.maxValue, ...[10, 50, 90, 99, 99.9].map((p) => histogram.getValueAtPercentile(p))];
}

describe('latency recorder', () => {
  const window = { measureStartUs: 1_000, measureEndUs: 1e9 };

  it('records small emits later, together, as recording each at once would; complete after close()', () => {
    const timeline = new Timeline(0, 50_000, 40);
    const bins = new LatencyBinsTimeline(0, 50_000, 40);
    const recorder = new LatencyRecorder(window, createHistogram(false), createHistogram(false), timeline, bins);
    const reference = { eventTime: createHistogram(false), processingTime: createHistogram(false), timeline: new Timeline(0, 50_000, 40), bins: new LatencyBinsTimeline(0, 50_000, 40) };
    const random = new Random(9);
    const eventTimes = new Float64Array(64);
    let emitUs = 0;
    for (let i = 0; i < 5000; i++) {
      // Mostly one record per emit (a continuous task), sometimes a run of a few, now and then a batch.
      const n = random.below(20) === 0 ? 50 + random.below(100) : 1 + random.below(3);
      const times = n > eventTimes.length ? new Float64Array(n) : eventTimes;
      const readUs = emitUs + random.below(30);
      for (let j = 0; j < n; j++) times[j] = readUs - random.below(2_000);
      emitUs = readUs + 5 + random.below(400) + random.below(1000) / 7;
      recorder.emit(times, 0, n, readUs, emitUs);
      for (let j = 0; j < n; j++) {
        if (times[j] < window.measureStartUs) continue;
        const latency = emitUs - times[j];
        reference.eventTime.recordValue(Math.floor(Math.max(0, latency)));
        reference.processingTime.recordValue(Math.floor(emitUs - readUs));
        reference.timeline.add(emitUs, 1, latency, latency);
        reference.bins.add(emitUs, latency);
      }
    }
    expect(timeline.toData().count.reduce((a, b) => a + b, 0)).toBeLessThan(reference.timeline.toData().count.reduce((a, b) => a + b, 0));
    recorder.close();
    expect(shape(recorder.eventTime.histogram)).toEqual(shape(reference.eventTime));
    expect(shape(recorder.processingTime.histogram)).toEqual(shape(reference.processingTime));
    const [got, want] = [timeline.toData(), reference.timeline.toData()];
    expect(got.count).toEqual(want.count);
    expect(got.latencyMax).toEqual(want.latencyMax);
    got.latencySum.forEach((sum, i) => expect(sum).toBeCloseTo(want.latencySum[i], 3));
    expect(bins.toData()).toEqual(reference.bins.toData());
  });
});
