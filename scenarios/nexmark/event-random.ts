/**
 * The draws of one Nexmark event, reseeded per event: Beam's Nexmark `Generator` seeds a
 * fresh `java.util.Random` with each event's id, so an event is a pure function of its id
 * (any thread can generate any event, in any order). This does the same with a mulberry32
 * state seeded from (seed, event id) — the same role, not Java's sequence — and keeps one
 * object reseeded in place, so generating an event allocates no generator.
 */
import { mix32 } from '../../primitives/random.js';

const TWO_32 = 4294967296;

/** A reseedable 32-bit generator with the draws Nexmark's generators use. */
export class EventRandom {
  private state = 0;

  /** Restarts the draws for (`seed`, `id`); `id` may exceed 2^32 (both halves are mixed in). */
  reseed(seed: number, id: number): this {
    const low = id >>> 0;
    const high = Math.floor(id / TWO_32) >>> 0;
    this.state = mix32(mix32(seed | 0, low), high) | 0;
    return this;
  }

  /** A uniform unsigned 32-bit integer. */
  nextUint32(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) | 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** A uniform double in [0, 1) (32 bits of resolution). */
  nextDouble(): number {
    return this.nextUint32() / TWO_32;
  }

  /** A uniform integer in [0, bound) for bound ≤ 2^31, as Java's `nextInt(bound)`. */
  nextInt(bound: number): number {
    return Math.floor(this.nextDouble() * bound);
  }

  /** A uniform integer in [0, n), as Nexmark's `LongGenerator.nextLong` (53 bits above 2^31). */
  nextLong(n: number): number {
    if (n <= 2 ** 31) return this.nextInt(n);
    const high = this.nextUint32() >>> 11;
    const low = this.nextUint32();
    return Math.floor(((high * TWO_32 + low) / 2 ** 53) * n);
  }
}
