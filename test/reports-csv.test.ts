import { describe, expect, it } from 'vitest';
import { CSV_PERCENTILES, percentilesCsv, summaryCsv, timelineCsv } from '../reports/csv.js';
import { summarizeRuns } from '../reports/summary.js';
import { failedRun } from '../runner/run-isolated.js';
import { makeRun, timelineOf } from './fixtures/run-result.js';
import { smallTrial } from './fixtures/small-trial.js';

/** Splits CSV text (with no quoted commas or newlines) into a header and rows of named cells. */
function parse(csv: string): { header: string[]; rows: Array<Record<string, string>> } {
  const lines = csv.trimEnd().split('\n');
  const header = lines[0].split(',');
  const rows = lines.slice(1).map((line) => {
    const cells = line.split(',');
    expect(cells).toHaveLength(header.length);
    return Object.fromEntries(header.map((name, i) => [name, cells[i]]));
  });
  return { header, rows };
}

const oneToHundred = Array.from({ length: 100 }, (_, i) => i + 1);

describe('summaryCsv', () => {
  it('writes one row per configuration with pooled throughput and latency', () => {
    const runs = [
      makeRun({ trial: 1, durationSec: 10, recordsIn: 10_000, eventTimeUs: [100, 100, 100] }),
      makeRun({ trial: 2, durationSec: 30, recordsIn: 90_000, eventTimeUs: [1000] }),
      makeRun({ mode: 'continuous', params: { workers: 2, flushTimeoutUs: 0 } }),
    ];
    const { header, rows } = parse(summaryCsv(summarizeRuns(runs)));
    expect(header.slice(0, 5)).toEqual(['scenario', 'mode', 'params', 'offeredRate', 'workers']);
    expect(header).toContain('eventTimeP99_9Us');
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({
      scenario: 'steady',
      mode: 'micro-batch',
      params: 'workers=1 T=100ms',
      intervalMs: '100',
      trials: '2',
      throughputOut: '2500',
      throughputOutMin: '1000',
      throughputOutMax: '3000',
      eventTimeP50Us: '100',
      eventTimeMaxUs: '1000',
      drained: 'true',
      status: 'ok',
      batchCount: '',
    });
    expect(rows[1]).toMatchObject({ mode: 'continuous', intervalMs: '', flushTimeoutUs: '0', trials: '1' });
  });

  it('writes only the header for no summaries', () => {
    const { header, rows } = parse(summaryCsv([]));
    expect(header[0]).toBe('scenario');
    expect(rows).toEqual([]);
  });
});

describe('percentilesCsv', () => {
  it('decodes each run’s event-time histogram into the listed percentiles', () => {
    const runs = [makeRun({ trial: 1, eventTimeUs: oneToHundred }), makeRun({ trial: 2, eventTimeUs: [7] })];
    const { header, rows } = parse(percentilesCsv(runs));
    expect(header).toEqual(['scenario', 'mode', 'params', 'offeredRate', 'trial', 'percentile', 'latencyUs']);
    expect(rows).toHaveLength(2 * CSV_PERCENTILES.length);
    const trial1 = Object.fromEntries(rows.filter((r) => r.trial === '1').map((r) => [r.percentile, Number(r.latencyUs)]));
    expect(trial1).toEqual({ '0': 1, '50': 50, '75': 75, '90': 90, '95': 95, '99': 99, '99.9': 100, '99.99': 100, '100': 100 });
    expect(rows.filter((r) => r.trial === '2').every((r) => r.latencyUs === '7')).toBe(true);
  });

  it('writes no rows for a run that recorded no latency', () => {
    expect(parse(percentilesCsv([makeRun({ eventTimeUs: [] })])).rows).toEqual([]);
  });

  it('writes no rows for a failed trial, which has no histogram at all, beside a measured one', () => {
    const failed = failedRun(smallTrial('steady', 'continuous', { workers: 2 }), 'failed', "mode 'x' failed to start");
    const { rows } = parse(percentilesCsv([failed, makeRun({ trial: 2, eventTimeUs: [7] })]));
    expect(rows.map((r) => r.trial)).toEqual(CSV_PERCENTILES.map(() => '2'));
  });
});

describe('timelineCsv', () => {
  it('writes one row per bucket with input, output, latency and backlog', () => {
    const run = makeRun({
      timeline: { input: timelineOf([5, 5, 0]), output: timelineOf([0, 4, 6], [0, 150, 250]), backlog: [5, 1, 0] },
    });
    const { header, rows } = parse(timelineCsv([run]));
    expect(header).toEqual([
      'scenario', 'mode', 'params', 'offeredRate', 'trial', 'bucketStartSec', 'recordsIn', 'recordsOut',
      'outLatencyMeanUs', 'outLatencyMaxUs', 'backlog',
    ]);
    expect(rows.map((r) => [r.bucketStartSec, r.recordsIn, r.recordsOut, r.outLatencyMeanUs, r.outLatencyMaxUs, r.backlog])).toEqual([
      ['0', '5', '0', '', '', '5'],
      ['0.1', '5', '4', '150', '150', '1'],
      ['0.2', '0', '6', '250', '250', '0'],
    ]);
  });

  it('aligns an output timeline that starts later than the input one', () => {
    const run = makeRun({
      timeline: { input: timelineOf([3, 3], [], 1_000_000), output: timelineOf([2, 4], [10, 20], 1_100_000), backlog: [3, 1] },
    });
    const { rows } = parse(timelineCsv([run]));
    expect(rows.map((r) => [r.bucketStartSec, r.recordsIn, r.recordsOut, r.backlog])).toEqual([
      ['0', '3', '0', '3'],
      ['0.1', '3', '2', '1'],
      ['0.2', '0', '4', ''],
    ]);
  });

  it('rejects timelines with different bucket widths', () => {
    const run = makeRun({ timeline: { input: timelineOf([1]), output: timelineOf([1], [1], 0, 50_000), backlog: [] } });
    expect(() => timelineCsv([run])).toThrow(/buckets/);
  });
});
