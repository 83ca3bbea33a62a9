import { describe, expect, it } from 'vitest';
import { bestUnder, paretoFrontier, type FrontierPoint } from '../runner/sweep/frontier.js';

const point = (mode: string, throughputOut: number, p99: number): FrontierPoint => ({ mode, setting: '', offeredRate: throughputOut, throughputOut, p99 });

describe('frontier', () => {
  const points = [
    point('continuous', 1e6, 200),
    point('continuous', 2e6, 5_000),
    point('trigger', 1.5e6, 300),
    point('trigger', 1e6, 400), // dominated by continuous 1e6@200
    point('micro-batch', 8e6, 150_000),
    point('micro-batch', 1e6, 60_000), // dominated
  ];

  it('keeps only points no other point beats on both axes, by increasing latency', () => {
    expect(paretoFrontier(points).map((p) => `${p.mode}@${p.p99}`)).toEqual(['continuous@200', 'trigger@300', 'continuous@5000', 'micro-batch@150000']);
  });

  it('answers "most throughput under a latency bound"', () => {
    expect(bestUnder(points, 1000)?.mode).toBe('trigger');
    expect(bestUnder(points, 10_000)?.throughputOut).toBe(2e6);
    expect(bestUnder(points, 100)).toBeUndefined();
  });
});
