/**
 * Recovery and per-class figures in the reports: pooled over trials, shown in the terminal
 * table, summary.csv and timeline.csv only where a scenario produces them (other scenarios'
 * output keeps its columns), and in the HTML report's timelines.
 */
import { describe, expect, it } from 'vitest';
import { summaryCsv, timelineCsv } from '../reports/csv.js';
import { checkDigests } from '../reports/digest-check.js';
import { buildCharts } from '../reports/html/charts-data.js';
import { summarizeInputs } from '../reports/html/model.js';
import { ModePalette } from '../reports/html/palette.js';
import { priorityTable, recoveryTable } from '../reports/html/scenario-tables.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildResultsFile, readResultsFile } from '../reports/results-file.js';
import type { PriorityFigures, RecoveryFigures, RunResult } from '../primitives/results-schema.js';
import { pooledRecovery } from '../reports/scenario-summary.js';
import { summarizeRuns } from '../reports/summary.js';
import { renderTable } from '../reports/table.js';
import { latencyOf, makeRun, repeat, TEST_ENVIRONMENT } from './fixtures/run-result.js';

function recovery(overrides: Partial<RecoveryFigures> = {}): RecoveryFigures {
  return {
    peakFactor: 5,
    peakStartSec: 2,
    peakEndSec: 4,
    slidingWindowMs: 500,
    peakLatencyUs: 250_000,
    peakWindowP99Us: 200_000,
    preWindowP99Us: 2000,
    preBacklog: 100,
    backlogMax: 45_000,
    drainTimeUs: 700_000,
    latencyRecoveryUs: 1_200_000,
    windowP99Us: [2000, null],
    ...overrides,
  };
}

function priorityFigures(lane: boolean, priorityUs: number[], normalUs: number[]): PriorityFigures {
  return {
    fraction: 0.02,
    lane,
    priorityRecords: priorityUs.length,
    fastTracked: lane ? priorityUs.length : 0,
    caughtUp: lane ? priorityUs.length : 0,
    priority: { eventTime: latencyOf(priorityUs), processingTime: latencyOf(priorityUs) },
    normal: { eventTime: latencyOf(normalUs), processingTime: latencyOf(normalUs) },
  };
}

const burstRun = (trial: number, figures: Partial<RecoveryFigures>): RunResult =>
  makeRun({ scenario: 'burst', trial, durationSec: 8, recovery: recovery(figures) });

describe('pooled recovery', () => {
  it('takes the worst trial, and "not recovered" if any trial did not', () => {
    const pooled = pooledRecovery([burstRun(0, { drainTimeUs: 300_000, backlogMax: 10 }), burstRun(1, { drainTimeUs: 900_000, latencyRecoveryUs: null })]);
    expect(pooled?.drainTimeUs).toBe(900_000);
    expect(pooled?.latencyRecoveryUs).toBeNull();
    expect(pooled?.backlogMax).toBe(45_000);
    expect(pooled?.afterPeakSec).toBe(4);
    expect(pooledRecovery([makeRun()])).toBeUndefined();
  });
});

describe('terminal table', () => {
  it('adds the recovery columns for burst, "> X" where a run did not recover', () => {
    const runs = [burstRun(0, {}), makeRun({ scenario: 'burst', mode: 'trigger', params: { workers: 1, intervalMs: 0 }, durationSec: 8, recovery: recovery({ latencyRecoveryUs: null }) })];
    const table = renderTable(summarizeRuns(runs), checkDigests(runs));
    const [header] = table.split('\n');
    expect(header).toMatch(/peak lat\s+backlog max\s+drain\s+p99 recovery\s+backlog\s+digest/);
    expect(table).toContain('250ms');
    expect(table).toContain('45k');
    expect(table).toContain('700ms');
    expect(table).toContain('1.20s');
    expect(table).toContain('>4.00s');
    expect(table).toMatch(/drain \/ p99 recovery: from the peak's end/);
  });

  it('adds the class columns for priority, with the lane in the mode label', () => {
    const runs = [
      makeRun({ scenario: 'priority', priority: priorityFigures(false, repeat(50_000, 10), repeat(51_000, 90)) }),
      makeRun({ scenario: 'priority', params: { workers: 1, intervalMs: 100, priorityLane: true }, priority: priorityFigures(true, repeat(40, 10), repeat(52_000, 90)) }),
    ];
    const table = renderTable(summarizeRuns(runs), checkDigests(runs));
    expect(table.split('\n')[0]).toMatch(/prio p50\s+prio p99\s+normal p99\s+backlog/);
    expect(table).toContain('micro-batch T=100ms +lane');
    expect(table).toMatch(/\+lane.*\b40µs\s+40µs\s+52\.0ms/);
    expect(table).toMatch(/prio \/ normal: event-time latency of the priority class \(2% of records\)/);
  });

  it('leaves the table of other scenarios as it was', () => {
    const runs = [makeRun()];
    const table = renderTable(summarizeRuns(runs), checkDigests(runs));
    expect(table.split('\n')[0]).not.toMatch(/peak lat|prio/);
    expect(table).not.toMatch(/drain \/ p99|prio \/ normal/);
  });
});

describe('CSV', () => {
  it('adds recovery and class columns to summary.csv only when some row has them', () => {
    const plain = summaryCsv(summarizeRuns([makeRun()])).split('\n')[0];
    expect(plain).not.toMatch(/drainTimeUs|priorityP99Us/);
    expect(plain.endsWith('outputDigest')).toBe(true);
    const csv = summaryCsv(summarizeRuns([burstRun(0, { latencyRecoveryUs: null }), makeRun({ scenario: 'priority', priority: priorityFigures(true, [30, 40], [900]) })]));
    const [header, burstRow, priorityRow] = csv.trim().split('\n');
    const columns = header.split(',');
    const cell = (row: string, name: string): string => row.split(',')[columns.indexOf(name)];
    expect(cell(burstRow, 'drainTimeUs')).toBe('700000');
    expect(cell(burstRow, 'latencyRecoveryUs')).toBe('');
    expect(cell(burstRow, 'recoveredWithinWindow')).toBe('false');
    expect(cell(burstRow, 'priorityP99Us')).toBe('');
    expect(cell(priorityRow, 'priorityLane')).toBe('true');
    expect(cell(priorityRow, 'priorityP99Us')).toBe('40');
    expect(cell(priorityRow, 'normalP50Us')).toBe('900');
  });

  it('adds the sliding-window p99 to timeline.csv only for runs with a peak', () => {
    expect(timelineCsv([makeRun()]).split('\n')[0]).not.toContain('windowP99Us');
    const lines = timelineCsv([burstRun(0, {})]).trim().split('\n');
    expect(lines[0].endsWith(',windowP99Us')).toBe(true);
    expect(lines[1].endsWith(',2000')).toBe(true);
    expect(lines[2].endsWith(',')).toBe(true);
  });
});

describe('HTML charts', () => {
  it('shade the peak on the burst timelines and draw the sliding-window p99', () => {
    const file = buildResultsFile([burstRun(0, {})], TEST_ENVIRONMENT, {}, []);
    const inputs = [{ label: 'results.json', file }];
    const charts = buildCharts(inputs, summarizeInputs(inputs));
    const [group] = charts.timelines;
    for (const chart of group.charts) expect(chart.bands).toEqual([{ from: 2, to: 4, label: 'peak 5×' }]);
    const latency = group.charts.find((chart) => chart.id.endsWith('latency'))!;
    expect(latency.series.map((s) => s.label)).toContain('micro-batch T=100ms p99 (500 ms window)');
  });

  it('add no bands for scenarios without a peak', () => {
    const file = buildResultsFile([makeRun()], TEST_ENVIRONMENT, {}, []);
    const inputs = [{ label: 'results.json', file }];
    for (const chart of buildCharts(inputs, summarizeInputs(inputs)).timelines[0].charts) expect(chart.bands).toBeUndefined();
  });
});

describe('results.json', () => {
  it('reads back recovery and class figures, and names a damaged one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'streambench-figures-'));
    const good = buildResultsFile([burstRun(0, {}), makeRun({ scenario: 'priority', priority: priorityFigures(true, [30], [900]) })], TEST_ENVIRONMENT, {}, []);
    writeFileSync(join(dir, 'good.json'), JSON.stringify(good));
    const read = await readResultsFile(join(dir, 'good.json'));
    expect(read.runs[0].recovery?.drainTimeUs).toBe(700_000);
    expect(read.runs[1].priority?.lane).toBe(true);
    const damaged = { ...good, runs: [{ ...good.runs[0], recovery: { peakLatencyUs: 1 } }] };
    writeFileSync(join(dir, 'damaged.json'), JSON.stringify(damaged));
    await expect(readResultsFile(join(dir, 'damaged.json'))).rejects.toThrow(/runs\[0\]\.recovery\.windowP99Us is missing \(expected array\)/);
  });
});

describe('HTML tables', () => {
  it('list recovery per mode, and class latency with the lane after the run without it', () => {
    const runs = [
      burstRun(0, { latencyRecoveryUs: null }),
      makeRun({ scenario: 'priority', params: { workers: 1, intervalMs: 100, priorityLane: true }, priority: priorityFigures(true, repeat(40, 10), repeat(52_000, 90)) }),
      makeRun({ scenario: 'priority', priority: priorityFigures(false, repeat(50_000, 10), repeat(51_000, 90)) }),
    ];
    const inputs = [{ label: 'results.json', file: buildResultsFile(runs, TEST_ENVIRONMENT, {}, []) }];
    const summaries = summarizeInputs(inputs);
    const burst = recoveryTable(summaries.filter((s) => s.scenario === 'burst'), new ModePalette(), false);
    expect(burst).toContain('Recovery from the peak');
    expect(burst).toContain('700ms');
    expect(burst).toContain('&gt;4.00s');
    const classes = priorityTable(summaries.filter((s) => s.scenario === 'priority'), new ModePalette(), false);
    expect(classes.indexOf('>off<')).toBeLessThan(classes.indexOf('>on<'));
    expect(classes).toContain('40µs / 40µs / 40µs');
    expect(recoveryTable(summaries.filter((s) => s.scenario === 'priority'), new ModePalette(), false)).toBe('');
    expect(priorityTable(summaries.filter((s) => s.scenario === 'burst'), new ModePalette(), false)).toBe('');
  });
});
