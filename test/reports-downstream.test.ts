/**
 * The slow-sink and fault sections of the reports: terminal tables, CSV files, the
 * digest check with sink drops, and that other scenarios' output is unchanged.
 */
import { describe, expect, it } from 'vitest';
import { checkDigests } from '../reports/digest-check.js';
import { recoveryCsv, sinkCsv } from '../reports/downstream-csv.js';
import { renderRecoveryTable, renderSinkTable } from '../reports/downstream-table.js';
import { faultMarkers, sinkSeries } from '../reports/html/downstream-charts.js';
import type { FaultFigures, OffsetAccounting, RunResult, SinkFigures } from '../primitives/results-schema.js';
import { latencyOf, makeRun } from './fixtures/run-result.js';

const sink: SinkFigures = {
  capacityPerSec: 200_000,
  writeLatencyUs: 100,
  queueRecords: 20_000,
  drop: 'none',
  writes: 12,
  writeSize: latencyOf([1000, 1000, 2000]),
  dropped: 0,
  blockedMs: 12.5,
  peakQueueDepth: 3000,
  bucketUs: 10_000,
  queueDepth: [1000, 3000],
  written: [1000, 2000],
};

const accounting: OffsetAccounting = { appended: 100, committed: 100, sourceDropped: 0, outputs: 100, delivered: 100, sinkDropped: 0, duplicates: 0 };

const faults: FaultFigures = {
  killAtUs: 2_000_000,
  events: [
    { partition: 0, cause: 'task-failed', atUs: 300_000, restartedAtUs: 301_000, resumedAtUs: 305_000, replayFromOffset: 10, recordsReplayed: 5, batch: 5 },
    { partition: 0, cause: 'worker-killed', atUs: 2_010_000, restartedAtUs: 2_030_000, resumedAtUs: 2_050_000, replayFromOffset: 900, recordsReplayed: 40 },
  ],
  retries: 1,
  outputResumedUs: 40_000,
  latencyRecoveredUs: 190_000,
  baselineLatencyUs: 50_000,
  toleranceUs: 25_000,
  recordsReplayed: 45,
  duplicates: 0,
  delivery: 'exactly-once',
  deliveredDigest: 'digest-a',
};

describe('slow-sink and fault reports', () => {
  it('print nothing for runs without a slow sink or faults', () => {
    expect(renderSinkTable([makeRun()])).toEqual([]);
    expect(renderRecoveryTable([makeRun()])).toEqual([]);
  });

  it('show the sink figures per run', () => {
    const text = renderSinkTable([makeRun({ scenario: 'slow-sink', sink, accounting })]).join('\n');
    expect(text).toContain('slow downstream: 200k/s 100µs/write queue 20k');
    expect(text).toMatch(/slow-sink\s+1k\/s\s+micro-batch T=100ms #2\s+1k\/s\s+12\s+1k\s+2k\s+3k\s+12.5ms\s+1\s+0\s+50MB/);
  });

  it('show the recovery figures, with the actual kill time and offsets accounted', () => {
    const text = renderRecoveryTable([makeRun({ scenario: 'fault', faults, accounting })]).join('\n');
    expect(text).toMatch(/fault\s+1k\/s\s+micro-batch T=100ms #2\s+1.01s\s+20.0ms\s+40.0ms\s+190ms\s+45\s+0\s+1\s+exactly-once\s+✓ all/);
    const missing = renderRecoveryTable([makeRun({ scenario: 'fault', faults, accounting: { ...accounting, committed: 99 } })]).join('\n');
    expect(missing).toContain('✗ MISSING');
  });

  it('write sink.csv per bucket and recovery.csv per fault event', () => {
    const sinkRows = sinkCsv([makeRun({ scenario: 'slow-sink', sink }), makeRun()]).trim().split('\n');
    expect(sinkRows).toHaveLength(3);
    expect(sinkRows[0]).toBe('scenario,mode,params,offeredRate,trial,bucketStartSec,recordsWritten,sinkQueueDepthPeak,writes,writeSizeP50,writeSizeMax,sinkDropped,blockedMs');
    expect(sinkRows[2]).toBe('slow-sink,micro-batch,workers=1 T=100ms,1000,1,0.01,2000,3000,12,1000,2000,0,12.5');
    const recoveryRows = recoveryCsv([makeRun({ scenario: 'fault', faults })]).trim().split('\n');
    expect(recoveryRows).toHaveLength(3);
    expect(recoveryRows[2]).toContain('fault,micro-batch,workers=1 T=100ms,1000,1,0,worker-killed,,2.01,20000,40000,900,40,40000,190000,0,1,exactly-once,digest-a,digest-a');
  });

  it('treat a run whose sink dropped output as not comparable in the digest check', () => {
    const runs: RunResult[] = [
      makeRun({ scenario: 'slow-sink', mode: 'micro-batch', sink: { ...sink, dropped: 5 } }),
      makeRun({ scenario: 'slow-sink', mode: 'continuous', sink }),
    ];
    expect(checkDigests(runs)[0].verdict).toBe('not comparable');
  });

  it('mark faults inside the charted time and give the sink series per 10 ms bucket', () => {
    const run = makeRun({ scenario: 'fault', faults, timeline: { ...makeRun().timeline, output: { ...makeRun().timeline.output, startUs: 1_000_000 } } });
    // The failed batch happened in the warm-up (before the chart starts): only the kill is marked.
    expect(faultMarkers([run], 20)).toEqual([{ x: 1.01, label: 'worker of partition 0 killed' }]);
    expect(sinkSeries(makeRun({ sink }), 1)).toEqual({
      written: [{ x: 0, y: 100_000 }, { x: 0.01, y: 200_000 }],
      depth: [{ x: 0, y: 1000 }, { x: 0.01, y: 3000 }],
    });
  });
});
