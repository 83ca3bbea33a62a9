/**
 * Memory stays flat when a run is 5× longer (DESIGN.md §8), checked where it is deterministic:
 * what one task retains after N records and after 5·N — the heap and array buffers after a full
 * collection — through the `cache` scenario's fork without the cache hint (each branch
 * recomputes the shared prefix: an intermediate kept per record would show here) and with it,
 * and through the `spill` scenario's window under a memory budget, spilling to the real store.
 * A retention of 8 bytes per record would add 32·N bytes; the bounds are a fraction of that,
 * while what is measured varies by a few KB between runs. No timer may be left pending either:
 * a task's thread never returns to its event loop while it runs, so a timer scheduled per
 * eviction (lmdb-js renewing its read transaction, `engines/state/spill-store.ts`) is memory
 * that grows with the run. The peak RSS of whole runs at D and 5·D is in the note.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { planLineage } from '../engines/operators/branch.js';
import { buildPipelineStages, type OperatorSpec } from '../engines/operators/pipeline.js';
import type { Stage } from '../engines/operators/stage.js';
import { BranchedSink } from '../engines/partition/branch-sink.js';
import { MeasuringSink } from '../engines/partition/measuring-sink.js';
import { planBudget } from '../engines/operators/budget-plan.js';
import { openSpillStore, type SpillStore } from '../engines/state/spill-store.js';
import { ManualClock } from '../primitives/clock.js';
import { createHistogram } from '../primitives/histogram.js';
import { Timeline } from '../primitives/timeline.js';
import { builtinScenarios } from '../scenarios/index.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Bytes the process retains: heap and array buffers after a full collection. */
function retainedBytes(): number {
  gc();
  gc();
  const memory = process.memoryUsage();
  return memory.heapUsed + memory.arrayBuffers;
}

/** Timers waiting to fire in this thread. */
function pendingTimers(): number {
  return process.getActiveResourcesInfo().filter((resource) => resource === 'Timeout').length;
}

/** A task's pipeline with its sink, fed like a continuous task: seeded records `gapUs` apart, the output emitted every 500 records. */
class Feed {
  private next = 0;
  private x = 7;

  constructor(
    private readonly head: Stage,
    private readonly sink: { flush(emitUs: number): void },
    private readonly keys: number,
    private readonly gapUs: number,
    private readonly clock?: ManualClock,
  ) {}

  records(n: number): void {
    for (const end = this.next + n; this.next < end; this.next++) {
      this.x = (Math.imul(this.x, 1103515245) + 12345) | 0;
      const timeUs = this.next * this.gapUs;
      this.clock?.advanceTo(timeUs);
      this.head.push(timeUs, (this.x >>> 4) % this.keys, (this.x >>> 8) % 1_000_000);
      if (this.next % 500 === 499) this.sink.flush(timeUs + this.gapUs / 2);
    }
  }
}

/** What `feed` retains more after 5·n records than after n, and the timers it left pending meanwhile. */
function growthOver(feed: Feed, n: number): { bytes: number; timers: number } {
  feed.records(n);
  const bytes = retainedBytes();
  const timers = pendingTimers();
  feed.records(4 * n);
  return { bytes: retainedBytes() - bytes, timers: pendingTimers() - timers };
}

const window = { measureStartUs: 0, measureEndUs: 1e15 };

describe('memory when a run is 5× longer', () => {
  const cache = builtinScenarios().get('cache')!;
  const N = 100_000;

  it.each([
    ['without the cache hint (each branch recomputes the prefix)', false],
    ['with the cache hint (the prefix once, fanned out)', true],
  ])('the cache scenario\'s fork %s retains nothing per record', (_name, hint) => {
    const sink = new BranchedSink(['counts', 'sums'], window, new Timeline(0, 100_000, 100));
    const stages = buildPipelineStages(planLineage(cache.pipeline, hint), sink, { keys: cache.keys, cpuIterationsPerUs: 0, counters: { lateDropped: 0 } });
    const growth = growthOver(new Feed(stages[0], sink, cache.keys, 1000), N);
    // 4·N more records (400 s of event time: 4000 more windows fired) than at the first measurement.
    expect(sink.emitted).toBeGreaterThan(5 * N);
    expect(growth.bytes).toBeLessThan(256 * 1024);
    expect(growth.timers).toBe(0);
    sink.destroy();
  });

  it('the spill scenario\'s window under a budget spills and reads back throughout, and retains nothing per record, in memory or on disk', () => {
    const spill = builtinScenarios().get('spill')!;
    const clock = new ManualClock();
    const store: SpillStore = openSpillStore({ dir: mkdtempSync(join(tmpdir(), 'streambench-flat-')) }, 0, clock);
    const sink = new MeasuringSink(window, createHistogram(), createHistogram(), new Timeline(0, 100_000, 10));
    // 256KB: the table holds about 8k entries; a 1 s window at 20k records/s has 20k.
    const planned: OperatorSpec[] = planBudget(spill.pipeline, 256 * 1024);
    const stages = buildPipelineStages(planned, sink, { keys: spill.keys, cpuIterationsPerUs: 0, counters: { lateDropped: 0 }, spill: store });
    const feed = new Feed(stages[0], sink, spill.keys, 50, clock);
    const n = 200_000;
    feed.records(n);
    const first = store.figures();
    const bytes = retainedBytes();
    const timers = pendingTimers();
    feed.records(4 * n);
    const growth = retainedBytes() - bytes;
    const last = store.figures();
    try {
      expect(first.spilledRecords).toBeGreaterThan(n / 10);
      expect(last.spilledRecords).toBeGreaterThan(4 * first.spilledRecords);
      expect(last.readBackRecords).toBeGreaterThan(4 * first.readBackRecords);
      expect(growth).toBeLessThan(256 * 1024);
      expect(pendingTimers() - timers).toBe(0);
      // Fired windows leave the disk: the store's file stays the size it had after the first n.
      expect(last.diskBytes).toBeLessThan(first.diskBytes * 1.5);
    } finally {
      store.close();
      sink.destroy();
    }
  });
});
