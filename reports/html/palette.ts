/**
 * Colours and line styles shared by every chart and table of the HTML report: one colour
 * per mode (Okabe–Ito, distinguishable with the common colour-vision deficiencies and
 * readable on white), and dash patterns for what else varies within a mode (rate, file,
 * setting).
 */
import { modes } from '../../engines/index.js';

/**
 * Mode colours in registration order: the built-in modes take the first three (micro-batch
 * blue, trigger vermillion, continuous bluish green), modes registered later the next ones.
 */
const MODE_COLORS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000', '#7F7F7F'];

/** Colour of the frontier line and other mode-independent series. */
export const NEUTRAL_COLOR = '#222222';

/** Dash patterns (canvas `setLineDash`), solid first. */
export const DASHES: readonly number[][] = [[], [8, 4], [2, 3], [12, 4, 2, 4], [4, 4], [16, 6]];

/** Assigns each mode its colour: registered modes by registration order, others in order of first appearance after them. */
export class ModePalette {
  private readonly unregistered = new Map<string, number>();

  /** The colour of `mode` (stable for the life of this palette). */
  color(mode: string): string {
    let index = modes.has(mode) ? modes.registrationIndex(mode) : this.unregistered.get(mode);
    if (index === undefined) {
      index = modes.all().length + this.unregistered.size;
      this.unregistered.set(mode, index);
    }
    return MODE_COLORS[index % MODE_COLORS.length];
  }
}

/** The dash pattern for variant `index` (0 = solid), cycling through {@link DASHES}. */
export function dashFor(index: number): number[] {
  return DASHES[index % DASHES.length];
}
