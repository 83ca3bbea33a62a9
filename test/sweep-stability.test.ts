import { describe, expect, it } from 'vitest';
import { Random } from '../runner/random.js';
import { judgeRun, slope } from '../runner/sweep/stability.js';
import { parseSlo } from '../runner/sweep/slo.js';
import { makeRun, timelineOf } from './fixtures/run-result.js';

const BUCKETS = 30; // a 3 s window of 100 ms buckets

function runWith(backlog: number[], latencyUs: number[], extra: Parameters<typeof makeRun>[0] = {}) {
  return makeRun({
    offeredRate: 100_000,
    durationSec: 3,
    timeline: { input: timelineOf(backlog.map(() => 10_000)), output: timelineOf(backlog.map(() => 10_000), latencyUs), backlog },
    ...extra,
  });
}

const noise = (seed: number, amplitude: number) => {
  const random = new Random(seed);
  return () => (random.next() - 0.5) * 2 * amplitude;
};

describe('least-squares slope', () => {
  it('recovers a linear trend and is zero on a constant', () => {
    expect(slope([0, 10, 20, 30], 0.1)).toBeCloseTo(100);
    expect(slope([5, 5, 5, 5, 5], 0.1)).toBe(0);
    expect(slope([7], 0.1)).toBe(0);
  });
});

describe('sustainability judgement', () => {
  it('stable: flat backlog and latency', () => {
    const verdict = judgeRun(runWith(Array(BUCKETS).fill(2000), Array(BUCKETS).fill(800)));
    expect(verdict).toMatchObject({ sustainable: true, reasons: [] });
  });

  it('noisy but flat (a micro-batch sawtooth and jittery latency) is sustainable', () => {
    const jitter = noise(3, 4000);
    const backlog = Array.from({ length: BUCKETS }, (_, i) => (i % 2 === 0 ? 10_000 : 500));
    const latency = Array.from({ length: BUCKETS }, () => 50_000 + jitter());
    expect(judgeRun(runWith(backlog, latency)).sustainable).toBe(true);
  });

  it('growing backlog is unsustainable and says so', () => {
    const backlog = Array.from({ length: BUCKETS }, (_, i) => i * 20_000);
    const verdict = judgeRun(runWith(backlog, Array(BUCKETS).fill(800)));
    expect(verdict.sustainable).toBe(false);
    expect(verdict.reasons.join()).toMatch(/backlog grows \d+ records\/s/);
    expect(verdict.backlogSlope).toBeCloseTo(200_000, -3);
  });

  it('rising latency is unsustainable and says so', () => {
    const latency = Array.from({ length: BUCKETS }, (_, i) => 1000 + i * 2000);
    const verdict = judgeRun(runWith(Array(BUCKETS).fill(100), latency));
    expect(verdict.sustainable).toBe(false);
    expect(verdict.reasons.join()).toMatch(/latency rises 20\.0 ms\/s/);
  });

  it('a small latency drift under the floor is tolerated', () => {
    const latency = Array.from({ length: BUCKETS }, (_, i) => 1000 + i * 50); // +1.5 ms over 3 s
    expect(judgeRun(runWith(Array(BUCKETS).fill(100), latency)).sustainable).toBe(true);
  });

  it('source drops, an undrained run and source lag each make a probe unsustainable', () => {
    const flat = [Array(BUCKETS).fill(100), Array(BUCKETS).fill(800)] as const;
    expect(judgeRun(runWith(...flat, { sourceDropped: 5 })).reasons.join()).toMatch(/source dropped 5/);
    expect(judgeRun(runWith(...flat, { drained: false })).reasons.join()).toMatch(/did not drain/);
    expect(judgeRun(runWith(...flat, { generatorLagUs: [50_000] })).reasons.join()).toMatch(/source lag p99 50\.\d ms/);
  });

  it('applies an SLO on the event-time percentile', () => {
    const run = runWith(Array(BUCKETS).fill(100), Array(BUCKETS).fill(800), { eventTimeUs: [1000, 2000, 60_000] });
    expect(judgeRun(run, parseSlo('max<50ms')).reasons.join()).toMatch(/SLO max<50ms missed/);
    expect(judgeRun(run, parseSlo('p50<50ms')).sustainable).toBe(true);
  });
});
