/**
 * The chart descriptions the page's script turns into uPlot charts: plain data (x values,
 * series of y values aligned to them, colours, scales and units), computed at report time
 * so the page needs no histogram decoder.
 */

/** How a series is drawn. */
export type SeriesStyle = 'line' | 'points' | 'line+points';

/** One series of a chart; `values[i]` belongs to the chart's `x[i]` (null = no value there). */
export interface SeriesSpec {
  label: string;
  color: string;
  /** Canvas dash pattern ([] = solid). */
  dash: number[];
  /** Line width, CSS pixels. */
  width: number;
  style: SeriesStyle;
  values: (number | null)[];
}

/** Units the page formats axis ticks and legend values in. */
export type ValueFormat = 'percentile' | 'seconds' | 'rate' | 'micros' | 'count';

/** A shaded stretch of the x axis with a label (e.g. a load peak on a timeline). */
export interface ChartBand {
  from: number;
  to: number;
  label: string;
}

/** One chart. */
export interface ChartSpec {
  id: string;
  title: string;
  /** One sentence under the title: what is plotted and how to read it. */
  note: string;
  xLabel: string;
  yLabel: string;
  xScale: 'linear' | 'log';
  yScale: 'linear' | 'log';
  xFormat: ValueFormat;
  yFormat: ValueFormat;
  /** Fixed tick positions on x (e.g. the percentile ticks), if any. */
  xTicks?: number[];
  x: number[];
  series: SeriesSpec[];
  /** Shaded stretches of the x axis, drawn under the series. */
  bands?: ChartBand[];
  /** Vertical markers (e.g. an injected fault) at x positions, with a label; absent = none. */
  markers?: { x: number; label: string }[];
}

/** A point of a series before alignment. */
export interface XY {
  x: number;
  y: number;
}

/**
 * Aligns point lists onto one ascending x array (the union of their x values), as uPlot
 * needs: each list becomes a values array with null where it has no point. Of two points
 * of one list at the same x, the first is kept.
 */
export function alignSeries(lists: readonly (readonly XY[])[]): { x: number[]; values: (number | null)[][] } {
  const x = [...new Set(lists.flatMap((list) => list.map((p) => p.x)))].sort((a, b) => a - b);
  const index = new Map(x.map((value, i) => [value, i]));
  const values = lists.map((list) => {
    const row: (number | null)[] = new Array<number | null>(x.length).fill(null);
    for (const p of list) {
      const i = index.get(p.x) as number;
      if (row[i] === null) row[i] = p.y;
    }
    return row;
  });
  return { x, values };
}

/** Rounds to `digits` significant digits (keeps the page's JSON short). */
export function roundSignificant(value: number, digits = 4): number {
  return value === 0 || !Number.isFinite(value) ? value : Number(value.toPrecision(digits));
}
