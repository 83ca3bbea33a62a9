import { describe, expect, it } from 'vitest';
import { checkBudget, formatSeconds, probeSeconds, probesForNextSearch, probesInBudget, SweepProgress } from '../runner/sweep/budget.js';
import { UsageError } from '../primitives/usage-error.js';

describe('sweep budget arithmetic', () => {
  it('a probe costs warm-up + duration + ~1.5 s', () => {
    expect(probeSeconds(0.5, 2)).toBe(4);
    expect(probeSeconds(1, 3, 0)).toBe(4);
  });

  it('counts the probes that fit, rounding down', () => {
    expect(probesInBudget(300, 4)).toBe(75); // --budget 5m at the default probe
    expect(probesInBudget(299, 4)).toBe(74);
    expect(probesInBudget(12, 4)).toBe(3); // exact fit is not lost to floating point
    expect(probesInBudget(0, 4)).toBe(0);
  });

  it('shares the time left among the searches left, at least 3 each', () => {
    expect(probesForNextSearch(300, 4, 3)).toBe(25);
    expect(probesForNextSearch(200, 4, 2)).toBe(25); // what the first search left unused goes to the rest
    expect(probesForNextSearch(10, 4, 5)).toBe(3);
    expect(probesForNextSearch(-5, 4, 1)).toBe(3);
  });

  it('rejects a budget that cannot give every search its minimum, saying what would fit', () => {
    expect(() => checkBudget(36, 4, 3)).not.toThrow(); // 9 probes = 3 searches × 3
    expect(() => checkBudget(30, 4, 3)).toThrow(UsageError); // 7 < 9
    expect(() => checkBudget(30, 4, 3)).toThrow(/--budget: 30 s fits 7 probes of ~4\.0 s, but 3 searches need at least 9; raise --budget to 36s/);
  });

  it('formats durations for the progress line', () => {
    expect(formatSeconds(42.4)).toBe('42s');
    expect(formatSeconds(65)).toBe('1m05s');
    expect(formatSeconds(-3)).toBe('0s');
  });
});

describe('sweep progress', () => {
  it('estimates the time left from the measured time per probe', () => {
    let now = 0;
    const lines: string[] = [];
    const progress = new SweepProgress(4, true, () => now, (line) => lines.push(line));
    expect(progress.secondsLeft(10)).toBe(40); // the estimate before any probe ran
    progress.begin('steady trigger T=0ms', 2e6, 'bracket', 10);
    expect(lines[0]).toBe('[sweep] steady trigger T=0ms @ 2M/s (bracket) — probe 1, 0s elapsed, ~40s left');
    now = 6;
    progress.end(false, ['backlog grows 5000 records/s', 'did not drain']);
    expect(lines[1]).toMatch(/not sustainable: backlog grows 5000 records\/s; did not drain/);
    expect(progress.secondsPerProbe()).toBe(6);
    expect(progress.secondsLeft(9)).toBe(54);
    progress.begin('steady trigger T=0ms', 1e6, 'bracket', 9);
    expect(lines[2]).toMatch(/probe 2, 6s elapsed, ~54s left$/);
  });

  it('is silent when disabled', () => {
    const lines: string[] = [];
    const progress = new SweepProgress(4, false, () => 0, (line) => lines.push(line));
    progress.begin('x', 1, 'bracket', 1);
    progress.end(true, []);
    expect(lines).toEqual([]);
  });
});
