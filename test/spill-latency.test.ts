/**
 * Latency while spilling: which output counts as emitted while its task's spill store was busy
 * (a write or read-back between the record's event time and its emit), with an injected
 * clock — a lone split, then a budgeted keyed count whose evictions and read-backs happen at
 * known times on a ManualClock, through a measuring sink as a task builds it (deferred small
 * emits included) — and where the figures show: results.json through real trials of the spill
 * scenario (both parts, adding up to the run's event-time latency), spill.csv, the spill table
 * and the HTML report.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildPipelineStages } from '../engines/operators/pipeline.js';
import { MeasuringSink } from '../engines/partition/measuring-sink.js';
import { SpillLatency, type BusyMark } from '../engines/partition/spill-latency.js';
import { planBudget } from '../engines/operators/budget-plan.js';
import { openSpillStore, type SpillStore } from '../engines/state/spill-store.js';
import { ManualClock } from '../primitives/clock.js';
import { createHistogram, decodeHistogram, summarizeEncoded } from '../primitives/histogram.js';
import { Timeline } from '../primitives/timeline.js';
import { checkDigests } from '../reports/digest-check.js';
import { loadReportAssets } from '../reports/html/assets.js';
import { renderReport } from '../reports/html/render.js';
import { spillCsv } from '../reports/memory-csv.js';
import { renderSpillTable } from '../reports/memory-table.js';
import { buildResultsFile } from '../reports/results-file.js';
import { runTrial } from '../runner/run-trial.js';
import { latencyOf, makeRun, repeat, TEST_ENVIRONMENT } from './fixtures/run-result.js';
import { ALL_MODES, smallTrial } from './fixtures/small-trial.js';

const stores: SpillStore[] = [];
afterAll(() => {
  for (const store of stores) store.close();
});

/** The values a histogram holds (value → count), read rank by rank; values below 2048 µs only, where its buckets are 1 µs wide. */
function valuesOf(encoded: string): Map<number, number> {
  const histogram = decodeHistogram(encoded);
  expect(histogram.maxValue).toBeLessThan(2048);
  const values = new Map<number, number>();
  const n = histogram.totalCount;
  for (let rank = 1; rank <= n; rank++) {
    const value = histogram.getValueAtPercentile(((rank - 0.5) / n) * 100);
    values.set(value, (values.get(value) ?? 0) + 1);
  }
  return values;
}

describe('the split', () => {
  it('counts a record as emitted while spilling exactly when the store was busy at or after its event time', () => {
    const store = { lastBusyEndUs: -Infinity };
    const split = new SpillLatency(store as BusyMark, 1000);
    const eventTimes = Float64Array.from([500, 1000, 1999, 2000, 2001, 3000]);
    // Nothing busy yet: everything measured is otherwise (the warm-up record at 500 is not measured).
    split.record(eventTimes, 0, 2, 2500);
    // The store's latest operation ended at 2000: events up to 2000 were in flight while it worked.
    store.lastBusyEndUs = 2000;
    split.record(eventTimes, 2, 6, 4000);
    const { whileSpilling, otherwise } = split.encode();
    expect(valuesOf(otherwise)).toEqual(new Map([[1500, 1], [1999, 1], [1000, 1]]));
    expect(valuesOf(whileSpilling)).toEqual(new Map([[2001, 1], [2000, 1]]));
    split.destroy();
  });
});

describe('a budgeted keyed count on a manual clock', () => {
  it('puts the output emitted after an eviction or read-back, and only that, in the spilling histogram', () => {
    const clock = new ManualClock();
    const store = openSpillStore({ dir: mkdtempSync(join(tmpdir(), 'streambench-split-')) }, 0, clock);
    stores.push(store);
    const split = new SpillLatency(store, 0);
    const sink = new MeasuringSink({ measureStartUs: 0, measureEndUs: 1e12 }, createHistogram(), createHistogram(), new Timeline(0, 100_000, 10));
    sink.splitBySpill(split);
    // 2KB: a table of about 80 entries (evicting 1/16 at a time) behind a filter of the 10 000 keys.
    const [head] = buildPipelineStages(planBudget([{ op: 'keyedCount' }], 2048), sink, { keys: 10_000, cpuIterationsPerUs: 1, counters: { lateDropped: 0 }, spill: store });
    const push = (atUs: number, key: number): void => {
      clock.advanceTo(atUs);
      head.push(atUs, key, 0);
    };
    // Phase 1, t = 0..99: 40 distinct keys fit the table: no disk work; emitted one by one 10 µs later (deferred small emits).
    for (let i = 0; i < 40; i++) {
      push(i, i);
      sink.flush(i + 10);
    }
    expect(store.lastBusyEndUs).toBe(-Infinity);
    // Phase 2, t = 1000..: 200 new keys overflow the table (evictions); keys 0..39 again, now on disk (read-backs). One emit at 5000.
    for (let i = 0; i < 200; i++) push(1000 + i, 1000 + i);
    for (let i = 0; i < 40; i++) push(2000 + i, i);
    const busyEndUs = store.lastBusyEndUs;
    expect(busyEndUs).toBeGreaterThanOrEqual(2000);
    expect(store.figures().readBackRecords).toBeGreaterThan(0);
    // Phase 3, t = 6000..: keys still in memory (the last ones read back): no disk work; emitted at 7000.
    const hot = [39, 38, 37];
    sink.flush(5000);
    hot.forEach((key, i) => push(6000 + i, key));
    expect(store.lastBusyEndUs).toBe(busyEndUs);
    sink.flush(7000);

    const { whileSpilling, otherwise } = split.encode();
    // Phase 1: 40 records of 10 µs. Phase 3: 3 records emitted 1000, 999, 998 µs after their event.
    expect(valuesOf(otherwise)).toEqual(new Map([[10, 40], [1000, 1], [999, 1], [998, 1]]));
    // Phase 2: every one of its 240 records was in flight while the store worked (event time ≤ its last operation's end),
    // emitted 5000 − 2039 .. 5000 − 1000 µs after their event (histogram buckets are 2 µs wide there).
    const spilling = summarizeEncoded([whileSpilling]);
    expect(spilling.count).toBe(240);
    expect(Math.abs(spilling.min - (5000 - 2039))).toBeLessThanOrEqual(2);
    expect(Math.abs(spilling.max - (5000 - 1000))).toBeLessThanOrEqual(2);
    // The split is of the sink's own output: together, the sink's event-time histogram.
    expect(summarizeEncoded([whileSpilling, otherwise]).count).toBe(summarizeEncoded([sink.encode().eventTime]).count);
    split.destroy();
    sink.destroy();
  });
});

describe('latency while spilling in results.json', () => {
  it('splits every measured output record of the spill scenario, under every mode: its peak\'s windows spill, the window before it does not', async () => {
    for (const [mode, params] of ALL_MODES) {
      // 4k records/s, 20k/s in the peak (0.5 s to 1 s): 96KB per task holds a window's keys before the peak, not in it.
      const result = await runTrial(smallTrial('spill', mode, { ...params, memoryBudgetBytes: 96 * 1024 }, { durationSec: 2, logCapacity: 1 << 17 }));
      expect(result.status).toBe('ok');
      expect(result.drained).toBe(true);
      const spill = result.spill!;
      expect(spill.latencyWhileSpilling.count).toBeGreaterThan(0);
      expect(spill.latencyOtherwise.count).toBeGreaterThan(0);
      expect(spill.latencyWhileSpilling.count + spill.latencyOtherwise.count).toBe(result.latency.eventTime.count);
      expect(spill.latencyWhileSpilling.max).toBeLessThanOrEqual(result.latency.eventTime.max);
    }
  });
});

describe('the spill figures in the reports', () => {
  const spillRun = makeRun({
    scenario: 'spill',
    params: { workers: 2, intervalMs: 100, memoryBudgetBytes: 1 << 20 },
    spill: {
      budgetBytes: 1 << 20,
      spilledRecords: 64_500,
      spilledBytes: 1_032_000,
      spillMs: 83,
      readBackRecords: 64_800,
      readBackBytes: 1_036_800,
      lookups: 60_000,
      readBackMs: 233,
      diskBytes: 3_000_000,
      peakHotEntries: 68_000,
      latencyWhileSpilling: latencyOf([...repeat(180_000, 98), 420_000, 430_000]),
      latencyOtherwise: latencyOf([...repeat(2_000, 980), ...repeat(9_000, 20)]),
    },
  });
  const bare = makeRun({ scenario: 'spill', params: { workers: 2, intervalMs: 100, memoryBudgetBytes: 1 << 20 }, spill: { ...spillRun.spill!, latencyWhileSpilling: latencyOf([]) } });

  it('spill.csv has records, p50, p99 and max of each part, empty where a part had no output', () => {
    const [header, row, empty] = spillCsv([spillRun, bare]).trim().split('\n').map((line) => line.split(','));
    const cell = (line: string[], column: string): string => line[header.indexOf(column)];
    // Within the histogram's 3 significant digits of the value recorded.
    const near = (line: string[], column: string, us: number): void => expect(Math.abs(Number(cell(line, column)) - us) / us).toBeLessThan(0.001);
    expect(header).toEqual(expect.arrayContaining(['spillingRecords', 'spillingP50Us', 'spillingP99Us', 'spillingMaxUs', 'otherRecords', 'otherP50Us', 'otherP99Us', 'otherMaxUs']));
    expect([cell(row, 'spillingRecords'), cell(row, 'otherRecords')]).toEqual(['100', '1000']);
    near(row, 'spillingP50Us', 180_000);
    near(row, 'spillingP99Us', 420_000);
    near(row, 'spillingMaxUs', 430_000);
    near(row, 'otherP50Us', 2000);
    near(row, 'otherP99Us', 9000);
    expect([cell(empty, 'spillingRecords'), cell(empty, 'spillingP50Us'), cell(empty, 'spillingP99Us'), cell(empty, 'spillingMaxUs')]).toEqual(['0', '', '', '']);
  });

  it('the spill table shows p50 / p99 (records) of each part', () => {
    const table = renderSpillTable([spillRun]).join('\n');
    expect(table).toMatch(/spilling p50 \/ p99 +otherwise p50 \/ p99/);
    expect(table).toMatch(/180ms \/ 420ms \(100\) +2\.00ms \/ 9\.0\dms \(1k\)/);
  });

  it('the HTML report\'s spill table shows p50 / p99 / max (records) of each part', async () => {
    const runs = [spillRun];
    const html = await renderReport([{ label: 'results.json', file: buildResultsFile(runs, TEST_ENVIRONMENT, {}, checkDigests(runs)) }], await loadReportAssets());
    expect(html).toContain('latency while spilling: p50 / p99 / max (records)');
    expect(html).toMatch(/180ms \/ 420ms \/ 430ms \(100\)/);
  });
});
