/**
 * `bench:micro`'s targets, from hand-made rows: ratios against the fused floor, the continuous
 * budget (floor + one clock read + one commit), and the instrumentation's share of throughput.
 */
import { describe, expect, it } from 'vitest';
import { checkTargets, formatTargets } from '../runner/micro-bench-targets.js';
import { microBenchRows } from '../runner/micro-bench-rows.js';

const rows = {
  'fused map+filter+count loop': 3,
  'batch partition task (codegen)': 6,
  'batch partition task (codegen, no latency recording)': 5.8,
  'continuous partition task (codegen)': 50,
  'continuous partition task (codegen, no latency recording)': 40,
  'clock read (SystemClock.now)': 30,
  'commit (Atomics.store)': 8,
  'load generator append': 12.5,
};

describe('bench:micro targets', () => {
  it('are ratios of rows of one run, each against its bound', () => {
    const [batch, continuous, batchShare, continuousShare, generator] = checkTargets(rows);
    expect(batch).toMatchObject({ measured: 2, bound: 2, met: true });
    expect(continuous.measured).toBeCloseTo(50 / 41);
    expect(continuous.met).toBe(false);
    expect(continuous.detail).toBe('50.0 ÷ (3.0 + 30.0 + 8.0 = 41.0) ns');
    expect(batchShare.measured).toBeCloseTo(1 - 5.8 / 6);
    expect(batchShare.met).toBe(true);
    expect(continuousShare.measured).toBeCloseTo(0.2);
    expect(continuousShare.met).toBe(false);
    expect(formatTargets([continuousShare])).toEqual(['missed  instrumentation ≤ 5% of throughput (continuous): 20.0% (bound 5%) — 1 − 40.0 ÷ 50.0 ns']);
    expect(generator).toMatchObject({ measured: 12.5, bound: 5, met: false });
    expect(formatTargets([generator])).toEqual(["missed  generator ≤ 5 ns per record at 20M records/s: 12.5 ns (bound 5 ns) — 'load generator append', published every 100 µs"]);
    expect(checkTargets({ ...rows, 'load generator append': 4.5 })[4].met).toBe(true);
  });

  it('name rows that exist, and the existing rows keep their names', () => {
    const names = microBenchRows.map((row) => row.name);
    for (const name of Object.keys(rows)) expect(names).toContain(name);
    for (const name of ['fused map+filter+count loop', 'batch partition task', 'continuous partition task', 'load generator append']) expect(names).toContain(name);
  });
});
