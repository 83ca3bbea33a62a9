/**
 * Which records are of the priority class: decided from the record's key and value alone
 * (seeded content, never timing), so every mode, trial and thread marks the same records and
 * the output digest is unaffected. A declared fraction f marks a record when a 32-bit hash
 * of (key, value) falls below f · 2^32.
 */
import { mix32 } from '../../primitives/random.js';

/** Salt of the class hash, so it is independent of the output digest's hash. */
const PRIORITY_SALT = 0x70726931;

/** The hash threshold for a priority fraction in [0, 1]: records hashing below it are priority. */
export function priorityThreshold(fraction: number): number {
  if (!(fraction >= 0 && fraction <= 1)) throw new RangeError(`priority fraction must be in [0, 1], got ${fraction}`);
  return Math.round(fraction * 2 ** 32);
}

/** Whether the record (key, value) is of the priority class under `threshold` (see {@link priorityThreshold}). */
export function isPriority(key: number, value: number, threshold: number): boolean {
  return mix32(PRIORITY_SALT ^ key, value) < threshold;
}
