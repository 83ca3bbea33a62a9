/**
 * The slow downstream's admission logic, driven by a ManualClock: no sleeps, no threads.
 */
import { describe, expect, it } from 'vitest';
import { MeasuringSink } from '../engines/partition/measuring-sink.js';
import { BoundedSinkQueue } from '../engines/partition/sink-queue.js';
import { SlowSinkWriter } from '../engines/partition/slow-sink.js';
import { ManualClock } from '../primitives/clock.js';
import { createHistogram } from '../primitives/histogram.js';
import { Timeline } from '../primitives/timeline.js';

describe('BoundedSinkQueue', () => {
  it('serves writes one at a time: per-write latency plus records ÷ capacity', () => {
    const queue = new BoundedSinkQueue({ capacityPerSec: 1000, writeLatencyUs: 100, queueRecords: 10 });
    expect(queue.admit(2, 0)).toBe(100 + 2000);
    // The second write starts when the first completes.
    expect(queue.admit(3, 50)).toBe(2100 + 100 + 3000);
    expect(queue.depth(50)).toBe(5);
    expect(queue.depth(2100)).toBe(3);
    expect(queue.depth(5200)).toBe(0);
    // An idle downstream starts a write at once.
    expect(queue.admit(1, 10_000)).toBe(10_000 + 100 + 1000);
  });

  it('admits only what fits and says when room appears', () => {
    const queue = new BoundedSinkQueue({ capacityPerSec: Infinity, writeLatencyUs: 1000, queueRecords: 4 });
    queue.admit(3, 0);
    expect(queue.room(0)).toBe(1);
    expect(() => queue.admit(2, 0)).toThrow(RangeError);
    queue.admit(1, 0);
    expect(queue.room(500)).toBe(0);
    expect(queue.nextCompletionUs(500)).toBe(1000);
    expect(queue.room(1000)).toBe(3);
    expect(queue.nextCompletionUs(1000)).toBe(2000);
    expect(queue.nextCompletionUs(5000)).toBe(5000);
  });

  it('rejects impossible limits', () => {
    expect(() => new BoundedSinkQueue({ capacityPerSec: 0, writeLatencyUs: 0, queueRecords: 1 })).toThrow(/capacity/);
    expect(() => new BoundedSinkQueue({ capacityPerSec: 1, writeLatencyUs: 0, queueRecords: 0 })).toThrow(/queue/);
    expect(() => new BoundedSinkQueue({ capacityPerSec: 1, writeLatencyUs: -1, queueRecords: 1 })).toThrow(/latency/);
  });
});

function sinkWithRecords(count: number): MeasuringSink {
  const sink = new MeasuringSink({ measureStartUs: 0, measureEndUs: 1e9 }, createHistogram(false), createHistogram(false), new Timeline(0, 100_000, 10));
  for (let i = 0; i < count; i++) sink.push(0, i, i);
  return sink;
}

describe('SlowSinkWriter', () => {
  const timeline = { startUs: 0, bucketUs: 100_000, buckets: 10 };

  it('holds the task back until the queue has room (back-pressure), dropping nothing', () => {
    const clock = new ManualClock(0);
    const writer = new SlowSinkWriter({ capacityPerSec: 1000, writeLatencyUs: 0, queueRecords: 4, drop: 'none' }, clock, timeline, (at) => clock.advanceTo(at));
    const sink = sinkWithRecords(10);
    writer.deliver(sink);
    expect(sink.buffered).toBe(0);
    expect(sink.emitted).toBe(10);
    const figures = writer.figures();
    expect(figures.dropped).toBe(0);
    // 4 fit at once and take 4 ms as one write; the queue frees all 4 when it completes.
    expect(figures.writes).toBe(3);
    expect(figures.blockedUs).toBe(8000);
    expect(figures.depthPeaks[0]).toBe(4);
    expect(clock.now()).toBe(8000);
  });

  it("with the 'newest' policy drops what does not fit and counts it, without waiting", () => {
    const clock = new ManualClock(0);
    const writer = new SlowSinkWriter({ capacityPerSec: 1000, writeLatencyUs: 0, queueRecords: 4, drop: 'newest' }, clock, timeline, () => {
      throw new Error('must not wait');
    });
    const sink = sinkWithRecords(10);
    writer.deliver(sink);
    expect(sink.emitted).toBe(4);
    expect(writer.figures().dropped).toBe(6);
    expect(sink.buffered).toBe(0);
  });

  it('emits records when the downstream completes their write (latency includes the queue)', () => {
    const clock = new ManualClock(0);
    const timelineData = new Timeline(0, 1000, 100);
    const sink = new MeasuringSink({ measureStartUs: 0, measureEndUs: 1e9 }, createHistogram(false), createHistogram(false), timelineData);
    sink.push(0, 1, 1);
    sink.push(0, 2, 2);
    const writer = new SlowSinkWriter({ capacityPerSec: 1000, writeLatencyUs: 500, queueRecords: 10, drop: 'none' }, clock, timeline, (at) => clock.advanceTo(at));
    writer.deliver(sink);
    sink.close();
    // One write of 2 records: 500 µs + 2 ms, so both are emitted at 2.5 ms.
    const data = timelineData.toData();
    expect(data.count[2]).toBe(2);
    expect(data.latencyMax[2]).toBe(2500);
  });
});
