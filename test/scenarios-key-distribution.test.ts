/**
 * Skewed key distributions (zipf, Nexmark-style hot keys): their probabilities as defined,
 * the seeded sampler's frequencies within tight bounds of them, and the load generator drawing
 * its keys from them deterministically per seed (uniform keys unchanged).
 */
import { describe, expect, it } from 'vitest';
import { Random } from '../primitives/random.js';
import { SourceLog } from '../primitives/source-log.js';
import { LoadGenerator, type GeneratorPlan } from '../runner/load-generator.js';
import { KeySampler, keyProbability, type KeyDistribution } from '../scenarios/key-distribution.js';

const DRAWS = 200_000;

/** Frequencies of `keys` keys over DRAWS seeded draws. */
function frequencies(distribution: KeyDistribution, keys: number, seed = 42): number[] {
  const sampler = new KeySampler(distribution, keys);
  const random = new Random(seed);
  const counts = new Array<number>(keys).fill(0);
  for (let i = 0; i < DRAWS; i++) counts[sampler.draw(random)]++;
  return counts.map((c) => c / DRAWS);
}

/**
 * Every key's frequency within 4 standard deviations of a binomial proportion at its
 * probability, and the total variation distance within 1.5× what sampling noise alone gives
 * (E|f − p| = σ·√(2/π) per key).
 */
function expectWithinBounds(distribution: KeyDistribution, keys: number): void {
  const observed = frequencies(distribution, keys);
  let totalVariation = 0;
  let expectedVariation = 0;
  for (let k = 0; k < keys; k++) {
    const p = keyProbability(distribution, keys, k);
    const sigma = Math.sqrt((p * (1 - p)) / DRAWS);
    expect(Math.abs(observed[k] - p), `key ${k}: ${observed[k]} vs ${p}`).toBeLessThanOrEqual(4 * sigma + 1e-12);
    totalVariation += Math.abs(observed[k] - p) / 2;
    expectedVariation += (sigma * Math.sqrt(2 / Math.PI)) / 2;
  }
  expect(totalVariation).toBeLessThan(1.5 * expectedVariation + 1e-12);
}

describe('key probabilities as defined', () => {
  it('zipf: key k ∝ 1/(k+1)^s (s = 1 over 4 keys: 12/25, 6/25, 4/25, 3/25)', () => {
    const zipf: KeyDistribution = { kind: 'zipf', exponent: 1 };
    // 1 + 1/2 + 1/3 + 1/4 = 25/12.
    expect([0, 1, 2, 3].map((k) => keyProbability(zipf, 4, k))).toEqual([12 / 25, 6 / 25, 4 / 25, 3 / 25].map((p) => expect.closeTo(p, 12)));
  });

  it('hot: hotRatio shared by the hot keys, the rest by the others (1 hot key of 100 at ½: ½, then ½ / 99 each)', () => {
    const hot: KeyDistribution = { kind: 'hot', hotKeys: 1, hotRatio: 0.5 };
    expect(keyProbability(hot, 100, 0)).toBe(0.5);
    expect(keyProbability(hot, 100, 1)).toBeCloseTo(0.5 / 99, 15);
    expect(keyProbability(hot, 100, 99)).toBeCloseTo(0.5 / 99, 15);
    expect(keyProbability(hot, 100, 100)).toBe(0);
  });

  it.each<[KeyDistribution | undefined, number]>([
    [undefined, 10],
    [{ kind: 'zipf', exponent: 1.2 }, 50],
    [{ kind: 'hot', hotKeys: 5, hotRatio: 0.8 }, 50],
  ])('%j over %d keys sums to 1', (distribution, keys) => {
    let sum = 0;
    for (let k = 0; k < keys; k++) sum += keyProbability(distribution, keys, k);
    expect(sum).toBeCloseTo(1, 12);
  });
});

describe('the seeded sampler', () => {
  it.each<[KeyDistribution, number]>([
    [{ kind: 'zipf', exponent: 1.2 }, 20],
    [{ kind: 'zipf', exponent: 0.6 }, 1000],
    [{ kind: 'hot', hotKeys: 1, hotRatio: 0.5 }, 100],
    [{ kind: 'hot', hotKeys: 5, hotRatio: 0.8 }, 50],
    [{ kind: 'hot', hotKeys: 3, hotRatio: 1 }, 10],
  ])('%j over %d keys: every frequency within 4σ of its probability', (distribution, keys) => {
    expectWithinBounds(distribution, keys);
  });

  it('draws the same keys for the same seed, other keys for another, one draw per key', () => {
    const hot: KeyDistribution = { kind: 'hot', hotKeys: 2, hotRatio: 0.3 };
    const draw = (seed: number): number[] => {
      const sampler = new KeySampler(hot, 40);
      const random = new Random(seed);
      return Array.from({ length: 50 }, () => sampler.draw(random));
    };
    expect(draw(9)).toEqual(draw(9));
    expect(draw(9)).not.toEqual(draw(10));
    const random = new Random(9);
    new KeySampler(hot, 40).draw(random);
    const after = new Random(9);
    after.next();
    expect(random.next()).toBe(after.next());
  });
});

function keysGenerated(plan: Partial<GeneratorPlan>, partitions = 1): number[] {
  const log = SourceLog.create(partitions, 1 << 13);
  const generator = new LoadGenerator(log, {
    profile: { kind: 'constant', rate: 1000 },
    arrivals: 'uniform',
    seed: 5,
    keys: 64,
    valueRange: 1000,
    startUs: 0,
    endUs: 2_000_000,
    measureStartUs: 0,
    bucketUs: 100_000,
    buckets: 20,
    ...plan,
  });
  generator.pump(2_000_000);
  generator.finish();
  const records: { time: number; key: number }[] = [];
  for (let p = 0; p < partitions; p++) {
    for (let o = 0; o < log.end(p); o++) records.push({ time: log.eventTime[log.slot(p, o)], key: log.key[log.slot(p, o)] });
  }
  return records.sort((a, b) => a.time - b.time).map((r) => r.key);
}

describe('the load generator with a key distribution', () => {
  it('draws record i\'s key from the distribution, then its value, from the seed alone', () => {
    const hot: KeyDistribution = { kind: 'hot', hotKeys: 1, hotRatio: 0.5 };
    const keys = keysGenerated({ keyDistribution: hot });
    const random = new Random(5);
    const sampler = new KeySampler(hot, 64);
    const expected = keys.map(() => {
      const key = sampler.draw(random);
      random.below(1000); // the value
      return key;
    });
    expect(keys).toEqual(expected);
    expect(keys.filter((k) => k === 0).length / keys.length).toBeCloseTo(0.5, 1);
  });

  it('without one, draws keys uniformly exactly as before (Random.below per record)', () => {
    const keys = keysGenerated({});
    const random = new Random(5);
    expect(keys).toEqual(keys.map(() => {
      const key = random.below(64);
      random.below(1000);
      return key;
    }));
  });

  it('routes a hot key to its partition: partition 0 of 4 gets the hot half plus a quarter of the rest', () => {
    const keys = keysGenerated({ keyDistribution: { kind: 'hot', hotKeys: 1, hotRatio: 0.5 } }, 4);
    const share = keys.filter((k) => k % 4 === 0).length / keys.length;
    expect(share).toBeGreaterThan(0.5 + 0.5 * (15 / 63) - 0.03);
    expect(share).toBeLessThan(0.5 + 0.5 * (15 / 63) + 0.03);
  });
});
