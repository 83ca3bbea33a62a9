/**
 * Offered-load profiles: how many records per second the open-loop source schedules at each
 * moment. Times are microseconds from the start of generation (warm-up included).
 */
export type RateProfile =
  | { kind: 'constant'; rate: number }
  | { kind: 'step'; rate: number; steps: { atSec: number; rate: number }[] }
  | { kind: 'burst'; rate: number; peakFactor: number; atSec: number; durationSec: number }
  /** `rate` until `atSec`, then linearly to `toRate` over `durationSec`, then `toRate`. */
  | { kind: 'ramp'; rate: number; toRate: number; atSec: number; durationSec: number }
  /** `rate · (1 + amplitude · sin(2π t / periodSec))`: a mean of `rate`, `0 < amplitude < 1`. */
  | { kind: 'sine'; rate: number; amplitude: number; periodSec: number };

/** The kinds of rate profile, in the order the docs list them. */
export const rateProfileKinds: readonly RateProfile['kind'][] = ['constant', 'step', 'burst', 'ramp', 'sine'];

/** How arrivals are spaced at a given rate. */
export type ArrivalProcess = 'uniform' | 'poisson';

/**
 * A profile whose rate changes continuously (ramp, sine) is held for slices of this length:
 * the generator recomputes its mean gap once per slice rather than once per record.
 */
export const RATE_SLICE_US = 1000;

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
    case 'ramp': {
      if (tSec < profile.atSec) return profile.rate;
      if (tSec >= profile.atSec + profile.durationSec) return profile.toRate;
      return profile.rate + ((profile.toRate - profile.rate) * (tSec - profile.atSec)) / profile.durationSec;
    }
    case 'sine':
      return profile.rate * (1 + profile.amplitude * Math.sin((2 * Math.PI * tSec) / profile.periodSec));
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
    case 'sine':
      return { ...profile, rate: profile.rate * factor };
    case 'ramp':
      return { ...profile, rate: profile.rate * factor, toRate: profile.toRate * factor };
  }
}

/** The profile's base rate (its rate before any step, peak or ramp; a sine's mean). */
export function baseRate(profile: RateProfile): number {
  return profile.rate;
}

/** Records the profile schedules in [0, durationUs), integrating the rate in 1 ms slices. */
export function expectedRecords(profile: RateProfile, durationUs: number): number {
  let total = 0;
  for (let t = 0; t < durationUs; t += 1000) total += (rateAt(profile, t) * Math.min(1000, durationUs - t)) / 1e6;
  return total;
}

/**
 * The first time after `tUs` at which the profile's rate changes (Infinity if it never does).
 * While a ramp or a sine changes continuously, that is the next {@link RATE_SLICE_US} boundary.
 */
export function nextRateChangeUs(profile: RateProfile, tUs: number): number {
  switch (profile.kind) {
    case 'constant':
      return Infinity;
    case 'sine':
      return nextSliceUs(tUs);
    case 'ramp': {
      const startUs = profile.atSec * 1e6;
      const endUs = (profile.atSec + profile.durationSec) * 1e6;
      if (tUs < startUs) return startUs;
      return tUs < endUs ? Math.min(nextSliceUs(tUs), endUs) : Infinity;
    }
    case 'step':
    case 'burst': {
      const changes = profile.kind === 'step' ? profile.steps.map((s) => s.atSec * 1e6) : [profile.atSec * 1e6, (profile.atSec + profile.durationSec) * 1e6];
      let next = Infinity;
      for (const at of changes) if (at > tUs && at < next) next = at;
      return next;
    }
  }
}

function nextSliceUs(tUs: number): number {
  return (Math.floor(tUs / RATE_SLICE_US) + 1) * RATE_SLICE_US;
}
