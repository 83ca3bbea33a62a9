/**
 * GC pauses of one thread (DESIGN.md §5 "Resources"): each pause's length into an
 * HdrHistogram (integer µs, as latencies are), with its count and total, so threads' pauses
 * merge by adding histograms. Two ways to see them, one per kind of thread:
 *
 * - {@link observeGcPauses}: a `PerformanceObserver` on `'gc'` entries — for a thread whose
 *   event loop runs (the trial's driver). Node creates those entries from the event loop, so
 *   a thread that never returns to it sees none;
 * - {@link profileGcPauses}: V8's `GCProfiler` (`node:v8`), which records each collection's
 *   cost from V8's own GC callbacks, with no event loop — for the partition tasks and the
 *   generator, which hold their thread's loop for the whole run (Atomics.wait, tight loops).
 *   `test/gc-pauses.test.ts` shows the observer seeing nothing in such a thread.
 *
 * Memory is one histogram per thread, however long the run.
 */
import { PerformanceObserver } from 'node:perf_hooks';
import { GCProfiler } from 'node:v8';
import { createHistogram, encodeHistogram, mergeEncoded, type Histogram } from './histogram.js';

/** One thread's (or several threads') GC pauses: plain data, mergeable. */
export interface GcSample {
  /** Pauses seen. */
  count: number;
  /** Their total, µs. */
  totalUs: number;
  /** The pause lengths, µs: HdrHistogram compressed base64. */
  histogram: string;
}

/** GC pause figures as results show them (ms). */
export interface GcFigures {
  count: number;
  totalMs: number;
  maxMs: number;
  p99Ms: number;
}

/** Collects one thread's pauses until {@link GcPauseRecorder.stop}. */
export interface GcPauseRecorder {
  /** Stops watching and returns what it saw (the observer's: again the same sample if called again). */
  stop(): GcSample;
}

/** Counts a pause of `us` into the histogram (at least 1 µs: the histogram's floor). */
function record(histogram: Histogram, us: number): void {
  histogram.recordValue(Math.max(1, Math.round(us)));
}

function sampleOf(histogram: Histogram, count: number, totalUs: number): GcSample {
  const sample = { count, totalUs, histogram: encodeHistogram(histogram) };
  histogram.destroy();
  return sample;
}

/** Watches this thread's `'gc'` performance entries (a thread whose event loop runs). */
export function observeGcPauses(): GcPauseRecorder {
  const histogram = createHistogram();
  let count = 0;
  let totalUs = 0;
  const take = (entries: readonly { duration: number }[]): void => {
    for (const entry of entries) {
      const us = entry.duration * 1000;
      record(histogram, us);
      count++;
      totalUs += us;
    }
  };
  const observer = new PerformanceObserver((list) => take(list.getEntries()));
  observer.observe({ entryTypes: ['gc'] });
  let stopped: GcSample | undefined;
  return {
    stop() {
      if (stopped) return stopped;
      take(observer.takeRecords());
      observer.disconnect();
      return (stopped = sampleOf(histogram, count, totalUs));
    },
  };
}

/** Records this thread's collections with V8's GCProfiler (no event loop needed). */
export function profileGcPauses(): GcPauseRecorder {
  const profiler = new GCProfiler();
  profiler.start();
  return {
    stop() {
      const statistics = (profiler.stop() as { statistics?: { cost: number }[] } | undefined)?.statistics ?? [];
      const histogram = createHistogram();
      let totalUs = 0;
      for (const gc of statistics) {
        record(histogram, gc.cost);
        totalUs += gc.cost;
      }
      return sampleOf(histogram, statistics.length, totalUs);
    },
  };
}

/** The union of samples (every thread's pauses together). */
export function mergeGcSamples(samples: readonly GcSample[]): GcSample {
  const merged = mergeEncoded(samples.map((s) => s.histogram));
  return { count: samples.reduce((n, s) => n + s.count, 0), totalUs: samples.reduce((n, s) => n + s.totalUs, 0), histogram: encodeHistogram(merged) };
}

/** A sample's figures in ms (count, total, the longest pause, p99 of pause lengths). */
export function gcFigures(sample: GcSample): GcFigures {
  const histogram = mergeEncoded([sample.histogram]);
  const count = histogram.totalCount;
  return {
    count: sample.count,
    totalMs: sample.totalUs / 1000,
    maxMs: count === 0 ? 0 : histogram.maxValue / 1000,
    p99Ms: count === 0 ? 0 : histogram.getValueAtPercentile(99) / 1000,
  };
}
