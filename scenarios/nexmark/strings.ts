/**
 * Nexmark's random strings and prices, after `StringsGenerator.java` and `PriceGenerator.java`
 * (nexmark/nexmark, Flink):
 * - `nextString(max)`: 3 .. max−1 characters, each a space (or `special`) with chance 1/13,
 *   else a lowercase letter; trimmed of spaces.
 * - `nextExtra(current, average)`: padding so that current + padding averages `average`:
 *   a length uniform in [d − δ, d + δ) with d = average − current and δ = round(0.2 d); none
 *   when current already exceeds the average. Its text is a slice at a random offset of one
 *   reusable random string (Flink's `REUSABLE_EXTRA_STRING`, 1 MiB of letters), so padding
 *   costs no per-character draws.
 * - `nextPrice`: round(10^(6u) × 100), u uniform: 100 .. 10^8, log-uniform.
 * Simplified: letters are drawn with 32-bit uniform draws (not Java's `Random`), the reusable
 * string is generated from the seed, and slices are taken for any length below half of it
 * (Nexmark's rule too).
 */
import { EventRandom } from './event-random.js';

const MIN_STRING_LENGTH = 3;
const SIX_LN10 = 6 * Math.LN10;
const LETTERS = Array.from({ length: 26 }, (_, i) => String.fromCharCode(97 + i));
/** Length of the reusable padding string (Flink's 1 MiB). */
export const EXTRA_POOL_LENGTH = 1 << 20;

const pools = new Map<number, string>();

/** The reusable random-letter string of a seed (built once per seed and process, ~1 MiB). */
export function extraPool(seed: number): string {
  let pool = pools.get(seed);
  if (pool === undefined) {
    const random = new EventRandom().reseed(seed ^ 0x45585452, 0x504f4f4c);
    const codes = new Uint8Array(EXTRA_POOL_LENGTH);
    for (let i = 0; i < codes.length; i++) codes[i] = 97 + random.nextInt(26);
    pool = new TextDecoder('latin1').decode(codes);
    pools.set(seed, pool);
  }
  return pool;
}

/** A random string of up to `maxLength − 1` characters (Nexmark's `nextString`). */
export function nextString(random: EventRandom, maxLength: number, special = ' '): string {
  let length = MIN_STRING_LENGTH + random.nextInt(maxLength - MIN_STRING_LENGTH);
  let text = '';
  while (length-- > 0) text += random.nextInt(13) === 0 ? special : LETTERS[random.nextInt(26)];
  return special === ' ' ? text.trim() : text;
}

/** A random string of exactly `length` letters: a slice of the seed's reusable string. */
export function nextExactString(random: EventRandom, pool: string, length: number): string {
  if (length >= pool.length / 2) throw new RangeError(`nexmark extra of ${length} characters is longer than half the reusable string`);
  const offset = random.nextInt(pool.length - length);
  return pool.slice(offset, offset + length);
}

/** Padding such that `currentSize` + its length averages `averageSize` (Nexmark's `nextExtra`). */
export function nextExtra(random: EventRandom, pool: string, currentSize: number, averageSize: number): string {
  if (currentSize > averageSize) return '';
  const desired = averageSize - currentSize;
  const delta = Math.round(desired * 0.2);
  const size = desired - delta + (delta === 0 ? 0 : random.nextInt(2 * delta));
  return nextExactString(random, pool, size);
}

/** A random price, 100 .. 10^8, log-uniform (Nexmark's `PriceGenerator.nextPrice`). */
export function nextPrice(random: EventRandom): number {
  // exp(x ln 10) = 10^x, ~2.5× cheaper than Math.pow here; the same distribution.
  return Math.round(Math.exp(random.nextDouble() * SIX_LN10) * 100);
}
