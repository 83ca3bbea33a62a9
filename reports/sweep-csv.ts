/** `sweep.csv`: every probe of every sweep, one row each (csv-stringify). */
import { stringify } from 'csv-stringify/sync';
import type { SweepResult } from '../primitives/results-schema.js';

const COLUMNS = ['scenario', 'mode', 'setting', 'offeredRate', 'throughputOut', 'p50Us', 'p99Us', 'p99_9Us', 'maxUs', 'sustainable', 'reasons', 'sustainableThroughput'];

/** The sweeps' probes as CSV with a header row. */
export function sweepCsv(sweeps: readonly SweepResult[]): string {
  const rows = sweeps.flatMap((sweep) =>
    sweep.points.map((point) => [
      sweep.scenario,
      sweep.mode,
      point.setting,
      point.offeredRate,
      Math.round(point.throughputOut),
      point.p50,
      point.p99,
      point.p99_9,
      point.max,
      String(point.sustainable),
      point.reasons.join('; '),
      sweep.sustainableThroughput,
    ]),
  );
  return stringify(rows, { header: true, columns: COLUMNS });
}
