/**
 * Latency–throughput points: from sweeps (`file.sweeps`, each probe's throughput out and
 * p99, with the Pareto frontier of the sustainable ones) and, without sweeps, from plain
 * runs of one mode at two or more offered rates.
 */
import { paretoFrontier } from '../../runner/sweep/frontier.js';
import type { ResultsFile, SweepPoint } from '../../primitives/results-schema.js';
import type { XY } from './chart-spec.js';
import type { ConfigSummary } from './model.js';
import { paramsKey } from '../format.js';

/** The measured points of one mode (and setting) of one input. */
export interface ModePoints {
  fileIndex: number;
  mode: string;
  /** Knob setting ("T=100ms"), or the mode's key parameters for plain runs; may be empty. */
  setting: string;
  /** (throughput out, p99) of sustainable probes, or of every rate for plain runs; ascending throughput. */
  points: XY[];
  /** (throughput out, p99) of probes judged not sustainable (sweeps only). */
  unsustainable: XY[];
}

/** A point for a log–log chart, or undefined when either coordinate is not positive. */
function toXY(throughputOut: number, p99: number): XY | undefined {
  return throughputOut > 0 && Number.isFinite(p99) && p99 >= 0 ? { x: throughputOut, y: Math.max(1, p99) } : undefined;
}

/** Points as XY, ascending throughput, dropping those that cannot be drawn. */
function sortedXY(points: readonly { throughputOut: number; p99: number }[]): XY[] {
  return points.flatMap((p) => toXY(p.throughputOut, p.p99) ?? []).sort((a, b) => a.x - b.x);
}

/** Per mode and setting, the sweep probes of `scenario` in a results file (none without sweeps). */
export function sweepPoints(file: ResultsFile, scenario: string, fileIndex = 0): ModePoints[] {
  return (file.sweeps ?? [])
    .filter((sweep) => sweep.scenario === scenario)
    .map((sweep) => ({
      fileIndex,
      mode: sweep.mode,
      setting: sweep.setting,
      points: sortedXY(sweep.points.filter((p) => p.sustainable)),
      unsustainable: sortedXY(sweep.points.filter((p) => !p.sustainable)),
    }));
}

/** The frontier of `scenario`: the file's own when it has one, else the Pareto set of its sustainable probes; ascending throughput. */
export function sweepFrontier(file: ResultsFile, scenario: string): XY[] {
  const stored = file.frontier?.find((f) => f.scenario === scenario)?.points;
  const probes: SweepPoint[] = (file.sweeps ?? []).filter((s) => s.scenario === scenario).flatMap((s) => s.points.filter((p) => p.sustainable));
  return sortedXY(stored ?? paretoFrontier(probes));
}

/**
 * For plain runs: per input, mode and parameters of `scenario` that ran at two or more
 * offered rates, the pooled (throughput out, p99 event-time latency) at each rate.
 */
export function runPoints(summaries: readonly ConfigSummary[], scenario: string, settingOf: (s: ConfigSummary) => string): ModePoints[] {
  const groups = new Map<string, ConfigSummary[]>();
  for (const s of summaries) {
    if (s.scenario !== scenario || s.latency.eventTime.count === 0) continue;
    const key = JSON.stringify([s.fileIndex, s.mode, paramsKey(s.params)]);
    groups.set(key, [...(groups.get(key) ?? []), s]);
  }
  return [...groups.values()]
    .filter((group) => new Set(group.map((s) => s.offeredRate)).size >= 2)
    .map((group) => ({
      fileIndex: group[0].fileIndex,
      mode: group[0].mode,
      setting: settingOf(group[0]),
      points: sortedXY(group.map((s) => ({ throughputOut: s.throughputOut, p99: s.latency.eventTime.p99 }))),
      unsustainable: [],
    }));
}
