/**
 * What the HTML report is built from: one or more results files, each with a short label,
 * and their runs pooled per configuration (scenario, mode, offered rate, parameters) in the
 * order the report shows them.
 */
import { modes } from '../../engines/index.js';
import { paramsKey } from '../format.js';
import type { ResultsFile, RunResult } from '../../primitives/results-schema.js';
import { summarizeRuns } from '../summary.js';
import type { RunSummary } from '../summary.js';

/** One results file given to the report. */
export interface ReportInput {
  /** Short name of the file, e.g. "results.json" or "base/results.json" (series and rows are labelled with it when there are several). */
  label: string;
  file: ResultsFile;
  /** URL of the folder holding the file's CSVs, relative to the page ('' = the page's folder); absent = no links. */
  csvHref?: string;
}

/** A pooled configuration of one input, with the trials it pools. */
export interface ConfigSummary extends RunSummary {
  /** Index of its input in the list given to the report. */
  fileIndex: number;
  /** Label of its input. */
  fileLabel: string;
  /** Its trials, in file order. */
  runs: RunResult[];
}

/** Sort position of a mode (its display order, `engines/mode.ts`). */
export function modeRank(mode: string): number {
  return modes.rank(mode);
}

/** The configuration key of a run or summary: scenario, mode, offered rate and parameters. */
export function configKey(item: Pick<RunResult, 'scenario' | 'mode' | 'offeredRate' | 'params'>): string {
  return JSON.stringify([item.scenario, item.mode, item.offeredRate, paramsKey(item.params)]);
}

/** Scenarios in order of first appearance over all inputs. */
export function scenarioOrder(inputs: readonly ReportInput[]): string[] {
  return [...new Set(inputs.flatMap((input) => input.file.runs.map((run) => run.scenario)))];
}

/**
 * Every input's runs pooled per configuration, ordered by scenario (first appearance),
 * offered rate, mode, parameters and then input, so the same configuration of several
 * files sits on adjacent rows.
 */
export function summarizeInputs(inputs: readonly ReportInput[]): ConfigSummary[] {
  const scenarios = scenarioOrder(inputs);
  const all = inputs.flatMap((input, fileIndex) =>
    summarizeRuns(input.file.runs).map((summary) => ({
      ...summary,
      fileIndex,
      fileLabel: input.label,
      runs: input.file.runs.filter((run) => configKey(run) === configKey(summary)),
    })),
  );
  return all.sort(
    (a, b) =>
      scenarios.indexOf(a.scenario) - scenarios.indexOf(b.scenario) ||
      a.offeredRate - b.offeredRate ||
      modeRank(a.mode) - modeRank(b.mode) ||
      a.mode.localeCompare(b.mode) ||
      paramsKey(a.params).localeCompare(paramsKey(b.params)) ||
      a.fileIndex - b.fileIndex,
  );
}

/**
 * Labels that tell files apart: the shortest trailing part of each path that is unique
 * ("results.json" alone; "base/results.json" and "new/results.json" for two of them).
 */
export function fileLabels(paths: readonly string[]): string[] {
  const parts = paths.map((path) => path.split(/[\\/]+/).filter((part) => part !== '' && part !== '.'));
  const longest = Math.max(1, ...parts.map((p) => p.length));
  for (let depth = 1; depth <= longest; depth++) {
    const labels = parts.map((p) => p.slice(-depth).join('/'));
    if (new Set(labels).size === labels.length) return labels;
  }
  return paths.map((path, i) => `${i + 1}: ${path}`);
}
