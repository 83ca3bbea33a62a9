import { describe, expect, it } from 'vitest';
import { checkDigests } from '../reports/digest-check.js';
import { summarizeRuns } from '../reports/summary.js';
import { backlogCell, renderTable } from '../reports/table.js';
import { makeRun, repeat } from './fixtures/run-result.js';

const microBatch = { mode: 'micro-batch', params: { workers: 1, intervalMs: 100 } };
const trigger = { mode: 'trigger', params: { workers: 1, intervalMs: 0 } };
const continuous = { mode: 'continuous', params: { workers: 2 } };

/** The table's body rows: lines between the header rule and the first blank line before the footer. */
function rowsOf(table: string): string[] {
  const lines = table.split('\n');
  const footerStart = lines.findIndex((line) => line.startsWith('p50..max:'));
  return lines.slice(2, footerStart).filter((line) => line !== '');
}

describe('renderTable', () => {
  const runs = [
    makeRun({ ...continuous, eventTimeUs: [412, 412, 412, 900] }),
    makeRun({ ...microBatch, eventTimeUs: [51_200, 51_200, 51_200, 1_200_000] }),
    makeRun({ ...trigger, outputDigest: 'digest-b', eventTimeUs: repeat(2_000, 10) }),
  ];
  const table = renderTable(summarizeRuns(runs), checkDigests(runs));

  it('has one row per mode, in micro-batch, trigger, continuous order whatever the input order', () => {
    const rows = rowsOf(table);
    expect(rows).toHaveLength(3);
    expect(rows[0]).toContain('micro-batch T=100ms');
    expect(rows[1]).toContain('trigger T=0ms');
    expect(rows[2]).toContain('continuous workers=2');
  });

  it('prints scenario, rate and verdict once per scenario and rate', () => {
    const rows = rowsOf(table);
    expect(rows[0]).toMatch(/^steady\s+1k\/s\s+micro-batch/);
    expect(rows[1]).toMatch(/^\s+trigger T=0ms/);
    expect(rows[2]).toMatch(/^\s+continuous workers=2/);
    expect(rows[2].trimEnd()).toMatch(/drained$/);
    expect(table.match(/MISMATCH/g)).toHaveLength(1);
    expect(rows[0]).toContain('✗ MISMATCH');
  });

  it('shows event-time percentiles in human units', () => {
    const rows = rowsOf(table);
    expect(rows[0].split(/\s{2,}/)).toEqual(
      expect.arrayContaining(['51.2ms', '1.20s', '1k/s', 'drained', '✗ MISMATCH']),
    );
    expect(rows[2]).toMatch(/412µs\s+900µs\s+900µs\s+900µs/);
  });

  it('stays within 120 columns and explains its columns in a footer', () => {
    for (const line of table.split('\n')) expect([...line].length).toBeLessThanOrEqual(120);
    expect(table).toContain('event-time latency');
    expect(table).toContain('over 1 trial;');
  });

  it('shows a match, and n/a when the runs are not comparable', () => {
    const matching = [makeRun({ ...microBatch }), makeRun({ ...continuous })];
    const matched = renderTable(summarizeRuns(matching), checkDigests(matching));
    expect(matched).toContain('✓ match');
    expect(matched).not.toContain('MISMATCH');

    const dropping = [makeRun({ ...microBatch, sourceDropped: 1500 }), makeRun({ ...continuous, outputDigest: 'other' })];
    const notComparable = rowsOf(renderTable(summarizeRuns(dropping), checkDigests(dropping)));
    expect(notComparable[0]).toMatch(/dropped 1\.5k\s+n\/a$/);
  });

  it('shows n/a when no digest check was given for a scenario and rate', () => {
    const rows = rowsOf(renderTable(summarizeRuns([makeRun()]), []));
    expect(rows[0]).toMatch(/n\/a$/);
  });

  it('puts each scenario in its own block, rates ascending', () => {
    const mixed = [
      makeRun({ ...microBatch, offeredRate: 5000 }),
      makeRun({ ...microBatch, scenario: 'windows' }),
      makeRun({ ...microBatch, offeredRate: 1000 }),
    ];
    const lines = renderTable(summarizeRuns(mixed), checkDigests(mixed)).split('\n');
    expect(lines[2]).toMatch(/^steady\s+1k\/s/);
    expect(lines[3]).toMatch(/^steady\s+5k\/s/);
    expect(lines[4]).toBe('');
    expect(lines[5]).toMatch(/^windows\s+1k\/s/);
  });

  it('shows a dash for latency when nothing was emitted', () => {
    const rows = rowsOf(renderTable(summarizeRuns([makeRun({ eventTimeUs: [], recordsOut: 0 })]), []));
    expect(rows[0]).toMatch(/T=100ms\s+-\s+-\s+-\s+-\s+1k\/s\s+0\/s/);
  });
});

describe('backlogCell', () => {
  it('says drained, dropped, unprocessed and a non-ok status', () => {
    const [drained, dropped, stuck, failed, partlyFailed] = summarizeRuns([
      makeRun({ trial: 1 }),
      makeRun({ trial: 1, offeredRate: 2000, sourceDropped: 42 }),
      makeRun({ trial: 1, offeredRate: 3000, status: 'timeout', drained: false, unprocessed: 12_345 }),
      makeRun({ trial: 1, offeredRate: 4000, status: 'failed' }),
      makeRun({ trial: 1, offeredRate: 5000 }),
      makeRun({ trial: 2, offeredRate: 5000, status: 'failed' }),
    ]);
    expect(backlogCell(drained)).toBe('drained');
    expect(backlogCell(dropped)).toBe('dropped 42');
    expect(backlogCell(stuck)).toBe('TIMEOUT unprocessed 12.3k');
    expect(backlogCell(failed)).toBe('FAILED 1/1');
    expect(backlogCell(partlyFailed)).toBe('FAILED 1/2 drained');
  });
});
