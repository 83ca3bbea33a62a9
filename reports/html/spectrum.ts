/**
 * The percentile spectrum: event-time latency at percentiles p = 1 − 10^(−k/20) for
 * k = 0..100 (plus p = 50%), plotted against 1/(1−p) on a log axis so 90%, 99%, 99.9%, …
 * are evenly spaced. Values are read from the merged HdrHistogram at report time.
 */
import { decodeHistogram } from '../../primitives/histogram.js';
import { roundSignificant } from './chart-spec.js';

/** Percentile steps: k = 0..SPECTRUM_STEPS, 20 per decade of 1/(1−p) (up to 99.999%). */
export const SPECTRUM_STEPS = 100;
/** Tick positions on the x axis (1/(1−p)): 0%, 50%, 90%, 99%, 99.9%, 99.99%, 99.999%. */
export const SPECTRUM_TICKS = [1, 2, 10, 100, 1_000, 10_000, 100_000];

/** The x positions of the spectrum, ascending: 10^(k/20) for k = 0..100, and 2 (p50). */
export function spectrumGrid(steps = SPECTRUM_STEPS): number[] {
  const grid = Array.from({ length: steps + 1 }, (_, k) => roundSignificant(10 ** (k / 20), 6));
  return [...new Set([...grid, 2])].sort((a, b) => a - b);
}

/** The percentile (0..100) at an x position 1/(1−p). */
export function percentileAt(x: number): number {
  return (1 - 1 / x) * 100;
}

/**
 * Latency (µs) at each grid position for an encoded histogram: null where the histogram
 * holds too few values to resolve that tail (1/(1−p) above its count), and every value at
 * least 1 µs so it can sit on a log axis. Non-decreasing along the grid.
 */
export function spectrumValues(encodedHistogram: string, grid: readonly number[] = spectrumGrid()): (number | null)[] {
  if (!encodedHistogram) return grid.map(() => null);
  const histogram = decodeHistogram(encodedHistogram);
  const count = histogram.totalCount;
  return grid.map((x) => {
    if (count === 0 || (x > 1 && x > count)) return null;
    return Math.max(1, histogram.getValueAtPercentile(percentileAt(x)));
  });
}
