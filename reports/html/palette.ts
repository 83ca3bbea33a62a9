/**
 * Colours and line styles shared by every chart and table of the HTML report: one colour
 * per mode (Okabe–Ito, distinguishable with the common colour-vision deficiencies and
 * readable on white), and dash patterns for what else varies within a mode (rate, file,
 * setting).
 */

/** Fixed colours of the built-in modes. */
const MODE_COLORS: Record<string, string> = {
  'micro-batch': '#0072B2', // blue
  trigger: '#D55E00', // vermillion
  continuous: '#009E73', // bluish green
};

/** Colours for other modes, in order of first appearance. */
const EXTRA_COLORS = ['#CC79A7', '#E69F00', '#56B4E9', '#000000', '#7F7F7F'];

/** Colour of the frontier line and other mode-independent series. */
export const NEUTRAL_COLOR = '#222222';

/** Dash patterns (canvas `setLineDash`), solid first. */
export const DASHES: readonly number[][] = [[], [8, 4], [2, 3], [12, 4, 2, 4], [4, 4], [16, 6]];

/** Assigns each mode its colour: the fixed one for built-in modes, the next extra one otherwise. */
export class ModePalette {
  private readonly extra = new Map<string, string>();

  /** The colour of `mode` (stable for the life of this palette). */
  color(mode: string): string {
    const fixed = MODE_COLORS[mode];
    if (fixed) return fixed;
    let color = this.extra.get(mode);
    if (!color) {
      color = EXTRA_COLORS[this.extra.size % EXTRA_COLORS.length];
      this.extra.set(mode, color);
    }
    return color;
  }
}

/** The dash pattern for variant `index` (0 = solid), cycling through {@link DASHES}. */
export function dashFor(index: number): number[] {
  return DASHES[index % DASHES.length];
}
