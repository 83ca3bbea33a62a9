/**
 * A load peak placed relative to the measurement window, so that any `--duration` holds a
 * pre-peak stretch, the peak and a recovery stretch (the `burst` scenario). It becomes the
 * rate profile's `burst` (times from the start of generation, warm-up included).
 */
import type { RateProfile } from './rate-profile.js';

/** Where a scenario's peak lies in the measurement window, and how high it is. */
export interface PeakPlacement {
  /** The peak's rate ÷ the base rate (5 = five times the base load). */
  factor: number;
  /** Start of the peak as a fraction of the measurement window (1/3 = a third of the way in). */
  startFraction: number;
  /** Length of the peak as a fraction of the measurement window. */
  lengthFraction: number;
}

/** A peak placed in one trial: its profile, and its start and end in µs after the measurement started. */
export interface PlacedPeak {
  profile: RateProfile;
  startUs: number;
  endUs: number;
  factor: number;
}

/** The burst profile of `baseRate` with `peak` placed in a measurement window of `durationSec` after `warmupSec`. */
export function placePeak(peak: PeakPlacement, baseRate: number, warmupSec: number, durationSec: number): PlacedPeak {
  const startUs = Math.round(peak.startFraction * durationSec * 1e6);
  const endUs = startUs + Math.round(peak.lengthFraction * durationSec * 1e6);
  return {
    profile: {
      kind: 'burst',
      rate: baseRate,
      peakFactor: peak.factor,
      atSec: warmupSec + startUs / 1e6,
      durationSec: (endUs - startUs) / 1e6,
    },
    startUs,
    endUs,
    factor: peak.factor,
  };
}
