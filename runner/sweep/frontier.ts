/**
 * The latency–throughput frontier: of all (throughput, latency) points measured across
 * modes and settings, those no other point beats on both (more throughput at no more
 * latency); and the answer to "for p99 under X, which mode and setting gives the most".
 */

/** One measured point. `mode`/`setting` name where it came from. */
export interface FrontierPoint {
  mode: string;
  setting: string;
  offeredRate: number;
  throughputOut: number;
  p99: number;
}

/** The Pareto-optimal points, by increasing latency. */
export function paretoFrontier<P extends FrontierPoint>(points: readonly P[]): P[] {
  const sorted = [...points].sort((a, b) => a.p99 - b.p99 || b.throughputOut - a.throughputOut);
  const frontier: P[] = [];
  let best = -Infinity;
  for (const point of sorted) {
    if (point.throughputOut > best) {
      frontier.push(point);
      best = point.throughputOut;
    }
  }
  return frontier;
}

/** The point with the most throughput whose p99 is under `boundUs`, if any. */
export function bestUnder<P extends FrontierPoint>(points: readonly P[], boundUs: number): P | undefined {
  let best: P | undefined;
  for (const point of points) if (point.p99 < boundUs && (!best || point.throughputOut > best.throughputOut)) best = point;
  return best;
}
