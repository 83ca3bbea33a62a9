/**
 * The broker table under the main table: one row per run through a broker (who consumed, how the
 * clocks were joined, where the input went, the faults), nothing for in-process runs.
 */
import { describe, expect, it } from 'vitest';
import { renderBrokerTable } from '../reports/broker-table.js';
import type { BrokerFigures } from '../primitives/broker-figures.js';
import { makeRun } from './fixtures/run-result.js';

const broker: BrokerFigures = {
  target: 'local redis://127.0.0.1:4000',
  cluster: false,
  run: 'sb-1-1',
  sut: 'serve --mode micro-batch',
  generators: 2,
  clock: { via: 'broker-time', errorUs: 21 },
  accounting: { appended: 3000, entries: 3004, acknowledged: 3004, pending: 0, undelivered: 0, results: 2250, duplicates: 0, delivered: 2250, deliveredDigest: '2250:00', redelivered: 34, replayed: 1370, inputDuplicates: 0, allAcknowledged: true },
  faults: [{ kind: 'kill-sut', atUs: 700_000, restartedUs: 710_000, outputResumedUs: 1_200_000 }],
};

describe('the broker table', () => {
  it('is empty without a broker run', () => {
    expect(renderBrokerTable([makeRun()])).toEqual([]);
  });

  it('shows each run through the broker: its system, clock, accounting and faults', () => {
    const lines = renderBrokerTable([makeRun({ trial: 0, broker }), makeRun()]);
    expect(lines[0]).toBe('broker (local redis://127.0.0.1:4000):');
    expect(lines).toHaveLength(4);
    expect(lines[3]).toMatch(/^steady\s+1k\/s\s+micro-batch T=100ms\s+serve --mode micro-batch\s+2\s+TIME ±21µs\s+3k\s+3k\s+0\s+2.25k\s+0\s+34\s+1.37k\s+kill-sut 700ms resumed \+500ms\s+✓ all acked$/);
  });
});
