/**
 * The kinds of gate metric: each a ratio of two figures measured in the same round of the
 * same job, so a faster or slower (or busier) machine moves both and the ratio stays put.
 */
import type { RunResult } from '../../primitives/results-schema.js';
import type { HandoffFigures } from '../../runner/reference-handoff.js';
import type { Better } from './verdict.js';

export type { HandoffFigures };

/**
 * What a metric divides by what:
 * - `throughput-ratio`: a run's output rate ÷ another run's (same round);
 * - `throughput-vs-fused`: a run's output rate ÷ the fused single-thread loop's;
 * - `processing-vs-fused`: a run's per-record processing time (read → emit) percentile ÷ the
 *   fused loop's time per output record;
 * - `latency-vs-handoff`: event-time latency percentile ÷ the thread hand-off's one-way time;
 * - `wait-vs-half-interval`: micro-batch mean event-time latency ÷ T/2.
 */
export type MetricKind = 'throughput-ratio' | 'throughput-vs-fused' | 'processing-vs-fused' | 'latency-vs-handoff' | 'wait-vs-half-interval';

/** Per kind: which direction is good. */
export const METRIC_KINDS: Record<MetricKind, Better> = {
  'throughput-ratio': 'bigger',
  'throughput-vs-fused': 'bigger',
  'processing-vs-fused': 'smaller',
  'latency-vs-handoff': 'smaller',
  'wait-vs-half-interval': 'smaller',
};

/** A latency percentile a metric may use. */
export type Percentile = 'p50' | 'p90' | 'p99';

/** A validated metric of a suite. */
export interface GateMetric {
  name: string;
  kind: MetricKind;
  /** Id of the run measured. */
  run: string;
  /** Id of the run divided by (`throughput-ratio`). */
  over?: string;
  /** Latency percentile (`latency-vs-handoff`). */
  percentile?: Percentile;
  better: Better;
  unit: string;
  /** Smallest relative change that counts (overrides the suite's). */
  minEffect: number;
  /** False: judged and reported, but never fails the gate (nor is re-run). */
  gated: boolean;
}

/** What a metric's run needs to be turned into a value. */
export interface RunShape {
  scenario: string;
  rate: number;
  /** micro-batch interval T, ms. */
  intervalMs?: number;
}

/** A round's runs (each run once) and the references to divide by (the job's, see the sampler). */
export interface RoundMeasurement {
  runs: ReadonlyMap<string, RunResult>;
  /** Hand-off reference by ping spacing (µs). */
  handoff: ReadonlyMap<number, HandoffFigures>;
  /** Fused single-thread loop output records/s by scenario. */
  fused: ReadonlyMap<string, number>;
}

/** Ping spacing of the hand-off reference for a run: its mean record spacing at the source, µs. */
export function handoffSpacingUs(shape: RunShape): number {
  return Math.round(1e6 / shape.rate);
}

/** The value of `metric` in one round. Throws if a figure it needs is missing. */
export function metricValue(metric: GateMetric, shapes: ReadonlyMap<string, RunShape>, round: RoundMeasurement): number {
  const run = round.runs.get(metric.run);
  const shape = shapes.get(metric.run);
  if (!run || !shape) throw new Error(`metric '${metric.name}': run '${metric.run}' was not measured`);
  switch (metric.kind) {
    case 'throughput-ratio': {
      const other = metric.over === undefined ? undefined : round.runs.get(metric.over);
      if (!other) throw new Error(`metric '${metric.name}': run '${metric.over}' was not measured`);
      return run.throughputOut / other.throughputOut;
    }
    case 'throughput-vs-fused': {
      const fused = round.fused.get(shape.scenario);
      if (fused === undefined) throw new Error(`metric '${metric.name}': no fused reference for '${shape.scenario}'`);
      return run.throughputOut / fused;
    }
    case 'processing-vs-fused': {
      const fused = round.fused.get(shape.scenario);
      if (fused === undefined) throw new Error(`metric '${metric.name}': no fused reference for '${shape.scenario}'`);
      return run.latency.processingTime[metric.percentile ?? 'p50'] / (1e6 / fused);
    }
    case 'latency-vs-handoff': {
      const handoff = round.handoff.get(handoffSpacingUs(shape));
      if (!handoff) throw new Error(`metric '${metric.name}': no hand-off reference at ${handoffSpacingUs(shape)} µs`);
      const percentile = metric.percentile ?? 'p50';
      return run.latency.eventTime[percentile] / handoff.oneWay[percentile];
    }
    case 'wait-vs-half-interval':
      return run.latency.eventTime.mean / (((shape.intervalMs ?? Number.NaN) * 1000) / 2);
  }
}
