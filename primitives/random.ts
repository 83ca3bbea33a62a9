/**
 * A small seeded generator (mulberry32): fast, 32-bit, and the same sequence on every thread
 * and every run for the same seed, so scenarios are reproducible record for record.
 */
export class Random {
  /**
   * The generator's state. A hot loop may carry it in a local variable, draw with
   * {@link mulberry32} inline and store it back: the same sequence, without a round trip
   * through memory per draw.
   */
  state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A uniformly distributed unsigned 32-bit integer. */
  nextUint32(): number {
    this.state = (this.state + MULBERRY32_STEP) | 0;
    return mulberry32(this.state);
  }

  /** A uniform double in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** A uniform integer in [0, bound). */
  below(bound: number): number {
    return Math.floor(this.next() * bound);
  }

  /** An exponentially distributed value with the given mean (Poisson inter-arrival gaps). */
  exponential(mean: number): number {
    return -Math.log(1 - this.next()) * mean;
  }
}

/** What each draw adds to the state of a {@link Random}. */
export const MULBERRY32_STEP = 0x6d2b79f5;

/** The unsigned 32-bit output of mulberry32 for an (already advanced) state. */
export function mulberry32(state: number): number {
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return (t ^ (t >>> 14)) >>> 0;
}

/** Mixes two 32-bit integers into one well-distributed 32-bit hash (murmur3 finaliser). */
export function mix32(h: number, value: number): number {
  let k = Math.imul(value | 0, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
