/**
 * How the source draws record keys from 0 .. keys-1 (Nexmark's hot auctions and bidders, the
 * skew of real keyed streams). A scenario without one draws keys uniformly. Every draw takes
 * exactly one number from the seeded generator, so the same seed gives the same records.
 */
import type { Random } from '../primitives/random.js';

/**
 * A skewed key distribution:
 * - `zipf`: key k (0-based rank) is drawn with probability ∝ 1 / (k + 1)^exponent, so key 0 is the hottest;
 * - `hot`: with probability `hotRatio` the key is one of the `hotKeys` hot keys 0 .. hotKeys-1
 *   (uniform among them), otherwise one of the other keys (uniform among them).
 */
export type KeyDistribution =
  | { kind: 'zipf'; exponent: number }
  | { kind: 'hot'; hotKeys: number; hotRatio: number };

/** The kinds a workload file may name, `uniform` (no skew) first. */
export const keyDistributionKinds = ['uniform', 'zipf', 'hot'] as const;

/** The probability of `key` among `keys` keys under `distribution` (undefined = uniform). */
export function keyProbability(distribution: KeyDistribution | undefined, keys: number, key: number): number {
  if (!(key >= 0 && key < keys)) return 0;
  if (!distribution) return 1 / keys;
  if (distribution.kind === 'hot') {
    const { hotKeys, hotRatio } = distribution;
    return key < hotKeys ? hotRatio / hotKeys : (1 - hotRatio) / (keys - hotKeys);
  }
  return 1 / (key + 1) ** distribution.exponent / zipfNormaliser(keys, distribution.exponent);
}

function zipfNormaliser(keys: number, exponent: number): number {
  let sum = 0;
  for (let k = 1; k <= keys; k++) sum += 1 / k ** exponent;
  return sum;
}

/** Draws keys from a distribution; built once per generator (a zipf table costs 8 bytes per key). */
export class KeySampler {
  private readonly cumulative: Float64Array | undefined;

  constructor(
    private readonly distribution: KeyDistribution,
    private readonly keys: number,
  ) {
    if (distribution.kind === 'zipf') {
      const cumulative = new Float64Array(keys);
      let sum = 0;
      for (let k = 0; k < keys; k++) cumulative[k] = sum += 1 / (k + 1) ** distribution.exponent;
      for (let k = 0; k < keys; k++) cumulative[k] /= sum;
      cumulative[keys - 1] = 1;
      this.cumulative = cumulative;
    }
  }

  /** The next key, from one draw of `random`. */
  draw(random: Random): number {
    return this.keyFor(random.next());
  }

  /** The key for a uniform draw `u` in [0, 1) (what {@link draw} does with its one draw). */
  keyFor(u: number): number {
    const cumulative = this.cumulative;
    if (cumulative) {
      // The first key whose cumulative probability exceeds u.
      let low = 0;
      let high = this.keys - 1;
      while (low < high) {
        const mid = (low + high) >>> 1;
        if (cumulative[mid] > u) high = mid;
        else low = mid + 1;
      }
      return low;
    }
    const { hotKeys, hotRatio } = this.distribution as Extract<KeyDistribution, { kind: 'hot' }>;
    if (u < hotRatio) return Math.min(hotKeys - 1, Math.floor((u / hotRatio) * hotKeys));
    const cold = this.keys - hotKeys;
    return hotKeys + Math.min(cold - 1, Math.floor(((u - hotRatio) / (1 - hotRatio)) * cold));
  }
}
