/**
 * Offered-load profiles: how many records per second the open-loop source schedules at each
 * moment. Times are microseconds from the start of generation (warm-up included).
 */
export type RateProfile =
  | { kind: 'constant'; rate: number }
  | { kind: 'step'; rate: number; steps: { atSec: number; rate: number }[] }
  | { kind: 'burst'; rate: number; peakFactor: number; atSec: number; durationSec: number };

/** How arrivals are spaced at a given rate. */
export type ArrivalProcess = 'uniform' | 'poisson';

/** The offered rate (records/s) at `tUs` microseconds after generation starts. */
export function rateAt(profile: RateProfile, tUs: number): number {
  const tSec = tUs / 1e6;
  switch (profile.kind) {
    case 'constant':
      return profile.rate;
    case 'step': {
      let rate = profile.rate;
      for (const step of profile.steps) if (tSec >= step.atSec) rate = step.rate;
      return rate;
    }
    case 'burst': {
      const inPeak = tSec >= profile.atSec && tSec < profile.atSec + profile.durationSec;
      return inPeak ? profile.rate * profile.peakFactor : profile.rate;
    }
  }
}

/** The same profile with every rate multiplied by `factor` (how `--rate` rescales a scenario). */
export function scaleProfile(profile: RateProfile, factor: number): RateProfile {
  switch (profile.kind) {
    case 'constant':
      return { kind: 'constant', rate: profile.rate * factor };
    case 'step':
      return { ...profile, rate: profile.rate * factor, steps: profile.steps.map((s) => ({ ...s, rate: s.rate * factor })) };
    case 'burst':
      return { ...profile, rate: profile.rate * factor };
  }
}

/** The profile's base rate (its rate before any step or peak). */
export function baseRate(profile: RateProfile): number {
  return profile.rate;
}

/** Records the profile schedules in [0, durationUs), integrating the rate in 1 ms slices. */
export function expectedRecords(profile: RateProfile, durationUs: number): number {
  let total = 0;
  for (let t = 0; t < durationUs; t += 1000) total += (rateAt(profile, t) * Math.min(1000, durationUs - t)) / 1e6;
  return total;
}

/** The first time after `tUs` at which the profile's rate changes (Infinity if it never does). */
export function nextRateChangeUs(profile: RateProfile, tUs: number): number {
  const changes: number[] =
    profile.kind === 'constant'
      ? []
      : profile.kind === 'step'
        ? profile.steps.map((s) => s.atSec * 1e6)
        : [profile.atSec * 1e6, (profile.atSec + profile.durationSec) * 1e6];
  let next = Infinity;
  for (const at of changes) if (at > tUs && at < next) next = at;
  return next;
}
