/**
 * CSV exports of the memory chapter, written next to the other CSV files only when some run
 * has the figures: `branches.csv` (one row per branch of a fork) and `spill.csv` (one row per
 * run with a memory budget: what spilled, memory peaks, and the event-time latency of the
 * output emitted while a spill store was busy against the rest, records, p50, p99 and max).
 */
import { stringify } from 'csv-stringify/sync';
import { paramsLabel } from './format.js';
import type { LatencySummary, RunResult } from '../primitives/results-schema.js';

/** File name of the per-branch CSV. */
export const BRANCHES_CSV_NAME = 'branches.csv';
/** File name of the spill CSV. */
export const SPILL_CSV_NAME = 'spill.csv';

type Cell = string | number | boolean | undefined;

function toCsv(columns: readonly string[], rows: ReadonlyArray<Record<string, Cell>>): string {
  return stringify(rows as Array<Record<string, Cell>>, { header: true, columns: [...columns], cast: { boolean: (value) => String(value) } });
}

function configCells(run: RunResult): Record<string, Cell> {
  return { scenario: run.scenario, mode: run.mode, params: paramsLabel(run.params), offeredRate: run.offeredRate, trial: run.trial, cache: run.params.cache };
}

const BRANCH_COLUMNS = ['scenario', 'mode', 'params', 'offeredRate', 'trial', 'cache', 'branch', 'recordsOut', 'throughputOut', 'p50Us', 'p99Us', 'maxUs', 'cpuUsPerRecord', 'outputDigest'] as const;

/** branches.csv: one row per branch of every run whose pipeline forks. */
export function branchesCsv(runs: readonly RunResult[]): string {
  const rows = runs.flatMap((run) =>
    (run.branches ?? []).map((branch) => ({
      ...configCells(run),
      branch: branch.name,
      recordsOut: branch.recordsOut,
      throughputOut: Math.round(branch.throughputOut),
      p50Us: Math.round(branch.latency.eventTime.p50),
      p99Us: Math.round(branch.latency.eventTime.p99),
      maxUs: Math.round(branch.latency.eventTime.max),
      cpuUsPerRecord: Math.round(run.resources.cpuUsPerRecord * 1000) / 1000,
      outputDigest: branch.outputDigest,
    })),
  );
  return toCsv(BRANCH_COLUMNS, rows);
}

const SPILL_COLUMNS = [
  'scenario', 'mode', 'params', 'offeredRate', 'trial', 'budgetBytes', 'spilledRecords', 'spilledBytes', 'spillMs', 'readBackRecords', 'readBackBytes',
  'lookups', 'readBackMs', 'diskBytes', 'peakHotEntries', 'peakRssMb', 'peakRssAnonMb', 'spillingRecords', 'spillingP50Us', 'spillingP99Us', 'spillingMaxUs',
  'otherRecords', 'otherP50Us', 'otherP99Us', 'otherMaxUs', 'outputDigest',
] as const;

/** Records, p50, p99 and max (integer µs) of one part of the output's latency; empty cells where it has none (or an older file lacks it). */
function latencyCells(prefix: string, latency: LatencySummary | undefined): Record<string, Cell> {
  const has = latency !== undefined && latency.count > 0;
  return {
    [`${prefix}Records`]: latency?.count ?? undefined,
    [`${prefix}P50Us`]: has ? Math.round(latency.p50) : undefined,
    [`${prefix}P99Us`]: has ? Math.round(latency.p99) : undefined,
    [`${prefix}MaxUs`]: has ? Math.round(latency.max) : undefined,
  };
}

/** spill.csv: one row per run with a memory budget. */
export function spillCsv(runs: readonly RunResult[]): string {
  const rows = runs.flatMap((run) => {
    const spill = run.spill;
    if (!spill) return [];
    return [
      {
        ...configCells(run),
        budgetBytes: spill.budgetBytes,
        spilledRecords: spill.spilledRecords,
        spilledBytes: spill.spilledBytes,
        spillMs: Math.round(spill.spillMs * 1000) / 1000,
        readBackRecords: spill.readBackRecords,
        readBackBytes: spill.readBackBytes,
        lookups: spill.lookups,
        readBackMs: Math.round(spill.readBackMs * 1000) / 1000,
        diskBytes: spill.diskBytes,
        peakHotEntries: spill.peakHotEntries,
        peakRssMb: Math.round(run.resources.peakRssMb),
        peakRssAnonMb: run.resources.peakRssAnonMb === undefined ? undefined : Math.round(run.resources.peakRssAnonMb),
        ...latencyCells('spilling', spill.latencyWhileSpilling),
        ...latencyCells('other', spill.latencyOtherwise),
        outputDigest: run.outputDigest,
      },
    ];
  });
  return toCsv(SPILL_COLUMNS, rows);
}
