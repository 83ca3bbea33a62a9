/**
 * CSV exports for the `slow-sink` and `fault` scenarios, written next to the other CSV files
 * only when some run has those figures: `sink.csv` (per 10 ms bucket: records written to
 * the sink and its queue depth) and `recovery.csv` (one row per fault event, with the run's recovery).
 */
import { stringify } from 'csv-stringify/sync';
import { paramsLabel } from './format.js';
import type { RunResult } from '../primitives/results-schema.js';

/** File name of the slow-sink timeline CSV. */
export const SINK_CSV_NAME = 'sink.csv';
/** File name of the recovery CSV. */
export const RECOVERY_CSV_NAME = 'recovery.csv';

type Cell = string | number | boolean | undefined;

function toCsv(columns: readonly string[], rows: ReadonlyArray<Record<string, Cell>>): string {
  return stringify(rows as Array<Record<string, Cell>>, { header: true, columns: [...columns], cast: { boolean: (value) => String(value) } });
}

function configCells(run: RunResult): Record<string, Cell> {
  return { scenario: run.scenario, mode: run.mode, params: paramsLabel(run.params), offeredRate: run.offeredRate, trial: run.trial };
}

const SINK_COLUMNS = [
  'scenario', 'mode', 'params', 'offeredRate', 'trial', 'bucketStartSec', 'recordsWritten', 'sinkQueueDepthPeak',
  'writes', 'writeSizeP50', 'writeSizeMax', 'sinkDropped', 'blockedMs',
] as const;

/**
 * sink.csv: for every run with a slow downstream, one row per sink bucket (10 ms, from the
 * start of the measurement window): records written into the sink's queue and the peak
 * queue depth seen at a write; the run's write figures repeated on each row.
 */
export function sinkCsv(runs: readonly RunResult[]): string {
  const rows = runs.flatMap((run) => {
    const sink = run.sink;
    if (!sink) return [];
    return sink.queueDepth.map((depth, i) => ({
      ...configCells(run),
      bucketStartSec: Math.round(i * sink.bucketUs) / 1e6,
      recordsWritten: sink.written[i] ?? 0,
      sinkQueueDepthPeak: depth,
      writes: sink.writes,
      writeSizeP50: sink.writeSize.p50,
      writeSizeMax: sink.writeSize.max,
      sinkDropped: sink.dropped,
      blockedMs: Math.round(sink.blockedMs * 1000) / 1000,
    }));
  });
  return toCsv(SINK_COLUMNS, rows);
}

const RECOVERY_COLUMNS = [
  'scenario', 'mode', 'params', 'offeredRate', 'trial', 'partition', 'cause', 'batch', 'atSec', 'restartedAfterUs', 'resumedAfterUs',
  'replayFromOffset', 'recordsReplayed', 'runOutputResumedUs', 'runLatencyRecoveredUs', 'runDuplicates', 'runRetries', 'delivery',
  'outputDigest', 'deliveredDigest',
] as const;

/** recovery.csv: one row per fault event (times relative to the event, µs), with the run's recovery figures. */
export function recoveryCsv(runs: readonly RunResult[]): string {
  const rows = runs.flatMap((run) => {
    const faults = run.faults;
    if (!faults) return [];
    return faults.events.map((event) => ({
      ...configCells(run),
      partition: event.partition,
      cause: event.cause,
      batch: event.batch,
      atSec: Math.round(event.atUs) / 1e6,
      restartedAfterUs: event.restartedAtUs === undefined ? undefined : Math.round(event.restartedAtUs - event.atUs),
      resumedAfterUs: event.resumedAtUs === undefined ? undefined : Math.round(event.resumedAtUs - event.atUs),
      replayFromOffset: event.replayFromOffset,
      recordsReplayed: event.recordsReplayed,
      runOutputResumedUs: faults.outputResumedUs === undefined ? undefined : Math.round(faults.outputResumedUs),
      runLatencyRecoveredUs: faults.latencyRecoveredUs === undefined ? undefined : Math.round(faults.latencyRecoveredUs),
      runDuplicates: faults.duplicates,
      runRetries: faults.retries,
      delivery: faults.delivery,
      outputDigest: run.outputDigest,
      deliveredDigest: faults.deliveredDigest,
    }));
  });
  return toCsv(RECOVERY_COLUMNS, rows);
}
