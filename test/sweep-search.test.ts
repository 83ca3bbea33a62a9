import { describe, expect, it } from 'vitest';
import { findSustainableRate, type ProbeOutcome } from '../runner/sweep/search.js';
import { parseSlo } from '../runner/sweep/slo.js';
import { UsageError } from '../primitives/usage-error.js';

/** A synthetic engine that sustains any rate up to `capacity`. */
function engineWithCapacity(capacity: number, flakyAt?: number) {
  const rates: number[] = [];
  const probe = async (rate: number): Promise<ProbeOutcome> => {
    rates.push(rate);
    const sustainable = rate <= capacity && !(flakyAt !== undefined && Math.abs(rate - flakyAt) < 1e-6);
    return { sustainable, reasons: sustainable ? [] : ['backlog grows'] };
  };
  return { probe, rates };
}

const options = { startRate: 1000, minRate: 100, maxRate: 1e8, precision: 0.1, maxProbes: 40, growth: 2 };

describe('sustainable-throughput search', () => {
  it.each([3_000, 47_000, 1_234_567, 900])('converges within the precision below a capacity of %d', async (capacity) => {
    const { probe } = engineWithCapacity(capacity);
    const result = await findSustainableRate(probe, options);
    expect(result.confirmed).toBe(true);
    expect(result.sustainableRate).toBeLessThanOrEqual(capacity);
    expect(result.sustainableRate).toBeGreaterThanOrEqual(capacity / (1 + options.precision));
    expect(result.unsustainableRate).toBeGreaterThan(capacity);
    expect(result.probes.at(-1)?.phase).toBe('confirm');
  });

  it('brackets geometrically, then bisects: probe count grows with log of the range only', async () => {
    const { probe, rates } = engineWithCapacity(50_000);
    const result = await findSustainableRate(probe, options);
    expect(rates.slice(0, 7)).toEqual([1000, 2000, 4000, 8000, 16000, 32000, 64000]);
    expect(result.probes.length).toBeLessThanOrEqual(7 + 5 + 1);
  });

  it('steps down when the confirmation run fails', async () => {
    // Bisection ends at some rate lo; make exactly that rate fail on re-run by failing every second visit.
    const visits = new Map<number, number>();
    const probe = async (rate: number): Promise<ProbeOutcome> => {
      const n = (visits.get(rate) ?? 0) + 1;
      visits.set(rate, n);
      const sustainable = rate <= 20_000 && n === 1;
      return { sustainable, reasons: sustainable ? [] : ['latency rises'] };
    };
    const result = await findSustainableRate(probe, options);
    const confirms = result.probes.filter((p) => p.phase === 'confirm');
    expect(confirms.length).toBeGreaterThanOrEqual(2);
    expect(confirms[0].sustainable).toBe(false);
    expect(result.confirmed).toBe(true);
    expect(result.sustainableRate).toBeLessThan(confirms[0].rate);
  });

  it('respects the probe budget', async () => {
    const { probe } = engineWithCapacity(1e7);
    const result = await findSustainableRate(probe, { ...options, maxProbes: 4 });
    expect(result.probes).toHaveLength(4);
    expect(result.confirmed).toBe(false);
  });

  it('keeps the last probe of a short budget for the confirmation', async () => {
    const { probe } = engineWithCapacity(50_000);
    const result = await findSustainableRate(probe, { ...options, maxProbes: 9 }); // 7 to bracket, 1 to bisect, 1 to confirm
    expect(result.probes.map((p) => p.phase)).toEqual([...Array(7).fill('bracket'), 'bisect', 'confirm']);
    expect(result.confirmed).toBe(true);
    expect(result.sustainableRate).toBeGreaterThanOrEqual(32_000);
  });

  it('brackets downwards from a start rate above capacity', async () => {
    const { probe, rates } = engineWithCapacity(3_000);
    const result = await findSustainableRate(probe, { ...options, startRate: 100_000 });
    expect(rates.slice(0, 7)).toEqual([100_000, 50_000, 25_000, 12_500, 6_250, 3_125, 1_562.5]);
    expect(result.sustainableRate).toBeGreaterThanOrEqual(3_000 / 1.1);
    expect(result.confirmed).toBe(true);
  });

  it('brackets ×4 by default: fewer probes to bracket a wide range', async () => {
    const { probe, rates } = engineWithCapacity(10_000_000);
    const { growth: _ignored, ...defaults } = options;
    const result = await findSustainableRate(probe, { ...defaults, startRate: 100_000 });
    expect(rates.slice(0, 5)).toEqual([100_000, 400_000, 1_600_000, 6_400_000, 25_600_000]);
    expect(result.confirmed).toBe(true);
    expect(result.sustainableRate).toBeGreaterThanOrEqual(10_000_000 / 1.1);
    expect(result.probes.length).toBeLessThanOrEqual(5 + 4 + 1);
  });

  it('re-probes a suspect failure once and believes the re-probe', async () => {
    // 32k is within capacity, but its first probe fails with the machine at fault.
    const visits = new Map<number, number>();
    const probe = async (rate: number): Promise<ProbeOutcome> => {
      const n = (visits.get(rate) ?? 0) + 1;
      visits.set(rate, n);
      if (rate === 32_000 && n === 1) return { sustainable: false, reasons: ['latency rises', 'note: load generator late too'], suspect: true };
      const sustainable = rate <= 50_000;
      return { sustainable, reasons: sustainable ? [] : ['backlog grows'] };
    };
    const phases: string[] = [];
    const result = await findSustainableRate(async (rate, phase) => {
      if (rate === 32_000) phases.push(phase);
      return probe(rate);
    }, options);
    expect(phases).toEqual(['bracket', 'recheck']); // the probe is told it is a re-probe
    const at32k = result.probes.filter((p) => p.rate === 32_000);
    expect(at32k.map((p) => [p.phase, p.sustainable])).toEqual([['bracket', false], ['recheck', true]]);
    expect(result.sustainableRate).toBeGreaterThanOrEqual(50_000 / 1.1);
    expect(result.confirmed).toBe(true);
  });

  it('does not re-probe a failure that is not suspect', async () => {
    const { probe, rates } = engineWithCapacity(50_000);
    await findSustainableRate(probe, options);
    expect(new Set(rates).size).toBe(rates.length - 1); // only the confirmation repeats a rate
  });

  it('without budget to confirm a stepped-down rate, reports the highest rate actually probed sustainable', async () => {
    // Every rate passes once and fails on a second visit: the confirmation fails and the budget ends.
    const visits = new Map<number, number>();
    const probe = async (rate: number): Promise<ProbeOutcome> => {
      const n = (visits.get(rate) ?? 0) + 1;
      visits.set(rate, n);
      const sustainable = rate <= 20_000 && n === 1;
      return { sustainable, reasons: sustainable ? [] : ['latency rises'] };
    };
    const probedOnce = await findSustainableRate(probe, { ...options, maxProbes: 40 });
    const budget = probedOnce.probes.findIndex((p) => p.phase === 'confirm') + 1; // stop right after the failed confirmation
    visits.clear();
    const result = await findSustainableRate(probe, { ...options, maxProbes: budget });
    expect(result.confirmed).toBe(false);
    // Bracketing passes 1000…16 000 and fails 32 000; bisection probes 16 000·2^(1/2) (fails),
    // 16 000·2^(1/4) (passes), 16 000·2^(3/8) (fails); the confirmation of 16 000·2^(1/4) fails
    // and the budget ends: 16 000 is the highest rate whose last probe passed below it.
    expect(result.probes.map((p) => [p.phase, Math.round(p.rate), p.sustainable])).toEqual([
      ['bracket', 1000, true],
      ['bracket', 2000, true],
      ['bracket', 4000, true],
      ['bracket', 8000, true],
      ['bracket', 16_000, true],
      ['bracket', 32_000, false],
      ['bisect', Math.round(16_000 * 2 ** 0.5), false],
      ['bisect', Math.round(16_000 * 2 ** 0.25), true],
      ['bisect', Math.round(16_000 * 2 ** 0.375), false],
      ['confirm', Math.round(16_000 * 2 ** 0.25), false],
    ]);
    expect(result.sustainableRate).toBe(16_000);
    expect(result.unsustainableRate).toBeCloseTo(16_000 * 2 ** 0.25, 6);
  });

  it('reports 0 when even the minimum rate is unsustainable, after probing it once', async () => {
    const { probe, rates } = engineWithCapacity(10);
    const result = await findSustainableRate(probe, options);
    expect(result.sustainableRate).toBe(0);
    expect(result.confirmed).toBe(false);
    expect(rates).toEqual([1000, 500, 250, 125, 100]);
  });

  it('an engine that sustains maxRate is probed there once, then confirmed', async () => {
    const { probe, rates } = engineWithCapacity(Infinity);
    const result = await findSustainableRate(probe, { ...options, maxRate: 10_000 });
    expect(rates).toEqual([1000, 2000, 4000, 8000, 10_000, 10_000]);
    expect(result.probes.map((p) => p.phase)).toEqual(['bracket', 'bracket', 'bracket', 'bracket', 'bracket', 'confirm']);
    expect(result).toMatchObject({ sustainableRate: 10_000, unsustainableRate: Infinity, confirmed: true });
  });

  it('bracketing down stops at the first sustainable rate; geometric bisection halves the bracket in log steps', async () => {
    const { probe } = engineWithCapacity(3_000);
    const result = await findSustainableRate(probe, { ...options, startRate: 100_000 });
    const r = 1_562.5; // bracket [1562.5, 3125]: bisection probes r·2^(1/2), r·2^(3/4), r·2^(7/8), all sustainable
    expect(result.probes.map((p) => [p.phase, p.rate])).toEqual([
      ...[100_000, 50_000, 25_000, 12_500, 6_250, 3_125, 1_562.5].map((rate) => ['bracket', rate]),
      ['bisect', expect.closeTo(r * 2 ** 0.5, 6)],
      ['bisect', expect.closeTo(r * 2 ** 0.75, 6)],
      ['bisect', expect.closeTo(r * 2 ** 0.875, 6)],
      ['confirm', expect.closeTo(r * 2 ** 0.875, 6)],
    ]);
    expect(result.sustainableRate).toBeCloseTo(r * 2 ** 0.875, 6);
    expect(result.unsustainableRate).toBe(3_125);
  });

  it('does not bisect a bracket already within the precision (hi/lo = 1 + precision exactly)', async () => {
    const { probe } = engineWithCapacity(20_000);
    const result = await findSustainableRate(probe, { ...options, precision: 1 });
    expect(result.probes.map((p) => [p.phase, p.rate])).toEqual([...[1000, 2000, 4000, 8000, 16_000, 32_000].map((rate) => ['bracket', rate]), ['confirm', 16_000]]);
  });

  it('after a failed confirmation, reports the stepped-down rate it confirmed, not a higher one probed before', async () => {
    // The first confirmation fails; every other probe is honest (capacity 120 records/s).
    let confirms = 0;
    const probe = async (rate: number, phase: string): Promise<ProbeOutcome> => {
      const sustainable = rate <= 120 && !(phase === 'confirm' && confirms++ === 0);
      return { sustainable, reasons: sustainable ? [] : ['backlog grows'] };
    };
    const result = await findSustainableRate(probe, options);
    // Bracket 1000, 500, 250, 125 fail, 100 passes; bisection of [100, 125]: 100·1.25^(1/2) and
    // 100·1.25^(3/4) pass; the confirmation of 100·1.25^(3/4) fails, 90% of it is confirmed.
    const lo = 100 * 1.25 ** 0.75;
    expect(result.probes.map((p) => [p.phase, p.rate, p.sustainable])).toEqual([
      ...[1000, 500, 250, 125].map((rate) => ['bracket', rate, false]),
      ['bracket', 100, true],
      ['bisect', expect.closeTo(100 * 1.25 ** 0.5, 6), true],
      ['bisect', expect.closeTo(lo, 6), true],
      ['confirm', expect.closeTo(lo, 6), false],
      ['confirm', expect.closeTo(lo * 0.9, 6), true],
    ]);
    expect(result.confirmed).toBe(true);
    expect(result.sustainableRate).toBeCloseTo(lo * 0.9, 6);
    expect(result.unsustainableRate).toBeCloseTo(lo, 6);
  });

  it('stops stepping down below minRate, and then reports the highest rate whose last probe passed below the last failure', async () => {
    // Every confirmation fails (the engine degrades on a second run); capacity 120 records/s.
    const probe = async (rate: number, phase: string): Promise<ProbeOutcome> => {
      const sustainable = rate <= 120 && phase !== 'confirm';
      return { sustainable, reasons: sustainable ? [] : ['backlog grows'] };
    };
    const result = await findSustainableRate(probe, options);
    const lo = 100 * 1.25 ** 0.75;
    // Confirmations at lo and 0.9·lo (106.4) fail; 0.81·lo (95.7) is under minRate: not probed.
    expect(result.probes.slice(7).map((p) => [p.phase, p.rate])).toEqual([
      ['confirm', expect.closeTo(lo, 6)],
      ['confirm', expect.closeTo(lo * 0.9, 6)],
    ]);
    expect(result.probes).toHaveLength(9);
    expect(result.confirmed).toBe(false);
    // 100·1.25^(1/2) = 111.8 passed but lies above the last failure (106.4): 100 is the answer.
    expect(result.sustainableRate).toBe(100);
    expect(result.unsustainableRate).toBeCloseTo(lo * 0.9, 6);
  });

  it('steps down to exactly minRate and still confirms there', async () => {
    const probe = async (rate: number, phase: string): Promise<ProbeOutcome> => {
      const sustainable = rate <= 250 && phase !== 'confirm';
      return { sustainable, reasons: sustainable ? [] : ['backlog grows'] };
    };
    const result = await findSustainableRate(probe, { ...options, startRate: 200, precision: 0.5 });
    // 200 passes, 400 fails; bisection 200·√2 fails (282.8/200 < 1.5 ends it); confirmations at 200 and 100 fail.
    expect(result.probes.map((p) => [p.phase, p.rate])).toEqual([
      ['bracket', 200],
      ['bracket', 400],
      ['bisect', expect.closeTo(200 * Math.SQRT2, 6)],
      ['confirm', 200],
      ['confirm', 100],
    ]);
    expect(result).toMatchObject({ sustainableRate: 0, unsustainableRate: 100, confirmed: false });
  });
});

describe('SLO parsing', () => {
  it('reads percentile, bound and strictness', () => {
    expect(parseSlo('p99<50ms')).toMatchObject({ percentile: 'p99', boundUs: 50_000, inclusive: false });
    expect(parseSlo('p99.9<=1s')).toMatchObject({ percentile: 'p99_9', boundUs: 1_000_000, inclusive: true });
    expect(parseSlo(' max < 500us ')).toMatchObject({ percentile: 'max', boundUs: 500 });
  });

  it.each([
    ['p98<50ms', /not an SLO; use <percentile><bound> like p99<50ms/],
    ['p99>50ms', /not an SLO/],
    ['p99<fast', /bound 'fast' is not a positive duration/],
    ['p99<0ms', /bound '0ms' is not a positive duration/],
  ])('rejects %s with a clear message', (text, message) => {
    expect(() => parseSlo(text)).toThrow(UsageError);
    expect(() => parseSlo(text)).toThrow(message);
  });
});
