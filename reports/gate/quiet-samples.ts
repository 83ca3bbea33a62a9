/**
 * A trial during which other processes kept the machine busy measured the machine, not the
 * engine: such samples are left out of a verdict (and of a baseline) whenever enough quiet
 * ones remain to judge.
 */
import { median } from './statistics.js';

/** The fewest samples a verdict is made from. */
export const MIN_SAMPLES = 3;

/** Samples kept for judging, and how many disturbed ones were left out. */
export interface QuietSamples {
  samples: number[];
  excluded: number;
}

/**
 * The samples whose trials saw at most `limit` cores of other work (`contention[i]` belongs to
 * `samples[i]`), if at least {@link MIN_SAMPLES} of them; otherwise every sample (a busy
 * machine then shows in the verdict's contention instead).
 */
export function quietSamples(samples: readonly number[], contention: readonly number[] | undefined, limit: number): QuietSamples {
  if (!contention || contention.length !== samples.length) return { samples: [...samples], excluded: 0 };
  const quiet = samples.filter((_, i) => contention[i] <= limit);
  if (quiet.length < MIN_SAMPLES) return { samples: [...samples], excluded: 0 };
  return { samples: quiet, excluded: samples.length - quiet.length };
}

/** Median contention of the trials a verdict is judged on (the quiet ones, when enough are). */
export function judgedContention(contention: readonly number[] | undefined, limit: number): number {
  const judged = quietSamples(contention ?? [], contention, limit).samples;
  return judged.length === 0 ? 0 : median(judged);
}

/** Whether at least {@link MIN_SAMPLES} of the trials saw at most `limit` cores of other work (true where unmeasured). */
export function enoughQuiet(contention: readonly number[] | undefined, limit: number): boolean {
  return !contention || contention.filter((busy) => busy <= limit).length >= MIN_SAMPLES;
}
